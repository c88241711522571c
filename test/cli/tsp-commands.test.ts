import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

/** ceil(log2(x)) for the small integers of the bit-count formulas. */
const clog2 = (x: number) => Math.ceil(Math.log2(x) - 1e-12);

const tmp = mkdtempSync(join(tmpdir(), "fmanneal-cli-"));

describe("fmanneal info", () => {
  it("--json: name, dimension, edge weight type/format, bit count of each labeling (N = 15)", async () => {
    const r = await run("info", "problems/random/rand15-s3.tsp", "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ name: "rand15-s3", dimension: 15, edgeWeightType: "EUC_2D", edgeWeightFormat: null });
    // natural ceil(log2 14!), gray/lehmer sum_{r=2}^{14} ceil(log2 r), onehot 14^2 (docs/design.md, Definitions)
    expect(j.bits).toEqual({ natural: 37, gray: 41, lehmer: 41, onehot: 196 });
    expect(j.optimum).toEqual(expect.any(Number));
  });

  it("bit counts follow the formulas for burma14 and an EXPLICIT instance (gr24)", async () => {
    for (const [file, n, format] of [
      ["problems/tsplib/burma14.tsp", 14, "FUNCTION"],
      ["problems/tsplib/gr24.tsp", 24, "LOWER_DIAG_ROW"],
    ] as const) {
      const j = JSON.parse((await run("info", file, "--json")).stdout);
      let fact = 1;
      for (let k = 2; k < n; k++) fact *= k; // (n-1)! (exact enough in a double for the log)
      let digits = 0;
      for (let r = 2; r <= n - 1; r++) digits += clog2(r);
      expect(j.dimension).toBe(n);
      expect(j.edgeWeightFormat).toBe(format);
      expect(j.bits).toEqual({ natural: clog2(fact), gray: digits, lehmer: digits, onehot: (n - 1) ** 2 });
    }
  });

  it("fewer than 3 cities: no labeling applies, bit counts are null", async () => {
    const two = join(tmp, "two.tsp");
    writeFileSync(two, "NAME : two\nTYPE : TSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n");
    const r = await run("info", two, "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).bits).toEqual({ natural: null, gray: null, lehmer: null, onehot: null });
  });

  it("an instance named like a shipped one but of another size gets no optimum", async () => {
    const fake = join(tmp, "fake.tsp");
    writeFileSync(fake, "NAME : berlin52\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 0\n3 3 4\n");
    expect(JSON.parse((await run("info", fake, "--json")).stdout).optimum).toBeNull();
  });

  it("prints a readable table by default", async () => {
    const r = await run("info", "problems/tsplib/burma14.tsp");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^name +burma14$/m);
    expect(r.stdout).toMatch(/^dimension +14$/m);
    expect(r.stdout).toMatch(/^edge weight type +GEO$/m);
    expect(r.stdout).toMatch(/^known optimum +3323$/m);
    expect(r.stdout).toMatch(/^bits gray +\d+$/m);
  });

  it("a bad file: exit 2, one line on stderr naming file and line", async () => {
    const bad = join(tmp, "bad.tsp");
    writeFileSync(bad, "NAME : x\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 x\n");
    const r = await run("info", bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`fmanneal: ${bad}:7: non-numeric token 'x' in NODE_COORD_SECTION; expected a number\n`);
    const missing = await run("info", join(tmp, "none.tsp"));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("fmanneal tour", () => {
  it("--json: length, optimum and gap of a shipped optimal tour", async () => {
    const r = await run("tour", "problems/tsplib/att48.tsp", "problems/tsplib/att48.opt.tour", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: "att48", dimension: 48, tour: "att48.opt.tour", length: 10628, optimum: 10628, optimumSource: "known", gap: 0, reference: null, referenceGap: null,
    });
  });

  it("gap = (length - optimum) / optimum for a non-optimal tour; human output", async () => {
    // The tour 1, 2, ..., 442 of pcb442 measures 221440 (spec 2.7); optimum 50778.
    const path = join(tmp, "pcb442.identity.tour");
    const ids = Array.from({ length: 442 }, (_, i) => i + 1);
    writeFileSync(path, `NAME : identity\nTYPE : TOUR\nDIMENSION : 442\nTOUR_SECTION\n${ids.join(" ")}\n-1\nEOF\n`);
    const j = JSON.parse((await run("tour", "problems/tsplib/pcb442.tsp", path, "--json")).stdout);
    expect(j.length).toBe(221440);
    expect(j.optimum).toBe(50778);
    expect(j.gap).toBeCloseTo((221440 - 50778) / 50778, 12);
    const human = await run("tour", "problems/tsplib/pcb442.tsp", path);
    expect(human.stdout).toBe("pcb442 (442 cities): tour identity has length 221440, optimum 50778, gap 336.09%\n");
  });

  it("unknown optimum: optimum and gap are null; the gap is to a reference tour, labelled as not an optimum", async () => {
    const tsp = join(tmp, "tri.tsp");
    writeFileSync(tsp, "NAME : tri\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 0\n3 3 4\nEOF\n");
    const tour = join(tmp, "tri.tour");
    writeFileSync(tour, "TYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n2 3 1 -1\n");
    const r = await run("tour", tsp, tour, "--json");
    const how = "nearest-neighbour tour from city 1 on the known distances";
    expect(JSON.parse(r.stdout)).toEqual({
      name: "tri", dimension: 3, tour: "tri", length: 12, optimum: null, optimumSource: null, gap: null,
      reference: { length: 12, how, note: "not an optimum" }, referenceGap: 0,
    });
    expect((await run("tour", tsp, tour)).stdout).toBe(
      `tri (3 cities): tour tri has length 12, gap 0.00% to the reference 12\nreference 12: not an optimum, the engine's own white-box tour (${how}); give --optimum N for a real gap\n`,
    );
  });

  it("a tour for another dimension: exit 2, one line naming the tour file and its DIMENSION line", async () => {
    const r = await run("tour", "problems/tsplib/burma14.tsp", "problems/tsplib/ulysses16.opt.tour");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "fmanneal: problems/tsplib/ulysses16.opt.tour:4: tour DIMENSION 16 does not match the instance's DIMENSION 14\n",
    );
  });

  it("a malformed tour: exit 2, one line", async () => {
    const bad = join(tmp, "dup.tour");
    writeFileSync(bad, "TYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1 2 2\n-1\n");
    const tsp = join(tmp, "tri.tsp");
    const r = await run("tour", tsp, bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`fmanneal: ${bad}:4: node 2 appears twice in the tour (first at line 4)\n`);
  });
});

describe("fmanneal gen", () => {
  it("writes TSPLIB text to stdout; the same seed gives the same file, another seed another", async () => {
    const a = await run("gen", "--cities", "12", "--seed", "5");
    const b = await run("gen", "--cities", "12", "--seed", "5");
    const c = await run("gen", "--cities", "12", "--seed", "6");
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.stdout).toMatch(/^NAME : rand12-s5\n/);
    expect(a.stdout).toContain("TYPE : TSP\nDIMENSION : 12\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n");
    expect(a.stdout.trimEnd().split("\n").filter((l) => /^\d+ \d+ \d+$/.test(l))).toHaveLength(12);
  });

  it("reproduces a shipped study instance byte for byte, and --out writes the same file", async () => {
    const shipped = readFileSync("problems/random/rand9-s4.tsp", "utf8");
    expect((await run("gen", "--cities", "9", "--seed", "4")).stdout).toBe(shipped);
    const out = join(tmp, "g.tsp");
    const r = await run("gen", "--cities", "9", "--seed", "4", "--out", out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote rand9-s4 (9 cities) to ${out}\n`);
    expect(readFileSync(out, "utf8")).toBe(shipped);
    // What gen writes, info reads.
    expect(JSON.parse((await run("info", out, "--json")).stdout).name).toBe("rand9-s4");
  });

  it("bad options: exit 2 with a one-line message naming the option", async () => {
    for (const [argv, message] of [
      [["--cities", "0"], "fmanneal: --cities must be an integer in 1..5000, got 0\n"],
      [["--cities", "abc"], 'fmanneal: --cities must be an integer in 1..5000, got "abc"\n'],
      [["--cities", "7.5"], "fmanneal: --cities must be an integer in 1..5000, got 7.5\n"],
      [["--cities", "7", "--seed", "-2"], "fmanneal: --seed must be an integer >= 0, got -2\n"],
    ] as const) {
      const r = await run("gen", ...argv);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(message);
    }
    const unwritable = await run("gen", "--cities", "5", "--out", "/nonexistent-dir/x.tsp");
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toMatch(/^fmanneal: cannot write \/nonexistent-dir\/x\.tsp: [^\n]+\n$/);
  });

  it("--help documents every option of info, tour and gen", async () => {
    const gen = await run("gen", "--help");
    for (const opt of ["--cities", "--seed", "--out"]) expect(gen.stdout).toContain(opt);
    expect((await run("info", "--help")).stdout).toContain("--json");
    expect((await run("tour", "--help")).stdout).toContain("--json");
  });
});
