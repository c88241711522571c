import { erf, mean as mathMean, median as mathMedian, quantileSeq } from "mathjs";
import { UserError } from "../util/errors.js";

/**
 * Statistics for the method comparison: location summaries, the Wilson interval for success
 * rates, the paired Wilcoxon signed-rank test and Holm's step-down adjustment.
 *
 * Summaries delegate to mathjs (one call per summary, never inside a per-sample loop). The
 * Wilson interval is the one the landscape metrics use (src/study/intervals.ts), re-exported so
 * the report and the landscape share one implementation.
 */
export { wilsonInterval, Z95 } from "./intervals.js";

function checkSample(name: string, values: readonly number[]): void {
  if (values.length === 0) throw new UserError(`${name}: needs at least one value`);
  for (const v of values) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new UserError(`${name}: values must be numbers, got ${String(v)}`);
  }
}

/**
 * Median (mean of the two middle values for an even count). ±Infinity is allowed and sorts as
 * usual; NaN and an empty sample are refused.
 *
 * @throws UserError on an empty sample or a NaN
 * @example
 * ```ts
 * median([3, 1, 2, 10]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  checkSample("median", values);
  return Number(mathMedian([...values]));
}

/**
 * Arithmetic mean.
 *
 * @throws UserError on an empty sample or a NaN
 * @example
 * ```ts
 * mean([1, 2, 6]); // 3
 * ```
 */
export function mean(values: readonly number[]): number {
  checkSample("mean", values);
  return Number(mathMean([...values]));
}

/**
 * Quantile of order `p` in [0, 1] by linear interpolation between order statistics
 * (Hyndman & Fan type 7, R's default): with the sorted sample x_(1..n) and h = (n-1)p,
 * Q(p) = x_(floor h + 1) + (h - floor h)(x_(floor h + 2) - x_(floor h + 1)).
 *
 * @throws UserError on an empty sample, a NaN, or p outside [0, 1]
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(values: readonly number[], p: number): number {
  checkSample("quantile", values);
  if (!(p >= 0 && p <= 1)) throw new UserError(`quantile: p must be in [0, 1], got ${p}`);
  return Number(quantileSeq([...values], p));
}

/**
 * Standard normal CDF Φ(z) = (1 + erf(z/√2)) / 2 (mathjs `erf`). In the far lower tail the sum
 * 1 + erf cancels, so values below about 1e-15 are accurate only in order of magnitude; for
 * p-values that is immaterial.
 */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return Math.min(1, Math.max(0, 0.5 * (1 + erf(z / Math.SQRT2))));
}

export type Alternative = "two-sided" | "less" | "greater";

export interface WilcoxonOptions {
  /**
   * Alternative hypothesis about the location of x - y: "less" means x tends to be smaller than
   * y (W+ small), "greater" that it tends to be larger. Default "two-sided".
   */
  alternative?: Alternative;
  /**
   * "auto" (default): exact when n <= `exactMaxN`, normal approximation otherwise. "exact" forces
   * the exact distribution (cost O(n^3) time, O(n^2) memory); "normal" forces the approximation.
   */
  method?: "auto" | "exact" | "normal";
  /** Largest n (non-zero pairs) for which "auto" is exact. Default 30. */
  exactMaxN?: number;
  /** Continuity correction in the normal approximation (R's `correct`). Default true. */
  correct?: boolean;
}

export interface WilcoxonResult {
  /** Number of pairs with a non-zero difference (the zeros are dropped, Wilcoxon's method). */
  n: number;
  /** Pairs dropped because x_i = y_i. */
  zeros: number;
  /** Sum of the ranks of |x_i - y_i| over the pairs with x_i > y_i (average ranks for ties). */
  wPlus: number;
  /** Sum of the ranks over the pairs with x_i < y_i; wPlus + wMinus = n(n+1)/2. */
  wMinus: number;
  /** The test statistic: W+ (R's V). */
  statistic: number;
  pValue: number;
  method: "exact" | "normal";
  alternative: Alternative;
  /** Whether some non-zero |differences| are tied (average ranks were used). */
  ties: boolean;
  /** Standardised statistic of the normal approximation (after continuity correction); null when exact. */
  z: number | null;
}

