import { permSearch } from "../../anneal/perm.js";
import { candidateLists, tourIls } from "../../anneal/tour-ils.js";
import type { FmModel } from "../../fm/model.js";
import type { FmTrainer } from "../../fm/trainer.js";
import { Candidates, TourProposer, type ProposeContext } from "../../loop/proposer.js";
import { edgeIndex, type EdgeSpace } from "../../tsp/edge-space.js";
import { perturbTour, randomSpaceTour, spaceTourKey } from "../../tsp/tour-space.js";
import type { Random } from "../../util/random.js";
import { Geometry } from "./geometry.js";
import { ResidualGp } from "./residual-gp.js";
import { TourSamples } from "./samples.js";

/** Settings of the `edge` method (defaults and their measurements: src/methods/edge/method.ts). */
export interface EdgeSettings {
  /** Scale of the Thompson samples' spread (default 1; 0: posterior mean). */
  exploration: number;
  /** Noise-to-prior variance ratio of the per-edge residual layer (default 1e-3). */
  lambda: number;
  /** Extra iterated-local-search runs from random tours per global proposal (default 0). */
  randomStarts: number;
  /** Rank of an FM over pairs of edges fitted to what the geometry leaves; 0 = off (default). */
  interactions: number;
  /** Training epochs of that FM per round (warm-started). */
  interactionEpochs: number;
  /** The run's budget of evaluations: small budgets favour steps around the best tour. */
  budget: number;
  /** n x n prior cost matrix (symmetrised for symmetric costs), or null. */
  prior: Float64Array | null;
}

/** What the proposer made of a tour it proposed, to score the model when the cost comes back. */
interface Pending {
  kind: "global" | "local";
  prediction: number;
}

/** Tunables of the proposal schedule (measured in bench/edge-scale.mjs; see the class comment). */
const PLAN = {
  /** Warm L-BFGS iterations per round, before and after the geometry is validated. */
  warmIterations: 100,
  validatedIterations: 30,
  /** Iterations of a reflection hop and of a random restart. */
  hopIterations: 100,
  restartIterations: 500,
  /** A restart every this many samples while the geometry is not validated. */
  restartEvery: 25,
  /** Median relative error of the last `window` global proposals below which the geometry is validated. */
  validationTolerance: 0.02,
  window: 5,
  /** Candidate neighbours per city (plus the best tour's two neighbours). */
  candidates: 8,
  /** Budgets below localBudget * N are spent on trust-region steps only (too few samples to identify and then use a geometry). */
  localBudget: 3,
  /** Distinct local optima the search returns per call. */
  pool: 8,
  /** Samples one geometry fit uses at most: max(minFitSamples, fitPerCity * N). */
  minFitSamples: 400,
  fitPerCity: 6,
};

/**
 * The `edge` method: a model of the cost whose size grows with the cities and the samples,
 * never with the square of the edges, and a search over tours on it.
 *
 * ## Model (docs/design.md, "The edge model")
 *
 *   cost(tour) = sum over its edges e = a -> b of  g(a, b) + r_e  (+ FM term over pairs of edges)
 *
 * - g, the geometry layer (geometry.ts): distances between learned positions in the plane, a
 *   per-edge offset, and the caller's prior cost matrix times a learned weight. 2N + 2
 *   parameters, fitted by L-BFGS to the costs seen.
 * - r, the residual layer (residual-gp.ts): independent per-edge residuals with prior scale tau,
 *   as a Gaussian process over tours (shared edges), exact posterior means and samples from an
 *   m x m factor. It makes the model exact on what it has seen and lets it learn costs that no
 *   geometry explains (one-way streets, non-metric matrices).
 *
 * How much the geometry is trusted comes from the data: every proposal's cost is compared with
 * what the model predicted for it before it was evaluated. The geometry is *validated* when the
 * median relative error of the last five global proposals is below 2%. tau, the spread of the
 * Thompson samples, is the root mean square of those prediction errors per edge (0 for global
 * proposals before validation: an unvalidated geometry's optimum is proposed as it is, which
 * is what identifies the geometry fastest).
 *
 * ## Proposals
 *
 * - global: the best unseen tour among the distinct local optima that an iterated local search
 *   (anneal/tour-ils.ts, candidate lists from the sampled matrix plus the best tour's edges)
 *   finds from the best tour on a Thompson sample of the model;
 * - local: at most R improving moves from the best tour on a Thompson sample (a trust region);
 *   R grows by half after a proposal that improved the best tour and halves after three that did
 *   not.
 * Which one: local when the budget is below N (too few evaluations to identify N positions);
 * otherwise global for the first min(3N, budget/2) samples (identification), then global while
 * the geometry is validated and alternately local and global while it is not.
 * When the search finds nothing unseen: perturbations of the best tour, then random tours.
 */
