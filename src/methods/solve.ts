import type { LabelingName } from "../labelings/labeling.js";
import { runLoop, type LoopResult, type RunStats } from "../loop/loop.js";
import { normalizeProblem, type TspProblem } from "../loop/problem.js";
import { OptionError, ProblemError } from "../util/errors.js";
import { loopOptions, withDefaults, type Method, type MethodDefinition, type PathEnds, type ResolvedOptions, type SolveOptions } from "./method.js";
import { methodDefinition, methodDefinitions } from "./registry.js";

export interface SolveResult extends RunStats {
  method: Method;
  labeling: LabelingName | null;
  /** Code length of the labeling (null for methods that search tours directly). */
  bits: number | null;
  /** The best tour evaluated (0-based, starting at city 0) and its cost; null if none. */
  best: { tour: number[]; cost: number } | null;
}

/**
 * Find a short tour for a TSP whose cost may be a black box, with any method of the registry
 * (src/methods/registry.ts; default `fma`), each with its own defaults under `options`.
 *
 * @example
 * ```ts
 * import { solveTsp, readTsplib } from "fmanneal";
 * const result = await solveTsp(readTsplib("problems/tsplib/burma14.tsp"), { maxEvaluations: 500, seed: 7 });
 * console.log(result.best?.cost, result.best?.tour);
 *
 * // A cost from your own simulator, with a time limit and a way to cancel:
 * const controller = new AbortController();
 * const r = await solveTsp(
 *   { cities: 12, cost: async (tour) => simulateRoute(tour), name: "depot-7" },
 *   { maxEvaluations: 200, timeLimit: 60, signal: controller.signal, journal: "depot-7.jsonl" },
 * );
 * ```
 */
export async function solveTsp(problem: TspProblem, options: SolveOptions = {}): Promise<SolveResult> {
  const definition = methodDefinition(options.method ?? "fma");
  const method = definition.name;
  const o: ResolvedOptions<object> = withDefaults(definition.defaults, options);
  const path: PathEnds = o.path === true ? {} : o.path || null;
  if (path && !definition.paths) {
    const able = methodDefinitions().filter((d) => d.paths).map((d) => d.name).join(", ");
    throw new OptionError("path", `open paths (option path) are supported by method ${able} only, not ${method}`);
  }
  const p = normalizeProblem(problem, path === null);
  if (o.symmetric !== undefined) p.symmetric = o.symmetric;
  checkNeeds(definition, p.distances !== null, p.symmetric);
  checkSize(definition, p.cities, { symmetric: p.symmetric, closed: path === null });
  const { proposer, decode, initialPoints, labeling, bits } = definition.create(p, o, path);

  const result: LoopResult<unknown> = await runLoop(
    proposer,
    {
      isValid: (point) => decode(point) !== null,
      cost: (point) => p.cost(decode(point)!),
      describe: (point) => {
        const t = decode(point);
        return t ? `tour [${t.map((c) => c + 1).join(", ")}] (1-based)` : "an invalid code";
      },
    },
    loopOptions(
      o,
      {
        type: "header",
        version: 1,
        problem: p.fingerprint,
        method: proposer.method,
        settings: { seed: o.seed, cities: p.cities, maxEvaluations: o.maxEvaluations, bits },
      },
      initialPoints,
    ),
  );
  const { best, ...stats } = result;
  return {
    ...stats,
    method,
    labeling,
    bits,
    best: best ? { tour: decode(best.point)!, cost: best.value } : null,
  };
}

/** Refuse a problem larger than the method's size limit, in one line naming the limit and what to use instead. */
function checkSize(definition: MethodDefinition, cities: number, shape: { symmetric: boolean; closed: boolean }): void {
  const limit = definition.sizeLimit;
  if (!limit) return;
  const max = limit.maxCities(shape);
  if (cities > max) {
    throw new ProblemError(
      `method ${definition.name} takes at most ${max} cities for this problem (${limit.reason}); it has ${cities}: use method ${limit.instead} instead`,
    );
  }
}

/** Refuse a problem that lacks what the method needs (distances, symmetric costs). */
function checkNeeds(definition: MethodDefinition, hasDistances: boolean, symmetric: boolean): void {
  const name = definition.name;
  if (definition.needs.distances && !hasDistances) {
    throw new ProblemError(`method ${name} needs the distances (a TSPLIB instance or a matrix), not a cost callback`);
  }
  if (definition.needs.symmetric && !symmetric) throw new ProblemError(`method ${name} handles symmetric distances only`);
}
