import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.js";
import { gapVsEvaluationsSpec, renderSvg, successRateSpec, trapProbabilitySpec } from "./plots.js";
import type { WilcoxonResult } from "./stats.js";
import { summarize, type MethodSummary, type PairedComparison, type ReportMeta, type Summary, type SummaryOptions } from "./summary.js";
import type { LandscapeRecord, TrialRecord } from "./types.js";

export type { ReportMeta } from "./summary.js";

/** File names written into the report directory. */
export const REPORT_FILES = {
  csv: "trials.csv",
  json: "summary.json",
  markdown: "report.md",
  gapPlot: "gap-vs-evaluations.svg",
  successPlot: "success-rate.svg",
  trapPlot: "trap-probability.svg",
} as const;

export interface PlotFile {
  file: string;
  title: string;
}

export interface ReportResult {
  dir: string;
  /** Absolute or dir-relative paths of every file written. */
  files: string[];
  plots: PlotFile[];
  summary: Summary;
}

/** CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header of trials.csv. */
export const TRIALS_CSV_HEADER = ["instance", "N", "method", "labeling", "seed", "evaluations", "best", "optimum", "gap", "evals_to_optimum", "seconds"] as const;

/**
 * trials.csv text: one row per trial in input order, columns TRIALS_CSV_HEADER; null and
 * non-finite values are empty fields; numbers at full precision; gap as a fraction (not %).
 *
 * @example
 * ```ts
 * trialsCsv([trial]); // "instance,N,method,...\nrand8-s3,8,fma:gray,gray,1,200,...\n"
 * ```
 */
export function trialsCsv(trials: readonly TrialRecord[]): string {
  const rows = [TRIALS_CSV_HEADER.join(",")];
  for (const t of trials) {
    rows.push(
      [t.instance, t.cities, t.method, t.labeling, t.seed, t.evaluations, t.best, t.optimum, t.gap, t.evalsToOptimum, t.seconds].map(csvField).join(","),
    );
  }
  return rows.join("\n") + "\n";
}

const DASH = "—";
const pct = (g: number | null | undefined): string => (g === null || g === undefined || !Number.isFinite(g) ? DASH : `${(g * 100).toFixed(2)}%`);
const num = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? DASH : Number.isInteger(v) ? String(v) : v.toFixed(digits));
const pval = (p: number | null | undefined): string => (p === null || p === undefined ? DASH : p >= 0.001 ? p.toFixed(4) : p.toExponential(2));
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(" | ")} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [row(header), row(header.map(() => "---")), ...rows.map(row)];
const testName = (w: WilcoxonResult | null): string => (w === null ? DASH : w.n === 0 ? "none (no non-zero difference)" : w.method + (w.ties ? " (ties)" : ""));

function checkpointCell(m: MethodSummary, fraction: number): string {
  const c = m.checkpoints.find((k) => k.fraction === fraction);
  if (!c || c.trials === 0) return DASH;
  const miss = c.valid < c.trials ? ` (${c.trials - c.valid} no tour)` : "";
  return `${pct(c.medianGap)} / ${pct(c.meanGap)}${miss}`;
}

function methodTable(summary: Summary, rows: readonly MethodSummary[]): string[] {
  // The 100% checkpoint is the final gap, shown in its own column with quartiles.
  const cps = (summary.byMethod[0]?.checkpoints ?? []).filter((c) => c.fraction < 1);
  const header = [
    "method",
    "trials",
    ...cps.map((c) => `gap @${+(c.fraction * 100).toFixed(1)}% (${c.evaluations} ev.) median / mean`),
    "final gap median / mean [q25, q75]",
    "success",
    "95% CI",
    "median evals to opt.",
    "trap p",
  ];
  const body = rows.map((m) => [
    m.method,
    m.withOptimum === m.trials ? String(m.trials) : `${m.trials} (${m.withOptimum} with optimum)`,
    ...cps.map((c) => checkpointCell(m, c.fraction)),
    m.withOptimum === 0 ? DASH : `${pct(m.finalGap.median)} / ${pct(m.finalGap.mean)} [${pct(m.finalGap.q25)}, ${pct(m.finalGap.q75)}]`,
    m.success === null ? DASH : `${m.success.successes}/${m.success.trials} (${pct(m.success.rate).replace(/\.00%$/, "%")})`,
    m.success === null ? DASH : `${pct(m.success.wilson95[0])} – ${pct(m.success.wilson95[1])}`,
    num(m.medianEvalsToOptimum),
    m.landscape?.trapProbability == null ? DASH : m.landscape.trapProbability.toFixed(3) + (m.landscape.exact ? "" : " (MC)"),
  ]);
  return table(header, body);
}

