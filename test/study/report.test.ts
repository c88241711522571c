import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport, type ReportResult } from "../../src/study/report.js";
import { summarize, type Summary } from "../../src/study/summary.js";
import { UserError } from "../../src/util/errors.js";
import { fixtureLandscapes, fixtureTrials, META, ODD_NAME, trial } from "./report-fixtures.js";

/** RFC 4180 reader, independent of the writer: quoted fields, doubled quotes, LF or CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "fmanneal-report-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("summarize (worked example in report-fixtures.ts)", () => {
  const s: Summary = summarize(fixtureTrials(), fixtureLandscapes(), META, { checkpoints: [0.25, 0.5, 1] });
  const get = (n: number, m: string) => s.byMethod.find((x) => x.cities === n && x.method === m);

  it("lists N, methods and the rows that exist (no fma:natural at N = 6)", () => {
    expect(s.cities).toEqual([5, 6]);
    expect(s.methods).toEqual(["fma:gray", "fma:natural", "random"]);
    expect(s.byMethod.map((m) => `${m.cities}:${m.method}`)).toEqual(["5:fma:gray", "5:fma:natural", "6:fma:gray", "6:random"]);
    expect(s.budget).toBe(4);
  });

  it("computes the checkpoint gaps from bestSoFar[c-1], no valid tour counting as worst", () => {
    const g = get(5, "fma:gray")!;
    expect(g.checkpoints.map((c) => c.evaluations)).toEqual([1, 2, 4]);
    // c = 1: gaps Inf, 0.20, 0, 0.50 -> median (0.20 + 0.50)/2 = 0.35; mean of the 3 valid = 0.7/3
    expect(g.checkpoints[0]).toMatchObject({ trials: 4, valid: 3 });
    expect(g.checkpoints[0]!.medianGap).toBeCloseTo(0.35, 12);
    expect(g.checkpoints[0]!.meanGap).toBeCloseTo(0.7 / 3, 12);
    // c = 2: 0.10, 0.05, 0, 0.50 -> median 0.075, mean 0.1625
    expect(g.checkpoints[1]!.medianGap).toBeCloseTo(0.075, 12);
    expect(g.checkpoints[1]!.meanGap).toBeCloseTo(0.1625, 12);
    // c = 4: 0, 0.05, 0, 0.01 -> median 0.005, mean 0.015
    expect(g.checkpoints[2]!.medianGap).toBeCloseTo(0.005, 12);
    expect(g.checkpoints[2]!.meanGap).toBeCloseTo(0.015, 12);
    expect(g.finalGap.median).toBeCloseTo(0.005, 12);
    expect(g.finalGap.mean).toBeCloseTo(0.015, 12);
  });

  it("computes success rates with Wilson intervals and median evaluations to the optimum", () => {
    const g = get(5, "fma:gray")!;
    expect(g.success).toMatchObject({ successes: 2, trials: 4, rate: 0.5 });
    // Wilson 2/4, z = 1.96: centre 0.5, half = 1.96/1.9604 * sqrt(0.0625 + 0.0600) = 0.3498
    expect(g.success!.wilson95[0]).toBeCloseTo(0.1500, 3);
    expect(g.success!.wilson95[1]).toBeCloseTo(0.8500, 3);
    expect(g.medianEvalsToOptimum).toBe(2); // successes at evaluations 3 and 1
    const nat = get(5, "fma:natural")!;
    expect(nat.success).toMatchObject({ successes: 1, trials: 4 });
    expect(nat.medianEvalsToOptimum).toBe(1);
  });

  it("leaves trials without optimum out of gaps and success, and reports an infinite median as null", () => {
    const g6 = get(6, "fma:gray")!;
    expect(g6.trials).toBe(3);
    expect(g6.withOptimum).toBe(2);
    // final gaps: d/1 nothing valid (worst), d/2 0 -> median is the worst -> null; mean over valid = 0
    expect(g6.finalGap.median).toBeNull();
    expect(g6.finalGap.mean).toBe(0);
    expect(g6.success).toMatchObject({ successes: 1, trials: 2 });
    const r6 = get(6, "random")!;
    expect(r6.finalGap.median).toBeCloseTo(0.125, 12);
    expect(r6.medianEvalsToOptimum).toBe(4);
  });

  it("attaches the mean landscape metrics of the method's labeling at its N", () => {
    expect(get(5, "fma:gray")!.landscape).toMatchObject({ instances: 2, exact: true });
    expect(get(5, "fma:gray")!.landscape!.trapProbability).toBeCloseTo(0.3, 12);
    expect(get(5, "fma:natural")!.landscape!.trapProbability).toBeCloseTo(0.5, 12);
    expect(get(6, "fma:gray")!.landscape).toMatchObject({ exact: false, trapProbability: 0.6 });
    expect(get(6, "random")!.landscape).toBeNull();
  });

  it("tests gray against natural on paired final gaps", () => {
    // Pairs (instance, seed): a/1 0 vs 0.10, a/2 0.05 vs 0.05, b/1 0 vs 0, b/2 0.01 vs 0.10.
    // Non-zero differences -0.10, -0.09: ranks 2, 1, W+ = 0, W- = 3; exact n = 2:
    // P(W+ <= 0) = 1/4, two-sided 1/2.
    expect(s.grayVsNatural).toHaveLength(1); // only N = 5 has both; no pooled row for a single N
    const c = s.grayVsNatural[0]!;
    expect(c).toMatchObject({ cities: 5, method: "fma:gray", baseline: "fma:natural", pairs: 4, unpaired: 0, better: 2, worse: 0, tied: 2 });
    expect(c.twoSided).toMatchObject({ n: 2, zeros: 2, wPlus: 0, wMinus: 3, method: "exact" });
    expect(c.twoSided!.pValue).toBeCloseTo(0.5, 14);
    expect(c.lower!.pValue).toBeCloseTo(0.25, 14);
    expect(c.medianDifference).toBeCloseTo(-0.045, 12); // median of -0.10, 0, 0, -0.09
  });

  it("tests every other method against gray where both exist", () => {
    // N = 6, random vs gray: c/1 has no optimum, d/1 gray found nothing -> one pair d/2: 0.25 vs 0.
    expect(s.versusGray).toHaveLength(1);
    const v = s.versusGray[0]!;
    expect(v).toMatchObject({ cities: 6, method: "random", baseline: "fma:gray", pairs: 1, unpaired: 4, better: 0, worse: 1, tied: 0 });
    expect(v.twoSided!.pValue).toBe(1); // n = 1: P(W+ >= 1) = 1/2, two-sided 1
    expect(v.pHolm).toBe(1);
  });

  it("adds a pooled gray-vs-natural row when several N have both", () => {
    const more = [...fixtureTrials(), trial("d", 6, "fma:natural", 2, 200, [230, 230, 230, 230])];
    const s2 = summarize(more, [], META);
    expect(s2.grayVsNatural.map((c) => c.cities)).toEqual([5, 6, null]);
    expect(s2.grayVsNatural[1]).toMatchObject({ pairs: 1, better: 1, unpaired: 2 });
    expect(s2.grayVsNatural[2]).toMatchObject({ pairs: 5, better: 3, worse: 0, tied: 2 });
  });

  it("refuses duplicate trials, bad records and bad checkpoints", () => {
    const t = fixtureTrials();
    expect(() => summarize([...t, t[0]!], [], META)).toThrow(/duplicate trial/);
    expect(() => summarize([{ ...t[0]!, cities: 0 }], [], META)).toThrow(UserError);
    expect(() => summarize(t, [], META, { checkpoints: [0] })).toThrow(/checkpoints/);
  });
});

describe("writeReport", () => {
  let dir: string;
  let result: ReportResult;
  beforeAll(async () => {
    dir = join(tempDir(), "nested", "report");
    result = await writeReport(dir, fixtureTrials(), fixtureLandscapes(), META, { checkpoints: [0.25, 0.5, 1] });
  }, 60_000);

  it("writes every file", () => {
    for (const f of ["trials.csv", "summary.json", "report.md", "gap-vs-evaluations.svg", "success-rate.svg", "trap-probability.svg"]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(result.files).toHaveLength(6);
    expect(result.plots.map((p) => p.file)).toEqual(["gap-vs-evaluations.svg", "success-rate.svg", "trap-probability.svg"]);
  });

  it("trials.csv parses back: one row per trial, quoting, empty fields for null", () => {
    const rows = parseCsv(readFileSync(join(dir, "trials.csv"), "utf8"));
    expect(rows[0]).toEqual(["instance", "N", "method", "labeling", "seed", "evaluations", "best", "optimum", "gap", "evals_to_optimum", "seconds"]);
    expect(rows).toHaveLength(1 + 14);
    const trials = fixtureTrials();
    rows.slice(1).forEach((r, i) => {
      const t = trials[i]!;
      expect(r).toHaveLength(11);
      expect(r[0]).toBe(t.instance);
      expect(Number(r[1])).toBe(t.cities);
      expect(r[2]).toBe(t.method);
      expect(r[3]).toBe(t.labeling ?? "");
      expect(Number(r[4])).toBe(t.seed);
      expect(r[6]).toBe(t.best === null ? "" : String(t.best));
      expect(r[7]).toBe(t.optimum === null ? "" : String(t.optimum));
      expect(r[8] === "" ? null : Number(r[8])).toBe(t.gap);
      expect(r[9]).toBe(t.evalsToOptimum === null ? "" : String(t.evalsToOptimum));
      expect(Number(r[10])).toBe(t.seconds);
    });
    expect(rows[3]![0]).toBe(ODD_NAME);
    expect(readFileSync(join(dir, "trials.csv"), "utf8")).toContain('"b,""x"""');
  });

  it("summary.json has the summary's shape and numbers", () => {
    const j = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(Object.keys(j).sort()).toEqual(["budget", "byMethod", "cities", "grayVsNatural", "landscapes", "meta", "methods", "plots", "trials", "versusGray"]);
    expect(j.meta.command).toBe(META.command);
    expect(j.trials).toBe(14);
    expect(j.byMethod).toHaveLength(4);
    const g = j.byMethod[0];
    expect(g).toMatchObject({ cities: 5, method: "fma:gray", labeling: "gray", trials: 4, withOptimum: 4, medianEvalsToOptimum: 2 });
    expect(g.checkpoints.map((c: { fraction: number }) => c.fraction)).toEqual([0.25, 0.5, 1]);
    expect(g.success.wilson95).toHaveLength(2);
    expect(j.byMethod[2].finalGap.median).toBeNull();
    expect(j.grayVsNatural[0].twoSided.pValue).toBeCloseTo(0.5, 14);
    expect(j.landscapes.map((l: { cities: number; labeling: string }) => `${l.cities}:${l.labeling}`)).toEqual(["5:gray", "5:natural", "6:gray"]);
  });

  it("report.md has the meta, the tables with gaps in %, the tests and links to the plots", () => {
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("`fmanneal compare --budget 4 --seeds 2`");
    expect(md).toMatch(/\| budget \| 4 evaluations per trial \|/);
    expect(md).toMatch(/\| wall time \| 3.5 s \|/);
    expect(md).toContain('| labelings | ["gray","natural"] |');
    expect(md).toContain("### N = 5 (2 instances)");
    expect(md).toContain("### N = 6 (2 instances)");
    // gray at N = 5: checkpoints 35.00% / 23.33% (1 no tour) and 7.50% / 16.25%; final 0.50% / 1.50% [0.00%, 2.00%] (q75: h = 2.25 -> 0.01 + 0.25 * 0.04)
    const grayRow = md.split("\n").find((l) => l.startsWith("| fma:gray | 4 |"))!;
    expect(grayRow).toContain("35.00% / 23.33% (1 no tour)");
    expect(grayRow).toContain("7.50% / 16.25%");
    expect(grayRow).toContain("0.50% / 1.50% [0.00%, 2.00%]");
    expect(grayRow).toContain("2/4 (50%)");
    expect(grayRow).toContain("0.300");
    expect(md).toContain("| fma:gray | 3 (2 with optimum) |");
    // gray vs natural row: N, pairs, better, worse, tied, median diff, W+, W-, p two-sided, p one-sided, test
    expect(md).toContain("| 5 | 4 | 2 | 0 | 2 | -4.50 pp | 0 | 3 | 0.5000 | 0.2500 | exact |");
    expect(md).toContain("| 6 | random | 1 (4 unpaired) | 0 | 1 | 0 | +25.00 pp | 1 | 0 | 1.0000 | 1.0000 | exact |");
    expect(md).toContain("## Landscape metrics");
    expect(md).toContain("| 6 | gray | 1 | 0.6000 | 0.2000 | MC |");
    for (const f of ["gap-vs-evaluations.svg", "success-rate.svg", "trap-probability.svg"]) expect(md).toContain(`](${f})`);
  });

  it("plots are SVG documents naming the methods and labelings", () => {
    for (const f of ["gap-vs-evaluations.svg", "success-rate.svg"]) {
      const svg = readFileSync(join(dir, f), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      for (const m of ["fma:gray", "fma:natural", "random"]) expect(svg, `${f} names ${m}`).toContain(m);
    }
    const trap = readFileSync(join(dir, "trap-probability.svg"), "utf8");
    expect(trap.startsWith("<svg")).toBe(true);
    expect(trap).toContain("gray");
    expect(trap).toContain("natural");
    expect(trap).toContain("trap probability p");
  });
});

describe("writeReport on incomplete data", () => {
  it("empty landscape list: no trap plot, no trap values, no landscape section", async () => {
    const dir = tempDir();
    const r = await writeReport(dir, fixtureTrials(), [], META);
    expect(existsSync(join(dir, "trap-probability.svg"))).toBe(false);
    expect(r.plots.map((p) => p.file)).toEqual(["gap-vs-evaluations.svg", "success-rate.svg"]);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).not.toContain("trap-probability.svg");
    expect(md).not.toContain("## Landscape metrics");
    const grayRow = md.split("\n").find((l) => l.startsWith("| fma:gray | 4 |"))!;
    expect(grayRow.trim().endsWith("| — |")).toBe(true);
  }, 60_000);

  it("no optimum anywhere and no fma:natural: CSV and tables with dashes, no gap or success plot, no tests", async () => {
    const dir = tempDir();
    const trials = [trial("x", 7, "fma:gray", 1, null, [500, 480]), trial("x", 7, "sa-2opt", 1, null, [490, 470])];
    const r = await writeReport(dir, trials, [], { ...META, budget: 2 });
    expect(r.plots).toEqual([]);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("Not tested: no N has trials of both fma:gray and fma:natural.");
    expect(md).toContain("| fma:gray | 1 (0 with optimum) | — | — | — | — | — | — | — | — |");
    expect(md).toContain("| 7 | sa-2opt | 0 (2 unpaired) | 0 | 0 | 0 | — | — | — | — | — | — |");
    const rows = parseCsv(readFileSync(join(dir, "trials.csv"), "utf8"));
    expect(rows[1]).toEqual(["x", "7", "fma:gray", "gray", "1", "2", "480", "", "", "", "0.25"]);
    const j = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(j.byMethod[0].success).toBeNull();
  }, 60_000);

  it("no trials at all: an empty report, not an error", async () => {
    const dir = tempDir();
    const r = await writeReport(dir, [], [], META);
    expect(r.plots).toEqual([]);
    expect(parseCsv(readFileSync(join(dir, "trials.csv"), "utf8"))).toHaveLength(1);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("| trials | 0 (N = —; 0 methods) |");
  });

  it("reports an unwritable directory as a UserError", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "x");
    await expect(writeReport(join(file, "sub"), [], [], META)).rejects.toThrow(UserError);
  });
});
