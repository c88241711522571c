/**
 * The three QUBO forms the kernels take. Energy (docs/design.md, Definitions):
 *   E(x) = offset + sum_i linear_i x_i + sum_{i<j} Q_ij x_i x_j,   x in {0,1}^n.
 */

/**
 * Dense: `matrix` is n*n row-major. The diagonal holds the linear terms. Off-diagonal
 * entries are read as *upper-triangular* when `triangular` is true (Q_ij at [i*n+j], i<j,
 * the lower triangle ignored) and as *symmetric* otherwise (Q_ij = matrix[i*n+j] + matrix[j*n+i],
 * i.e. the usual x^T M x convention).
 */
export interface DenseQubo {
  kind: "dense";
  n: number;
  offset: number;
  matrix: Float64Array;
  triangular: boolean;
}

/**
 * Sparse: linear terms plus couplings in CSR form. Each coupling (i, j, Q_ij), i != j, appears
 * in both row i and row j with the same value Q_ij, so `rowPtr` has n+1 entries and `col`/`val`
 * have 2*m entries for m couplings. Rows need not be sorted; duplicate (i, j) pairs add up.
 */
export interface SparseQubo {
  kind: "sparse";
  n: number;
  offset: number;
  linear: Float64Array;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/**
 * Factorized (the QUBO of a factorization machine): Q_ij = <v_i, v_j> for i < j, with
 * `factors` n*k feature-major (v_i = factors[i*k .. i*k+k)). Never materialised as n*n.
 */
export interface FactorizedQubo {
  kind: "factorized";
  n: number;
  k: number;
  offset: number;
  linear: Float64Array;
  factors: Float64Array;
}

export type Qubo = DenseQubo | SparseQubo | FactorizedQubo;
