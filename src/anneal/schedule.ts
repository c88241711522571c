/**
 * Inverse-temperature (beta) schedules. TypeScript builds the schedule; the kernel only iterates
 * over it (docs/design.md, Conventions).
 *
 * Default range of dense and sparse QUBOs: dwave-neal's rule (`_default_ising_beta_range`,
 * dwave/samplers/sa/sampler.py of dwave-samplers, formerly neal/sampler.py), computed on the Ising
 * form of the QUBO. With x = (1 + s)/2, E = sum lin_i x_i + sum_{i<j} Q_ij x_i x_j becomes
 *   h_i = lin_i/2 + sum_{j != i} Q_ij/4,   J_ij = Q_ij/4   (plus a constant),
 * the same energy function of the same states, so betas for one are betas for the other.
 *   - hot: flipping s_i changes E by 2 s_i (h_i + sum_j J_ij s_j), whose magnitude is at most
 *     2 F_i, F_i = |h_i| + sum_j |J_ij|, and reaches it in some state. The largest of these
 *     should be accepted with probability 1/2: beta_hot = ln 2 / (2 max_i F_i). In QUBO terms
 *     2 F_i = |lin_i + sum_j Q_ij/2| + sum_j |Q_ij|/2 = max over x of |dE_i|, the exact
 *     largest single-flip change; the previous default bounded it by |lin_i| + sum_j |Q_ij|,
 *     up to 3x larger (MaxCut: |lin_i| = sum_j |Q_ij|/2, h_i = 0), so it started hotter.
 *   - cold: the smallest excitation should be taken with total probability 1% in the last sweep.
 *     Variable i's smallest nonzero |dE| is estimated as 2 m_i, m_i the smallest nonzero of
 *     |h_i| and |J_ij|; with m = min_i m_i and c = the number of variables whose m_i equals m
 *     (neal's scale_T_with_N), c exp(-beta_cold 2m) = 0.01: beta_cold = ln(c / 0.01) / (2m).
 *     The previous default took ln 100 / min(|lin_i|, |Q_ij|): warmer (MaxCut G1: 2.3 against
 *     11.3), so more of the last sweeps were spent on flips that undo each other.
 *   One deviation from neal: an h_i that is zero up to the rounding of its own sum
 *   (|h_i| <= 1e-12 (|lin_i|/2 + sum_j |Q_ij|/4)) counts as zero, so a weighted MaxCut whose
 *   fields cancel in exact arithmetic (h_i = 0) does not get a near-infinite cold beta from
 *   rounding noise. A problem with no nonzero coefficient gets [1, 1].
 *   Measured against the previous default (bench/schedule-quality.bench.mjs, 20 seeds x 10 reads
 *   x 1000 sweeps): the best of each run's reads (what anneal() returns first) equal or better
 *   on G1, a G22-like random graph, a +-1 torus (+3.3%), a planar-like graph and dense QUBOs,
 *   a tie on an odd torus; the mean over single reads up to 0.2% lower on G1, an even torus and
 *   dense QUBOs; 25-40% less time (fewer accepted flips, each a row update).
 *   Cost: one pass over the kernel layout (dense O(n^2), sparse O(nnz)).
 *
 * Factorized QUBOs (the FM QUBOs of FMA) keep the QUBO-form rule of the previous default:
 *   - hot: beta_hot = ln 2 / maxDelta, maxDelta = max_i (|linear_i| + sum_j |Q_ij|);
 *   - cold: beta_cold = ln 100 / minDelta, minDelta = the smallest nonzero |linear_i| or |Q_ij|.
 * For QUBOs with continuous coefficients (an FM's <v_i, v_j>) minDelta is far below the gaps of
 * the states the anneal ends in, so the last ~40% of the sweeps reject every flip without a
 * draw; the kernels detect such frozen sweeps and skip them without changing the result
 * (native/anneal.c). Cost: exact, O(n^2 k / 2), while n^2 k / 2 <= 2^22 (n <= 1024 at k = 8),
 * computed by the wasm module on anneal()'s wasm path (fm_factorized_delta_range; ~40 us at
 * n = 120, ~4 ms at n = 1000) and by its TypeScript mirror otherwise, with the same result bit
 * for bit; above that, maxDelta uses the O(nk) bound |<v_i,v_j>| <= sum_f |v_if||v_jf| (so
 * sum_j |Q_ij| <= sum_f |v_if| sum_j |v_jf|: a hotter start, never a colder one) and minDelta
 * is the minimum over the linear terms and the pairs (i, i+1..i+m mod n), m = ceil(2^18/(nk)).
 */
