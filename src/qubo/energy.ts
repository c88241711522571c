import type { DenseQubo, FactorizedQubo, Qubo, SparseQubo } from "./types.js";
import { OptionError } from "../util/errors.js";

/**
 * QUBO energy `E(x) = offset + sum_i linear_i x_i + sum_{i<j} Q_ij x_i x_j` of a 0/1 vector, for
 * every form ({@link DenseQubo} triangular or symmetric, {@link SparseQubo}, {@link FactorizedQubo}).
 * Any nonzero entry of `x` counts as 1. Cost: O(n^2) dense, O(nnz) sparse, O(nk) factorized.
 *
 * @throws OptionError when `x.length !== qubo.n`.
 * @example
 * ```ts
 * const q: DenseQubo = { kind: "dense", n: 2, offset: 1, triangular: true,
 *   matrix: Float64Array.of(-1, 2, 0, -1) };
 * quboEnergy(q, [1, 0]); // 1 - 1 = 0
 * quboEnergy(q, [1, 1]); // 1 - 1 - 1 + 2 = 1
 * ```
 */
export function quboEnergy(qubo: Qubo, x: ArrayLike<number>): number {
  if (x.length !== qubo.n) throw new OptionError("x", `quboEnergy: state has ${x.length} entries, the QUBO has ${qubo.n} variables`);
  switch (qubo.kind) {
    case "dense":
      return denseEnergy(qubo, x);
    case "sparse":
      return sparseEnergy(qubo, x);
    case "factorized":
      return factorizedEnergy(qubo, x);
  }
}

function denseEnergy(q: DenseQubo, x: ArrayLike<number>): number {
  const { n, matrix: m } = q;
  let e = q.offset;
  for (let i = 0; i < n; i++) {
    if (!x[i]) continue;
    let a = m[i * n + i];
    if (q.triangular) {
      for (let j = i + 1; j < n; j++) if (x[j]) a += m[i * n + j];
    } else {
      for (let j = i + 1; j < n; j++) if (x[j]) a += m[i * n + j] + m[j * n + i];
    }
    e += a;
  }
  return e;
}

function sparseEnergy(q: SparseQubo, x: ArrayLike<number>): number {
  let e = q.offset;
  for (let i = 0; i < q.n; i++) {
    if (!x[i]) continue;
    let a = q.linear[i];
    // each coupling sits in row i and row j; count it once, from the lower index.
    for (let p = q.rowPtr[i]; p < q.rowPtr[i + 1]; p++) {
      const j = q.col[p];
      if (j > i && x[j]) a += q.val[p];
    }
    e += a;
  }
  return e;
}

/** sum_{i<j} <v_i,v_j> x_i x_j = 1/2 (|sum_{i: x_i=1} v_i|^2 - sum_{i: x_i=1} |v_i|^2): O(nk). */
function factorizedEnergy(q: FactorizedQubo, x: ArrayLike<number>): number {
  const { n, k, factors: v } = q;
  const s = new Float64Array(k);
  let lin = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (!x[i]) continue;
    lin += q.linear[i];
    for (let f = 0; f < k; f++) {
      const a = v[i * k + f];
      s[f] += a;
      sq += a * a;
    }
  }
  let ss = 0;
  for (let f = 0; f < k; f++) ss += s[f] * s[f];
  return q.offset + lin + 0.5 * (ss - sq);
}
