import type { Random } from "../../util/random.js";
import { lbfgs } from "./lbfgs.js";
import type { TourSamples } from "./samples.js";

/**
 * The geometry layer of the edge model: most route costs are close to distances between
 * places, so the cost of edge a -> b is modelled as
 *
 *   g(a, b) = sqrt(|x_a - x_b|^2 + eps^2) + c + alpha P(a, b)
 *
 * with learned positions x_a in the plane (2N parameters instead of one per edge), a learned
 * per-edge offset c, and, when the caller gives a prior cost matrix P (a stale distance matrix,
 * straight-line distances from coordinates), a learned weight alpha of it. eps = 1e-4 times the
 * typical edge cost keeps the gradient finite where two positions meet.
 *
 * ## Fit
 *
 * Least squares over the samples, L(p) = (1/m) sum_t (sum_{e in T_t} g_e - y_t)^2, by L-BFGS
 * (lbfgs.ts), warm-started from the previous fit. The sum over a sample's edges goes through
 * the distinct edges (TourSamples): one distance per distinct edge, then one pass of index
 * additions per sample, O(U + m N) per evaluation. With more than `fitSamples` samples, the fit
 * uses the newest half and the cheapest half of the rest (the region the search cares about).
 *
 * The objective is not convex (positions can fold over), so a fit is improved by two moves,
 * each kept only when it lowers the loss:
 * - a reflection hop: the positions on one side of a random line through a random city are
 *   mirrored across it, then refitted (undoes a fold, the typical local minimum);
 * - a restart: fresh random positions, refitted.
 * The proposer decides when to spend them (src/methods/edge/proposer.ts).
 */
export class Geometry {
  /** Dimensions of the positions. */
  static readonly D = 2;
  /** Parameters: positions (N*D), then c, then alpha when there is a prior. */
  params: Float64Array;
  /** Typical cost of one edge (mean sample cost / edges per tour); sets scales. */
  scale = 1;
  /** Loss of `params` on the current fit set (NaN before the first fit). */
  loss = NaN;
  private w = new Float64Array(0);
  private G = new Float64Array(0);
  private priorOfEdge = new Float64Array(0);
  private fitSet: Int32Array = new Int32Array(0);

  constructor(
    private readonly samples: TourSamples,
    /** n x n prior cost matrix (symmetrised for symmetric spaces), or null. */
    private readonly prior: Float64Array | null,
    /** Samples used by one fit at most (see the class comment). */
    private readonly fitSamples: number,
  ) {
    const n = samples.space.n;
    this.params = new Float64Array(n * Geometry.D + (prior ? 2 : 1));
  }

  /** Number of parameters. */
  get size(): number {
    return this.params.length;
  }

  private get n(): number {
    return this.samples.space.n;
  }

  /** Fresh random positions, uniform in a square of side scale * sqrt(N) / 2; offset and prior weight 0. */
  randomParams(rng: Random): Float64Array {
    const n = this.n;
    const p = new Float64Array(this.params.length);
    const side = (this.scale * Math.sqrt(n)) / 2;
    for (let i = 0; i < n * Geometry.D; i++) p[i] = (rng.float() - 0.5) * side;
    return p;
  }

