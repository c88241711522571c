import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { labelingNames } from "../../src/labelings/registry.js";
import { baselineNames } from "../../src/study/compare.js";
import { TRIALS_CSV_HEADER } from "../../src/study/report.js";

// Test hook: runCompare with a worker file of the test's choice (a worker that fails some
// trials), injected without any hidden option in the command itself.
const hook = vi.hoisted(() => ({ workerFile: undefined as URL | undefined }));
vi.mock("../../src/study/compare.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../../src/study/compare.js")>();
  return { ...mod, runCompare: (o: Parameters<typeof mod.runCompare>[0]) => mod.runCompare({ ...o, workerFile: hook.workerFile ?? o.workerFile }) };
});

const tmp = mkdtempSync(join(tmpdir(), "fmanneal-compare-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

const sweep = (seeds: number) => ["--cities", "5..6", "--instances", "2", "--seeds", String(seeds), "--evaluations", "30", "--labelings", "natural,gray", "--methods", "random", "--workers", "2"];
const tiny = sweep(2);

describe("fmanneal compare", () => {
  it("writes trials.csv (one row per trial), summary.json (a Wilcoxon test per N), report.md and plots", async () => {
    const out = join(tmp, "report");
    const r = await run("compare", ...tiny, "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const f of ["trials.csv", "summary.json", "report.md", "gap-vs-evaluations.svg", "success-rate.svg", "trap-probability.svg"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const csv = readFileSync(join(out, "trials.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0]).toBe(TRIALS_CSV_HEADER.join(","));
    expect(csv.length - 1).toBe(4 * 3 * 2); // instances × methods × seeds
    const methodsSeen = new Set(csv.slice(1).map((l) => l.split(",")[2]));
    expect([...methodsSeen]).toEqual(["fma:natural", "fma:gray", "random"]);

    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.trials).toBe(24);
    expect(summary.cities).toEqual([5, 6]);
    const perN = summary.grayVsNatural.filter((c: { cities: number | null }) => c.cities !== null);
    expect(perN.map((c: { cities: number }) => c.cities)).toEqual([5, 6]);
    for (const c of perN) {
      expect(c.pairs).toBe(4); // 2 instances × 2 seeds, paired by instance and seed
      expect(c.twoSided.alternative).toBe("two-sided");
      expect(c.twoSided.pValue).toBeGreaterThanOrEqual(0);
      expect(c.twoSided.pValue).toBeLessThanOrEqual(1);
    }
    expect(summary.meta.budget).toBe(30);
    expect(summary.meta.seeds).toBe(2);
    expect(summary.meta.workers).toBe(2);
    expect(summary.meta.command).toBe("fmanneal compare --cities 5..6 --instances 2 --labelings natural,gray --methods random --seeds 2 --evaluations 30");
    expect(summary.landscapes.map((l: { cities: number; labeling: string }) => `${l.cities}/${l.labeling}`).sort()).toEqual(["5/gray", "5/natural", "6/gray", "6/natural"]);

    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("## fma:gray vs fma:natural");
    expect(md).toContain("](gap-vs-evaluations.svg)");
    // stdout: where it wrote, and the table of median final gap / success rate per N and method
    expect(r.stdout).toContain(`wrote ${join(out, "trials.csv")}`);
    const lines = r.stdout.split("\n");
    const head = lines.findIndex((l) => l.startsWith("median final gap / success rate"));
    expect(lines[head + 1]!.trim().split(/\s+/)).toEqual(["N", ...summary.methods]);
    expect(lines[head + 2]!.trim().startsWith("5 ")).toBe(true);
    expect(lines[head + 3]!.trim().startsWith("6 ")).toBe(true);
    // the table agrees with the summary
    const gray6 = summary.byMethod.find((m: { cities: number; method: string }) => m.cities === 6 && m.method === "fma:gray");
    expect(lines[head + 3]).toContain(`${(gray6.finalGap.median * 100).toFixed(2)}% / ${Math.round(gray6.success.rate * 100)}%`);
  });

  it("--json prints the summary that summary.json holds; --no-landscape leaves the landscapes out", async () => {
    const out = join(tmp, "json");
    const r = await run("compare", ...sweep(1), "--no-landscape", "--json", "--out", out);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const printed = JSON.parse(r.stdout);
    const file = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(printed).toEqual(file);
    expect(printed.trials).toBe(12);
    expect(printed.landscapes).toEqual([]);
    expect(printed.meta.landscapes).toBe("off");
    expect(existsSync(join(out, "trap-probability.svg"))).toBe(false);
  });

  it("TSPLIB files as instances, with their published optimum", async () => {
    const out = join(tmp, "files");
    const r = await run("compare", "problems/tsplib/burma14.tsp", "problems/random/rand7-s3.tsp", "--labelings", "gray", "--methods", "", "--seeds", "1", "--evaluations", "21", "--workers", "1", "--json", "--out", out);
    expect(r.status).toBe(0);
    const csv = readFileSync(join(out, "trials.csv"), "utf8").trimEnd().split("\n").slice(1).map((l) => l.split(","));
    expect(csv.map((f) => [f[0], f[1], f[2], f[7]])).toEqual([
      ["burma14", "14", "fma:gray", "3323"],
      ["rand7-s3", "7", "fma:gray", readFileSync("problems/random/optima.tsv", "utf8").split("\n").find((l) => l.startsWith("rand7-s3\t"))!.split("\t")[4]],
    ]);
  });

  it("a trial that throws in its worker is reported, the others are kept, exit status 2", async () => {
    const out = join(tmp, "failing");
    hook.workerFile = new URL("../study/fixtures/failing-trial.mjs", import.meta.url);
    try {
      const r = await run("compare", ...tiny, "--out", out);
      expect(r.status).toBe(2);
      const err = r.stderr.trimEnd().split("\n");
      expect(err).toEqual([
        "failed: landscape of rand6-s1 (natural,gray): landscape boom",
        "failed: rand5-s1 random seed 2: boom from the trial worker",
        "failed: rand6-s2 fma:gray seed 1: refused by the test worker",
        `fmanneal: 2 of 24 trials and 1 landscape tasks failed (first: landscape of rand6-s1 (natural,gray): landscape boom); the report in ${out} covers the rest`,
      ]);
      const csv = readFileSync(join(out, "trials.csv"), "utf8").trimEnd().split("\n");
      expect(csv.length - 1).toBe(22);
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
      expect(summary.meta.failed).toContain("rand5-s1 random seed 2: boom from the trial worker");
      expect(readFileSync(join(out, "report.md"), "utf8")).toContain("boom from the trial worker");
      expect(r.stdout).toContain("22 of 24 trials");
    } finally {
      hook.workerFile = undefined;
    }
  });

  describe("refuses bad input with exit status 2 and one line", () => {
    const out = join(tmp, "never");
    it.each([
      [["--cities", "5", "--labelings", "natural,binary"], `fmanneal: --labelings: unknown labeling "binary": expected one of ${labelingNames.join(", ")}`],
      [["--cities", "5", "--methods", "random,anneal"], `fmanneal: --methods: unknown method "anneal": expected one of ${baselineNames().join(", ")} (fma runs come from --labelings: ${labelingNames.join(", ")})`],
      [["--cities", "5..x"], `fmanneal: --cities: "5..x" is not an integer N or a range a..b (e.g. 5..15, 8, or 5,7,9)`],
      [["--cities", "9..5"], `fmanneal: --cities: empty range "9..5" (9 > 5)`],
      [["--cities", "2..4"], `fmanneal: --cities: 2 is out of range; N must be in 3..5000`],
      [["--cities", "5", "--seeds", "0"], "fmanneal: --seeds must be an integer >= 1, got 0"],
      [["--cities", "5", "--evaluations", "0"], "fmanneal: --evaluations must be an integer >= 1, got 0"],
      [["--cities", "5", "--evaluations", "abc"], 'fmanneal: --evaluations must be an integer >= 1, got "abc"'],
      [["--cities", "5", "--instances", "0"], "fmanneal: --instances must be an integer >= 1, got 0"],
      [["--cities", "5", "--workers", "0"], "fmanneal: --workers must be an integer >= 1, got 0"],
      [["--cities", "5", "--labelings", "", "--methods", ""], "fmanneal: nothing to compare: give --labelings and/or --methods"],
      [[], "fmanneal: give .tsp files or --cities (e.g. --cities 5..15 --instances 5)"],
      [["problems/random/rand5-s1.tsp", "--cities", "5"], "fmanneal: give either .tsp files or --cities, not both"],
    ])("%j", async (argv, message) => {
      const r = await run("compare", ...argv, "--out", out);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(message + "\n");
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });

    it("a nonexistent file", async () => {
      const r = await run("compare", "problems/tsplib/nonexistent.tsp", "--out", out);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^fmanneal: .*nonexistent\.tsp/);
      expect(existsSync(out)).toBe(false);
    });
  });
});
