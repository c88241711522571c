import type { Random } from "../../util/random.js";
import { choleskyInPlace, choleskyInverse, choleskySolveInPlace } from "./linalg.js";
import { OptionError } from "../../util/errors.js";

/** Options of {@link EdgeBlr}. */
export interface EdgeBlrOptions {
  /** Prior-to-noise precision ratio lambda > 0 (default 1e-3). */
  lambda?: number;
  /** Absolute floor on the noise variance (default 0). */
  minNoiseVariance?: number;
  /** Floor on the noise variance relative to the mean square cost (default 1e-12). */
  relativeNoiseFloor?: number;
  /** Initial capacity of the sample store (grows by doubling). */
  capacity?: number;
}

/** The from-scratch solution returned by {@link EdgeBlr.refit}. */
export interface EdgeBlrFit {
  mean: Float64Array;
  /** Posterior covariance sigma2 * (lambda I + Z^T Z)^{-1}, d x d row-major. */
  covariance: Float64Array;
  noiseVariance: number;
}

/**
 * Bayesian linear regression of a tour's cost on its edge indicators, updated online.
 *
 * ## Model
 *
 *   y = sum_e theta_e z_e + eps,   eps ~ N(0, sigma^2),   theta ~ N(m0, (sigma^2 / lambda) I)
 *
 * with z in {0,1}^d the edge indicators of the tour (exactly `m` = edgesPerTour ones).
 *
 * **No intercept.** Every tour has sum_e z_e = m, so an intercept b is collinear with the
 * direction theta + (b/m) 1: it is dropped and the constant level is carried by the edge
 * weights themselves, through the prior mean.
 *
 * **Prior mean.** m0 = c 1 with c = ybar / m (ybar = mean observed cost, 0 before any data):
 * an edge nobody has tried looks like an average edge, and a tour of untried edges is
 * predicted at the mean cost. c moves as data arrive (empirical Bayes); this costs nothing
 * because the posterior mean is linear in c (below).
 *
 * **Noise / scale.** sigma^2 is estimated as
 *
 *   sigma2 = max(floor, S / n),   S = ||y - Z mu||^2 + lambda ||mu - m0||^2,
 *
 * the normal-inverse-gamma posterior scale b_n / a_n with a vague prior (a0 = b0 -> 0). For a
 * fixed prior mean, S equals the sum of squared standardised one-step prediction errors
 * e_i^2 / (1 + z_i^T A_{i-1} z_i) (with the moving c it is close to it), so it calibrates the *whole* posterior: for a noise-free,
 * exactly edge-additive cost the residual term vanishes but the prediction errors made while
 * the weights were undetermined do not, and the prior variance sigma2 / lambda settles near the
 * real spread of the edge weights around their mean; once the weights are determined by the
 * data S stops growing and sigma2 decays like 1/n, so the Thompson samples concentrate.
 * `floor = max(minNoiseVariance, relativeNoiseFloor * (ybar^2 + var(y)))` keeps sigma2 > 0
 * (defaults 0 and 1e-12, i.e. sigma >= 1e-6 of the RMS cost; 1e-300 if all costs are 0).
 *
 * `lambda` is the prior-to-noise precision ratio. It does not set the prior scale (sigma2 does,
 * from the data); it sets how much identified directions are shrunk toward the prior mean:
 * small lambda suits deterministic, nearly edge-additive costs. Default 1e-3, measured with
 * a plain Thompson loop (4 local-search starts per proposal), evaluations to the optimum
 * over seeds: burma14 lambda 1e-4: 66-79, 1e-3: 68-86, 1e-2: 78-94, 0.1: 81-98, 1: 96-148;
 * bayg29 1e-4: 330-352, 1e-3: 340-353, 1e-2: 357-384.
 *
 * ## State, all O(d^2) per sample (Sherman-Morrison on the covariance, in factored form)
 *
 * - L, the lower Cholesky factor of A = (lambda I + Z^T Z)^{-1} (L L^T = A; the posterior
 *   covariance is sigma2 * A), stored transposed (U[k*d+i] = L[i][k], i >= k) so the O(d^2)
 *   loops below run over contiguous memory. A itself is never stored. A new sample z is the
 *   Sherman-Morrison rank-one update of the covariance
 *     A <- A - g g^T,   g = A z / sqrt(1 + z^T A z),   A z = L (L^T z),  z^T A z = |L^T z|^2,
 *   applied to L as a rank-one Cholesky *downdate* with the vector g (O(d^2); it always
 *   succeeds in exact arithmetic because the updated A stays positive definite). Cost per
 *   sample: L^T z (m d/2), L (L^T z) (d^2/2), the downdate (d^2/2 rotations).
 *   If rounding ever makes a downdate pivot non-positive, the whole state is rebuilt from the
 *   stored samples (O(d^3), counted in `rebuilds`; never seen in the tests).
 * - v = A Z^T y and w = A Z^T 1 by the RLS recursion x <- x + A_new z (t - z^T x), A_new z =
 *   A z / (1 + z^T A z). The posterior mean is then
 *     mu = A (lambda c 1 + Z^T y) = c 1 - ybar w + v
 *   because lambda A 1 = 1 - A Z^T Z 1 = 1 - m A Z^T 1_n and m c = ybar.
 * - S is computed in O(d) from centred quantities to avoid cancellation:
 *     theta' = mu - m0 = v - ybar w,  S = sum (y - ybar)^2 - theta'^T (Z^T y - ybar Z^T 1_n).
 *
 * `sample()` draws theta ~ N(mu, scale^2 sigma2 A) as mu + scale sigma L xi, O(d^2).
 * No allocation per update or sample except the amortised growth of the sample store that
 * `refit()` needs.
 *
 * @example
 * ```ts
 * const space = edgeSpace(10);
 * const blr = new EdgeBlr(space.d, space.edgesPerTour);
 * blr.addSample(tourEdges(space, tour), cost);
 * const theta = blr.sample(rng);              // Thompson sample, reused buffer
 * const w = weightMatrix(theta, 10, true);    // for the permutation-space search
 * ```
 */
