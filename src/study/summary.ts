import { UserError } from "../util/errors.js";
import { holm, mean, median, quantile, wilcoxonSignedRank, wilsonInterval, type WilcoxonResult } from "./stats.js";
import type { LandscapeRecord, TrialRecord } from "./types.js";

/**
 * Aggregation of trial records into the numbers the comparison report shows (pure: no I/O).
 *
 * Gap conventions (used everywhere in the report):
 * - A trial's gap is only defined when its instance has a known optimum; trials without one
 *   count in `trials` but in no gap statistic, success rate or paired test.
 * - Gap at checkpoint c evaluations = (bestSoFar[c-1] - optimum) / optimum. A trial that ended
 *   before c evaluations (time limit, exhausted tour space) keeps its final best: best-so-far is
 *   constant after the last evaluation.
 * - A trial with a known optimum but no valid tour yet at c (bestSoFar NaN, or best null at the
 *   end) has gap +Infinity: it enters medians as the worst value, is left out of means (which
 *   are over the `valid` trials), and a median that is +Infinity is reported as null.
 * - Success = the optimum was reached (evalsToOptimum !== null), among trials with an optimum.
 */

/** What `fmanneal compare` knows about the run as a whole. Extra keys are listed in the report. */
export interface ReportMeta {
  /** The command line that produced the trials. */
  command: string;
  /** Evaluation budget per trial. */
  budget: number;
  /** Seeds per (instance, method). */
  seeds: number;
  wallSeconds: number;
  workers: number;
  [key: string]: unknown;
}

export interface SummaryOptions {
  /** Checkpoints as fractions of the budget, each in (0, 1]. Default [0.1, 0.25, 0.5, 1]. */
  checkpoints?: number[];
}

export interface CheckpointSummary {
  /** Fraction of the budget. */
  fraction: number;
  /** Evaluations at this checkpoint: ceil(fraction * budget), at least 1. */
  evaluations: number;
  /** Trials with a known optimum (the gap sample, failures included). */
  trials: number;
  /** Of those, trials with a valid tour by this checkpoint (the sample of `meanGap`). */
  valid: number;
  /** Median gap over `trials` (no valid tour = +Infinity); null if that median is not finite or there are no trials. */
  medianGap: number | null;
  /** Mean gap over the `valid` trials; null if none. */
  meanGap: number | null;
}

export interface SuccessSummary {
  successes: number;
  /** Trials with a known optimum. */
  trials: number;
  rate: number;
  /** 95% Wilson score interval of the rate. */
  wilson95: [number, number];
}

export interface LandscapeSummary {
  cities: number;
  labeling: string;
  /** Landscape records averaged. */
  instances: number;
  /** Mean trap probability p over the instances with a finite value; null if none. */
  trapProbability: number | null;
  /** Mean local-minimum fraction; null if none. */
  localMinFraction: number | null;
  /** Every averaged record was computed exactly (not Monte Carlo). */
  exact: boolean;
}

export interface MethodSummary {
  cities: number;
  method: string;
  /** The labeling of the method's trials (null when not an fma method or when they disagree). */
  labeling: string | null;
  trials: number;
  instances: number;
  /** Trials with a known optimum. */
  withOptimum: number;
  checkpoints: CheckpointSummary[];
  /** Final gap (the trial's own `gap`, or +Infinity when nothing valid was found): median, mean, quartiles. */
  finalGap: { median: number | null; mean: number | null; q25: number | null; q75: number | null };
  success: SuccessSummary | null;
  /** Median of evalsToOptimum among successful trials; null if none succeeded. */
  medianEvalsToOptimum: number | null;
  medianSeconds: number | null;
  /** Landscape metrics of this method's labeling at this N; null without labeling or records. */
  landscape: LandscapeSummary | null;
}

export interface PairedComparison {
  /** N, or null for all N pooled. */
  cities: number | null;
  method: string;
  baseline: string;
  /** Pairs (same instance and seed) where both final gaps are defined and finite. */
  pairs: number;
  /** Trials of either method at this N that could not be paired (no partner, no optimum, nothing valid found). */
  unpaired: number;
  /** Pairs where `method` reached a strictly lower (better) final gap than `baseline`. */
  better: number;
  worse: number;
  tied: number;
  /** Median over the pairs of gap(method) - gap(baseline); negative favours `method`. */
  medianDifference: number | null;
  /** Two-sided Wilcoxon signed-rank test on gap(method) - gap(baseline); null without pairs. */
  twoSided: WilcoxonResult | null;
  /** One-sided test, H1: `method` has lower gaps than `baseline`. */
  lower: WilcoxonResult | null;
  /** Holm-adjusted two-sided p-value within its family (see Summary); null if not adjusted. */
  pHolm: number | null;
}