import type { Qubo } from "../qubo/types.js";
import { FORM_DENSE, FORM_FACTORIZED, FORM_SPARSE, plainAlloc, prepareProblem, type KernelProblem } from "./problem.js";
import { OptionError } from "../util/errors.js";

/** Work limit (n^2 k / 2 multiply-adds) below which the factorized range is computed exactly. */
export const FACTORIZED_EXACT_WORK = 2 ** 22;
/** Multiply-adds spent on sampled pairs for minDelta above that limit. */
export const FACTORIZED_SAMPLE_WORK = 2 ** 18;

/**
 * The default [hot, cold] beta range of a QUBO (see the module comment): neal's rule on the
 * Ising form for dense and sparse QUBOs, the QUBO-form rule for factorized ones. A problem with
 * no nonzero coefficient gets [1, 1].
 *
 * @example
 * ```ts
 * const [hot, cold] = defaultBetaRange(maxCutToQubo(readGset("problems/gset/G1.txt"))); // [0.0103, 11.29]
 * ```
 */
export function defaultBetaRange(qubo: Qubo): [number, number] {
  return kernelBetaRange(prepareProblem(qubo, plainAlloc));
}

/** The default range of a problem in kernel layout (what anneal() uses). */
export function kernelBetaRange(p: KernelProblem, factorizedRange: (p: KernelProblem) => { max: number; min: number } = kernelDeltaRange): [number, number] {
  return p.form === FORM_FACTORIZED ? betaRangeOf(factorizedRange(p)) : isingBetaRangeOf(isingStats(p));
}

/** The QUBO-form rule: [ln 2 / max, ln 100 / min], or [1, 1] when there is no nonzero coefficient. */
export function betaRangeOf({ max, min }: { max: number; min: number }): [number, number] {
  if (!(max > 0) || !(min > 0) || !Number.isFinite(max)) return [1, 1];
  return [Math.LN2 / max, Math.log(100) / min];
}

/** Statistics of the Ising form behind neal's rule: max_i F_i, m = min_i m_i, and how many variables have m_i = m (see the module comment). */
export interface IsingStats {
  max: number;
  min: number;
  count: number;
}

/** neal's rule: [ln 2 / (2 max), ln(count / 0.01) / (2 min)], or [1, 1] when there is no nonzero coefficient. */
export function isingBetaRangeOf({ max, min, count }: IsingStats): [number, number] {
  if (!(max > 0) || !(min > 0) || !Number.isFinite(max) || !(count >= 1)) return [1, 1];
  return [Math.LN2 / (2 * max), Math.log(count / 0.01) / (2 * min)];
}

/**
 * neal's rule on the QUBO form of the previous default (hot ln 2 / maxDelta, cold ln 100 / minDelta)
 * for any QUBO: what factorized QUBOs use, and the baseline of bench/schedule-quality.bench.mjs.
 */
export function quboFormBetaRange(qubo: Qubo): [number, number] {
  return betaRangeOf(deltaRange(qubo));
}

/** The Ising-form statistics of a dense or sparse problem in kernel layout (one pass over J or the CSR rows). */
export function isingStats(p: KernelProblem): IsingStats {
  const n = p.n;
  let max = 0;
  let min = Infinity;
  let count = 0;
  const take = (lin: number, rowSum: number, rowAbs: number, rowMin: number) => {
    const scale = 0.5 * Math.abs(lin) + 0.25 * rowAbs;
    let h = Math.abs(0.5 * lin + 0.25 * rowSum);
    if (h <= 1e-12 * scale) h = 0; // zero up to the rounding of its sum
    const f = h + 0.25 * rowAbs;
    let m = 0.25 * rowMin;
    if (h !== 0 && h < m) m = h;
    if (f > max) max = f;
    if (m < min) {
      min = m;
      count = 1;
    } else if (m === min && m < Infinity) count++;
  };
  if (p.form === FORM_DENSE) {
    const J = p.J;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let sum = 0;
      let abs = 0;
      let mn = Infinity;
      for (let j = 0; j < n; j++) {
        const q = J[row + j];
        const a = Math.abs(q);
        sum += q;
        abs += a;
        if (a !== 0 && a < mn) mn = a; // the zero diagonal never counts
      }
      take(p.lin[i], sum, abs, mn);
    }
  } else if (p.form === FORM_SPARSE) {
    const { rowPtr, val } = p;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let abs = 0;
      let mn = Infinity;
      for (let q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
        const a = Math.abs(val[q]);
        sum += val[q];
        abs += a;
        if (a !== 0 && a < mn) mn = a;
      }
      take(p.lin[i], sum, abs, mn);
    }
  } else {
    throw new RangeError("isingStats: factorized problems use the QUBO-form range (see schedule.ts)");
  }
  return { max, min, count };
}

