import type { ProposeContext } from "../../loop/proposer.js";
import { TourProposer } from "../../loop/proposer.js";
import { distinctRandomTours } from "../../tsp/tour-space.js";

/** Baseline: uniformly random tours never evaluated before. Learns nothing. */
export class RandomSearch extends TourProposer {
  readonly method = "random";
  observe(): void {}
  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    return distinctRandomTours(this.n, q, ctx.rng, ctx.seen, this.symmetric);
  }
}
