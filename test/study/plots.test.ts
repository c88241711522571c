import { describe, expect, it } from "vitest";
import type { TopLevelSpec } from "vega-lite";
import { gapVsEvaluationsSpec, renderSvg, successRateSpec, trapProbabilitySpec } from "../../src/study/plots.js";
import { gapCurves, summarize } from "../../src/study/summary.js";
import { UserError } from "../../src/util/errors.js";
import { fixtureLandscapes, fixtureTrials, META, trial } from "./report-fixtures.js";

type Row = Record<string, unknown>;
const dataOf = (spec: TopLevelSpec | null): Row[] => (spec as unknown as { data: { values: Row[] } }).data.values;

describe("gapCurves", () => {
  it("takes the median best-so-far gap at each evaluation (worked example in report-fixtures.ts)", () => {
    const pts = gapCurves(fixtureTrials(), 4);
    const at = (n: number, m: string, e: number) => pts.find((p) => p.cities === n && p.method === m && p.evaluations === e)?.medianGap;
    // N = 5 gray: e=1 Inf,0.2,0,0.5 -> 0.35; e=2 0.1,0.05,0,0.5 -> 0.075; e=3 0,0.05,0,0.01 -> 0.005
    expect(at(5, "fma:gray", 1)).toBeCloseTo(0.35, 12);
    expect(at(5, "fma:gray", 2)).toBeCloseTo(0.075, 12);
    expect(at(5, "fma:gray", 3)).toBeCloseTo(0.005, 12);
    // N = 5 natural at e=4: 0.10, 0.05, 0, 0.10 -> 0.075
    expect(at(5, "fma:natural", 4)).toBeCloseTo(0.075, 12);
    // N = 6 random: only d/1 and d/2 have an optimum: e=1 0.10, 0.25 -> 0.175
    expect(at(6, "random", 1)).toBeCloseTo(0.175, 12);
    // N = 6 gray: d/1 never found a tour, so the median of (Inf, 0) is Inf: no point
    expect(pts.some((p) => p.cities === 6 && p.method === "fma:gray")).toBe(false);
    expect(pts).toHaveLength(4 + 4 + 4);
  });

  it("thins long runs to maxPoints evaluation counts including the first and the last", () => {
    const curve = Array.from({ length: 1000 }, (_, i) => 200 - Math.min(100, i));
    const pts = gapCurves([trial("z", 9, "random", 1, 100, curve)], 1000, 100);
    expect(pts).toHaveLength(100);
    expect(pts[0]!.evaluations).toBe(1);
    expect(pts[99]!.evaluations).toBe(1000);
    expect(pts[0]!.medianGap).toBe(1);
    expect(pts[99]!.medianGap).toBe(0);
    // A run shorter than the budget keeps its final best.
    const short = gapCurves([trial("z", 9, "random", 1, 100, [150, 120])], 5);
    expect(short.map((p) => p.medianGap)).toEqual([0.5, 0.2, 0.2, 0.2, 0.2]);
  });
});

describe("plot specifications", () => {
  it("gap plot: percent values per N and method, fixed colours per method, null without optima", () => {
    const spec = gapVsEvaluationsSpec(fixtureTrials(), 4);
    const rows = dataOf(spec);
    expect(rows.find((r) => r.N === 5 && r.method === "fma:gray" && r.evaluations === 1)!.gap).toBeCloseTo(35, 10);
    const colour = (spec as unknown as { spec: { encoding: { color: { scale: { domain: string[]; range: string[] } } } } }).spec.encoding.color.scale;
    expect(colour.domain).toEqual(["fma:gray", "fma:natural", "random"]);
    expect(colour.range).toHaveLength(3);
    expect(new Set(colour.range).size).toBe(3);
    expect(gapVsEvaluationsSpec([trial("x", 7, "fma:gray", 1, null, [5, 4])], 2)).toBeNull();
    expect(gapVsEvaluationsSpec([], 10)).toBeNull();
  });

  it("trap plot: one value per metric and record, non-finite values skipped, null when nothing to show", () => {
    const rows = dataOf(trapProbabilitySpec(fixtureLandscapes()));
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.metric === "trap probability p").map((r) => r.value)).toEqual([0.2, 0.4, 0.5, 0.6]);
    expect(trapProbabilitySpec([])).toBeNull();
    expect(trapProbabilitySpec([{ instance: "a", cities: 30, labeling: "gray", trapProbability: NaN, localMinFraction: NaN, exact: false }])).toBeNull();
  });

  it("success plot: rates and Wilson bounds in %, methods dodged symmetrically around N", () => {
    const s = summarize(fixtureTrials(), [], META);
    const rows = dataOf(successRateSpec(s));
    const g5 = rows.find((r) => r.N === 5 && r.method === "fma:gray")!;
    expect(g5.rate).toBe(50);
    expect(g5.lo as number).toBeCloseTo(15.0, 1);
    expect(g5.hi as number).toBeCloseTo(85.0, 1);
    // three methods: offsets -0.3, 0, +0.3 in report order
    expect(g5.x).toBeCloseTo(4.7, 12);
    expect(rows.find((r) => r.N === 5 && r.method === "fma:natural")!.x).toBeCloseTo(5, 12);
    expect(rows.find((r) => r.N === 6 && r.method === "random")!.x).toBeCloseTo(6.3, 12);
    expect(successRateSpec(summarize([trial("x", 7, "fma:gray", 1, null, [5, 4])], [], META))).toBeNull();
  });
});

describe("renderSvg", () => {
  it("renders a faceted gap plot headlessly to SVG with the facet headers and legend", async () => {
    const svg = await renderSvg(gapVsEvaluationsSpec(fixtureTrials(), 4)!);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    for (const text of ["N = 5", "N = 6", "fma:gray", "fma:natural", "random", "median gap (%)", "evaluations"]) expect(svg).toContain(text);
  }, 60_000);

  it("turns a specification Vega-Lite rejects into a UserError", async () => {
    const bad = { data: { values: [] }, mark: "no-such-mark" } as unknown as TopLevelSpec;
    await expect(renderSvg(bad)).rejects.toThrow(UserError);
  });
});