  /**
   * Start: `scale` from the samples so far; positions random, or with a prior the classical
   * multidimensional scaling of the prior (its best planar picture), scaled so that its mean
   * distance is the mean edge cost of the samples, and prior weight 0: the fit then decides how
   * much of the prior to keep as a matrix, how much as positions, and a useless prior's picture
   * is just another start that hops and restarts can leave.
   */
  initialise(rng: Random): void {
    const s = this.samples;
    let mean = 0;
    for (let t = 0; t < s.count; t++) mean += s.costs[t];
    mean = s.count > 0 ? mean / s.count : 1;
    this.scale = Math.abs(mean) / s.width || 1;
    this.params = this.randomParams(rng);
    if (this.prior) {
      const n = this.n;
      const xy = classicalMds(this.prior, n, rng);
      let md = 0;
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) md += Math.hypot(xy[2 * a] - xy[2 * b], xy[2 * a + 1] - xy[2 * b + 1]);
      md /= (n * (n - 1)) / 2;
      if (md > 0) for (let i = 0; i < 2 * n; i++) this.params[i] = (xy[i] * this.scale) / md;
      this.params[n * Geometry.D + 1] = 0;
    }
    this.loss = NaN;
  }

  /** Choose the samples of the next fits (all of them, or newest + cheapest; see the class comment). */
  selectFitSet(): void {
    const m = this.samples.count;
    if (m <= this.fitSamples) {
      this.fitSet = Int32Array.from({ length: m }, (_, i) => i);
    } else {
      const newest = Math.floor(this.fitSamples / 2);
      const rest = Array.from({ length: m - newest }, (_, i) => i);
      rest.sort((a, b) => this.samples.costs[a] - this.samples.costs[b] || a - b);
      const chosen = rest.slice(0, this.fitSamples - newest);
      for (let t = m - newest; t < m; t++) chosen.push(t);
      this.fitSet = Int32Array.from(chosen.sort((a, b) => a - b));
    }
    this.loss = NaN;
  }

  /** Loss and gradient at p over the fit set (the objective of every fit). */
  private lossGrad(p: Float64Array, g: Float64Array): number {
    const s = this.samples;
    const n = this.n;
    const U = s.edgeCount;
    if (this.w.length < U) {
      this.w = new Float64Array(s.from.length);
      this.G = new Float64Array(s.from.length);
    }
    this.extendPrior();
    const { w, G } = this;
    const c = p[n * 2];
    const alpha = this.prior ? p[n * 2 + 1] : 0;
    const eps2 = 1e-8 * this.scale * this.scale;
    const from = s.from;
    const to = s.to;
    for (let u = 0; u < U; u++) {
      const a = 2 * from[u];
      const b = 2 * to[u];
      const dx = p[a] - p[b];
      const dy = p[a + 1] - p[b + 1];
      w[u] = Math.sqrt(dx * dx + dy * dy + eps2);
      G[u] = 0;
    }
    const width = s.width;
    const set = this.fitSet;
    const m = set.length;
    const E = s.edges;
    const pe = this.priorOfEdge;
    const hasPrior = this.prior !== null;
    let L = 0;
    let gc = 0;
    let ga = 0;
    for (let k = 0; k < m; k++) {
      const t = set[k];
      const off = t * width;
      let f = width * c;
      let fp = 0;
      for (let i = 0; i < width; i++) {
        const e = E[off + i];
        f += w[e];
        if (hasPrior) fp += pe[e];
      }
      f += alpha * fp;
      const r = f - s.costs[t];
      L += r * r;
      const z = (2 * r) / m;
      gc += z * width;
      ga += z * fp;
      for (let i = 0; i < width; i++) G[E[off + i]] += z;
    }
    g.fill(0);
    g[n * 2] = gc;
    if (this.prior) g[n * 2 + 1] = ga;
    for (let u = 0; u < U; u++) {
      const Gu = G[u];
      if (Gu === 0) continue;
      const a = 2 * from[u];
      const b = 2 * to[u];
      const r = Gu / w[u];
      const dx = (p[a] - p[b]) * r;
      const dy = (p[a + 1] - p[b + 1]) * r;
      g[a] += dx;
      g[a + 1] += dy;
      g[b] -= dx;
      g[b + 1] -= dy;
    }
    return L / m;
  }

  private extendPrior(): void {
    if (!this.prior) return;
    const s = this.samples;
    if (this.priorOfEdge.length < s.from.length) {
      const bigger = new Float64Array(s.from.length).fill(NaN);
      bigger.set(this.priorOfEdge);
      this.priorOfEdge = bigger;
      this.priorFilled = Math.min(this.priorFilled, this.priorOfEdge.length);
    }
    const n = this.n;
    for (let u = this.priorFilled; u < s.edgeCount; u++) this.priorOfEdge[u] = this.prior[s.from[u] * n + s.to[u]];
    this.priorFilled = s.edgeCount;
  }
  private priorFilled = 0;

  /** Loss of p over the fit set. */
  lossOf(p: Float64Array): number {
    return this.lossGrad(p, new Float64Array(p.length));
  }

  /** Warm fit: at most `iterations` L-BFGS iterations from the current parameters. Returns the loss. */
  fit(iterations: number): number {
    if (this.fitSet.length === 0) return (this.loss = NaN);
    const r = lbfgs((x, g) => this.lossGrad(x, g), this.params, { maxIterations: iterations, tolerance: 1e-7 });
    return (this.loss = r.value);
  }

  /** Try parameters `p` (fitted for `iterations`); keep them if their loss is below `factor` x the current. */
  private tryParams(p: Float64Array, iterations: number, factor: number): boolean {
    const r = lbfgs((x, g) => this.lossGrad(x, g), p, { maxIterations: iterations, tolerance: 1e-7 });
    const current = Number.isNaN(this.loss) ? this.lossOf(this.params) : this.loss;
    if (r.value < factor * current) {
      this.params = p;
      this.loss = r.value;
      return true;
    }
    return false;
  }

  /** A reflection hop (see the class comment); returns whether it was kept. */
  hop(rng: Random, iterations: number): boolean {
    const n = this.n;
    const p = this.params.slice();
    const pivot = rng.int(n);
    const theta = rng.float() * Math.PI;
    const ux = Math.cos(theta);
    const uy = Math.sin(theta);
    const cx = p[2 * pivot];
    const cy = p[2 * pivot + 1];
    for (let b = 0; b < n; b++) {
      const dx = p[2 * b] - cx;
      const dy = p[2 * b + 1] - cy;
      if (dx * uy - dy * ux > 0) {
        const proj = dx * ux + dy * uy;
        p[2 * b] = cx + 2 * proj * ux - dx;
        p[2 * b + 1] = cy + 2 * proj * uy - dy;
      }
    }
    return this.tryParams(p, iterations, 1);
  }

  /** A restart from random positions at full scale (offset and prior weight kept); kept if the loss drops below 0.9 x. */
  restart(rng: Random, iterations: number): boolean {
    const n = this.n;
    const p = this.randomParams(rng);
    for (let i = n * Geometry.D; i < p.length; i++) p[i] = this.params[i];
    return this.tryParams(p, iterations, 0.9);
  }

  /** g(a, b) for the current parameters. */
  edge(a: number, b: number): number {
    const p = this.params;
    const n = this.n;
    const dx = p[2 * a] - p[2 * b];
    const dy = p[2 * a + 1] - p[2 * b + 1];
    let v = Math.sqrt(dx * dx + dy * dy + 1e-8 * this.scale * this.scale) + p[n * 2];
    if (this.prior) v += p[n * 2 + 1] * this.prior[a * n + b];
    return v;
  }

  /** W[a*n+b] = g(a, b) (diagonal 0). */
  fillMatrix(W: Float64Array): void {
    const n = this.n;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) W[a * n + b] = a === b ? 0 : this.edge(a, b);
  }

  /** The geometry's prediction of every stored sample (sum of g over its edges). */
  predictSamples(out = new Float64Array(this.samples.count)): Float64Array {
    const s = this.samples;
    const U = s.edgeCount;
    const ge = new Float64Array(U);
    for (let u = 0; u < U; u++) ge[u] = this.edge(s.from[u], s.to[u]);
    const width = s.width;
    for (let t = 0; t < s.count; t++) {
      let f = 0;
      for (let i = 0; i < width; i++) f += ge[s.edges[t * width + i]];
      out[t] = f;
    }
    return out;
  }
}

