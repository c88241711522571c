import { permSearch } from "../../anneal/perm.js";
import type { FmModel } from "../../fm/model.js";
import type { FmTrainer } from "../../fm/trainer.js";
import { Candidates, distinctUnseen, TourProposer, type ProposeContext } from "../../loop/proposer.js";
import { perturbTour, randomSpaceTour, spaceTourKey } from "../../tsp/tour-space.js";
import type { Random } from "../../util/random.js";
import { EdgeBlr } from "./blr.js";
import { tourEdges, weightMatrix, type EdgeSpace } from "../../tsp/edge-space.js";

/** Settings of the `edge` method. */
export interface EdgeSettings {
  /** Thompson-sampling exploration scale (default 1; 0 = posterior mean, which stalls). */
  exploration: number;
  /** Prior-to-noise precision ratio of the regression (default 1e-3). */
  lambda: number;
  /** Random start tours per proposal, besides the best evaluated tour and the previous proposal (default 2). */
  randomStarts: number;
  /** Rank of the FM on the residuals over pairs of edges; 0 = off (default). */
  interactions: number;
  /** Training epochs of the residual FM per round (warm-started). */
  interactionEpochs: number;
}

/**
 * The `edge` method: Bayesian linear regression of the cost on the tour's edge indicators
 * (src/methods/edge/blr.ts, updated in O(d^2) per sample), a Thompson sample of the edge weights each
 * proposal, minimised over tours by 2-opt + Or-opt local search from several starts in the wasm
 * permutation kernel (src/anneal/perm.ts). With `interactions: k`, an FM of rank k is fitted to
 * the regression's residuals over the edge indicators, so pairs of edges can interact; its
 * linear part is added to the sampled weights and its factors go to the kernel's FM term.
 * Proposes the best local optimum not evaluated before; when all are seen, random 2-opt and
 * double-bridge perturbations of the best one, then random tours.
 */
export class EdgeProposer extends TourProposer {
  readonly method: string;
  private readonly blr: EdgeBlr;
  private readonly weights: Float64Array;
  private readonly edges: Int32Array;
  private best: { tour: number[]; value: number } | null = null;
  private previous: number[] | null = null;
  private samples: Uint8Array[] = [];
  private targets: number[] = [];
  private fm: FmModel | null = null;

  constructor(
    private readonly space: EdgeSpace,
    private readonly settings: EdgeSettings,
    private readonly trainer: FmTrainer | null,
  ) {
    super(space.n, space.symmetric);
    this.blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: settings.lambda });
    this.weights = new Float64Array(space.n * space.n);
    this.edges = new Int32Array(space.edgesPerTour);
    this.method = `edge${space.symmetric ? "" : ":asym"}${space.closed ? "" : `:path(${space.start ?? "*"},${space.end ?? "*"})`}${settings.interactions ? `:fm${settings.interactions}` : ""}`;
  }

  /** Closed tours as `TourProposer` keys them; open paths by `spaceTourKey`. */
  override key(tour: number[]): string {
    return spaceTourKey(this.space, tour);
  }

  /** Random tours of the space (fixed ends kept). */
  override initial(count: number, rng: Random, seen: ReadonlySet<string>): number[][] {
    return distinctUnseen(count, () => randomSpaceTour(this.space, rng), (t) => this.key(t), seen);
  }

  observe(tour: number[], value: number): void {
    tourEdges(this.space, tour, this.edges, false);
    this.blr.addSample(this.edges, value);
    if (this.best === null || value < this.best.value) this.best = { tour, value };
    if (this.settings.interactions > 0) {
      const z = new Uint8Array(this.space.d);
      for (const e of this.edges) z[e] = 1;
      this.samples.push(z);
      this.targets.push(value);
    }
  }

  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    const n = this.space.n;
    let fmTerm: { k: number; factors: Float64Array } | undefined;
    let fmLinear: Float64Array | null = null;
    if (this.settings.interactions > 0 && this.trainer && this.samples.length >= 10) {
      const t0 = performance.now();
      // Residuals of the regression's posterior mean: what the edge weights do not explain.
      const residuals = this.samples.map((z, i) => {
        let j = 0;
        for (let e = 0; e < z.length; e++) if (z[e]) this.edges[j++] = e;
        return this.targets[i] - this.blr.predict(this.edges);
      });
      this.fm = await this.trainer.train(this.samples, residuals, {
        rank: this.settings.interactions,
        epochs: this.fm ? this.settings.interactionEpochs : 4 * this.settings.interactionEpochs,
        seed: ctx.rng.seed(),
        warmStart: this.fm ?? undefined,
      });
      const qubo = this.fm.toQubo();
      fmTerm = { k: qubo.k, factors: qubo.factors };
      fmLinear = qubo.linear;
      ctx.timings.train += (performance.now() - t0) / 1000;
    }

    const out = new Candidates((t: number[]) => this.key(t), ctx.seen);
    const starts = 2 + this.settings.randomStarts;
    const tours = new Int32Array(starts * n);
    const costs = new Float64Array(starts);
    let lastResults: number[][] = [];
    // One Thompson sample per candidate: a batch explores several plausible weightings.
    for (let c = 0; c < q; c++) {
      const t0 = performance.now();
      const theta = this.blr.sample(ctx.rng, this.settings.exploration);
      if (fmLinear) for (let e = 0; e < theta.length; e++) theta[e] += fmLinear[e];
      weightMatrix(theta, n, this.space.symmetric, this.weights);
      const t1 = performance.now();
      const startTours = [this.best?.tour ?? randomSpaceTour(this.space, ctx.rng), this.previous ?? randomSpaceTour(this.space, ctx.rng)];
      for (let r = 0; r < this.settings.randomStarts; r++) startTours.push(randomSpaceTour(this.space, ctx.rng));
      startTours.forEach((t, r) => tours.set(t, r * n));
      permSearch({ space: this.space, weights: this.weights, fm: fmTerm }, tours, costs, { seed: ctx.rng.seed() });
      const order = Array.from(costs.keys()).sort((a, b) => costs[a] - costs[b] || a - b);
      lastResults = order.map((r) => Array.from(tours.subarray(r * n, (r + 1) * n)));
      ctx.timings.train += (t1 - t0) / 1000;
      ctx.timings.anneal += (performance.now() - t1) / 1000;
      for (const t of lastResults) if (out.take(t)) break;
    }
    // Every local optimum was seen: perturb the best of them, then fall back to random tours.
    const base = lastResults[0] ?? this.best?.tour ?? randomSpaceTour(this.space, ctx.rng);
    out.fill(q, (attempt) => perturbTour(this.space, base, 1 + Math.floor(attempt / 50), ctx.rng), 2000);
    out.fill(q, () => randomSpaceTour(this.space, ctx.rng), 1000);
    if (out.length > 0) this.previous = out.points[out.length - 1];
    return out.points;
  }

  /** Closes the trainer it was given (the proposer owns it). */
  override async close(): Promise<void> {
    await this.trainer?.close();
  }
}
