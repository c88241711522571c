import { FmTrainer } from "../../fm/trainer.js";
import { edgeSpace } from "../../tsp/edge-space.js";
import { OptionError } from "../../util/errors.js";
import { tourMethodRun, type MethodDefinition, type ResolvedOptions } from "../method.js";
import { EdgeProposer } from "./proposer.js";

/** Defaults of `edge` (exploration and lambda measured in src/methods/edge/blr.ts). */
export const EDGE_DEFAULTS = {
  /** Fewer random tours than fma: the regression learns from its own proposals at once. */
  init: 5,
  exploration: 1,
  lambda: 1e-3,
  randomStarts: 2,
  interactions: 0,
  /** Warm-started epochs per round of the interaction FM (its first training runs 4x as many). */
  epochs: 10,
  threads: 0,
};

export type EdgeDefaults = typeof EDGE_DEFAULTS;

/** Bytes the edge regression's dense d x d covariance (8 d^2 bytes, d edges) may take: 2 GiB. */
export const EDGE_COVARIANCE_LIMIT = 2 ** 31;

/** The most cities whose edge space (d = N(N-1)/2 symmetric, N(N-1) asymmetric) keeps 8 d^2 within EDGE_COVARIANCE_LIMIT. */
export function edgeMaxCities(symmetric: boolean): number {
  const maxD = Math.floor(Math.sqrt(EDGE_COVARIANCE_LIMIT / 8));
  let n = 3;
  while (((n + 1) * n) / (symmetric ? 2 : 1) <= maxD) n++;
  return n;
}

/** `edge`: a regression on the tour's edges, Thompson-sampled and searched over tours (src/methods/edge/proposer.ts). */
export const edgeMethod: MethodDefinition<EdgeDefaults, number[]> = {
  name: "edge",
  description: "edge-weight regression, Thompson-sampled, searched by 2-opt/Or-opt (ATSP, paths too)",
  defaults: EDGE_DEFAULTS,
  needs: { distances: false, symmetric: false },
  paths: true,
  sizeLimit: {
    maxCities: ({ symmetric }) => edgeMaxCities(symmetric),
    reason: "its edge regression keeps a dense d x d covariance, 8 d^2 bytes for d = N(N-1)/2 edges (N(N-1) asymmetric), which must fit in 2 GiB",
    instead: "sa-2opt",
  },
  create(problem, o, path) {
    checkEdgeOptions(o);
    const space = edgeSpace(problem.cities, { symmetric: problem.symmetric, closed: path === null, start: path?.start ?? null, end: path?.end ?? null });
    const proposer = new EdgeProposer(
      space,
      { exploration: o.exploration, lambda: o.lambda, randomStarts: o.randomStarts, interactions: o.interactions, interactionEpochs: o.epochs },
      o.interactions > 0 ? new FmTrainer({ threads: o.threads }) : null,
    );
    return tourMethodRun(proposer, o);
  },
};

/** Refuse edge options the proposer cannot use, by the names the caller gave them. */
function checkEdgeOptions(o: ResolvedOptions<EdgeDefaults>): void {
  if (!(o.exploration >= 0) || !Number.isFinite(o.exploration)) throw new OptionError("exploration", `exploration must be a finite number >= 0, got ${o.exploration}`);
  if (!(o.lambda > 0) || !Number.isFinite(o.lambda)) throw new OptionError("lambda", `lambda must be a finite number > 0, got ${o.lambda}`);
  for (const name of ["randomStarts", "interactions"] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 0) throw new OptionError(name, `${name} must be an integer >= 0, got ${o[name]}`);
  }
}