function comparisonRows(list: readonly PairedComparison[], withMethod: boolean, withHolm: boolean): string[][] {
  return list.map((c) => [
    c.cities === null ? "all" : String(c.cities),
    ...(withMethod ? [c.method] : []),
    c.unpaired > 0 ? `${c.pairs} (${c.unpaired} unpaired)` : String(c.pairs),
    String(c.better),
    String(c.worse),
    String(c.tied),
    c.medianDifference === null ? DASH : `${c.medianDifference > 0 ? "+" : ""}${(c.medianDifference * 100).toFixed(2)} pp`,
    num(c.twoSided?.wPlus),
    num(c.twoSided?.wMinus),
    pval(c.twoSided?.pValue),
    withHolm ? pval(c.pHolm) : pval(c.lower?.pValue),
    testName(c.twoSided),
  ]);
}

/**
 * report.md text: meta, the gray-vs-natural test, per-N method tables, every method vs gray,
 * landscape means, links to the plots. Gaps are in %, gap differences in percentage points.
 */
export function reportMarkdown(summary: Summary, plots: readonly PlotFile[]): string {
  const { meta } = summary;
  const out: string[] = [];
  out.push("# fmanneal compare: labelings and methods", "");
  const known = new Set(["command", "budget", "seeds", "wallSeconds", "workers"]);
  const metaRows: string[][] = [
    ["command", `\`${meta.command.replace(/`/g, "'")}\``],
    ["budget", `${meta.budget} evaluations per trial`],
    ["seeds", String(meta.seeds)],
    ["trials", `${summary.trials} (N = ${summary.cities.join(", ") || DASH}; ${summary.methods.length} methods)`],
    ["workers", String(meta.workers)],
    ["wall time", `${num(meta.wallSeconds)} s`],
  ];
  for (const [k, v] of Object.entries(meta)) {
    if (known.has(k) || v === undefined) continue;
    metaRows.push([k, typeof v === "string" ? v : JSON.stringify(v)]);
  }
  out.push(...table(["setting", "value"], metaRows), "");
  out.push(
    "Gap = (best − optimum) / optimum, in %. The gap at a checkpoint uses the best tour found within that many evaluations; " +
      "a run that has no valid tour yet counts as the worst gap in medians and is left out of means (\"no tour\"); " +
      "a median shown as — means at least half of the runs had no valid tour. " +
      "Success = the optimum was reached within the budget (95% Wilson score interval). Trials of instances without a known optimum count in `trials` only. " +
      "Paired tests: Wilcoxon signed-rank test on the final gaps of runs with the same instance and seed; zero differences are dropped (Wilcoxon's method); " +
      "exact null distribution for up to 30 non-zero pairs (with ties: exact conditional distribution over average ranks), normal approximation with tie and continuity correction beyond.",
    "",
  );

  if (plots.length > 0) {
    out.push("## Plots", "", plots.map((p) => `[${p.title}](${p.file})`).join(" · "), "");
    for (const p of plots) out.push(`![${p.title}](${p.file})`, "");
  }

  out.push("## fma:gray vs fma:natural", "");
  if (summary.grayVsNatural.length === 0) {
    out.push("Not tested: no N has trials of both fma:gray and fma:natural.", "");
  } else {
    out.push(
      "Final gap, paired by instance and seed. Δgap = gap(gray) − gap(natural) in percentage points (negative favours gray); " +
        "\"p (gray lower)\" is the one-sided test of H1: gray reaches lower gaps.",
      "",
      ...table(["N", "pairs", "gray better", "gray worse", "tied", "median Δgap", "W+", "W−", "p (two-sided)", "p (gray lower)", "test"], comparisonRows(summary.grayVsNatural, false, false)),
      "",
    );
  }

  out.push("## Results per N", "");
  for (const n of summary.cities) {
    const rows = summary.byMethod.filter((m) => m.cities === n);
    const instances = Math.max(...rows.map((m) => m.instances));
    out.push(`### N = ${n} (${instances} instance${instances === 1 ? "" : "s"})`, "", ...methodTable(summary, rows), "");
  }

  out.push("## Every method vs fma:gray", "");
  if (summary.versusGray.length === 0) {
    out.push("Not tested: no N has fma:gray and another method (besides fma:natural).", "");
  } else {
    out.push(
      "Final gap, paired by instance and seed; Δgap = gap(method) − gap(fma:gray) (negative favours the method). " +
        "p (Holm): two-sided p-values adjusted by Holm's method within each N.",
      "",
      ...table(["N", "method", "pairs", "better", "worse", "tied", "median Δgap", "W+", "W−", "p (two-sided)", "p (Holm)", "test"], comparisonRows(summary.versusGray, true, true)),
      "",
    );
  }

  if (summary.landscapes.length > 0) {
    out.push(
      "## Landscape metrics",
      "",
      "Means over the instances at each N. Trap probability p: steepest descent over valid single-bit flips from a random valid code ends in a non-global local minimum. MC = Monte Carlo estimate.",
      "",
      ...table(
        ["N", "labeling", "instances", "trap p", "local-min fraction", "computed"],
        summary.landscapes.map((l) => [
          String(l.cities),
          l.labeling,
          String(l.instances),
          l.trapProbability === null ? DASH : l.trapProbability.toFixed(4),
          l.localMinFraction === null ? DASH : l.localMinFraction.toFixed(4),
          l.exact ? "exact" : "MC",
        ]),
      ),
      "",
    );
  }
  return out.join("\n");
}