/**
 * Classical multidimensional scaling of an n x n dissimilarity matrix D (symmetrised) to the
 * plane: B = -1/2 J (D o D) J (J the centring matrix), its two leading eigenvectors by power
 * iteration with deflation (200 iterations, a random start), scaled by the square roots of
 * their eigenvalues (0 for a negative one). Returns x0, y0, x1, y1, ...
 */
export function classicalMds(D: Float64Array, n: number, rng: Random): Float64Array {
  const B = new Float64Array(n * n);
  const row = new Float64Array(n);
  let total = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const d = a === b ? 0 : (D[a * n + b] + D[b * n + a]) / 2;
      const q = d * d;
      B[a * n + b] = q;
      row[a] += q / n;
      total += q / (n * n);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) B[a * n + b] = -0.5 * (B[a * n + b] - row[a] - row[b] + total);
  const out = new Float64Array(2 * n);
  const vectors: Float64Array[] = [];
  for (let k = 0; k < 2; k++) {
    let v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.float() - 0.5;
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(n);
      for (let a = 0; a < n; a++) {
        let sum = 0;
        for (let b = 0; b < n; b++) sum += B[a * n + b] * v[b];
        w[a] = sum;
      }
      for (const u of vectors) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += w[i] * u[i];
        for (let i = 0; i < n; i++) w[i] -= dot * u[i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += w[i] * w[i];
      norm = Math.sqrt(norm);
      if (norm === 0) break;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * w[i];
      lambda = dot;
      for (let i = 0; i < n; i++) w[i] /= norm;
      v = w;
    }
    vectors.push(v);
    const f = Math.sqrt(Math.max(0, lambda));
    for (let i = 0; i < n; i++) out[2 * i + k] = v[i] * f;
  }
  return out;
}
