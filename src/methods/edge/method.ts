import { FmTrainer } from "../../fm/trainer.js";
import { edgeSpace } from "../../tsp/edge-space.js";
import { OptionError } from "../../util/errors.js";
import { tourMethodRun, type MethodDefinition, type ResolvedOptions } from "../method.js";
import { priorMatrix } from "./prior.js";
import { EdgeProposer } from "./proposer.js";

/**
 * Defaults of `edge` (the model and its schedule: src/methods/edge/proposer.ts; measured in
 * bench/edge-scale.mjs).
 */
export const EDGE_DEFAULTS = {
  /** Few random tours: the model learns from its own proposals at once. */
  init: 5,
  exploration: 1,
  lambda: 1e-3,
  randomStarts: 0,
  interactions: 0,
  /** Warm-started epochs per round of the interaction FM (its first training runs 4x as many). */
  epochs: 10,
  threads: 0,
};

export type EdgeDefaults = typeof EDGE_DEFAULTS;

/**
 * Most edge features `interactions` may use: it keeps every sample's N(N-1)/2 (or N(N-1))
 * indicators and searches with the full-neighbourhood kernel, so it is for small routes.
 */
export const INTERACTIONS_MAX_EDGES = 20_000;

/** Bytes the edge method's N x N matrices may take (the search matrix, a Thompson draw, the kernel's copy: 24 N^2 bytes): 2 GiB. */
export const EDGE_MATRIX_LIMIT = 2 ** 31;

/** The most cities whose 24 N^2 bytes of matrices fit in EDGE_MATRIX_LIMIT (9459). */
export function edgeMaxCities(): number {
  return Math.floor(Math.sqrt(EDGE_MATRIX_LIMIT / 24));
}

/** `edge`: a learned geometry plus per-edge residuals, Thompson-sampled and searched over tours (src/methods/edge/proposer.ts). */
export const edgeMethod: MethodDefinition<EdgeDefaults, number[]> = {
  name: "edge",
  description: "learned geometry + per-edge residuals, Thompson-sampled, searched by iterated 2-opt/Or-opt; fewest evaluations (ATSP, paths, priors)",
  defaults: EDGE_DEFAULTS,
  needs: { distances: false, symmetric: false },
  paths: true,
  sizeLimit: {
    maxCities: () => edgeMaxCities(),
    reason: "its search keeps N x N cost matrices, 24 N^2 bytes, which must fit in 2 GiB",
    instead: "sa-2opt",
  },
  create(problem, o, path) {
    checkEdgeOptions(o);
    const space = edgeSpace(problem.cities, { symmetric: problem.symmetric, closed: path === null, start: path?.start ?? null, end: path?.end ?? null });
    if (o.interactions > 0 && space.d > INTERACTIONS_MAX_EDGES) {
      throw new OptionError(
        "interactions",
        `method edge: interactions (an FM over pairs of edges) handles at most ${INTERACTIONS_MAX_EDGES} edges; ${problem.cities} cities have ${space.d}. Use interactions: 0 (the default) for routes this size`,
      );
    }
    const proposer = new EdgeProposer(
      space,
      {
        exploration: o.exploration,
        lambda: o.lambda,
        randomStarts: o.randomStarts,
        interactions: o.interactions,
        interactionEpochs: o.epochs,
        budget: o.maxEvaluations,
        prior: o.prior ? priorMatrix(o.prior, problem.cities, problem.symmetric) : null,
      },
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
