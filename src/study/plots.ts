import type * as Vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { UserError } from "../util/errors.js";
import { gapCurves, methodOrder, type Summary } from "./summary.js";
import type { LandscapeRecord, TrialRecord } from "./types.js";

/**
 * Plots of the comparison report as SVG text. Each plot is a Vega-Lite specification, compiled
 * to Vega and rendered headlessly (`renderer: "none"`, then `toSVG()`); no SVG is written by
 * hand. Methods keep one colour across plots (the colour domain is the method list in report
 * order). Without the optional `canvas` package Vega estimates text widths, which is fine for
 * axis labels and legends.
 *
 * vega and vega-lite are imported when the first plot is rendered, not with this module: vega
 * reaches a module with a top-level await (vega-canvas), which would make the whole package
 * unloadable by `require()` (Node's require(esm) refuses such a graph), and they take a second
 * or more to load.
 */

/**
 * Render a Vega-Lite specification to an SVG document.
 *
 * @throws UserError if the specification does not compile or render
 * @example
 * ```ts
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * svg.startsWith("<svg"); // true
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  let view: Vega.View | undefined;
  try {
    const compiled = compile(spec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
    return await view.toSVG();
  } catch (err) {
    throw new UserError(`plot: cannot render chart: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    view?.finalize();
  }
}

const FONT = { font: "Helvetica, Arial, sans-serif" };

/**
 * Fixed colours for the known methods (so a method looks the same in every plot and every
 * report, whichever methods are present); other methods take the spare colours in order.
 */
const METHOD_COLOURS: Record<string, string> = {
  "fma:gray": "#1f77b4",
  "fma:natural": "#ff7f0e",
  "fma:lehmer": "#9467bd",
  "fma:onehot": "#8c564b",
  edge: "#2ca02c",
  "sa-2opt": "#e377c2",
  "penalty-qubo": "#bcbd22",
  random: "#7f7f7f",
};
const SPARE_COLOURS = ["#17becf", "#d62728", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"];

function colourScale(methods: readonly string[]): { domain: string[]; range: string[] } {
  let spare = 0;
  const range = methods.map((m) => METHOD_COLOURS[m] ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length]!);
  return { domain: [...methods], range };
}

/** Axis for counts (cities, evaluations): integer ticks only. */
const INTEGER_AXIS = { tickMinStep: 1, format: "d" };

/**
 * Vega-Lite spec of the median best-so-far gap (%) against evaluations, one line per method,
 * one panel per N (4 columns, each panel with its own y scale). Null when no trial has a known
 * optimum (no gap to plot).
 */
export function gapVsEvaluationsSpec(trials: readonly TrialRecord[], budget: number): TopLevelSpec | null {
  const points = gapCurves(trials, budget);
  if (points.length === 0) return null;
  const methods = methodOrder(trials.map((t) => t.method));
  const values = points.map((p) => ({ N: p.cities, method: p.method, evaluations: p.evaluations, gap: p.medianGap * 100 }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Median best-so-far gap to the optimum", subtitle: "over instances and seeds at each N", ...FONT },
    data: { values },
    facet: { field: "N", type: "ordinal", title: null, header: { labelFontSize: 12, labelExpr: "'N = ' + datum.value", ...FONT } },
    columns: 4,
    spec: {
      width: 200,
      height: 140,
      mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
      encoding: {
        x: { field: "evaluations", type: "quantitative", title: "evaluations", scale: { domain: [1, budget] }, axis: INTEGER_AXIS },
        y: { field: "gap", type: "quantitative", title: "median gap (%)", scale: { zero: true } },
        color: { field: "method", type: "nominal", title: "method", scale: colourScale(methods), sort: methods },
      },
    },
    resolve: { scale: { y: "independent" } },
    config: { ...FONT },
  };
}

/**
 * Vega-Lite spec of the landscape metrics against N per labeling: two panels, trap probability
 * p and local-minimum fraction; a point per instance and a line through the mean at each N.
 * Null when there is no finite value.
 */
export function trapProbabilitySpec(landscapes: readonly LandscapeRecord[]): TopLevelSpec | null {
  const values: { N: number; labeling: string; metric: string; value: number }[] = [];
  for (const r of landscapes) {
    if (Number.isFinite(r.trapProbability)) values.push({ N: r.cities, labeling: r.labeling, metric: "trap probability p", value: r.trapProbability });
    if (Number.isFinite(r.localMinFraction)) values.push({ N: r.cities, labeling: r.labeling, metric: "local-minimum fraction", value: r.localMinFraction });
  }
  if (values.length === 0) return null;
  const labelings = methodOrder(values.map((v) => `fma:${v.labeling}`)).map((m) => m.slice(4));
  const colour = { field: "labeling", type: "nominal" as const, title: "labeling", scale: { domain: labelings, range: colourScale(labelings.map((l) => `fma:${l}`)).range }, sort: labelings };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Landscape of each labeling (single-bit flips)", subtitle: "points: instances; lines: mean at each N", ...FONT },
    data: { values },
    facet: { column: { field: "metric", type: "nominal", title: null, sort: ["trap probability p", "local-minimum fraction"], header: { labelFontSize: 12, ...FONT } } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        {
          mark: { type: "point", opacity: 0.35, size: 20 },
          encoding: {
            x: { field: "N", type: "quantitative", title: "N (cities)", scale: { zero: false }, axis: INTEGER_AXIS },
            y: { field: "value", type: "quantitative", title: "value", scale: { domain: [0, 1] } },
            color: colour,
          },
        },
        {
          mark: { type: "line", point: true },
          encoding: {
            x: { field: "N", type: "quantitative" },
            y: { aggregate: "mean", field: "value", type: "quantitative" },
            color: colour,
          },
        },
      ],
    },
    config: { ...FONT },
  };
}

/**
 * Vega-Lite spec of the success rate (optimum reached) against N per method, with 95% Wilson
 * intervals as vertical rules. Methods are dodged sideways by up to ±0.3 around each N so the
 * intervals do not hide each other. Null when no method has a trial with a known optimum.
 */
export function successRateSpec(summary: Summary): TopLevelSpec | null {
  const methods = summary.methods;
  const step = methods.length > 1 ? 0.6 / (methods.length - 1) : 0;
  const values = summary.byMethod
    .filter((m) => m.success !== null)
    .map((m) => ({
      N: m.cities,
      x: m.cities + (methods.indexOf(m.method) - (methods.length - 1) / 2) * step,
      method: m.method,
      rate: m.success!.rate * 100,
      lo: m.success!.wilson95[0] * 100,
      hi: m.success!.wilson95[1] * 100,
    }));
  if (values.length === 0) return null;
  const colour = { field: "method", type: "nominal" as const, title: "method", scale: colourScale(methods), sort: methods };
  const x = { field: "x", type: "quantitative" as const, title: "N (cities)", scale: { zero: false, nice: false, padding: 12 }, axis: INTEGER_AXIS };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Success rate: optimum reached within the budget", subtitle: "with 95% Wilson intervals", ...FONT },
    data: { values },
    width: 420,
    height: 260,
    layer: [
      { mark: { type: "rule", opacity: 0.6, strokeWidth: 2 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: colour } },
      {
        mark: { type: "line", point: true },
        encoding: { x, y: { field: "rate", type: "quantitative", title: "success rate (%)", scale: { domain: [0, 100] } }, color: colour },
      },
    ],
    config: { ...FONT },
  };
}