/**
 * Write the comparison report into `dir` (created if missing): trials.csv, summary.json,
 * report.md and the SVG plots gap-vs-evaluations.svg, success-rate.svg (when some instance has a
 * known optimum) and trap-probability.svg (when `landscapes` holds finite values).
 *
 * Robust to methods missing at some N (tables and tests cover what is there), trials without a
 * known optimum (no gap, success or test for them) and an empty landscape list (no trap column
 * values, no trap plot).
 *
 * @throws UserError on malformed records (see `summarize`) or when `dir` cannot be written
 * @example
 * ```ts
 * const { files } = await writeReport("out/compare", trials, landscapes, {
 *   command: "fmanneal compare --budget 200 --seeds 10", budget: 200, seeds: 10, wallSeconds: 812.4, workers: 2,
 * });
 * ```
 */
export async function writeReport(
  dir: string,
  trials: readonly TrialRecord[],
  landscapes: readonly LandscapeRecord[],
  meta: ReportMeta,
  options: SummaryOptions = {},
): Promise<ReportResult> {
  const summary = summarize(trials, landscapes, meta, options);
  const charts: { file: string; title: string; svg: Promise<string> | null }[] = [];
  const gap = gapVsEvaluationsSpec(trials, summary.budget);
  if (gap) charts.push({ file: REPORT_FILES.gapPlot, title: "Median best-so-far gap vs evaluations", svg: renderSvg(gap) });
  const success = successRateSpec(summary);
  if (success) charts.push({ file: REPORT_FILES.successPlot, title: "Success rate vs N", svg: renderSvg(success) });
  const trap = trapProbabilitySpec(landscapes);
  if (trap) charts.push({ file: REPORT_FILES.trapPlot, title: "Trap probability and local-minimum fraction vs N", svg: renderSvg(trap) });
  const svgs = await Promise.all(charts.map((c) => c.svg));
  const plots: PlotFile[] = charts.map(({ file, title }) => ({ file, title }));

  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`report: cannot create directory ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const files: [string, string][] = [
    [REPORT_FILES.csv, trialsCsv(trials)],
    [REPORT_FILES.json, JSON.stringify({ ...summary, plots }, null, 2) + "\n"],
    [REPORT_FILES.markdown, reportMarkdown(summary, plots)],
    ...charts.map((c, i): [string, string] => [c.file, svgs[i]!]),
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    try {
      writeFileSync(path, text);
    } catch (err) {
      throw new UserError(`report: cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    written.push(path);
  }
  return { dir, files: written, plots, summary };
}