export class EdgeProposer extends TourProposer {
  readonly method: string;
  private readonly samples: TourSamples;
  private readonly geometry: Geometry;
  private readonly gp: ResidualGp;
  private readonly W: Float64Array;
  private best: { tour: number[]; value: number } | null = null;
  private initialised = false;
  private lastRestart = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly globalErrors: { relative: number; squared: number }[] = [];
  private radius = 1;
  private failures = 0;
  private fm: FmModel | null = null;
  private fmSamples: Uint8Array[] = [];

  constructor(
    private readonly space: EdgeSpace,
    private readonly settings: EdgeSettings,
    private readonly trainer: FmTrainer | null,
  ) {
    super(space.n, space.symmetric);
    this.samples = new TourSamples(space);
    this.geometry = new Geometry(this.samples, settings.prior, Math.max(PLAN.minFitSamples, PLAN.fitPerCity * space.n));
    this.gp = new ResidualGp(this.samples, settings.lambda);
    this.W = new Float64Array(space.n * space.n);
    this.method = `edge${space.symmetric ? "" : ":asym"}${space.closed ? "" : `:path(${space.start ?? "*"},${space.end ?? "*"})`}${settings.interactions ? `:fm${settings.interactions}` : ""}${settings.prior ? ":prior" : ""}`;
  }

  /** Closed tours as `TourProposer` keys them; open paths by `spaceTourKey`. */
  override key(tour: number[]): string {
    return spaceTourKey(this.space, tour);
  }

  /**
   * Random tours of the space (fixed ends kept); with a prior, first the distinct local optima
   * of the prior itself (the best tour the caller's matrix knows, and its neighbours).
   */
  override initial(count: number, rng: Random, seen: ReadonlySet<string>): number[][] {
    const out = new Candidates((t: number[]) => this.key(t), seen);
    if (this.settings.prior && count > 0) {
      const prior = this.settings.prior;
      const problem = this.searchProblem(prior);
      const { candidates, k } = candidateLists(problem, PLAN.candidates);
      const found = tourIls(problem, randomSpaceTour(this.space, rng), { candidates, k, kicks: Math.min(2000, 20 * this.space.n), seed: rng.seed(), pool: Math.min(64, count) });
      for (const t of found.tours) if (out.length < count) out.take(t);
    }
    out.fill(count, () => randomSpaceTour(this.space, rng));
    return out.points;
  }

  observe(tour: number[], value: number): void {
    const key = this.key(tour);
    const pending = this.pending.get(key);
    const before = this.best?.value ?? Infinity;
    if (pending) {
      this.pending.delete(key);
      const error = value - pending.prediction;
      if (pending.kind === "global") this.globalErrors.push({ relative: Math.abs(error) / Math.max(Math.abs(value), 1e-300), squared: error * error });
      else if (value < before) {
        this.radius = Math.min(this.space.n, Math.ceil(this.radius * 1.5));
        this.failures = 0;
      } else if (++this.failures >= 3) {
        this.radius = Math.max(1, Math.floor(this.radius / 2));
        this.failures = 0;
      }
    }
    this.samples.add(tour, value);
    if (this.settings.interactions > 0) this.fmSamples.push(this.indicators(tour));
    if (value < before) this.best = { tour: tour.slice(), value };
  }

  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    const out = new Candidates((t: number[]) => this.key(t), ctx.seen);
    if (this.samples.count === 0 || this.best === null) {
      out.fill(q, () => randomSpaceTour(this.space, ctx.rng));
      return out.points;
    }
    const t0 = performance.now();
    this.noteRoundTime(t0, ctx.deadline);
    const validated = this.validated();
    // The geometry is fitted only when a proposal of this round uses it: a global proposal, or a
    // step on a validated geometry (an unvalidated one is not used for steps).
    const kinds = Array.from({ length: q }, (_, c) => this.chooseKind(validated, c));
    const useGeometry = validated || kinds.includes("global");
    const residuals = useGeometry ? this.fitModel(ctx) : this.flatResiduals(this.meanEdgeCost());
    if (!useGeometry) this.gp.update();
    const fmTerm = useGeometry ? await this.fitInteractions(residuals, ctx) : null;
    const alpha = this.gp.weights(residuals);
    ctx.timings.train += (performance.now() - t0) / 1000;

