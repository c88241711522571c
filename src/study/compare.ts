import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { methodNames } from "../methods/registry.js";
import { isLabelingName, labelingNames } from "../labelings/registry.js";
import { randomInstance } from "../tsp/generate.js";
import { HELD_KARP_MAX_N, heldKarp } from "../tsp/heldKarp.js";
import { knownOptimum, PROBLEMS_DIR } from "../tsp/optima.js";
import { MAX_DIMENSION, readTsplib } from "../tsp/tsplib.js";
import { UserError } from "../util/errors.js";
import { DEFAULT_EXACT_LIMIT } from "./landscape.js";
import { PiscinaRunner, taskEntries, type TaskRunner } from "./runner/task-runner.js";
import type { LandscapeTask, TrialTask } from "./trial.js";
import type { LandscapeReply, TrialReply } from "./trial-worker.js";
import type { LandscapeRecord, TrialRecord } from "./types.js";

/**
 * `fmanneal compare` orchestration: the instance set, the trial list, running it through a
 * `TaskRunner` (src/study/runner/: worker threads here by default, or a BullMQ queue served by
 * `fmanneal worker` processes; the entries are src/study/trial-worker.ts) and collecting the
 * records for the report (src/study/report.ts).
 *
 * Trial list: every (instance, method, seed s = 1..S) is one task, in that nesting order
 * (instances as given, methods as given, seeds ascending); records come back in this order
 * whatever the number of workers or the completion order. The run seed of a trial is s itself,
 * so the trials of one (instance, seed) pair share the seed across methods — the pairing the
 * Wilcoxon tests of the report rely on.
 */

/** One instance of a comparison, with the optimum its gaps refer to. */
export interface CompareInstance {
  /** Name in the records ("rand8-s3", "burma14"); unique within a comparison. */
  name: string;
  dimension: number;
  distances: Float64Array;
  /** Known optimum (published, shipped, or Held-Karp), or null. */
  optimum: number | null;
  /** Where it came from: a file path, or "<generated>". */
  source: string;
}

/** Baseline methods of `--methods`: every solveTsp method but `fma` (whose runs come from `--labelings`). */
export function baselineNames(): string[] {
  return methodNames.filter((m) => m !== "fma");
}

/**
 * Largest N whose landscapes compare computes: exact enumeration needs (N-1)! <= 2^24
 * (DEFAULT_EXACT_LIMIT), i.e. N <= 11.
 */
export const LANDSCAPE_MAX_CITIES = (() => {
  let n = 3;
  let f = 2; // (n-1)!
  while (f * n <= DEFAULT_EXACT_LIMIT) f *= n++;
  return n;
})();

/**
 * Parse `--cities`: a comma-separated list of N or ranges `a..b` ("5..15", "8", "5,7,9..11"),
 * each N an integer in 3..5000. Returns the distinct N ascending.
 *
 * @throws UserError naming the malformed part
 * @example
 * ```ts
 * parseCities("5..7,10"); // [5, 6, 7, 10]
 * ```
 */
