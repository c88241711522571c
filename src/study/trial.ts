import type { Method } from "../methods/method.js";
import { methodNames } from "../methods/registry.js";
import { solveTsp } from "../methods/solve.js";
import type { LabelingName } from "../labelings/labeling.js";
import { landscapes, OPTIMUM_TOLERANCE } from "./landscape.js";
import type { LandscapeRecord, TrialRecord } from "./types.js";
import { UserError } from "../util/errors.js";

/**
 * One trial of `fmanneal compare` (src/study/compare.ts): one `solveTsp` run of one (instance,
 * method, seed), described as a `TrialRecord`, and the landscape records of one instance. Both
 * are deterministic functions of their task (no clock, no shared state: the FM trains in the
 * calling thread, `threads: 0`), so the records do not depend on which worker thread ran them
 * or in which order; only `seconds` is measured. The piscina entries are in trial-worker.ts.
 */

/** The instance as it travels to a worker: a name and the row-major distance matrix. */
export interface TrialInstance {
  name: string;
  dimension: number;
  distances: Float64Array;
}

/** One trial. `method` is `fma:<labeling>` or a baseline of `methodNames` (not `fma`). */
export interface TrialTask {
  instance: TrialInstance;
  /** Known optimum of the instance, or null (then gap and evalsToOptimum are null). */
  optimum: number | null;
  method: string;
  /** The run seed s (1..S): the same for every method on one (instance, seed) pair. */
  seed: number;
  /** Evaluation budget. */
  evaluations: number;
}

/** Landscape metrics of one instance (exact enumeration; see src/study/landscape.ts). */
export interface LandscapeTask {
  instance: TrialInstance;
  labelings: string[];
}

/**
 * `method` string of a trial → solveTsp's method and labeling.
 * @throws UserError for `fma` without a labeling, or an unknown method
 */
export function parseTrialMethod(method: string): { method: Method; labeling: LabelingName | undefined } {
  if (method.startsWith("fma:")) return { method: "fma", labeling: method.slice(4) as LabelingName };
  if (method === "fma" || !(methodNames as readonly string[]).includes(method)) {
    const valid = [...methodNames.filter((m) => m !== "fma"), "fma:<labeling>"];
    throw new UserError(`unknown trial method "${method}": expected one of ${valid.join(", ")}`);
  }
  return { method: method as Method, labeling: undefined };
}

/**
 * Run one trial in the calling thread and describe it as a `TrialRecord`.
 *
 * Derived fields: `gap = (best - optimum) / optimum`; `evalsToOptimum` = 1-based index of the
 * first evaluation whose best-so-far is within OPTIMUM_TOLERANCE (relative) of the optimum
 * (exact for integer distances). A run that exhausts the tour space early (tiny N) has fewer
 * `evaluations` than the budget and `bestSoFar` of that length.
 *
 * @throws UserError from solveTsp (bad method or labeling, a baseline that refuses the instance)
 * @example
 * ```ts
 * const inst = randomInstance(6, 1);
 * const r = await runTrial({ instance: inst, optimum: heldKarp(inst).length, method: "fma:gray", seed: 1, evaluations: 30 });
 * r.bestSoFar.length; // 30: best tour length after each evaluation
 * r.gap;              // 0 when the optimum was found
 * ```
 */
export async function runTrial(task: TrialTask): Promise<TrialRecord> {
  const { method, labeling } = parseTrialMethod(task.method);
  const started = performance.now();
  const result = await solveTsp(
    { name: task.instance.name, dimension: task.instance.dimension, distances: task.instance.distances },
    { method, labeling, seed: task.seed, maxEvaluations: task.evaluations, threads: 0 },
  );
  const seconds = (performance.now() - started) / 1000;
  const best = result.best ? result.best.cost : null;
  const optimum = task.optimum;
  let evalsToOptimum: number | null = null;
  if (optimum !== null) {
    const bound = optimum + OPTIMUM_TOLERANCE * Math.max(1, Math.abs(optimum));
    const at = result.history.best.findIndex((b) => b <= bound); // NaN (no valid tour yet) is never <=
    evalsToOptimum = at < 0 ? null : at + 1;
  }
  return {
    instance: task.instance.name,
    cities: task.instance.dimension,
    method: task.method,
    labeling: labeling ?? null,
    seed: task.seed,
    evaluations: result.evaluations,
    best,
    optimum,
    gap: best !== null && optimum !== null ? (best - optimum) / optimum : null,
    evalsToOptimum,
    seconds,
    bestSoFar: result.history.best,
  };
}

/**
 * Exact landscape records of `task.instance` for each labeling (trap probability null → NaN,
 * which cannot happen when exact but keeps the record type total).
 */
export function runLandscape(task: LandscapeTask): LandscapeRecord[] {
  const inst = task.instance;
  return landscapes(inst, task.labelings).map((r) => ({
    instance: inst.name,
    cities: inst.dimension,
    labeling: r.labeling,
    trapProbability: r.trapProbability ?? NaN,
    localMinFraction: r.localMinFraction,
    exact: r.exact,
  }));
}