/**
 * Paired Wilcoxon signed-rank test of H0 "the differences d_i = x_i - y_i are symmetric about
 * 0" (H1 given by `alternative`).
 *
 * - Zero differences are dropped and n counts the rest (Wilcoxon's original method, as R's
 *   `wilcox.test` does; Pratt's variant would rank the zeros first).
 * - |d_i| are ranked 1..n; tied |d_i| get the average of the ranks they span.
 * - Exact p-values: under H0 every sign pattern is equally likely given the observed ranks, so
 *   W+ is a sum of independent terms that are 0 or r_i with probability 1/2 each. With ties the
 *   average ranks are half-integers, so the distribution is built by dynamic programming over
 *   doubled ranks 2 r_i (integers summing to n(n+1)): P_k(s) = (P_{k-1}(s) + P_{k-1}(s - 2 r_k)) / 2.
 *   Without ties this is the classical null distribution of the signed-rank statistic (R's
 *   `psignrank`); with ties it is the exact conditional (permutation) distribution given the
 *   tie pattern (as in coin::wilcoxsign_test with distribution = "exact"), where R's
 *   `wilcox.test` would fall back to the normal approximation. One-sided p-values are
 *   P(W+ <= observed) for "less" and P(W+ >= observed) for "greater"; the two-sided p-value is
 *   min(1, 2 min of the two) — the null distribution is symmetric about n(n+1)/4.
 * - Normal approximation: E[W+] = n(n+1)/4, Var[W+] = n(n+1)(2n+1)/24 - sum_t (t^3 - t)/48 over
 *   tie groups of size t, continuity correction ±1/2 toward the mean (sign(W+ - E) for
 *   two-sided), exactly as R's `wilcox.test(..., exact = FALSE, correct = TRUE)`.
 * - n = 0 (all pairs equal) carries no evidence: p-value 1, statistic 0.
 *
 * Ties and zeros are detected by exact floating-point equality (as R does).
 *
 * @throws UserError if the samples differ in length or hold a non-finite value
 * @example
 * ```ts
 * // R's ?wilcox.test: Hamilton depression scale before (x) and after (y) treatment
 * const x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
 * const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
 * wilcoxonSignedRank(x, y, { alternative: "greater" }); // { statistic: 40, pValue: 0.01953, method: "exact", ... }
 * ```
 */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[], options: WilcoxonOptions = {}): WilcoxonResult {
  const alternative = options.alternative ?? "two-sided";
  const method = options.method ?? "auto";
  const exactMaxN = options.exactMaxN ?? 30;
  const correct = options.correct ?? true;
  if (alternative !== "two-sided" && alternative !== "less" && alternative !== "greater") {
    throw new UserError(`wilcoxonSignedRank: alternative must be "two-sided", "less" or "greater", got ${String(alternative)}`);
  }
  if (method !== "auto" && method !== "exact" && method !== "normal") {
    throw new UserError(`wilcoxonSignedRank: method must be "auto", "exact" or "normal", got ${String(method)}`);
  }
  if (x.length !== y.length) {
    throw new UserError(`wilcoxonSignedRank: paired samples must have the same length, got ${x.length} and ${y.length}`);
  }
  const diffs: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) {
      throw new UserError(`wilcoxonSignedRank: pair ${i} is not finite (${xi}, ${yi})`);
    }
    diffs.push(xi - yi);
  }
  const nonZero = diffs.filter((d) => d !== 0);
  const n = nonZero.length;
  const zeros = diffs.length - n;
  if (n === 0) {
    return { n: 0, zeros, wPlus: 0, wMinus: 0, statistic: 0, pValue: 1, method: "exact", alternative, ties: false, z: null };
  }

  // Doubled average ranks: a tie group at sorted positions i..j (1-based) gets rank (i+j)/2,
  // doubled i+j, an integer. tieSizes collects the group sizes t for the variance correction.
  const order = nonZero.map((_, i) => i).sort((a, b) => Math.abs(nonZero[a]!) - Math.abs(nonZero[b]!));
  const rank2 = new Array<number>(n);
  const tieSizes: number[] = [];
  for (let start = 0; start < n; ) {
    let end = start;
    const a = Math.abs(nonZero[order[start]!]!);
    while (end + 1 < n && Math.abs(nonZero[order[end + 1]!]!) === a) end++;
    const r2 = start + 1 + (end + 1);
    for (let k = start; k <= end; k++) rank2[order[k]!] = r2;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  const ties = tieSizes.some((t) => t > 1);
  let wPlus2 = 0;
  for (let i = 0; i < n; i++) if (nonZero[i]! > 0) wPlus2 += rank2[i]!;
  const total2 = n * (n + 1);
  const wPlus = wPlus2 / 2;
  const wMinus = (total2 - wPlus2) / 2;

  const useExact = method === "exact" || (method === "auto" && n <= exactMaxN);
  if (useExact) {
    const dist = signedRankDistribution2(rank2);
    let lower = 0;
    let upper = 0;
    for (let s = 0; s <= total2; s++) {
      if (s <= wPlus2) lower += dist[s]!;
      if (s >= wPlus2) upper += dist[s]!;
    }
    lower = Math.min(1, lower);
    upper = Math.min(1, upper);
    const pValue = alternative === "less" ? lower : alternative === "greater" ? upper : Math.min(1, 2 * Math.min(lower, upper));
    return { n, zeros, wPlus, wMinus, statistic: wPlus, pValue, method: "exact", alternative, ties, z: null };
  }

  const centred = wPlus - (n * (n + 1)) / 4;
  let tieTerm = 0;
  for (const t of tieSizes) tieTerm += t * t * t - t;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const correction = !correct ? 0 : alternative === "two-sided" ? Math.sign(centred) * 0.5 : alternative === "greater" ? 0.5 : -0.5;
  const z = (centred - correction) / sigma;
  const pValue =
    alternative === "less" ? normalCdf(z) : alternative === "greater" ? normalCdf(-z) : Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z)));
  return { n, zeros, wPlus, wMinus, statistic: wPlus, pValue, method: "normal", alternative, ties, z };
}