/** The QUBO-form estimates maxDelta and minDelta (min is Infinity if all coefficients are 0). */
export function deltaRange(qubo: Qubo): { max: number; min: number } {
  return kernelDeltaRange(prepareProblem(qubo, plainAlloc));
}

/**
 * {@link deltaRange} of a problem already in kernel layout (one contiguous pass over the symmetric
 * J, the CSR rows, or V; anneal() uses it for factorized problems).
 */
export function kernelDeltaRange(p: KernelProblem): { max: number; min: number } {
  const n = p.n;
  const lin = p.lin;
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(lin[i]);
    if (a !== 0 && a < min) min = a;
  }
  if (p.form === FORM_DENSE) {
    const J = p.J;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s = Math.abs(lin[i]);
      let m = Infinity;
      for (let j = 0; j < n; j++) {
        const a = Math.abs(J[row + j]);
        s += a;
        if (a !== 0 && a < m) m = a; // the zero diagonal never counts
      }
      if (s > max) max = s;
      if (m < min) min = m;
    }
  } else if (p.form === FORM_SPARSE) {
    const { rowPtr, val } = p;
    for (let i = 0; i < n; i++) {
      let s = Math.abs(lin[i]);
      for (let q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
        const a = Math.abs(val[q]);
        s += a;
        if (a !== 0 && a < min) min = a;
      }
      if (s > max) max = s;
    }
  } else {
    const { k, V } = p;
    if (factorizedExact(n, k)) {
      const r = factorizedDeltaRange(n, k, V, lin);
      max = r.max;
      min = Math.min(min, r.min);
    } else {
      const colAbs = new Float64Array(k);
      for (let q = 0; q < n * k; q++) colAbs[q % k] += Math.abs(V[q]);
      const span = Math.min(n - 1, Math.ceil(FACTORIZED_SAMPLE_WORK / (n * k)));
      for (let i = 0; i < n; i++) {
        const vi = i * k;
        let s = Math.abs(lin[i]);
        for (let f = 0; f < k; f++) {
          const b = Math.abs(V[vi + f]);
          s += b * (colAbs[f] - b);
        }
        if (s > max) max = s;
        for (let d = 1; d <= span; d++) {
          const vj = ((i + d) % n) * k;
          let dot = 0;
          for (let f = 0; f < k; f++) dot += V[vi + f] * V[vj + f];
          const a = Math.abs(dot);
          if (a !== 0 && a < min) min = a;
        }
      }
    }
  }
  return { max, min };
}

/** Whether the factorized statistics are computed exactly (n^2 k / 2 <= FACTORIZED_EXACT_WORK). */
export function factorizedExact(n: number, k: number): boolean {
  return (n * n * k) / 2 <= FACTORIZED_EXACT_WORK;
}

/**
 * Exact max_i (|lin_i| + sum_{j != i} |<v_i,v_j>|) and min nonzero |lin_i|, |<v_i,v_j>| of a
 * factorized QUBO: the TypeScript mirror of fm_factorized_delta_range (native/anneal.c), same
 * summation order, so both give the same schedule bit for bit (anneal() uses the wasm one on
 * its wasm path: ~10x faster).
 */
export function factorizedDeltaRange(n: number, k: number, V: Float64Array, lin: Float64Array): { max: number; min: number } {
  let max = 0;
  let min = Infinity;
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(lin[i]);
    if (a !== 0 && a < min) min = a;
  }
  for (let i = 0; i < n; i++) {
    const vi = i * k;
    let s = 0;
    for (let j = i + 1; j < n; j++) {
      const vj = j * k;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let f = 0;
      for (; f + 4 <= k; f += 4) {
        a0 += V[vi + f] * V[vj + f];
        a1 += V[vi + f + 1] * V[vj + f + 1];
        a2 += V[vi + f + 2] * V[vj + f + 2];
        a3 += V[vi + f + 3] * V[vj + f + 3];
      }
      for (; f < k; f++) a0 += V[vi + f] * V[vj + f];
      const a = Math.abs(a0 + a1 + (a2 + a3));
      s += a;
      rowSum[j] += a;
      if (a !== 0 && a < min) min = a;
    }
    const t = rowSum[i] + s + Math.abs(lin[i]);
    if (t > max) max = t;
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
    throw new OptionError("betaRange", `geometricSchedule: betas must be positive and finite, got [${hot}, ${cold}]`);
  }
  if (!Number.isInteger(count) || count < 0) throw new OptionError("count", `geometricSchedule: count must be a non-negative integer, got ${count}`);
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