export interface Summary {
  meta: ReportMeta;
  /** Evaluation budget the checkpoints refer to (meta.budget, or the longest trial when that is not a positive integer). */
  budget: number;
  trials: number;
  /** N values present, ascending. */
  cities: number[];
  /** Methods present, in report order (see `methodOrder`). */
  methods: string[];
  byMethod: MethodSummary[];
  /** Per N (ascending), then pooled over N (cities null): fma:gray against fma:natural. */
  grayVsNatural: PairedComparison[];
  /**
   * Per N, every other method (except fma:natural, compared above) against fma:gray. The
   * family for Holm's adjustment is one N's comparisons; the pooled row is not adjusted.
   */
  versusGray: PairedComparison[];
  landscapes: LandscapeSummary[];
}

/** Methods in the order the report lists them; unknown methods follow alphabetically. */
export const METHOD_ORDER: readonly string[] = ["fma:gray", "fma:natural", "fma:lehmer", "fma:onehot", "edge", "sa-2opt", "penalty-qubo", "random"];

/** Sort key that puts the methods of METHOD_ORDER first, in that order. */
export function methodOrder(methods: Iterable<string>): string[] {
  const rank = (m: string): number => {
    const i = METHOD_ORDER.indexOf(m);
    return i < 0 ? METHOD_ORDER.length : i;
  };
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Gap of a trial after `c` evaluations (1-based), per the conventions above: undefined when the
 * instance has no known optimum, +Infinity when no valid tour had been found by then.
 */
export function gapAt(trial: TrialRecord, c: number): number | undefined {
  if (trial.optimum === null || !Number.isFinite(trial.optimum) || trial.optimum === 0) return undefined;
  const curve = trial.bestSoFar;
  let best: number;
  if (curve.length === 0) best = trial.best ?? NaN;
  else best = curve[Math.min(c, curve.length) - 1]!;
  if (best === null || !Number.isFinite(best)) return Infinity;
  return (best - trial.optimum) / trial.optimum;
}

/** Final gap of a trial: its recorded `gap`, +Infinity if nothing valid was found, undefined without optimum. */
export function finalGap(trial: TrialRecord): number | undefined {
  if (trial.optimum === null || !Number.isFinite(trial.optimum) || trial.optimum === 0) return undefined;
  if (trial.gap !== null && Number.isFinite(trial.gap)) return trial.gap;
  if (trial.best === null || !Number.isFinite(trial.best)) return Infinity;
  return (trial.best - trial.optimum) / trial.optimum;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function validateTrials(trials: readonly TrialRecord[]): void {
  if (!Array.isArray(trials)) throw new UserError("report: trials must be an array of trial records");
  const seen = new Set<string>();
  for (const [i, t] of trials.entries()) {
    if (typeof t.instance !== "string" || typeof t.method !== "string") {
      throw new UserError(`report: trial ${i} needs a string instance and method`);
    }
    if (!Number.isSafeInteger(t.cities) || t.cities < 1) throw new UserError(`report: trial ${i} (${t.instance}, ${t.method}) has cities = ${t.cities}`);
    if (!Array.isArray(t.bestSoFar)) throw new UserError(`report: trial ${i} (${t.instance}, ${t.method}) has no bestSoFar array`);
    const key = `${t.instance}\u0000${t.method}\u0000${t.seed}`;
    if (seen.has(key)) throw new UserError(`report: duplicate trial for instance ${t.instance}, method ${t.method}, seed ${t.seed}`);
    seen.add(key);
  }
}

/** Mean landscape metrics per (N, labeling), over all records at that N. */
export function summarizeLandscapes(landscapes: readonly LandscapeRecord[]): LandscapeSummary[] {
  const groups = new Map<string, LandscapeRecord[]>();
  for (const r of landscapes) {
    const key = `${r.cities}\u0000${r.labeling}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: LandscapeSummary[] = [];
  for (const g of groups.values()) {
    const p = g.map((r) => r.trapProbability).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const f = g.map((r) => r.localMinFraction).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    out.push({
      cities: g[0]!.cities,
      labeling: g[0]!.labeling,
      instances: g.length,
      trapProbability: p.length > 0 ? mean(p) : null,
      localMinFraction: f.length > 0 ? mean(f) : null,
      exact: g.every((r) => r.exact === true),
    });
  }
  const labelings = methodOrder(out.map((l) => `fma:${l.labeling}`));
  const rank = (l: LandscapeSummary): number => labelings.indexOf(`fma:${l.labeling}`);
  return out.sort((a, b) => a.cities - b.cities || rank(a) - rank(b));
}

function summarizeMethod(
  cities: number,
  method: string,
  group: readonly TrialRecord[],
  checkpoints: readonly { fraction: number; evaluations: number }[],
  landscapes: readonly LandscapeSummary[],
): MethodSummary {
  const labelings = new Set(group.map((t) => t.labeling));
  const labeling = labelings.size === 1 ? [...labelings][0]! : null;
  const withOpt = group.filter((t) => finalGap(t) !== undefined);
  const cps: CheckpointSummary[] = checkpoints.map(({ fraction, evaluations }) => {
    const gaps = withOpt.map((t) => gapAt(t, evaluations)!);
    const valid = gaps.filter((g) => Number.isFinite(g));
    return {
      fraction,
      evaluations,
      trials: gaps.length,
      valid: valid.length,
      medianGap: gaps.length > 0 ? finiteOrNull(median(gaps)) : null,
      meanGap: valid.length > 0 ? mean(valid) : null,
    };
  });
  const finals = withOpt.map((t) => finalGap(t)!);
  const finiteFinals = finals.filter((g) => Number.isFinite(g));
  const successes = withOpt.filter((t) => t.evalsToOptimum !== null);
  const success: SuccessSummary | null =
    withOpt.length === 0
      ? null
      : {
          successes: successes.length,
          trials: withOpt.length,
          rate: successes.length / withOpt.length,
          wilson95: wilsonInterval(successes.length, withOpt.length),
        };
  const seconds = group.map((t) => t.seconds).filter((s) => Number.isFinite(s));
  const land = labeling === null ? null : (landscapes.find((l) => l.cities === cities && l.labeling === labeling) ?? null);
  return {
    cities,
    method,
    labeling,
    trials: group.length,
    instances: new Set(group.map((t) => t.instance)).size,
    withOptimum: withOpt.length,
    checkpoints: cps,
    finalGap: {
      median: finals.length > 0 ? finiteOrNull(median(finals)) : null,
      mean: finiteFinals.length > 0 ? mean(finiteFinals) : null,
      q25: finals.length > 0 ? finiteOrNull(quantile(finals, 0.25)) : null,
      q75: finals.length > 0 ? finiteOrNull(quantile(finals, 0.75)) : null,
    },
    success,
    medianEvalsToOptimum: successes.length > 0 ? median(successes.map((t) => t.evalsToOptimum!)) : null,
    medianSeconds: seconds.length > 0 ? median(seconds) : null,
    landscape: land,
  };
}

/**
 * Paired comparison of `method` against `baseline` on the final gap, pairs matched by
 * (instance, seed) among `trials` (already restricted to one N, or all N when pooled).
 */
export function pairedComparison(trials: readonly TrialRecord[], method: string, baseline: string, cities: number | null): PairedComparison {
  const key = (t: TrialRecord): string => `${t.instance}\u0000${t.seed}`;
  const a = trials.filter((t) => t.method === method);
  const b = new Map(trials.filter((t) => t.method === baseline).map((t) => [key(t), t]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const t of a) {
    const u = b.get(key(t));
    if (!u) continue;
    const gx = finalGap(t);
    const gy = finalGap(u);
    if (gx === undefined || gy === undefined || !Number.isFinite(gx) || !Number.isFinite(gy)) continue;
    xs.push(gx);
    ys.push(gy);
  }
  const pairs = xs.length;
  const unpaired = a.length + b.size - 2 * pairs;
  let better = 0;
  let worse = 0;
  let tied = 0;
  const diffs = xs.map((x, i) => x - ys[i]!);
  for (const d of diffs) {
    if (d < 0) better++;
    else if (d > 0) worse++;
    else tied++;
  }
  return {
    cities,
    method,
    baseline,
    pairs,
    unpaired,
    better,
    worse,
    tied,
    medianDifference: pairs > 0 ? median(diffs) : null,
    twoSided: pairs > 0 ? wilcoxonSignedRank(xs, ys, { alternative: "two-sided" }) : null,
    lower: pairs > 0 ? wilcoxonSignedRank(xs, ys, { alternative: "less" }) : null,
    pHolm: null,
  };
}

/**
 * Summarise trials per (N, method), compare methods in pairs, and average landscape records.
 *
 * @throws UserError on malformed records (missing fields, duplicate (instance, method, seed)) or bad checkpoints
 * @example
 * ```ts
 * const s = summarize(trials, landscapes, { command: "fmanneal compare", budget: 200, seeds: 10, wallSeconds: 812, workers: 2 });
 * s.byMethod.find((m) => m.cities === 8 && m.method === "fma:gray")?.success?.rate;
 * s.grayVsNatural[0]?.twoSided?.pValue;
 * ```
 */
export function summarize(
  trials: readonly TrialRecord[],
  landscapes: readonly LandscapeRecord[],
  meta: ReportMeta,
  options: SummaryOptions = {},
): Summary {
  validateTrials(trials);
  if (!Array.isArray(landscapes)) throw new UserError("report: landscapes must be an array (possibly empty)");
  const fractions = options.checkpoints ?? [0.1, 0.25, 0.5, 1];
  for (const f of fractions) {
    if (!(f > 0 && f <= 1)) throw new UserError(`report: checkpoints must be fractions in (0, 1], got ${f}`);
  }
  const longest = trials.reduce((m, t) => Math.max(m, t.evaluations, t.bestSoFar.length), 0);
  const budget = Number.isSafeInteger(meta.budget) && meta.budget > 0 ? meta.budget : Math.max(1, longest);
  const checkpoints = [...new Set(fractions)]
    .sort((x, y) => x - y)
    .map((fraction) => ({ fraction, evaluations: Math.max(1, Math.ceil(fraction * budget - 1e-9)) }));

  const cities = [...new Set(trials.map((t) => t.cities))].sort((x, y) => x - y);
  const methods = methodOrder(trials.map((t) => t.method));
  const land = summarizeLandscapes(landscapes);

  const byMethod: MethodSummary[] = [];
  const grayVsNatural: PairedComparison[] = [];
  const versusGray: PairedComparison[] = [];
  for (const n of cities) {
    const atN = trials.filter((t) => t.cities === n);
    const present = methodOrder(atN.map((t) => t.method));
    for (const m of present) byMethod.push(summarizeMethod(n, m, atN.filter((t) => t.method === m), checkpoints, land));
    if (present.includes("fma:gray") && present.includes("fma:natural")) {
      grayVsNatural.push(pairedComparison(atN, "fma:gray", "fma:natural", n));
    }
    if (present.includes("fma:gray")) {
      const family = present.filter((m) => m !== "fma:gray" && m !== "fma:natural").map((m) => pairedComparison(atN, m, "fma:gray", n));
      const adjusted = holm(family.map((c) => c.twoSided?.pValue ?? null));
      family.forEach((c, i) => (c.pHolm = adjusted[i]!));
      versusGray.push(...family);
    }
  }
  if (grayVsNatural.length > 1) grayVsNatural.push(pairedComparison(trials, "fma:gray", "fma:natural", null));

  return { meta, budget, trials: trials.length, cities, methods, byMethod, grayVsNatural, versusGray, landscapes: land };
}

/** One point of a median best-so-far gap curve. */
export interface GapCurvePoint {
  cities: number;
  method: string;
  evaluations: number;
  /** Median gap over the trials with a known optimum (finite medians only). */
  medianGap: number;
}

/**
 * Median best-so-far gap per (N, method) on a grid of evaluation counts: every count up to
 * `maxPoints`, else `maxPoints` evenly spaced counts from 1 to `budget`. Points whose median is
 * +Infinity (most trials had no valid tour yet) are left out.
 */
export function gapCurves(trials: readonly TrialRecord[], budget: number, maxPoints = 100): GapCurvePoint[] {
  const grid: number[] = [];
  if (budget <= maxPoints) for (let e = 1; e <= budget; e++) grid.push(e);
  else {
    const set = new Set<number>();
    for (let i = 0; i < maxPoints; i++) set.add(Math.round(1 + ((budget - 1) * i) / (maxPoints - 1)));
    grid.push(...[...set].sort((x, y) => x - y));
  }
  const groups = new Map<string, TrialRecord[]>();
  for (const t of trials) {
    if (finalGap(t) === undefined) continue;
    const key = `${t.cities}\u0000${t.method}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t);
  }
  const out: GapCurvePoint[] = [];
  for (const g of groups.values()) {
    for (const e of grid) {
      const m = median(g.map((t) => gapAt(t, e)!));
      if (Number.isFinite(m)) out.push({ cities: g[0]!.cities, method: g[0]!.method, evaluations: e, medianGap: m });
    }
  }
  return out;
}
