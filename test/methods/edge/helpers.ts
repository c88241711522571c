/** Test helpers for the edge surrogate: independent linear algebra and tour enumeration. */

/**
 * Numerical rank of a row-major r x c matrix by Gaussian elimination with full row pivoting;
 * a pivot counts when |pivot| > tol * (largest absolute entry).
 */
export function matrixRank(m: ArrayLike<number>, rows: number, cols: number, tol = 1e-9): number {
  const a = Float64Array.from(m);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0) return 0;
  let rank = 0;
  for (let c = 0; c < cols && rank < rows; c++) {
    let p = rank;
    for (let r = rank + 1; r < rows; r++) if (Math.abs(a[r * cols + c]) > Math.abs(a[p * cols + c])) p = r;
    if (Math.abs(a[p * cols + c]) <= tol * scale) continue;
    for (let k = 0; k < cols; k++) {
      const t = a[p * cols + k];
      a[p * cols + k] = a[rank * cols + k];
      a[rank * cols + k] = t;
    }
    const piv = a[rank * cols + c];
    for (let r = rank + 1; r < rows; r++) {
      const f = a[r * cols + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < cols; k++) a[r * cols + k] -= f * a[rank * cols + k];
    }
    rank++;
  }
  return rank;
}

/** All permutations of 0..n-1 (n! of them; keep n <= 9). */
export function permutations(n: number): number[][] {
  const out: number[][] = [];
  const p = [...Array(n).keys()];
  const rec = (k: number) => {
    if (k === n) {
      out.push(p.slice());
      return;
    }
    for (let i = k; i < n; i++) {
      [p[k], p[i]] = [p[i], p[k]];
      rec(k + 1);
      [p[k], p[i]] = [p[i], p[k]];
    }
  };
  rec(0);
  return out;
}

/** Max |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Max |a_i|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
