import type { Piscina } from "piscina";
import { OptionError } from "../../util/errors.js";
import { createPool, workerFileUrl } from "../../util/pool.js";

/**
 * The runner seam (docs/design.md, "Where tasks run"): `runCompare` and `solveMany` hand every
 * task to a `TaskRunner` and get its worker's reply back; they do not know where it ran.
 *
 * - `PiscinaRunner` (this file): worker threads of this process — the local path, and inside
 *   each `fmanneal worker` the threads that run the queue's jobs.
 * - `QueueRunner` (queue-runner.ts): jobs in a BullMQ queue on Redis, run by `fmanneal worker`
 *   processes on any number of machines (queue-worker.ts).
 *
 * A task is plain data (src/study/runner/wire.ts says what travels); its kind names the worker
 * entry that runs it. Every kind is deterministic in its task (`seconds` and `timings` aside),
 * which is what makes at-least-once delivery on the queue safe.
 */

/** The kinds of task: a trial and the landscape metrics of compare, one solve of solveMany, and echo (the runner's own overhead). */
export type TaskKind = "trial" | "landscape" | "solve" | "echo";

/** The worker entry of a kind: a compiled worker file and its export (piscina `name`, default "default"). */
export interface TaskEntry {
  file: URL;
  name?: string;
}

export type TaskEntries = Partial<Record<TaskKind, TaskEntry>>;

/**
 * The worker entries of every kind, from the compiled dist/ (see workerFileUrl), with the
 * trial kinds' file replaceable (tests: a worker that fails chosen trials). Each file is looked
 * up when its kind is first used.
 */
export function taskEntries(trialWorkerFile?: URL): Record<TaskKind, TaskEntry> {
  const compiled = (relative: string) => workerFileUrl(relative, import.meta.url);
  const trial = () => trialWorkerFile ?? compiled("../trial-worker.js");
  return {
    get trial() {
      return { file: trial() };
    },
    get landscape() {
      return { file: trial(), name: "landscape" };
    },
    get solve() {
      return { file: compiled("../solve-worker.js") };
    },
    get echo() {
      return { file: compiled("./echo-worker.js") };
    },
  };
}

/** Where tasks run. */
export interface TaskRunner {
  /**
   * Run one task and resolve to its worker entry's reply. Rejects with the error's message when
   * the entry throws (a bug; user errors come back as values, see trial-worker.ts), when its
   * thread or process is lost for good, or when the runner is closed first. `label` names the
   * task in logs (a worker's job lines).
   */
  run<R>(kind: TaskKind, task: object, label?: string): Promise<R>;
  /** Threads (local) or worker processes (queue: those that have returned a result) that ran the tasks. */
  readonly workers: number;
  /**
   * Stop: every task not finished rejects, local threads are terminated, connections closed.
   * Jobs already in a queue stay there (a coordinator that comes back re-attaches). Idempotent.
   */
  close(): Promise<void>;
}

/** Options of {@link PiscinaRunner}. */
export interface PiscinaRunnerOptions {
  /** Worker threads per worker file (>= 1). */
  threads: number;
  /** Kinds this runner may run (default: taskEntries()). */
  entries?: TaskEntries;
}

/**
 * Tasks in piscina worker threads of this process: one pool per worker file, `threads` threads
 * each, started on demand (src/util/pool.ts).
 *
 * @example
 * ```ts
 * const runner = new PiscinaRunner({ threads: 2 });
 * const reply = await runner.run<TrialReply>("trial", task);
 * await runner.close();
 * ```
 */
export class PiscinaRunner implements TaskRunner {
  readonly workers: number;
  private readonly entries: TaskEntries;
  private readonly pools = new Map<string, Piscina>();
  private closing: Promise<void> | null = null;

  constructor(options: PiscinaRunnerOptions) {
    this.workers = options.threads;
    this.entries = options.entries ?? taskEntries();
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new OptionError("threads", `runner threads must be an integer >= 1, got ${options.threads}`);
  }

  run<R>(kind: TaskKind, task: object): Promise<R> {
    if (this.closing) return Promise.reject(new Error("the runner is closed"));
    const entry = this.entries[kind];
    if (!entry) return Promise.reject(new Error(`this runner has no worker for ${kind} tasks`));
    let pool = this.pools.get(entry.file.href);
    if (!pool) {
      pool = createPool(entry.file, { threads: this.workers });
      this.pools.set(entry.file.href, pool);
    }
    return pool.run(task, { name: entry.name ?? "default" }) as Promise<R>;
  }

  /** Destroys the pools: queued tasks reject, running ones are terminated. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.pools.values()].map((p) => p.destroy())).then(() => undefined);
    return this.closing;
  }
}
