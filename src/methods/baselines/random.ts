import type { ProposeContext } from "../../loop/proposer.js";
import { TourProposer } from "../../loop/proposer.js";
import { tourMethodRun, type MethodDefinition } from "../method.js";

/** Baseline: uniformly random tours never evaluated before. Learns nothing. */
export class RandomSearch extends TourProposer {
  readonly method = "random";
  observe(): void {}
  async propose(q: number, ctx: ProposeContext): Promise<number[][]> {
    return this.initial(q, ctx.rng, ctx.seen);
  }
}

/** `random`: the baseline that learns nothing. */
export const randomMethod: MethodDefinition<object, number[]> = {
  name: "random",
  description: "baseline: uniformly random tours",
  defaults: { init: 20 },
  needs: { distances: false, symmetric: false },
  paths: false,
  create: (problem, o) => tourMethodRun(new RandomSearch(problem.cities, problem.symmetric), o),
};
