import type { DenseQubo, FactorizedQubo, Qubo, SparseQubo } from "./types.js";
import { ProblemError } from "../util/errors.js";

/**
 * Largest n that {@link factorizedToDense} and {@link toDense} materialise (an n*n f64 matrix),
 * and that anneal()'s dense layout takes (12 n^2 bytes: J and J32; n = 8192 is 805 MB).
 */
export const MAX_DENSE_N = 8192;

/**
 * "auto" takes the dense layout when the coupling count m (nonzero Q_ij, i < j) is at least
 * DENSE_SHARE * n^2 (and n <= MAX_DENSE_N): an accepted flip then costs one contiguous
 * row of n single-precision couplings, 4 per SIMD add, against the sparse kernel's 2m/n
 * scattered updates. Measured (bench/layout.bench.mjs: random couplings, neal's schedule, 300
 * sweeps x 3 reads, sparse seconds / dense seconds at m = n^2/128 .. n^2/2.2):
 *   n = 200:  0.54 0.66 0.68 0.91 1.08 1.30 2.26   (m = n^2/128, /64, /32, /16, /8, /4, /2.2)
 *   n = 1000: 0.24 0.29 0.40 0.57 0.88 1.45 2.40
 *   n = 2000: 0.15 0.18 0.23 0.43 0.72 1.40 2.49
 * The crossover is near n^2/6 from n = 1000 on (n^2/11 at n = 200, where either costs little).
 */
export const DENSE_SHARE = 1 / 6;

/**
 * Sparse (CSR) form of a dense QUBO: one coupling per nonzero Q_ij (i < j), stored in rows i and
 * j; rows sorted by column. Works for triangular and symmetric input.
 *
 * @example
 * ```ts
 * const s = denseToSparse({ kind: "dense", n: 2, offset: 0, triangular: true, matrix: Float64Array.of(1, 3, 0, 2) });
 * // s.linear = [1, 2], one coupling (0, 1, 3) in both rows
 * ```
 */
export function denseToSparse(q: DenseQubo): SparseQubo {
  const { n, matrix: m } = q;
  const coupling = (i: number, j: number) => (q.triangular ? m[i * n + j] : m[i * n + j] + m[j * n + i]);
  const linear = new Float64Array(n);
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    linear[i] = m[i * n + i];
    for (let j = i + 1; j < n; j++) {
      if (coupling(i, j) !== 0) {
        degree[i]++;
        degree[j]++;
      }
    }
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + degree[i];
  const col = new Int32Array(rowPtr[n]);
  const val = new Float64Array(rowPtr[n]);
  const fill = rowPtr.slice(0, n);
  // visiting (i, j) with i increasing then j increasing fills every row in column order
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = j > i ? coupling(i, j) : coupling(j, i);
      if (w === 0) continue;
      col[fill[i]] = j;
      val[fill[i]++] = w;
    }
  }
  return { kind: "sparse", n, offset: q.offset, linear, rowPtr, col, val };
}

/**
 * Upper-triangular dense form of any QUBO (linear terms on the diagonal, Q_ij at [i*n+j], i < j).
 * Factorized input costs O(n^2 k). Throws ProblemError when n > {@link MAX_DENSE_N}.
 */
export function toDense(q: Qubo): DenseQubo {
  if (q.kind === "dense") {
    if (q.triangular) return q;
    const { n, matrix: m } = q;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      out[i * n + i] = m[i * n + i];
      for (let j = i + 1; j < n; j++) out[i * n + j] = m[i * n + j] + m[j * n + i];
    }
    return { kind: "dense", n, offset: q.offset, matrix: out, triangular: true };
  }
  if (q.n > MAX_DENSE_N) throw new ProblemError(`toDense: n = ${q.n} exceeds ${MAX_DENSE_N}`);
  return q.kind === "sparse" ? sparseToDense(q) : factorizedToDense(q);
}

/** Upper-triangular dense form of a sparse QUBO; duplicate couplings add up. */
export function sparseToDense(q: SparseQubo): DenseQubo {
  const { n } = q;
  if (n > MAX_DENSE_N) throw new ProblemError(`sparseToDense: n = ${n} exceeds ${MAX_DENSE_N}`);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    m[i * n + i] = q.linear[i];
    for (let p = q.rowPtr[i]; p < q.rowPtr[i + 1]; p++) {
      const j = q.col[p];
      if (j > i) m[i * n + j] += q.val[p];
    }
  }
  return { kind: "dense", n, offset: q.offset, matrix: m, triangular: true };
}

/**
 * Upper-triangular dense form of a factorized QUBO: Q_ij = <v_i, v_j>. O(n^2 k); meant for
 * small n (tests, export). Throws ProblemError when n > {@link MAX_DENSE_N}.
 *
 * @example
 * ```ts
 * const d = factorizedToDense({ kind: "factorized", n: 2, k: 1, offset: 0,
 *   linear: Float64Array.of(1, 1), factors: Float64Array.of(2, 3) });
 * d.matrix; // [1, 6, 0, 1]
 * ```
 */
export function factorizedToDense(q: FactorizedQubo): DenseQubo {
  const { n, k, factors: v } = q;
  if (n > MAX_DENSE_N) throw new ProblemError(`factorizedToDense: n = ${n} exceeds ${MAX_DENSE_N}`);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    m[i * n + i] = q.linear[i];
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let f = 0; f < k; f++) d += v[i * k + f] * v[j * k + f];
      m[i * n + j] = d;
    }
  }
  return { kind: "dense", n, offset: q.offset, matrix: m, triangular: true };
}

/**
 * Build a {@link SparseQubo} from a coupling list (i != j; duplicates add up; i > j allowed).
 * Rows keep the order of the list.
 */
export function sparseFromCouplings(
  n: number,
  linear: Float64Array,
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  weight: ArrayLike<number>,
  offset = 0,
): SparseQubo {
  const m = from.length;
  const rowPtr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    if (from[e] === to[e]) throw new ProblemError(`sparseFromCouplings: coupling ${e} joins variable ${from[e]} to itself`);
    rowPtr[from[e] + 1]++;
    rowPtr[to[e] + 1]++;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  const col = new Int32Array(2 * m);
  const val = new Float64Array(2 * m);
  const fill = rowPtr.slice(0, n);
  for (let e = 0; e < m; e++) {
    const i = from[e];
    const j = to[e];
    col[fill[i]] = j;
    val[fill[i]++] = weight[e];
    col[fill[j]] = i;
    val[fill[j]++] = weight[e];
  }
  return { kind: "sparse", n, offset, linear, rowPtr, col, val };
}
