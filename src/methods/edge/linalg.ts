/**
 * Small dense linear algebra on row-major Float64Arrays, for the BLR's slow paths (refit,
 * re-factorisation after a numerical breakdown) and for tests. O(d^3); never per sample.
 */

/**
 * In-place Cholesky factorisation of the symmetric positive definite d x d matrix `a`
 * (row-major): on return the lower triangle holds L with L L^T = a, the strict upper triangle
 * is zeroed. Returns false (and leaves `a` partly overwritten) if a pivot is not positive.
 */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / ljj;
    }
    for (let k = j + 1; k < d; k++) a[rj + k] = 0;
  }
  return true;
}

/** Solve L L^T x = b in place (b becomes x), L lower triangular row-major d x d. */
export function choleskySolveInPlace(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * b[k];
    b[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/** Inverse of an SPD matrix from its Cholesky factor L (lower, row-major): (L L^T)^-1, d x d. */
export function choleskyInverse(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(l, d, col);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i];
  }
  return inv;
}