export class EdgeBlr {
  readonly d: number;
  readonly edgesPerTour: number;
  readonly lambda: number;
  private readonly minNoiseVariance: number;
  private readonly relativeNoiseFloor: number;

  private readonly u: Float64Array; // U[k*d+i] = L[i][k], i >= k; L L^T = (lambda I + Z^T Z)^{-1}
  private readonly v: Float64Array; // A Z^T y
  private readonly w: Float64Array; // A Z^T 1
  private readonly zty: Float64Array; // Z^T y
  private readonly cnt: Float64Array; // Z^T 1 (uses per edge)
  private readonly lz: Float64Array; // scratch: L^T z
  private readonly g: Float64Array; // scratch: A z, then the downdate vector
  private readonly x: Float64Array; // scratch for the downdate
  private readonly mu: Float64Array;
  private readonly theta: Float64Array;
  private readonly mark: Uint8Array;

  private count = 0;
  private ybar = 0;
  private m2 = 0; // sum (y - ybar)^2 (Welford)
  private storeEdges: Int32Array;
  private storeY: Float64Array;
  /** How often the state had to be rebuilt from the samples after a numerically failed downdate. */
  rebuilds = 0;

  /**
   * @param d number of edge features (see `EdgeSpace.d`)
   * @param edgesPerTour number of ones in every sample's indicator vector
   */
  constructor(d: number, edgesPerTour: number, options: EdgeBlrOptions = {}) {
    if (!Number.isInteger(d) || d < 1) throw new OptionError("d", `EdgeBlr: d must be a positive integer, got ${d}`);
    if (!Number.isInteger(edgesPerTour) || edgesPerTour < 1 || edgesPerTour > d) {
      throw new OptionError("edgesPerTour", `EdgeBlr: edgesPerTour must be an integer in 1..${d}, got ${edgesPerTour}`);
    }
    const lambda = options.lambda ?? 1e-3;
    if (!(lambda > 0) || !Number.isFinite(lambda)) throw new OptionError("lambda", `EdgeBlr: lambda must be > 0, got ${lambda}`);
    const minNoise = options.minNoiseVariance ?? 0;
    const relFloor = options.relativeNoiseFloor ?? 1e-12;
    if (!(minNoise >= 0) || !Number.isFinite(minNoise)) {
      throw new OptionError("minNoiseVariance", `EdgeBlr: minNoiseVariance must be >= 0, got ${minNoise}`);
    }
    if (!(relFloor >= 0) || !Number.isFinite(relFloor)) {
      throw new OptionError("relativeNoiseFloor", `EdgeBlr: relativeNoiseFloor must be >= 0, got ${relFloor}`);
    }
    this.d = d;
    this.edgesPerTour = edgesPerTour;
    this.lambda = lambda;
    this.minNoiseVariance = minNoise;
    this.relativeNoiseFloor = relFloor;
    this.u = new Float64Array(d * d);
    const sq = 1 / Math.sqrt(lambda);
    for (let i = 0; i < d; i++) this.u[i * d + i] = sq;
    this.v = new Float64Array(d);
    this.w = new Float64Array(d);
    this.zty = new Float64Array(d);
    this.cnt = new Float64Array(d);
    this.lz = new Float64Array(d);
    this.g = new Float64Array(d);
    this.x = new Float64Array(d);
    this.mu = new Float64Array(d);
    this.theta = new Float64Array(d);
    this.mark = new Uint8Array(d);
    const cap = Math.max(1, options.capacity ?? 64);
    this.storeEdges = new Int32Array(cap * edgesPerTour);
    this.storeY = new Float64Array(cap);
  }

