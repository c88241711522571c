import type { Random } from "../../util/random.js";
import type { TourSamples } from "./samples.js";

/**
 * The per-edge layer of the edge model: what the geometry does not explain, as independent
 * edge residuals with a shrinkage prior, in function space.
 *
 * ## Model
 *
 *   y_t - g(T_t) = sum_{e in T_t} r_e + eps_t,   r_e ~ N(0, tau^2) iid,   eps_t ~ N(0, nu tau^2)
 *
 * over all N(N-1)/2 (symmetric) or N(N-1) (directed) edges. This is the Bayesian linear
 * regression on edge indicators, written as a Gaussian process over tours: the covariance of
 * two tours' residuals is tau^2 |T_i ∩ T_j| (their shared edges), so everything is computed
 * from the m x m matrix K = S + nu I, S_ij = |T_i ∩ T_j|, never from a d x d one:
 *
 * - posterior mean of the edges:  mu = A^T K^{-1} res           (A: samples x edges indicators)
 * - a posterior sample (Matheron's rule, exact):
 *     r = r0 + A^T K^{-1} (res - A r0 - eps),   r0 ~ N(0, tau^2 I), eps ~ N(0, nu tau^2 I),
 *   so only r0 touches every edge (O(d) normals), and the correction lives on the edges seen.
 *   tau^2 cancels from the mean; it only scales the sample's spread.
 *
 * ## State
 *
 * The lower Cholesky factor L of K, packed by rows (row t holds t + 1 entries), extended by
 * one row per sample: S's new row by the edge -> samples index of `TourSamples` (O(m N) at
 * worst), then a forward substitution (O(m^2)). Memory 4 m^2 bytes. At most `capacity`
 * samples enter the factor (default 3000: 36 MB); later samples still shape the geometry and
 * the proposals, but not this layer (documented in the edge method's limits).
 */
export class ResidualGp {
  /** Samples in the factor (the first `size` samples of the store). */
  size = 0;
  private packed = new Float64Array(64);

  constructor(
    private readonly samples: TourSamples,
    /** Noise-to-prior variance ratio nu > 0 (the edge method's `lambda`). */
    readonly nu: number,
    readonly capacity = 3000,
  ) {}

  /** Add every stored sample not yet in the factor (up to the capacity). */
  update(): void {
    while (this.size < this.samples.count && this.size < this.capacity) this.addRow();
  }

  private addRow(): void {
    const t = this.size;
    const need = ((t + 1) * (t + 2)) / 2;
    if (need > this.packed.length) {
      const bigger = new Float64Array(Math.max(need, 2 * this.packed.length));
      bigger.set(this.packed);
      this.packed = bigger;
    }
    const L = this.packed;
    const row = (t * (t + 1)) / 2;
    for (let j = 0; j <= t; j++) L[row + j] = 0;
    const edges = this.samples.sampleEdges(t);
    for (let i = 0; i < edges.length; i++) {
      for (const j of this.samples.occurrences[edges[i]]) {
        if (j >= t) break;
        L[row + j] += 1;
      }
    }
    // Forward substitution: L[t][j] = (S_tj - sum_{k<j} L[t][k] L[j][k]) / L[j][j].
    let ss = 0;
    for (let j = 0; j < t; j++) {
      const rj = (j * (j + 1)) / 2;
      let v = L[row + j];
      for (let k = 0; k < j; k++) v -= L[row + k] * L[rj + k];
      v /= L[rj + j];
      L[row + j] = v;
      ss += v * v;
    }
    // K_tt = |T_t| + nu; the floor guards against rounding when a tour repeats a combination.
    const diag = edges.length + this.nu - ss;
    L[row + t] = Math.sqrt(Math.max(diag, this.nu * 1e-3));
    this.size++;
  }

  /** K^{-1} b for the `size` samples in the factor (b is overwritten). */
  solve(b: Float64Array): Float64Array {
    const m = this.size;
    const L = this.packed;
    for (let i = 0; i < m; i++) {
      const ri = (i * (i + 1)) / 2;
      let v = b[i];
      for (let k = 0; k < i; k++) v -= L[ri + k] * b[k];
      b[i] = v / L[ri + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let v = b[i];
      for (let j = i + 1; j < m; j++) v -= L[(j * (j + 1)) / 2 + i] * b[j];
      b[i] = v / L[(i * (i + 1)) / 2 + i];
    }
    return b;
  }

  /**
   * Add the residual layer to the n x n matrix `W` (row-major, W[a*n+b] for edge a -> b;
   * symmetric spaces fill both directions): the posterior mean when tau = 0, else a posterior
   * sample with prior scale tau. `residuals[t]` is sample t's cost minus the geometry's
   * prediction, for t < size.
   */
  addTo(W: Float64Array, residuals: Float64Array, tau: number, rng: Random): void {
    const s = this.samples;
    const { n, symmetric } = s.space;
    const m = this.size;
    const width = s.width;
    const rhs = new Float64Array(m);
    for (let t = 0; t < m; t++) rhs[t] = residuals[t];
    if (tau > 0) {
      // r0 ~ N(0, tau^2) on every edge (a < b when symmetric, row by row), added to W; the
      // seen edges' values are kept to form res - A r0 - eps.
      const r0 = this.scratch(n * n);
      for (let a = 0; a < n; a++) {
        for (let b = symmetric ? a + 1 : 0; b < n; b++) {
          if (a === b) continue;
          const z = tau * rng.normal();
          r0[a * n + b] = z;
          W[a * n + b] += z;
          if (symmetric) W[b * n + a] += z;
        }
      }
      const noise = tau * Math.sqrt(this.nu);
      for (let t = 0; t < m; t++) {
        let sum = 0;
        const off = t * width;
        for (let i = 0; i < width; i++) {
          const e = s.edges[off + i];
          sum += r0[s.from[e] * n + s.to[e]];
        }
        rhs[t] -= sum + noise * rng.normal();
      }
    }
    const alpha = this.solve(rhs);
    const coef = new Float64Array(s.edgeCount);
    for (let t = 0; t < m; t++) {
      const off = t * width;
      for (let i = 0; i < width; i++) coef[s.edges[off + i]] += alpha[t];
    }
    for (let e = 0; e < s.edgeCount; e++) {
      const c = coef[e];
      if (c === 0) continue;
      const a = s.from[e];
      const b = s.to[e];
      W[a * n + b] += c;
      if (symmetric) W[b * n + a] += c;
    }
  }

  /** The posterior mean of the residual of a tour given by its edge ids (-1: an edge no sample holds, mean 0). */
  predict(edgeIds: Int32Array, alpha: Float64Array): number {
    // mean of edge e = sum over samples t containing e of alpha_t
    let s = 0;
    for (let i = 0; i < edgeIds.length; i++) {
      const e = edgeIds[i];
      if (e < 0) continue;
      for (const t of this.samples.occurrences[e]) {
        if (t >= this.size) break;
        s += alpha[t];
      }
    }
    return s;
  }

  /** K^{-1} res for the samples in the factor: the weights of {@link predict}. */
  weights(residuals: Float64Array): Float64Array {
    return this.solve(Float64Array.from(residuals.subarray(0, this.size)));
  }

  private buffer = new Float64Array(0);
  private scratch(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    return this.buffer;
  }
}