    for (let c = 0; c < q && out.length < q; c++) {
      const kind = kinds[c];
      const tau = this.tau(kind, validated);
      const t1 = performance.now();
      if (kind === "local" && !validated) {
        // Steps are not taken on an unvalidated geometry (its structure is still arbitrary):
        // the residual layer alone, around the mean edge cost, i.e. the edge regression.
        const mean = this.meanEdgeCost();
        this.W.fill(mean);
        for (let a = 0, n = this.space.n; a < n; a++) this.W[a * n + a] = 0;
        this.gp.addTo(this.W, this.flatResiduals(mean), 0, ctx.rng);
      } else {
        this.geometry.fillMatrix(this.W);
        if (fmTerm) this.addFmLinear();
        this.gp.addTo(this.W, residuals, tau, ctx.rng);
      }
      const t2 = performance.now();
      const found = kind === "local" ? this.localSearch(ctx) : fmTerm ? this.fmSearch(fmTerm, ctx) : this.globalSearch(ctx);
      ctx.timings.train += (t2 - t1) / 1000;
      ctx.timings.anneal += (performance.now() - t2) / 1000;
      for (const t of found) {
        if (out.take(t)) {
          this.pending.set(this.key(t), { kind, prediction: useGeometry ? this.predict(t, alpha) : this.predictFlat(t, alpha) });
          break;
        }
      }
    }
    // Nothing unseen from the search: perturb the best tour, then random tours.
    const base = this.best.tour;
    out.fill(q, (attempt) => perturbTour(this.space, base, 1 + Math.floor(attempt / 50), ctx.rng), 2000);
    out.fill(q, () => randomSpaceTour(this.space, ctx.rng), 1000);
    return out.points;
  }

  /** Refit the geometry (warm, plus hops and restarts while it is not validated); the samples' residuals. */
  private fitModel(ctx: ProposeContext): Float64Array {
    const g = this.geometry;
    if (!this.initialised) {
      g.initialise(ctx.rng);
      this.initialised = true;
    }
    this.gp.update();
    g.selectFitSet();
    const validated = this.validated();
    const m = this.samples.count;
    const timeLeft = () => performance.now() < ctx.deadline;
    g.fit(validated ? PLAN.validatedIterations : PLAN.warmIterations);
    if (!validated && timeLeft()) {
      g.hop(ctx.rng, PLAN.hopIterations);
      if (m - this.lastRestart >= PLAN.restartEvery && 2 * m >= g.size && timeLeft()) {
        this.lastRestart = m;
        g.restart(ctx.rng, PLAN.restartIterations);
      }
    }
    const predicted = g.predictSamples();
    const residuals = new Float64Array(m);
    for (let t = 0; t < m; t++) residuals[t] = this.samples.costs[t] - predicted[t];
    return residuals;
  }

  private validated(): boolean {
    const e = this.globalErrors;
    if (e.length < PLAN.window) return false;
    const last = e.slice(-PLAN.window).map((x) => x.relative).sort((a, b) => a - b);
    return last[Math.floor(PLAN.window / 2)] < PLAN.validationTolerance;
  }

  /**
   * Evaluations this run can still reach: the budget, and under a time limit also the rounds
   * that fit before the deadline at the pace so far (so a time-limited run on many cities
   * plans like a small budget; only time-limited runs depend on the clock).
   */
  private effectiveBudget(): number {
    const m = this.samples.count;
    if (!Number.isFinite(this.deadline) || this.roundSeconds <= 0) return this.settings.budget;
    const left = Math.max(0, (this.deadline - performance.now()) / 1000);
    return Math.min(this.settings.budget, m + Math.floor(left / this.roundSeconds));
  }
  private deadline = Infinity;
  private lastRound = 0;
  private roundSeconds = 0;

  /** Track the wall time per round (proposal + evaluation), an exponential average. */
  private noteRoundTime(now: number, deadline: number): void {
    this.deadline = deadline;
    if (this.lastRound > 0) {
      const s = (now - this.lastRound) / 1000;
      this.roundSeconds = this.roundSeconds > 0 ? 0.8 * this.roundSeconds + 0.2 * s : s;
    }
    this.lastRound = now;
  }

  private chooseKind(validated: boolean, offset: number): "global" | "local" {
    const n = this.space.n;
    const m = this.samples.count + this.pending.size + offset;
    const budget = this.effectiveBudget();
    if (budget < PLAN.localBudget * n) return "local";
    if (m < Math.min(3 * n, budget / 2)) return "global";
    if (validated) return "global";
    return m % 2 === 0 ? "local" : "global";
  }

  /**
   * Spread of the Thompson sample: for a global proposal on a validated geometry, the model's
   * root mean square prediction error per edge (last 20 global proposals) times `exploration`;
   * otherwise 0, the posterior mean. A step around the best tour on the mean is the model's best
   * guess; noise there made the steps random (measured on asymmetric iid 25-city matrices,
   * budgets 25 and 50, 3 instances x 3 seeds: median final cost 8867 and 7579 on the mean,
   * 9281 and ~8000 with 0.3 of the error's spread, sa-2opt 9151 and 8620).
   */
  private tau(kind: "global" | "local", validated: boolean): number {
    if (kind === "local" || !validated) return 0;
    const last = this.globalErrors.slice(-20);
    const width = this.samples.width;
    return this.settings.exploration * Math.sqrt(last.reduce((s, e) => s + e.squared, 0) / last.length / width);
  }

  /** Mean cost per edge of the samples. */
  private meanEdgeCost(): number {
    const s = this.samples;
    let sum = 0;
    for (let t = 0; t < s.count; t++) sum += s.costs[t];
    return sum / s.count / s.width;
  }

  /** Residuals of the samples against a constant edge cost. */
  private flatResiduals(mean: number): Float64Array {
    const s = this.samples;
    const r = new Float64Array(s.count);
    for (let t = 0; t < s.count; t++) r[t] = s.costs[t] - mean * s.width;
    return r;
  }

  /** The search's view of the space (tour-ils problem) for a matrix. */
  private searchProblem(weights: Float64Array) {
    const s = this.space;
    return { n: s.n, weights, symmetric: s.symmetric, path: s.closed ? null : { start: s.start, end: s.end } };
  }

  /** Candidate lists of the current matrix plus the best tour's edges. */
  private candidateLists(problem: ReturnType<EdgeProposer["searchProblem"]>) {
    const t = this.best!.tour;
    const n = this.space.n;
    const extra: [number, number][] = [];
    const m = this.samples.width;
    for (let i = 0; i < m; i++) extra.push([t[i], t[(i + 1) % n]]);
    return candidateLists(problem, PLAN.candidates, extra);
  }

  private globalSearch(ctx: ProposeContext): number[][] {
    const problem = this.searchProblem(this.W);
    const { candidates, k } = this.candidateLists(problem);
    const n = this.space.n;
    const kicks = Math.min(2000, Math.max(100, 3 * n));
    const deadline = Number.isFinite(ctx.deadline) ? ctx.deadline : undefined;
    const runs = [tourIls(problem, this.best!.tour, { candidates, k, kicks, seed: ctx.rng.seed(), pool: PLAN.pool, deadline })];
    for (let r = 0; r < this.settings.randomStarts; r++) {
      runs.push(tourIls(problem, randomSpaceTour(this.space, ctx.rng), { candidates, k, kicks, seed: ctx.rng.seed(), pool: PLAN.pool, deadline }));
    }
    const all = runs.flatMap((r) => r.tours.map((t, i) => ({ t, c: r.costs[i] })));
    all.sort((a, b) => a.c - b.c);
    return all.map((x) => x.t);
  }

  private localSearch(ctx: ProposeContext): number[][] {
    const problem = this.searchProblem(this.W);
    const { candidates, k } = this.candidateLists(problem);
    const out: number[][] = [];
    for (const R of [this.radius, this.radius + 1, 2 * this.radius + 2]) {
      // Asymmetric costs: direction-preserving steps only (a reversal turns a whole stretch around).
      out.push(...tourIls(problem, this.best!.tour, { candidates, k, kicks: 0, maxMoves: R, seed: ctx.rng.seed(), reversals: this.space.symmetric }).tours);
    }
    return out;
  }

  /** The search with the FM term over pairs of edges (the full-neighbourhood kernel: small N). */
  private fmSearch(fm: { k: number; factors: Float64Array }, ctx: ProposeContext): number[][] {
    const n = this.space.n;
    const starts = [this.best!.tour, randomSpaceTour(this.space, ctx.rng)];
    for (let r = 0; r < this.settings.randomStarts; r++) starts.push(randomSpaceTour(this.space, ctx.rng));
    const tours = new Int32Array(starts.length * n);
    starts.forEach((t, r) => tours.set(t, r * n));
    const costs = new Float64Array(starts.length);
    permSearch({ space: this.space, weights: this.W, fm }, tours, costs, { seed: ctx.rng.seed() });
    const order = Array.from(costs.keys()).sort((a, b) => costs[a] - costs[b] || a - b);
    return order.map((r) => Array.from(tours.subarray(r * n, (r + 1) * n)));
  }

  /**
   * With `interactions: k` (non-additive costs, e.g. turn penalties): an FM of rank k over the
   * edge indicators, fitted to what the geometry leaves. Its prediction is taken out of the
   * residuals (the residual layer models the rest), its linear part is added to the search
   * matrix and its factors are the kernel's pairwise term. Returns that term, or null.
   * Memory O(m d) for the indicators: the method's size limit covers it.
   */
  private async fitInteractions(residuals: Float64Array, ctx: ProposeContext): Promise<{ k: number; factors: Float64Array } | null> {
    if (this.settings.interactions <= 0 || !this.trainer || this.samples.count < 10) return null;
    const targets = Array.from(residuals);
    this.fm = await this.trainer.train(this.fmSamples, targets, {
      rank: this.settings.interactions,
      epochs: this.fm ? this.settings.interactionEpochs : 4 * this.settings.interactionEpochs,
      seed: ctx.rng.seed(),
      warmStart: this.fm ?? undefined,
    });
    const qubo = this.fm.toQubo();
    // The FM's pairwise part goes to the kernel; its linear part and its prediction leave the
    // residual layer only what the FM does not explain.
    for (let t = 0; t < residuals.length; t++) residuals[t] -= this.fm.predict(this.fmSamples[t]);
    this.fmLinear = qubo.linear;
    return { k: qubo.k, factors: qubo.factors };
  }
  private fmLinear: Float64Array | null = null;

  private addFmLinear(): void {
    const lin = this.fmLinear;
    if (!lin) return;
    const { n, symmetric } = this.space;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b || (symmetric && b < a)) continue;
        const v = lin[edgeIndex(this.space, a, b)];
        this.W[a * n + b] += v;
        if (symmetric) this.W[b * n + a] += v;
      }
    }
  }

  private indicators(tour: number[]): Uint8Array {
    const z = new Uint8Array(this.space.d);
    const n = this.space.n;
    for (let i = 0; i < this.space.edgesPerTour; i++) z[edgeIndex(this.space, tour[i], tour[(i + 1) % n])] = 1;
    return z;
  }

  /** The model's posterior-mean cost of a tour (geometry + residual mean). */
  private predict(tour: number[], alpha: Float64Array): number {
    const n = this.space.n;
    let s = 0;
    for (let i = 0; i < this.space.edgesPerTour; i++) s += this.geometry.edge(tour[i], tour[(i + 1) % n]);
    if (this.fm) s += this.fm.predict(this.indicators(tour));
    return s + this.gp.predict(this.samples.tourEdgeIds(tour), alpha);
  }

  /** The flat model's posterior-mean cost of a tour (mean edge cost + residual mean). */
  private predictFlat(tour: number[], alpha: Float64Array): number {
    return this.meanEdgeCost() * this.samples.width + this.gp.predict(this.samples.tourEdgeIds(tour), alpha);
  }

  /** Closes the trainer it was given (the proposer owns it). */
  override async close(): Promise<void> {
    await this.trainer?.close();
  }
}