/**
 * Null distribution of the doubled signed-rank statistic 2W+ for the given doubled ranks:
 * entry s is P(2W+ = s) when each rank enters the sum independently with probability 1/2.
 * Probabilities (not counts) are propagated, so nothing overflows for large n.
 */
function signedRankDistribution2(rank2: readonly number[]): Float64Array {
  let total = 0;
  for (const r of rank2) total += r;
  let dist = new Float64Array(total + 1);
  let next = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const r of rank2) {
    next.fill(0, 0, reach + r + 1);
    for (let s = 0; s <= reach; s++) {
      const p = dist[s]! * 0.5;
      if (p === 0) continue;
      next[s]! += p;
      next[s + r]! += p;
    }
    reach += r;
    [dist, next] = [next, dist];
  }
  return dist;
}

/**
 * Holm's step-down adjustment of a family of p-values (controls the family-wise error rate
 * under any dependence): with p_(1) <= ... <= p_(m), adjusted p_(i) = max_{j <= i} min(1, (m-j+1) p_(j)).
 * Returned in the input order; null entries (tests that could not be run) stay null and do not
 * count towards m.
 *
 * @example
 * ```ts
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  pValues.forEach((p, i) => {
    if (p !== null) {
      if (!(p >= 0 && p <= 1)) throw new UserError(`holm: p-values must be in [0, 1], got ${p}`);
      idx.push(i);
    }
  });
  idx.sort((a, b) => pValues[a]! - pValues[b]!);
  const m = idx.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 0;
  idx.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * pValues[i]!));
    out[i] = running;
  });
  return out;
}
