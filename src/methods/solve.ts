import type { LabelingName } from "../labelings/labeling.js";
import { CostFunctionError, runLoop, type LoopResult, type RunStats } from "../loop/loop.js";
import { normalizeProblem, type TspProblem } from "../loop/problem.js";
import { OptionError, ProblemError } from "../util/errors.js";
import { journalHeader, loopOptions, withDefaults, type Method, type MethodDefinition, type PathEnds, type ResolvedOptions, type SolveOptions } from "./method.js";
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
  const toResult = (result: LoopResult<unknown>): SolveResult => {
    const { best, ...stats } = result;
    return { ...stats, method, labeling, bits, best: best ? { tour: decode(best.point)!, cost: best.value } : null };
  };

  const header = journalHeader(p.fingerprint, proposer.method, o, { cities: p.cities, bits, ...definition.journalSettings?.(o) });
  try {
    const result: LoopResult<unknown> = await runLoop(
      proposer,
      {
        isValid: (point) => decode(point) !== null,
        cost: (point) => p.cost(decode(point)!),
        describe: (point) => {
          const t = decode(point);
          return t ? describeTour(t) : "an invalid code";
        },
      },
      loopOptions(o, header, initialPoints),
    );
    return toResult(result);
  } catch (err) {
    // The loop's error carries its own result shape ({ point, value }): give the caller a SolveResult.
    if (err instanceof CostFunctionError) throw new CostFunctionError<SolveResult>(err.message, toResult(err.result as LoopResult<unknown>), err.cause);
    throw err;
  }
}

/** A tour in an error message as the cost callback receives it: 0-based, the first 50 cities of a longer one. */
export function describeTour(tour: readonly number[]): string {
  const shown = tour.length <= 50 ? tour.join(", ") : `${tour.slice(0, 50).join(", ")}, ... (${tour.length} cities)`;
  return `tour [${shown}] (0-based, as passed to cost)`;
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