export function parseCities(spec: string): number[] {
  const out = new Set<number>();
  const parts = String(spec).split(",").map((s) => s.trim());
  const int = (s: string, part: string): number => {
    if (!/^\d+$/.test(s)) throw new UserError(`--cities: "${part}" is not an integer N or a range a..b (e.g. 5..15, 8, or 5,7,9)`);
    const n = Number(s);
    if (n < 3 || n > MAX_DIMENSION) throw new UserError(`--cities: ${n} is out of range; N must be in 3..${MAX_DIMENSION}`);
    return n;
  };
  for (const part of parts) {
    if (part === "") throw new UserError(`--cities: empty entry in "${spec}"; expected e.g. 5..15, 8, or 5,7,9`);
    const range = /^(\S+?)\s*\.\.\s*(\S+)$/.exec(part);
    if (range) {
      const a = int(range[1]!, part);
      const b = int(range[2]!, part);
      if (a > b) throw new UserError(`--cities: empty range "${part}" (${a} > ${b})`);
      for (let n = a; n <= b; n++) out.add(n);
    } else {
      out.add(int(part, part));
    }
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * The trial methods of `--labelings` and `--methods`: `fma:<labeling>` for each labeling, then
 * the baselines, in the order given, without duplicates. An empty string (or "none") selects
 * nothing from that list; at least one method must remain.
 *
 * @throws UserError for an unknown name (one line listing the valid names) or no method at all
 * @example
 * ```ts
 * trialMethods("natural,gray", "random"); // ["fma:natural", "fma:gray", "random"]
 * ```
 */
export function trialMethods(labelings: string, methods: string): string[] {
  const list = (s: string) => {
    const t = String(s).trim();
    return t === "" || t === "none" ? [] : t.split(",").map((x) => x.trim()).filter((x) => x !== "");
  };
  const out: string[] = [];
  for (const l of list(labelings)) {
    if (!isLabelingName(l)) throw new UserError(`--labelings: unknown labeling "${l}": expected one of ${labelingNames.join(", ")}`);
    if (!out.includes(`fma:${l}`)) out.push(`fma:${l}`);
  }
  const baselines = baselineNames();
  const isFma = (m: string) => m.startsWith("fma:") && isLabelingName(m.slice(4));
  for (const m of list(methods)) {
    if (!baselines.includes(m) && !isFma(m)) {
      throw new UserError(
        `--methods: unknown method "${m}": expected one of ${baselines.join(", ")} (fma runs come from --labelings: ${labelingNames.join(", ")})`,
      );
    }
    if (!out.includes(m)) out.push(m);
  }
  if (out.length === 0) throw new UserError("nothing to compare: give --labelings and/or --methods");
  return out;
}

/** Instance name as the records use it: the TSPLIB NAME without a path or `.tsp`. */
function recordName(name: string): string {
  return basename(name.trim()).replace(/\.tsp$/i, "");
}

/**
 * The optimum of an instance: the shipped/published one (same name and size), else Held-Karp
 * for N <= 20, else null.
 */
export function instanceOptimum(inst: { name: string; dimension: number; distances: Float64Array }): number | null {
  const known = knownOptimum(inst.name, inst.dimension);
  if (known !== null) return known;
  return inst.dimension <= HELD_KARP_MAX_N ? heldKarp(inst).length : null;
}

function toCompareInstance(inst: { name: string; dimension: number; distances: Float64Array; source: string }): CompareInstance {
  if (inst.dimension < 3) throw new UserError(`${inst.source}: compare needs at least 3 cities, ${inst.name} has ${inst.dimension}`);
  const optimum = instanceOptimum(inst);
  // A gap is relative to the optimum; a zero-length optimum (all cities at one point) has none.
  return { name: recordName(inst.name), dimension: inst.dimension, distances: inst.distances, optimum: optimum !== null && optimum > 0 ? optimum : null, source: inst.source };
}

/**
 * The instances of a comparison: the TSPLIB `files`, or for each N of `cities` the random
 * instances k = 1..`instances`: problems/random/rand{N}-s{k}.tsp when shipped, else
 * `randomInstance(N, k)` (the same instance; the shipped files are generated by it).
 *
 * @throws UserError for a missing or malformed file, both or neither of files and cities,
 *   a bad count, or two instances of the same name
 * @example
 * ```ts
 * compareInstances({ cities: [5, 6], instances: 2 }).map((i) => i.name); // rand5-s1, rand5-s2, rand6-s1, rand6-s2
 * ```
 */
export function compareInstances(spec: { files?: readonly string[]; cities?: readonly number[]; instances?: number }): CompareInstance[] {
  const files = spec.files ?? [];
  if (files.length > 0 && spec.cities !== undefined) throw new UserError("give either .tsp files or --cities, not both");
  if (files.length === 0 && spec.cities === undefined) throw new UserError("give .tsp files or --cities (e.g. --cities 5..15 --instances 5)");
  let list: CompareInstance[];
  if (files.length > 0) {
    list = files.map((f) => toCompareInstance(readTsplib(f)));
  } else {
    const k = spec.instances ?? 1;
    if (!Number.isInteger(k) || k < 1) throw new UserError(`--instances must be a positive integer, got ${String(spec.instances)}`);
    list = [];
    for (const n of spec.cities!) {
      for (let s = 1; s <= k; s++) {
        const shipped = join(PROBLEMS_DIR, "random", `rand${n}-s${s}.tsp`);
        list.push(toCompareInstance(existsSync(shipped) ? readTsplib(shipped) : randomInstance(n, s)));
      }
    }
  }
  const seen = new Map<string, string>();
  for (const inst of list) {
    const prev = seen.get(inst.name);
    if (prev !== undefined) throw new UserError(`two instances are named ${inst.name} (${prev} and ${inst.source}); trials are paired by name`);
    seen.set(inst.name, inst.source);
  }
  return list;
}

/**
 * The trial tasks in record order: instance, then method, then seed 1..`seeds`.
 * @example
 * ```ts
 * buildTrials(instances, ["fma:gray", "random"], 3, 100).length; // instances.length * 2 * 3
 * ```
 */
export function buildTrials(instances: readonly CompareInstance[], methods: readonly string[], seeds: number, evaluations: number): TrialTask[] {
  const tasks: TrialTask[] = [];
  for (const inst of instances) {
    const instance = { name: inst.name, dimension: inst.dimension, distances: inst.distances };
    for (const method of methods) {
      for (let seed = 1; seed <= seeds; seed++) tasks.push({ instance, optimum: inst.optimum, method, seed, evaluations });
    }
  }
  return tasks;
}

/** Progress of `runCompare`, reported after every finished task. */
export interface CompareProgress {
  trialsDone: number;
  trialsTotal: number;
  landscapesDone: number;
  landscapesTotal: number;
  failed: number;
}

export interface CompareOptions {
  instances: readonly CompareInstance[];
  /** Trial methods: `fma:<labeling>` and baselines (see `trialMethods`). */
  methods: readonly string[];
  /** Run seeds per (instance, method): 1..seeds. */
  seeds: number;
  /** Evaluation budget per trial. */
  evaluations: number;
  /** Worker threads of the local runner (default: available cores); not used with `runner`. */
  workers?: number;
  /**
   * Where the tasks run (src/study/runner/). Default: worker threads of this process
   * (`PiscinaRunner`), closed before runCompare resolves. A runner given here stays the caller's
   * to close, except that an abort of `signal` closes it (its unfinished tasks are cancelled).
   */
  runner?: TaskRunner;
  /**
   * Exact landscape metrics of the fma labelings on every instance with N <= 11
   * (LANDSCAPE_MAX_CITIES), computed in the pool alongside the trials. Default true.
   */
  landscape?: boolean;
  /** Cancels the trials not yet finished; they are counted in `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (progress: CompareProgress) => void;
  /** Worker file of the local runner (default the compiled dist/study/trial-worker.js). For tests. */
  workerFile?: URL;
}

/** A trial or landscape task that failed: its worker threw (the message is kept). */
export interface TaskFailure {
  kind: "trial" | "landscape";
  instance: string;
  /** Trial method, or the labelings of a landscape task. */
  method: string;
  /** Trial seed (null for landscapes). */
  seed: number | null;
  message: string;
}

export interface CompareResult {
  /** Records of the trials that finished, in trial order (failed and cancelled ones left out). */
  trials: TrialRecord[];
  /** Landscape records, by instance then labeling. */
  landscapes: LandscapeRecord[];
  failures: TaskFailure[];
  /** Tasks cancelled by `signal`. */
  cancelled: number;
  /** Trials planned. */
  planned: number;
  workers: number;
  wallSeconds: number;
}

function checkCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new UserError(`${name} must be a positive integer, got ${String(v)}`);
}

/**
 * Run every trial (and the landscape tasks) through the runner — by default a piscina pool of
 * `workers` threads — and collect the records in trial order. A task whose worker throws is
 * recorded in `failures` and the others go on; a runner made here is closed before this
 * resolves (no thread outlives the call).
 *
 * @throws UserError for bad options (counts, empty method or instance list)
 * @example
 * ```ts
 * const instances = compareInstances({ cities: [6, 7], instances: 2 });
 * const r = await runCompare({ instances, methods: trialMethods("natural,gray", "random"), seeds: 3, evaluations: 50, workers: 2 });
 * await writeReport("out", r.trials, r.landscapes, { command: "...", budget: 50, seeds: 3, wallSeconds: r.wallSeconds, workers: r.workers });
 * ```
 */
export async function runCompare(options: CompareOptions): Promise<CompareResult> {
  const { instances, methods, seeds, evaluations } = options;
  checkCount("seeds", seeds);
  checkCount("evaluations", evaluations);
  const workers = options.workers ?? availableParallelism();
  if (!options.runner) checkCount("workers", workers);
  if (instances.length === 0) throw new UserError("no instances to compare");
  if (methods.length === 0) throw new UserError("no methods to compare");
  const started = performance.now();
  const tasks = buildTrials(instances, methods, seeds, evaluations);
  const labelings = methods.filter((m) => m.startsWith("fma:")).map((m) => m.slice(4));
  const landscapeTasks: LandscapeTask[] =
    options.landscape === false || labelings.length === 0
      ? []
      : instances
          .filter((i) => i.dimension <= LANDSCAPE_MAX_CITIES)
          .map((i) => ({ instance: { name: i.name, dimension: i.dimension, distances: i.distances }, labelings }));

  const runner = options.runner ?? new PiscinaRunner({ threads: workers, entries: taskEntries(options.workerFile) });
  const records: (TrialRecord | null)[] = new Array(tasks.length).fill(null);
  const landscapeRecords: (LandscapeRecord[] | null)[] = new Array(landscapeTasks.length).fill(null);
  // Failures by task index, so the list is in task order (landscapes, then trials) whatever
  // the completion order.
  const landscapeFailures: (TaskFailure | null)[] = new Array(landscapeTasks.length).fill(null);
  const trialFailures: (TaskFailure | null)[] = new Array(tasks.length).fill(null);
  let cancelled = 0;
  const progress: CompareProgress = { trialsDone: 0, trialsTotal: tasks.length, landscapesDone: 0, landscapesTotal: landscapeTasks.length, failed: 0 };
  const signal = options.signal;
  // One abort listener for the whole run (not one per task): closing the runner rejects the
  // tasks not finished (a local one terminates the running ones); those count as cancelled.
  let destroying: Promise<void> | null = null;
  const destroy = () => (destroying ??= runner.close());
  const onAbort = () => void destroy();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const settle = (err: unknown, into: (TaskFailure | null)[], i: number, failure: Omit<TaskFailure, "message">) => {
    if (signal?.aborted) {
      cancelled++;
      return;
    }
    into[i] = { ...failure, message: err instanceof Error ? err.message : String(err) };
    progress.failed++;
  };

  // Landscape tasks first: at N = 11 each is one of the longest tasks, so they should not be
  // the tail. Trials of larger N go before smaller ones for the same reason; neither order
  // changes any record.
  const jobs: Promise<void>[] = landscapeTasks.map((task, i) => {
    const fail = { kind: "landscape" as const, instance: task.instance.name, method: task.labelings.join(","), seed: null };
    return runner
      .run<LandscapeReply>("landscape", task, `landscape ${task.instance.name}`)
      .then((reply) => {
        if (reply.ok) landscapeRecords[i] = reply.records;
        else settle(new Error(reply.message), landscapeFailures, i, fail);
      })
      .catch((err) => settle(err, landscapeFailures, i, fail))
      .finally(() => {
        progress.landscapesDone++;
        options.onProgress?.({ ...progress });
      });
  });
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[b]!.instance.dimension - tasks[a]!.instance.dimension || a - b);
  for (const i of order) {
    const task = tasks[i]!;
    const fail = { kind: "trial" as const, instance: task.instance.name, method: task.method, seed: task.seed };
    jobs.push(
      runner
        .run<TrialReply>("trial", task, `${task.instance.name} ${task.method} seed ${task.seed}`)
        .then((reply) => {
          if (reply.ok) records[i] = reply.record;
          else settle(new Error(reply.message), trialFailures, i, fail);
        })
        .catch((err) => settle(err, trialFailures, i, fail))
        .finally(() => {
          progress.trialsDone++;
          options.onProgress?.({ ...progress });
        }),
    );
  }
  try {
    await Promise.all(jobs);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!options.runner || signal?.aborted) await destroy();
  }
  return {
    trials: records.filter((r): r is TrialRecord => r !== null),
    landscapes: landscapeRecords.flatMap((r) => r ?? []),
    failures: [...landscapeFailures, ...trialFailures].filter((f): f is TaskFailure => f !== null),
    cancelled,
    planned: tasks.length,
    workers: runner.workers,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
