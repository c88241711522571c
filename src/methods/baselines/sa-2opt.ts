import { deriveSeed, Random, SeedSalt } from "../../util/random.js";
import type { ProposeContext } from "../../loop/proposer.js";
import { TourProposer } from "../../loop/proposer.js";
import { randomTour, twoOptMove } from "../../tsp/tour-space.js";
import { tourMethodRun, type MethodDefinition } from "../method.js";

/**
 * Baseline: simulated annealing on tours with 2-opt moves, one evaluation per move (black box:
 * only evaluated costs are used). The temperature falls geometrically over the evaluation
 * budget, from T0 = the cost spread of the initial sample (a typical uphill move accepted with
 * probability ~1/e) to T0/1000. Neighbours already evaluated are skipped (their cost is known;
 * the walk moves to them without an evaluation if Metropolis accepts).
 */
export class TwoOptAnnealing extends TourProposer {
  readonly method = "sa-2opt";
  private current: number[] | null = null;
  private currentCost = Infinity;
  private started = false;
  private t0 = 0;
  private step = 0;
  private readonly known = new Map<string, number>();
  private initialCosts: number[] = [];

  constructor(n: number, symmetric: boolean, private readonly budget: number, private readonly rng: Random) {
    super(n, symmetric);
  }

  observe(tour: number[], value: number): void {
    this.known.set(this.key(tour), value);
    if (!this.started) {
      // Initial samples: start from the best of them.
      this.initialCosts.push(value);
      if (value < this.currentCost) { this.current = tour; this.currentCost = value; }
      return;
    }
    this.accept(tour, value);
  }

  private temperature(): number {
    if (this.t0 === 0) {
      const c = this.initialCosts;
      const mean = c.reduce((a, b) => a + b, 0) / Math.max(1, c.length);
      const sd = Math.sqrt(c.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, c.length - 1));
      this.t0 = sd > 0 ? sd : Math.max(1, Math.abs(mean) * 0.05);
    }
    const frac = Math.min(1, this.step / Math.max(1, this.budget));
    return this.t0 * Math.pow(1e-3, frac);
  }

  private accept(tour: number[], value: number): void {
    const d = value - this.currentCost;
    if (d <= 0 || this.rng.float() < Math.exp(-d / this.temperature())) {
      this.current = tour;
      this.currentCost = value;
    }
  }

  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    this.started = true;
    const out = this.candidates(ctx.seen);
    // Moves to tours already evaluated cost nothing: the walk takes them (Metropolis with the
    // known cost) without spending an evaluation or cooling. At most `freeSteps` such moves per
    // proposal, so a walk boxed in by evaluated neighbours gets out by a double 2-opt kick.
    const freeSteps = 4 * this.n * this.n;
    for (let free = 0; out.length < q && free < freeSteps; ) {
      const cand = this.randomNeighbour(this.current!, ctx.rng);
      if (cand === null) break;
      const k = this.key(cand);
      const knownCost = this.known.get(k);
      if (knownCost !== undefined || !out.take(cand, k)) {
        if (knownCost !== undefined) this.accept(cand, knownCost);
        free++;
        continue;
      }
      this.step++;
    }
    for (let attempt = 0; out.length < q && attempt < 1000; attempt++) {
      let cand = this.randomNeighbour(this.current!, ctx.rng);
      for (let kick = 0; cand && kick < 1 + Math.floor(attempt / 100); kick++) cand = this.randomNeighbour(cand, ctx.rng);
      if (cand === null) break;
      const k = this.key(cand);
      if (this.known.has(k) || !out.take(cand, k)) continue;
      this.step++;
    }
    out.fill(q, () => randomTour(this.n, ctx.rng));
    return out.points;
  }

  /** A random 2-opt neighbour (reverse tour[i..j], 1 <= i < j <= n-1), or null for n < 4. */
  private randomNeighbour(tour: number[], rng: Random): number[] | null {
    if (this.n < 4) return null;
    const i = 1 + rng.int(this.n - 2);
    const j = i + 1 + rng.int(this.n - 1 - i);
    return twoOptMove(tour, i, j);
  }
}

/** `sa-2opt`: black-box simulated annealing with 2-opt moves, one evaluation per move. */
export const sa2optMethod: MethodDefinition<object, number[]> = {
  name: "sa-2opt",
  description: "baseline: black-box simulated annealing with 2-opt moves",
  defaults: { init: 20 },
  needs: { distances: false, symmetric: false },
  paths: false,
  // The temperature falls over the budget: another budget is another run (see the journal).
  journalSettings: (o) => ({ maxEvaluations: o.maxEvaluations }),
  create: (problem, o) =>
    tourMethodRun(new TwoOptAnnealing(problem.cities, problem.symmetric, o.maxEvaluations, new Random(deriveSeed(o.seed, SeedSalt.sa2opt))), o),
};