  /** Number of samples added. */
  get n(): number {
    return this.count;
  }

  /** Mean observed cost (0 before any sample). */
  get meanCost(): number {
    return this.ybar;
  }

  /**
   * Add one observation: the tour with edge indices `edges` (exactly `edgesPerTour` distinct
   * indices in 0..d-1) cost `y`. O(d^2), no allocation (but for the amortised sample store).
   */
  addSample(edges: ArrayLike<number>, y: number): void {
    const d = this.d;
    const m = this.edgesPerTour;
    if (edges.length !== m) throw new RangeError(`EdgeBlr.addSample: expected ${m} edges, got ${edges.length}`);
    if (!Number.isFinite(y)) throw new RangeError(`EdgeBlr.addSample: cost must be finite, got ${y}`);
    const mark = this.mark;
    let bad = -1;
    for (let t = 0; t < m; t++) {
      const e = edges[t];
      if (!Number.isInteger(e) || e < 0 || e >= d || mark[e]) {
        bad = t;
        break;
      }
      mark[e] = 1;
    }
    for (let t = 0; t < m; t++) {
      const e = edges[t];
      if (Number.isInteger(e) && e >= 0 && e < d) mark[e] = 0;
    }
    if (bad >= 0) {
      throw new RangeError(`EdgeBlr.addSample: edge ${edges[bad]} at position ${bad} is out of range or repeated`);
    }

    const u = this.u;
    const lz = this.lz;
    const g = this.g;
    // lz = L^T z: lz_k = sum_e L[e][k] = sum_e U[k*d+e] (nonzero for k <= e only)
    lz.fill(0);
    for (let t = 0; t < m; t++) {
      const e = edges[t];
      for (let k = 0; k <= e; k++) lz[k] += u[k * d + e];
    }
    // g = A z = L lz; h = z^T A z = |lz|^2
    g.fill(0);
    let h = 0;
    for (let k = 0; k < d; k++) {
      const lk = lz[k];
      if (lk === 0) continue;
      h += lk * lk;
      const row = k * d;
      for (let i = k; i < d; i++) g[i] += u[row + i] * lk;
    }
    let zv = 0;
    let zw = 0;
    for (let t = 0; t < m; t++) {
      const e = edges[t];
      zv += this.v[e];
      zw += this.w[e];
    }
    const s = 1 / (1 + h);
    // RLS for v = A Z^T y and w = A Z^T 1: gain A_new z = g s
    const kv = s * (y - zv);
    const kw = s * (1 - zw);
    const v = this.v;
    const w = this.w;
    for (let i = 0; i < d; i++) {
      v[i] += g[i] * kv;
      w[i] += g[i] * kw;
    }
    for (let t = 0; t < m; t++) {
      const e = edges[t];
      this.zty[e] += y;
      this.cnt[e] += 1;
    }
    this.count++;
    const delta = y - this.ybar;
    this.ybar += delta / this.count;
    this.m2 += delta * (y - this.ybar);
    this.store(edges, y);
    // A <- A - g' g'^T, g' = g sqrt(s), as a downdate of L
    const r = Math.sqrt(s);
    for (let i = 0; i < d; i++) g[i] *= r;
    if (!this.downdate(g)) this.rebuild();
  }

  /** Rank-one downdate of L (L L^T <- L L^T - g g^T); false if a pivot breaks down. */
  private downdate(gIn: Float64Array): boolean {
    const d = this.d;
    const u = this.u;
    const x = this.x;
    x.set(gIn);
    for (let k = 0; k < d; k++) {
      const row = k * d;
      const xk = x[k];
      if (xk === 0) continue; // the rotation is the identity for this column
      const lkk = u[row + k];
      const r2 = (lkk - xk) * (lkk + xk);
      if (!(r2 > lkk * lkk * 1e-14)) return false;
      const rk = Math.sqrt(r2);
      const c = rk / lkk;
      const sn = xk / lkk;
      const ic = 1 / c;
      u[row + k] = rk;
      for (let i = k + 1; i < d; i++) {
        const l = (u[row + i] - sn * x[i]) * ic;
        u[row + i] = l;
        x[i] = c * x[i] - sn * l;
      }
    }
    return true;
  }

