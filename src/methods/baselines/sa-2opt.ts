import { deriveSeed, Random, SeedSalt } from "../../util/random.js";
import type { ProposeContext } from "../../loop/proposer.js";
import { TourProposer } from "../../loop/proposer.js";
import { randomTour, swapSegments, twoOptMove } from "../../tsp/tour-space.js";
import { tourMethodRun, type MethodDefinition } from "../method.js";

/**
 * The moves of `sa-2opt`: `2-opt` reverses a segment (symmetric costs: only the two edges at
 * its ends change); `directed` swaps two adjacent segments without reversing anything (Or-opt,
 * or a 3-opt segment swap), for asymmetric costs, where a reversal changes the cost of every
 * edge inside the segment.
 */
export type SaMoves = "2-opt" | "directed";

/**
 * Baseline: simulated annealing on tours with 2-opt moves, one evaluation per move (black box:
 * only evaluated costs are used). On asymmetric costs the moves keep the direction of every
 * segment instead (`SaMoves`, "directed"); symmetric runs draw exactly what they drew before. The temperature falls geometrically over the evaluation
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

  /**
   * @param moves default: `2-opt` for symmetric costs, `directed` for asymmetric ones (the other
   *   choice is for benchmarks: bench/atsp.mjs compares both on ATSP instances).
   */
  constructor(
    n: number,
    symmetric: boolean,
    private readonly budget: number,
    private readonly rng: Random,
    readonly moves: SaMoves = symmetric ? "2-opt" : "directed",
  ) {
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

  /** A random neighbour by `moves`, or null when the tour has none. */
  private randomNeighbour(tour: number[], rng: Random): number[] | null {
    return this.moves === "2-opt" ? randomTwoOpt(tour, this.n, rng) : randomDirectedMove(tour, this.n, rng);
  }
}

/** A random 2-opt neighbour (reverse tour[i..j], 1 <= i < j <= n-1), or null for n < 4. */
function randomTwoOpt(tour: number[], n: number, rng: Random): number[] | null {
  if (n < 4) return null;
  const i = 1 + rng.int(n - 2);
  const j = i + 1 + rng.int(n - 1 - i);
  return twoOptMove(tour, i, j);
}

/**
 * A random direction-keeping neighbour (`swapSegments` with cuts in 1..n: city 0 stays first),
 * or null for n < 3. Half the draws are Or-opt moves (a segment of 1-3 cities, uniformly, moved
 * to a uniform other cut), half segment swaps at three uniform distinct cuts: Or-opt keeps the
 * walk local, the long swaps reach what Or-opt would need many steps for. Every draw differs
 * from `tour` (both swapped segments are non-empty, the cities distinct).
 */
export function randomDirectedMove(tour: readonly number[], n: number, rng: Random): number[] | null {
  if (n < 3) return null;
  if (rng.int(2) === 0) {
    const len = 1 + rng.int(Math.min(3, n - 2));
    const i = 1 + rng.int(n - len); // the segment tour[i .. i+len-1], i + len <= n
    let p = 1 + rng.int(n - len - 1); // a cut outside i..i+len
    if (p >= i) p += len + 1;
    return p < i ? swapSegments(tour, p, i, i + len) : swapSegments(tour, i, i + len, p);
  }
  const a = 1 + rng.int(n);
  let b = 1 + rng.int(n - 1);
  if (b >= a) b++;
  const [lo, hi] = a < b ? [a, b] : [b, a];
  let c = 1 + rng.int(n - 2); // the third cut, skipping lo and hi
  if (c >= lo) c++;
  if (c >= hi) c++;
  const [i, j, k] = [lo, hi, c].sort((x, y) => x - y);
  return swapSegments(tour, i, j, k);
}

/** `sa-2opt`: black-box simulated annealing with 2-opt moves (directed moves on asymmetric costs), one evaluation per move. */
export const sa2optMethod: MethodDefinition<object, number[]> = {
  name: "sa-2opt",
  description: "baseline: black-box simulated annealing with 2-opt moves (on asymmetric costs: segment moves that keep directions)",
  defaults: { init: 20 },
  needs: { distances: false, symmetric: false },
  paths: false,
  // The temperature falls over the budget: another budget is another run (see the journal).
  journalSettings: (o) => ({ maxEvaluations: o.maxEvaluations }),
  create: (problem, o) =>
    tourMethodRun(new TwoOptAnnealing(problem.cities, problem.symmetric, o.maxEvaluations, new Random(deriveSeed(o.seed, SeedSalt.sa2opt))), o),
};
