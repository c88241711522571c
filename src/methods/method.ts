import type { FmTrainOptions } from "../fm/options.js";
import type { LabelingName } from "../labelings/labeling.js";
import type { JournalHeader } from "../loop/journal.js";
import type { CostErrorPolicy, LoopOptions, LoopProgress } from "../loop/loop.js";
import type { NormalizedProblem } from "../loop/problem.js";
import type { Proposer, TourProposer } from "../loop/proposer.js";

/**
 * What a method is to `solveTsp` (src/methods/solve.ts) and to the CLI: a `MethodDefinition`
 * names it, describes it in one line, declares its defaults once, says what it needs of the
 * problem, and builds its proposer. The definitions are listed in src/methods/registry.ts.
 */

/** The methods `solveTsp` offers. `random`, `sa-2opt` and `penalty-qubo` are baselines. */
export type Method = "fma" | "edge" | "random" | "sa-2opt" | "penalty-qubo";

/** Options shared by `solveTsp` and `minimize`. Every field is optional. */
export interface RunOptions {
  /** Budget: samples evaluated (invalid codes included), default 300. */
  maxEvaluations?: number;
  /** Cap on proposal rounds after the initial samples. */
  iterations?: number;
  /** Initial random samples (each method's default, see the registry: 20, `edge` 5; at most maxEvaluations). */
  init?: number;
  /**
   * Seconds. Bounds the whole run, the initial samples included: at the deadline the run stops
   * (stopReason "time"), and a cost call still pending is abandoned (counted in `abandoned`;
   * its late result is ignored). A cost promise that never settles cannot hang the run.
   */
  timeLimit?: number;
  /** Seed of every random choice, an integer (default 1). Same seed and options -> same history. */
  seed?: number;
  /**
   * Stops the run (stopReason "aborted"); a cost call still pending is abandoned, as at the
   * time limit. The result holds the best so far.
   */
  signal?: AbortSignal;
  /** Called after every round with evaluations and best value so far. */
  onProgress?: (progress: LoopProgress) => void;
  /** Candidates per round, evaluated concurrently (for slow cost callbacks). Default 1. */
  batch?: number;
  /** Append every evaluated sample to this JSON-lines file. */
  journal?: string;
  /**
   * Continue the run recorded in `journal` without evaluating anything twice. The journal must
   * have been written with the same problem, method, seed and settings (a JournalError names
   * what differs); the budget may differ (a larger one extends the run; a resumed run never
   * holds more samples than its budget). A journal is locked while a run uses it.
   */
  resume?: boolean;
  /**
   * A cost call that throws, rejects or returns something other than a finite number:
   * `"throw"` (default) ends the run in a CostFunctionError carrying the result so far;
   * `"skip"` drops the point (not learned from, never proposed again; the call counts toward
   * the budget); `"penalize"` records it as an invalid sample with the penalty value (the worst
   * valid cost so far). Skipped and penalised calls are counted in `failed`.
   */
  onCostError?: CostErrorPolicy;
  /** FM rank k (default 8). */
  rank?: number;
  /**
   * FM training of every round after the first, warm-started from the previous model: `steps`
   * Adam steps on mini-batches that always hold the newest sample (default 20: the cost of a
   * round does not grow with the history), or, with `steps: 0`, `epochs` passes over all samples
   * (default 10; also the epochs of `edge`'s interaction FM). The first training runs
   * `firstEpochs` epochs from scratch (default 100).
   */
  steps?: number;
  epochs?: number;
  firstEpochs?: number;
  /** Adam learning rate (default 0.01) and L2 on w and V (default 1e-3). */
  learningRate?: number;
  l2?: number;
  /** Annealing sweeps per read (default 30; `penalty-qubo` 300) and reads per round (default 10). */
  sweeps?: number;
  reads?: number;
  /** [hot, cold] inverse temperatures; default derived from each QUBO. */
  betaRange?: [number, number];
  /**
   * Candidates of a round: the reads and every single-bit flip of each distinct read, ranked
   * together by the FM's prediction (default true); false: the reads alone, as in the paper.
   */
  flips?: boolean;
  /**
   * `fma`: after this many evaluations without a new best cost, train a fresh FM from a new
   * random initialisation instead of warm-starting the last one (default 20; 0: never).
   */
  restartAfter?: number;
  /** Further FM training options (batch size, validation share, patience...), for experiments. */
  fm?: Partial<FmTrainOptions>;
  /** Worker threads for FM training: 0 trains in the calling thread (default 0: a round's
   * training is a few milliseconds, less than a thread round trip pays for). */
  threads?: number;
}

export interface SolveOptions extends RunOptions {
  /** `fma` (default) — the paper's method — or another method of the registry. */
  method?: Method;
  /** Labeling for `fma` (default `gray`). */
  labeling?: LabelingName;
  /** Invalid codes: `penalty` (default) or `repair`. */
  invalidPolicy?: "penalty" | "repair";
  /** Tours to evaluate first (0-based city arrays); they count toward `init`. */
  initialTours?: number[][];
  /** `edge`: Thompson-sampling exploration scale (default 1). */
  exploration?: number;
  /** `edge`: FM rank over pairs of edges fitted to the residuals, for non-additive costs (default 0: off). */
  interactions?: number;
  /** `edge`: prior-to-noise precision ratio of the edge regression (default 1e-3). */
  lambda?: number;
  /** `edge`: random start tours of the local search per proposal, besides the best and the previous (default 2). */
  randomStarts?: number;
  /**
   * `edge` only: tours are open paths (no edge back to the start), optionally with a fixed first
   * and/or last city. `true` = open path with free ends.
   */
  path?: boolean | { start?: number; end?: number };
  /** Override the symmetry detected from a matrix, or declared by a callback problem. */
  symmetric?: boolean;
}

