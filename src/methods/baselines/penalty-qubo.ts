import { anneal } from "../../anneal/anneal.js";
import type { Labeling } from "../../labelings/labeling.js";
import { createLabeling } from "../../labelings/registry.js";
import { tspPenaltyQubo } from "../../qubo/tsp-penalty.js";
import type { SparseQubo } from "../../qubo/types.js";
import type { HasDistances } from "../../tsp/tour.js";
import { TourProposer, type ProposeContext } from "../../loop/proposer.js";
import { randomTour } from "../../tsp/tour-space.js";
import { tourMethodRun, type MethodDefinition } from "../method.js";

/**
 * Baseline (white box): anneal the conventional one-hot penalty QUBO of the TSP, built from the
 * known distances, and propose the decoded reads not evaluated before. Invalid reads (not a
 * permutation matrix) are repaired by the onehot labeling's deterministic rule. It learns
 * nothing from the evaluations; it shows what annealing the true problem directly gets at the
 * same evaluation budget, where the distances are known.
 */
export class PenaltyQuboProposer extends TourProposer {
  readonly method = "penalty-qubo";
  private readonly qubo: SparseQubo;
  private readonly onehot: Labeling;
  private queue: number[][] = [];
  /** Reads that were not permutation matrices (before repair). */
  invalidReads = 0;

  constructor(
    problem: HasDistances,
    private readonly sweeps: number,
    private readonly reads: number,
  ) {
    super(problem.dimension, true);
    this.qubo = tspPenaltyQubo(problem);
    this.onehot = createLabeling("onehot", problem.dimension);
  }

  observe(): void {}

  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    const out = this.candidates(ctx.seen);
    while (out.length < q && this.queue.length > 0) out.take(this.queue.shift()!);
    if (out.length < q) {
      const t0 = performance.now();
      const result = anneal(this.qubo, { sweeps: this.sweeps, reads: Math.max(q, this.reads), seed: ctx.rng.seed(), deadline: ctx.deadline });
      ctx.timings.anneal += (performance.now() - t0) / 1000;
      for (const s of result.samples) {
        let tour = this.onehot.decode(s);
        if (tour === null) {
          this.invalidReads++;
          tour = this.onehot.repair(s);
        }
        if (out.length < q) out.take(tour);
        else this.queue.push(tour);
      }
    }
    out.fill(q, () => randomTour(this.n, ctx.rng));
    return out.points;
  }
}

/**
 * The most cities of `penalty-qubo`: its one-hot QUBO has (N-1)^2 variables and about 4 (N-1)^3
 * stored couplings, built as JS arrays first (measured: 31 M couplings, 0.9 GB resident and 8 s
 * to build at 200 cities).
 */
export const PENALTY_QUBO_MAX_CITIES = 200;

/** Defaults of `penalty-qubo`: its one-hot QUBO has (N-1)^2 bits and hard constraints, so more sweeps than fma. */
export const PENALTY_QUBO_DEFAULTS = { init: 20, sweeps: 300, reads: 10 };

/** `penalty-qubo`: the conventional one-hot penalty QUBO of the distances, annealed directly. */
export const penaltyQuboMethod: MethodDefinition<typeof PENALTY_QUBO_DEFAULTS, number[]> = {
  name: "penalty-qubo",
  description: "baseline: the distances' one-hot penalty QUBO, annealed (symmetric distances only)",
  defaults: PENALTY_QUBO_DEFAULTS,
  needs: { distances: true, symmetric: true },
  paths: false,
  sizeLimit: {
    maxCities: () => PENALTY_QUBO_MAX_CITIES,
    reason: "its one-hot QUBO has (N-1)^2 variables and about 4 (N-1)^3 couplings, 0.9 GB at 200 cities",
    instead: "sa-2opt",
  },
  create: (problem, o) => tourMethodRun(new PenaltyQuboProposer({ dimension: problem.cities, distances: problem.distances! }, o.sweeps, o.reads), o),
};