  /** Rebuild L, v and w from the stored samples (fallback after a failed downdate, O(d^3)). */
  private rebuild(): void {
    const d = this.d;
    const { precision, zty, cnt } = this.normalEquations();
    if (!choleskyInPlace(precision, d)) throw new Error("EdgeBlr: precision matrix not positive definite");
    const a = choleskyInverse(precision, d);
    const v = Float64Array.from(zty);
    const w = Float64Array.from(cnt);
    choleskySolveInPlace(precision, d, v);
    choleskySolveInPlace(precision, d, w);
    if (!choleskyInPlace(a, d)) throw new Error("EdgeBlr: covariance lost positive definiteness");
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) this.u[k * d + i] = i >= k ? a[i * d + k] : 0;
    this.v.set(v);
    this.w.set(w);
    this.rebuilds++;
  }

  /** lambda I + Z^T Z, Z^T y and Z^T 1 from the stored samples. */
  private normalEquations(): { precision: Float64Array; zty: Float64Array; cnt: Float64Array } {
    const d = this.d;
    const m = this.edgesPerTour;
    const precision = new Float64Array(d * d);
    for (let i = 0; i < d; i++) precision[i * d + i] = this.lambda;
    const zty = new Float64Array(d);
    const cnt = new Float64Array(d);
    for (let s = 0; s < this.count; s++) {
      const base = s * m;
      for (let t = 0; t < m; t++) {
        const e = this.storeEdges[base + t];
        zty[e] += this.storeY[s];
        cnt[e] += 1;
        for (let q = 0; q < m; q++) precision[e * d + this.storeEdges[base + q]] += 1;
      }
    }
    return { precision, zty, cnt };
  }

  private store(edges: ArrayLike<number>, y: number): void {
    const m = this.edgesPerTour;
    const i = this.count - 1;
    if (i >= this.storeY.length) {
      const cap = this.storeY.length * 2;
      const e2 = new Int32Array(cap * m);
      e2.set(this.storeEdges);
      const y2 = new Float64Array(cap);
      y2.set(this.storeY);
      this.storeEdges = e2;
      this.storeY = y2;
    }
    for (let t = 0; t < m; t++) this.storeEdges[i * m + t] = edges[t];
    this.storeY[i] = y;
  }

  /** Prior mean per edge, ybar / edgesPerTour. */
  get priorMean(): number {
    return this.ybar / this.edgesPerTour;
  }

  /**
   * Current noise variance estimate sigma2 = max(floor, S / n) (class comment); the floor
   * alone before any sample.
   */
  noiseVariance(): number {
    const n = this.count;
    const floor = this.floor();
    if (n === 0) return floor;
    const d = this.d;
    const ybar = this.ybar;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += (this.v[i] - ybar * this.w[i]) * (this.zty[i] - ybar * this.cnt[i]);
    const s = this.m2 - dot;
    return Math.max(floor, s / n);
  }

  private floor(): number {
    const n = this.count;
    const ms = n === 0 ? 0 : this.ybar * this.ybar + this.m2 / n;
    const f = Math.max(this.minNoiseVariance, this.relativeNoiseFloor * ms);
    return f > 0 ? f : 1e-300;
  }

  /** Posterior mean mu (a reused buffer, valid until the next call of mean()). O(d). */
  mean(): Float64Array {
    const d = this.d;
    const c = this.priorMean;
    const ybar = this.ybar;
    const mu = this.mu;
    for (let i = 0; i < d; i++) mu[i] = c + this.v[i] - ybar * this.w[i];
    return mu;
  }

  /**
   * Thompson sample theta ~ N(mu, scale^2 sigma2 A) = mu + scale sigma L xi, xi ~ N(0, I) from
   * `rng`. Writes a reused buffer (valid until the next sample()) and returns it. O(d^2).
   * @param scale exploration multiplier on the posterior standard deviation (default 1; 0
   *   returns the mean).
   */
  sample(rng: Random, scale = 1): Float64Array {
    if (!(scale >= 0) || !Number.isFinite(scale)) throw new OptionError("scale", `EdgeBlr.sample: scale must be >= 0, got ${scale}`);
    const d = this.d;
    const th = this.theta;
    const xi = this.x;
    const u = this.u;
    for (let i = 0; i < d; i++) xi[i] = rng.normal();
    th.fill(0);
    for (let k = 0; k < d; k++) {
      const row = k * d;
      const xk = xi[k];
      for (let i = k; i < d; i++) th[i] += u[row + i] * xk;
    }
    const f = scale * Math.sqrt(this.noiseVariance());
    const c = this.priorMean;
    const ybar = this.ybar;
    for (let i = 0; i < d; i++) th[i] = c + this.v[i] - ybar * this.w[i] + f * th[i];
    return th;
  }

  /** Posterior mean cost of the tour with edge indices `edges`: sum_e mu_e. O(m). */
  predict(edges: ArrayLike<number>): number {
    const c = this.priorMean;
    const ybar = this.ybar;
    let s = 0;
    for (let t = 0; t < edges.length; t++) {
      const e = edges[t];
      s += c + this.v[e] - ybar * this.w[e];
    }
    return s;
  }

  /**
   * Posterior variance of the tour's cost sigma2 z^T A z = sigma2 |L^T z|^2, plus the noise
   * sigma2 when `includeNoise` (the predictive variance of a new evaluation). O(m d).
   */
  predictVariance(edges: ArrayLike<number>, includeNoise = false): number {
    const d = this.d;
    const lz = this.lz;
    lz.fill(0);
    for (let t = 0; t < edges.length; t++) {
      const e = edges[t];
      for (let k = 0; k <= e; k++) lz[k] += this.u[k * d + e];
    }
    let q = 0;
    for (let k = 0; k < d; k++) q += lz[k] * lz[k];
    return this.noiseVariance() * (includeNoise ? 1 + q : q);
  }

  /** The posterior covariance sigma2 L L^T (d x d row-major, a new array; O(d^3), for tests). */
  covariance(): Float64Array {
    const d = this.d;
    const s2 = this.noiseVariance();
    const u = this.u;
    const c = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        let acc = 0;
        for (let k = 0; k <= i; k++) acc += u[k * d + i] * u[k * d + j];
        c[i * d + j] = s2 * acc;
        c[j * d + i] = s2 * acc;
      }
    return c;
  }

  /** A copy of the lower Cholesky factor of the covariance, sigma L (d x d row-major). */
  covarianceFactor(): Float64Array {
    const d = this.d;
    const s = Math.sqrt(this.noiseVariance());
    const l = new Float64Array(d * d);
    for (let k = 0; k < d; k++) for (let i = k; i < d; i++) l[i * d + k] = s * this.u[k * d + i];
    return l;
  }

  /**
   * Solve the same posterior from scratch from the stored samples (O(n m^2 + d^3)), without
   * changing the state: mean, covariance and noise variance, by the same definitions. For
   * tests and for checking drift.
   */
  refit(): EdgeBlrFit {
    const d = this.d;
    const m = this.edgesPerTour;
    const n = this.count;
    const lambda = this.lambda;
    let ybar = 0;
    for (let i = 0; i < n; i++) ybar += this.storeY[i];
    ybar = n > 0 ? ybar / n : 0;
    const c = ybar / m;
    const p = new Float64Array(d * d);
    for (let i = 0; i < d; i++) p[i * d + i] = lambda;
    const b = new Float64Array(d); // Z^T (y - Z m0) = Z^T (y - ybar)
    for (let s = 0; s < n; s++) {
      const base = s * m;
      const yc = this.storeY[s] - ybar;
      for (let t = 0; t < m; t++) {
        const e = this.storeEdges[base + t];
        b[e] += yc;
        for (let q = 0; q < m; q++) p[e * d + this.storeEdges[base + q]] += 1;
      }
    }
    if (!choleskyInPlace(p, d)) throw new Error("EdgeBlr.refit: precision matrix not positive definite");
    choleskySolveInPlace(p, d, b); // b = theta' = mu - m0
    const mean = new Float64Array(d);
    for (let i = 0; i < d; i++) mean[i] = c + b[i];
    // S = ||y - Z mu||^2 + lambda ||mu - m0||^2, computed directly
    let sres = 0;
    let ms = 0;
    for (let s = 0; s < n; s++) {
      let pred = 0;
      for (let t = 0; t < m; t++) pred += mean[this.storeEdges[s * m + t]];
      const r = this.storeY[s] - pred;
      sres += r * r;
      ms += this.storeY[s] * this.storeY[s];
    }
    for (let i = 0; i < d; i++) sres += lambda * b[i] * b[i];
    let floor = 0;
    if (n > 0) floor = Math.max(this.minNoiseVariance, this.relativeNoiseFloor * (ms / n));
    if (!(floor > 0)) floor = 1e-300;
    const noiseVariance = n === 0 ? floor : Math.max(floor, sres / n);
    const covariance = choleskyInverse(p, d);
    for (let i = 0; i < covariance.length; i++) covariance[i] *= noiseVariance;
    return { mean, covariance, noiseVariance };
  }
}