/** Defaults of every run, whatever the method. */
export const RUN_DEFAULTS = {
  maxEvaluations: 300,
  seed: 1,
  batch: 1,
} as const;

/** An open path's fixed ends (option `path`), or null for closed tours. */
export type PathEnds = { start?: number; end?: number } | null;

/** The options a method's factory gets: the caller's, over the method's defaults, over RUN_DEFAULTS. */
export type ResolvedOptions<D> = SolveOptions & D & { maxEvaluations: number; seed: number; batch: number; init: number };

/** A method set up for one run: its proposer and how its points become tours. */
export interface MethodRun<P> {
  /** The proposer; the loop closes it (and it closes what it created, e.g. an FmTrainer). */
  proposer: Proposer<P>;
  /** The tour of a point, or null for an invalid code. */
  decode(point: P): number[] | null;
  /** The caller's initial tours as points (option `initialTours`). */
  initialPoints?: P[];
  /** The labeling of `fma`, else null. */
  labeling: LabelingName | null;
  /** Code length of the labeling (null for methods that search tours directly). */
  bits: number | null;
}

/** One method of the registry. `D` is the type of its defaults. */
export interface MethodDefinition<D extends object = object, P = any> {
  readonly name: Method;
  /** One line for `--help` and the docs. */
  readonly description: string;
  /** Its defaults of the SolveOptions fields it reads (`init` always), declared once. */
  readonly defaults: Readonly<D & { init: number }>;
  /** What it needs of the problem: the distance matrix, symmetric costs. */
  readonly needs: { readonly distances: boolean; readonly symmetric: boolean };
  /** Whether it handles open paths (option `path`). */
  readonly paths: boolean;
  /**
   * The largest problem it can take, if it has a limit: `solveTsp` checks it before `create`,
   * so a problem too large ends in one line (which method, which limit, what to use instead)
   * instead of a failed allocation.
   */
  readonly sizeLimit?: SizeLimit;
  /**
   * Settings of its own that determine the run besides the options (`runSettings`), recorded in
   * the journal header and checked on resume; e.g. sa-2opt cools over the budget.
   */
  journalSettings?(options: ResolvedOptions<D>): Record<string, unknown>;
  /** Build its proposer for a normalised problem; throws UserError on a bad option. */
  create(problem: NormalizedProblem, options: ResolvedOptions<D>, path: PathEnds): MethodRun<P>;
}

/** A method's size limit (MethodDefinition.sizeLimit). */
export interface SizeLimit {
  /** The most cities it takes for a problem of this shape. */
  maxCities(shape: { symmetric: boolean; closed: boolean }): number;
  /** Why, e.g. "its dense edge covariance (8 d^2 bytes, d edges) must fit in 2 GiB". */
  reason: string;
  /** The method to use instead. */
  instead: Method;
}

/** Options that do not determine a run's proposals: the budget, the run controls, the callbacks. */
const NOT_RUN_SETTINGS = new Set(["maxEvaluations", "iterations", "timeLimit", "seed", "signal", "onProgress", "journal", "resume", "threads"]);

/**
 * The settings that determine a run, for its journal header: every resolved option but the
 * budget and the run controls (`NOT_RUN_SETTINGS`), functions left out, and the initial tours
 * as a fingerprint. Two runs with equal settings and seed propose the same points.
 */
export function runSettings(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (NOT_RUN_SETTINGS.has(key) || value === undefined || typeof value === "function") continue;
    out[key] = key === "initialTours" ? `fnv:${fnvText(JSON.stringify(value))}` : value;
  }
  return out;
}

/** FNV-1a of a string's UTF-16 code units, 8 hex digits. */
function fnvText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The journal header of a run: problem, proposer identity, seed, settings and budget. */
export function journalHeader(
  problem: string,
  method: string,
  o: RunOptions & { maxEvaluations: number; seed: number },
  extraSettings: Record<string, unknown> = {},
): JournalHeader {
  return {
    type: "header",
    version: 2,
    problem,
    method,
    seed: o.seed,
    settings: { ...runSettings(o), ...extraSettings },
    budget: { maxEvaluations: o.maxEvaluations, iterations: o.iterations ?? null },
  };
}

/** `defaults`, then `RUN_DEFAULTS`' fields, then the caller's options that are not undefined. */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): typeof RUN_DEFAULTS & D & O {
  const out: Record<string, unknown> = { ...RUN_DEFAULTS, ...defaults };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as typeof RUN_DEFAULTS & D & O;
}

/** The run of a method that searches tours directly: points are tours, the caller's tours are its first points. */
export function tourMethodRun(proposer: TourProposer, o: SolveOptions): MethodRun<number[]> {
  return { proposer, decode: (tour) => tour, initialPoints: o.initialTours, labeling: null, bits: null };
}

/** The loop's options from resolved run options (what `solveTsp` and `minimize` pass alike). */
export function loopOptions<P>(
  o: RunOptions & { maxEvaluations: number; seed: number; batch: number; init: number },
  journalHeader: JournalHeader,
  initialPoints?: P[],
): LoopOptions<P> {
  return {
    init: o.init,
    initialPoints,
    maxEvaluations: o.maxEvaluations,
    iterations: o.iterations,
    timeLimit: o.timeLimit,
    seed: o.seed,
    signal: o.signal,
    onProgress: o.onProgress,
    batch: o.batch,
    journal: o.journal,
    resume: o.resume,
    journalHeader,
    onCostError: o.onCostError,
  };
}
