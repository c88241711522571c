import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { landscape } from "../../src/study/landscape.js";
import { readTsplib } from "../../src/tsp/tsplib.js";
import { randomInstance } from "../../src/tsp/generate.js";

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

const rowKeys = [
  "labeling",
  "bits",
  "valid",
  "localMinFraction",
  "trapProbability",
  "exact",
  "interval",
  "localMinInterval",
  "samples",
  "optimum",
];

describe("fmanneal landscape", () => {
  it("--json on a file: every labeling by default, exact, fractions in [0,1], interval null", async () => {
    const r = await run("landscape", "problems/random/rand7-s2.tsp", "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(["cities", "instance", "labelings", "seed"]);
    expect(j.instance).toBe("rand7-s2");
    expect(j.cities).toBe(7);
    expect(j.labelings.map((x: { labeling: string }) => x.labeling)).toEqual(["natural", "gray", "lehmer", "onehot"]);
    const inst = readTsplib("problems/random/rand7-s2.tsp");
    for (const row of j.labelings) {
      expect(Object.keys(row).sort()).toEqual([...rowKeys].sort());
      expect(row.exact).toBe(true);
      expect(row.interval).toBeNull();
      expect(row.valid).toBe(720);
      for (const x of [row.localMinFraction, row.trapProbability]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
      // the CLI reports what the library computes
      const lib = landscape(inst, row.labeling);
      expect(row.localMinFraction).toBe(lib.localMinFraction);
      expect(row.trapProbability).toBe(lib.trapProbability);
    }
  });

  it("--cities/--seed generate rand{N}-s{S}; --labelings selects and orders; Monte Carlo gives intervals", async () => {
    const r = await run("landscape", "--cities", "8", "--seed", "3", "--labelings", "gray, natural", "--samples", "500", "--exact-limit", "0", "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.instance).toBe("rand8-s3");
    expect(j.cities).toBe(8);
    expect(j.labelings.map((x: { labeling: string }) => x.labeling)).toEqual(["gray", "natural"]);
    for (const row of j.labelings) {
      expect(row.exact).toBe(false);
      expect(row.samples).toBe(500);
      const [lo, hi] = row.interval;
      expect(lo).toBeLessThanOrEqual(row.trapProbability);
      expect(row.trapProbability).toBeLessThanOrEqual(hi);
      const lib = landscape(randomInstance(8, 3), row.labeling, { samples: 500, seed: 3, exactLimit: 0 });
      expect(row.trapProbability).toBe(lib.trapProbability);
    }
  });

  it("above the Held-Karp limit a shipped instance's known optimum is used for p (gr24: 1272)", async () => {
    const r = await run("landscape", "problems/tsplib/gr24.tsp", "--labelings", "gray", "--samples", "20", "--json");
    expect(r.status).toBe(0);
    const [row] = JSON.parse(r.stdout).labelings;
    expect(row.optimum).toBe(1272);
    expect(row.exact).toBe(false);
    expect(row.valid).toBe("25852016738884976640000"); // 23!
    expect(row.trapProbability).toEqual(expect.any(Number));
    expect(row.interval).toHaveLength(2);
  });

  it("prints an aligned table without --json", async () => {
    const r = await run("landscape", "--cities", "6", "--labelings", "natural,onehot");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^rand6-s1: 6 cities, 120 valid codes per labeling, exact enumeration, optimum \d+/);
    expect(lines[1]).toMatch(/^labeling\s+bits\s+local-min fraction\s+trap probability p$/);
    expect(lines[2]).toMatch(/^natural\s+7\s+\d\.\d{4}\s+\d\.\d{4}$/);
    expect(lines[3]).toMatch(/^onehot\s+25\s+1\.0000\s+\d\.\d{4}$/);
    // columns line up: "bits" ends where the bit counts end
    expect(lines[1].indexOf("bits") + 4).toBe(lines[2].indexOf("7") + 1);
    expect(lines[4]).toMatch(/^time \d+\.\d\d s$/);
  });

  const errors: [string, string[], RegExp][] = [
    ["unknown labeling", ["--cities", "6", "--labelings", "natural,binary"], /unknown labeling "binary": expected one of natural, gray, lehmer, onehot/],
    ["empty labeling list", ["--cities", "6", "--labelings", ","], /--labelings is empty/],
    ["both a file and --cities", ["problems/random/rand7-s2.tsp", "--cities", "6"], /either a \.tsp file or --cities, not both/],
    ["neither", [], /give a \.tsp file or --cities N/],
    ["N too small", ["--cities", "2"], /--cities must be an integer in 3\.\.\d+ \(landscape needs at least 3 cities\), got 2/],
    ["N not an integer", ["--cities", "6.5"], /--cities must be an integer/],
    ["bad samples", ["--cities", "6", "--samples", "0"], /--samples must be an integer >= 1, got 0/],
    ["samples not a number", ["--cities", "6", "--samples", "many"], /--samples must be an integer >= 1, got "many"/],
    ["bad exact limit", ["--cities", "6", "--exact-limit", "-3"], /--exact-limit must be an integer/],
    ["bad seed", ["--cities", "6", "--seed", "-1"], /--seed must be an integer >= 0, got -1/],
    ["missing file", ["no/such/file.tsp"], /no\/such\/file\.tsp/],
  ];
  for (const [what, argv, message] of errors) {
    it(`exit 2 with one line: ${what}`, async () => {
      const r = await run("landscape", ...argv);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }
});
