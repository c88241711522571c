import { availableParallelism } from "node:os";
import type { SolveOptions } from "../methods/method.js";
import type { SolveResult } from "../methods/solve.js";
import { normalizeProblem } from "../loop/problem.js";
import type { HasDistances } from "../tsp/tour.js";
import { OptionError, UserError } from "../util/errors.js";
import { PiscinaRunner, type TaskRunner } from "./runner/task-runner.js";
import { encode } from "./runner/wire.js";
import type { SolveReply, SolveTask } from "./solve-worker.js";

/**
 * Batches of independent solves (hundreds of depots, one route each): every problem is one
 * `solve` task of a `TaskRunner` (src/study/runner/), run in worker threads here or, with a
 * queue runner, by `fmanneal worker` processes on any number of machines.
 */

/** solveTsp's options that can travel to another machine: plain data, no callbacks, no journal file. */
export type BatchSolveOptions = Omit<SolveOptions, "signal" | "onProgress" | "journal" | "resume" | "threads">;

/** One problem of a batch. */
export interface BatchProblem {
  /** Unique within the batch; names the outcome (and the job in a worker's log). */
  name: string;
  /**
   * The distances: a TSPLIB instance (anything with `dimension` and a row-major `distances`
   * matrix) or a `number[][]` matrix (need not be symmetric). A cost callback cannot travel to
   * a worker on another machine: solve those with `solveTsp`.
   */
  problem: (HasDistances & { name?: string }) | number[][];
  /** Options of this problem, laid over the batch's. */
  options?: BatchSolveOptions;
}

/** Options of {@link solveMany}: the options every solve shares, and where they run. */
export interface SolveManyOptions extends BatchSolveOptions {
  /** Where the solves run (default: `threads` worker threads here, closed before solveMany resolves). A runner given here stays the caller's to close. */
  runner?: TaskRunner;
  /** Worker threads of the local runner (default: available cores). */
  threads?: number;
  /** Cancels the solves not yet finished (their outcomes say `cancelled`). */
  signal?: AbortSignal;
  /** Called after every finished solve. */
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
}

/** The outcome of one problem, in input order. */
export type SolveManyOutcome =
  | { name: string; ok: true; result: SolveResult }
  | { name: string; ok: false; message: string; cancelled: boolean };

const NOT_PLAIN = ["signal", "onProgress", "journal", "resume", "threads", "runner"] as const;

/** The solve task of a problem, or the ProblemError that says why there is none. */
function solveTask(p: BatchProblem, shared: BatchSolveOptions): SolveTask {
  // Validates the matrix as solveTsp would (ProblemError naming the entry) and gives it row-major.
  const normalized = normalizeProblem(p.problem);
  return { name: p.name, dimension: normalized.cities, distances: normalized.distances!, options: { ...shared, ...p.options } };
}

/**
 * Solve many independent TSPs — each with `solveTsp` and the same options unless a problem
 * brings its own — in worker threads of this process, or through `options.runner` (a queue
 * runner: `fmanneal worker` processes on any number of machines). A problem that fails (a bad
 * matrix, options its method refuses) is an outcome with its message; the others go on.
 * Results equal `solveTsp`'s for the same problem and options (timings aside), wherever they ran.
 *
 * @throws OptionError for duplicate names, a problem without distances, or options that are not plain data
 * @example
 * ```ts
 * import { solveMany, readTsplib } from "fmanneal";
 * const depots = ["depot-1.tsp", "depot-2.tsp"].map((f) => ({ name: f, problem: readTsplib(f) }));
 * const outcomes = await solveMany(depots, { method: "edge", maxEvaluations: 300, seed: 1, threads: 4 });
 * for (const o of outcomes) console.log(o.name, o.ok ? o.result.best?.cost : o.message);
 *
 * // The same batch on a queue served by `fmanneal worker --queue redis://10.0.0.5:6379` processes:
 * const runner = await connectQueueRunner({ url: "redis://10.0.0.5:6379", study: "monday-routes" });
 * const remote = await solveMany(depots, { method: "edge", maxEvaluations: 300, runner });
 * await runner.close();
 * ```
 */
export async function solveMany(problems: readonly BatchProblem[], options: SolveManyOptions = {}): Promise<SolveManyOutcome[]> {
  const { runner: given, threads, signal, onProgress, ...rest } = options;
  const shared = rest as BatchSolveOptions;
  const seen = new Set<string>();
  for (const p of problems) {
    if (typeof p.name !== "string" || p.name === "") throw new OptionError("name", "solveMany: every problem needs a name");
    if (seen.has(p.name)) throw new OptionError("name", `solveMany: two problems are named "${p.name}"`);
    seen.add(p.name);
    const problem = p.problem as unknown;
    if (problem === null || typeof problem !== "object" || (!Array.isArray(problem) && !("distances" in problem))) {
      throw new OptionError("problem", `solveMany: problem "${p.name}" has no distances (a TSPLIB instance or a number[][] matrix); a cost callback cannot travel to a worker, solve it with solveTsp`);
    }
    for (const o of [shared, p.options ?? {}]) {
      for (const key of NOT_PLAIN) {
        if ((o as Record<string, unknown>)[key] !== undefined) {
          throw new OptionError(key, `solveMany: option ${key} cannot travel with a solve (problem "${p.name}"); give solveMany's own signal, onProgress and threads instead`);
        }
      }
      try {
        encode(o, undefined, "options");
      } catch (err) {
        throw new OptionError("options", `solveMany: problem "${p.name}": ${(err as Error).message}`);
      }
    }
  }
  const total = problems.length;
  const outcomes: SolveManyOutcome[] = new Array(total);
  const progress = { done: 0, total, failed: 0 };
  const runner = given ?? new PiscinaRunner({ threads: threads ?? availableParallelism() });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= runner.close());
  const onAbort = () => void close();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const fail = (i: number, message: string) => {
    const cancelled = signal?.aborted === true;
    outcomes[i] = { name: problems[i]!.name, ok: false, message: cancelled ? "cancelled" : message, cancelled };
    if (!cancelled) progress.failed++;
  };
  try {
    await Promise.all(
      problems.map(async (p, i) => {
        try {
          let task: SolveTask;
          try {
            task = solveTask(p, shared);
          } catch (err) {
            if (err instanceof UserError) return fail(i, err.message);
            throw err;
          }
          const reply = await runner.run<SolveReply>("solve", task, p.name);
          if (reply.ok) outcomes[i] = { name: p.name, ok: true, result: reply.result };
          else fail(i, reply.message);
        } catch (err) {
          fail(i, err instanceof Error ? err.message : String(err));
        } finally {
          progress.done++;
          onProgress?.({ ...progress });
        }
      }),
    );
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!given || signal?.aborted) await close();
  }
  return outcomes;
}
