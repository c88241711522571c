/**
 * Inverse-temperature (beta) schedules. TypeScript builds the schedule; the kernel only iterates
 * over it (DESIGN.md).
 *
 * Default range, derived from the problem (the rule D-Wave's `neal` uses):
 *   - hot: the largest single-flip |dE| should be accepted with probability ~1/2, so
 *     beta_hot = ln 2 / maxDelta, where maxDelta = max_i (|linear_i| + sum_j |Q_ij|) bounds
 *     |dE_i| = |linear_i + sum_{j != i} Q_ij x_j| over all states;
 *   - cold: the smallest nonzero |dE| should be accepted with probability ~1/100, so
 *     beta_cold = ln 100 / minDelta, where minDelta = the smallest nonzero |coefficient|
 *     (|linear_i| or |Q_ij|), the finest energy step the coefficients suggest.
 * Both are cheap estimates from the coefficients, not properties of the landscape.
 * Cost: dense O(n^2), sparse O(nnz). Factorized: exact O(n^2 k) while n^2 k <= 2^21; above
 * that, maxDelta uses the O(nk) bound |<v_i,v_j>| <= sum_f |v_if||v_jf| (so
 * sum_j |Q_ij| <= sum_f |v_if| sum_j |v_jf|: a hotter start, never a colder one) and minDelta
 * is the minimum over the linear terms and the pairs (i, i+1..i+m mod n), m = ceil(2^21/(nk)).
 */
import type { Qubo } from "../qubo/types.js";

/** Work limit (n^2 k) below which the factorized range is computed exactly. */
export const FACTORIZED_EXACT_WORK = 2 ** 21;

/**
 * The default [hot, cold] beta range of a QUBO (see the module comment). A problem with no
 * nonzero coefficient gets [1, 1].
 *
 * @example
 * ```ts
 * const [hot, cold] = defaultBetaRange(maxCutToQubo(readGset("problems/gset/G1.txt")));
 * ```
 */
export function defaultBetaRange(qubo: Qubo): [number, number] {
  const { max, min } = deltaRange(qubo);
  if (!(max > 0) || !(min > 0) || !Number.isFinite(max)) return [1, 1];
  return [Math.LN2 / max, Math.log(100) / min];
}

/** The estimates maxDelta and minDelta behind {@link defaultBetaRange} (min is Infinity if all coefficients are 0). */
export function deltaRange(qubo: Qubo): { max: number; min: number } {
  const n = qubo.n;
  let max = 0;
  let min = Infinity;
  const lin = (i: number) => (qubo.kind === "dense" ? qubo.matrix[i * n + i] : qubo.linear[i]);
  const seeMin = (a: number) => {
    if (a !== 0 && a < min) min = a;
  };
  switch (qubo.kind) {
    case "dense": {
      const m = qubo.matrix;
      const rowSum = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = Math.abs(m[i * n + i]);
        rowSum[i] += a;
        seeMin(a);
        for (let j = i + 1; j < n; j++) {
          const q = Math.abs(qubo.triangular ? m[i * n + j] : m[i * n + j] + m[j * n + i]);
          rowSum[i] += q;
          rowSum[j] += q;
          seeMin(q);
        }
      }
      for (let i = 0; i < n; i++) if (rowSum[i] > max) max = rowSum[i];
      break;
    }
    case "sparse": {
      for (let i = 0; i < n; i++) {
        let s = Math.abs(lin(i));
        seeMin(s);
        for (let p = qubo.rowPtr[i]; p < qubo.rowPtr[i + 1]; p++) {
          const a = Math.abs(qubo.val[p]);
          s += a;
          seeMin(a);
        }
        if (s > max) max = s;
      }
      break;
    }
    case "factorized": {
      const { k, factors: v } = qubo;
      const dot = (i: number, j: number) => {
        let d = 0;
        for (let f = 0; f < k; f++) d += v[i * k + f] * v[j * k + f];
        return Math.abs(d);
      };
      if (n * n * k <= FACTORIZED_EXACT_WORK) {
        const rowSum = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const a = Math.abs(lin(i));
          rowSum[i] += a;
          seeMin(a);
          for (let j = i + 1; j < n; j++) {
            const q = dot(i, j);
            rowSum[i] += q;
            rowSum[j] += q;
            seeMin(q);
          }
        }
        for (let i = 0; i < n; i++) if (rowSum[i] > max) max = rowSum[i];
      } else {
        const colAbs = new Float64Array(k);
        for (let i = 0; i < n; i++) for (let f = 0; f < k; f++) colAbs[f] += Math.abs(v[i * k + f]);
        const span = Math.min(n - 1, Math.ceil(FACTORIZED_EXACT_WORK / (n * k)));
        for (let i = 0; i < n; i++) {
          const a = Math.abs(lin(i));
          seeMin(a);
          let s = a;
          for (let f = 0; f < k; f++) {
            const b = Math.abs(v[i * k + f]);
            s += b * (colAbs[f] - b);
          }
          if (s > max) max = s;
          for (let d = 1; d <= span; d++) seeMin(dot(i, (i + d) % n));
        }
      }
      break;
    }
  }
  return { max, min };
}

/**
 * Geometric schedule of `count` betas from `hot` to `cold` inclusive:
 * beta_t = hot * (cold/hot)^(t/(count-1)). `count === 1` gives [cold]; `count === 0` gives [].
 *
 * @example
 * ```ts
 * geometricSchedule(0.1, 10, 3); // [0.1, 1, 10]
 * ```
 */
export function geometricSchedule(hot: number, cold: number, count: number): Float64Array {
  if (!(hot > 0) || !(cold > 0) || !Number.isFinite(hot) || !Number.isFinite(cold)) {
    throw new RangeError(`geometricSchedule: betas must be positive and finite, got [${hot}, ${cold}]`);
  }
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`geometricSchedule: count must be a non-negative integer, got ${count}`);
  const out = new Float64Array(count);
  if (count === 1) {
    out[0] = cold;
    return out;
  }
  const logHot = Math.log(hot);
  const step = (Math.log(cold) - logHot) / (count - 1);
  for (let t = 0; t < count; t++) out[t] = Math.exp(logHot + step * t);
  if (count > 0) {
    out[0] = hot;
    out[count - 1] = cold;
  }
  return out;
}
