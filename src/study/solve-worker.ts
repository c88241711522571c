import { solveTsp, type SolveResult } from "../methods/solve.js";
import type { SolveOptions } from "../methods/method.js";
import { UserError } from "../util/errors.js";

/**
 * Piscina entry of the `solve` task kind (src/study/solve-many.ts): one `solveTsp` run of a
 * distance matrix, in the calling thread (`threads: 0`). Deterministic in its task, as a trial
 * is (timings aside). User errors come back as values, as in trial-worker.ts.
 */

/** One solve as it travels: the matrix and plain-data options. */
export interface SolveTask {
  name: string;
  dimension: number;
  distances: Float64Array;
  options: SolveOptions;
}

export type SolveReply = { ok: true; result: SolveResult } | { ok: false; message: string };

/** Piscina entry: one solve. */
export default async function solve(task: SolveTask): Promise<SolveReply> {
  try {
    const result = await solveTsp({ name: task.name, dimension: task.dimension, distances: task.distances }, { ...task.options, threads: 0 });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, message: err.message };
    throw err;
  }
}
