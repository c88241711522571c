import type { FmTrainOptions } from "../fm/options.js";
import { FmTrainer } from "../fm/trainer.js";
import { createLabeling } from "../labelings/registry.js";
import type { LabelingName } from "../labelings/labeling.js";
import { UserError } from "../util/errors.js";
import { Random, deriveSeed } from "../util/random.js";
import { RandomSearch } from "./baselines/random.js";
import { TwoOptAnnealing } from "./baselines/sa-2opt.js";
import { allBits, labelingDomain } from "./fma/bit-domain.js";
import { FmaProposer, type FmaSettings } from "./fma/fma-proposer.js";
import { runLoop, type LoopProgress, type LoopResult, type RunStats } from "../loop/loop.js";
import type { Proposer } from "../loop/proposer.js";
import { edgeSpace } from "../tsp/edge-space.js";
import { EdgeProposer } from "./edge/proposer.js";
import { PenaltyQuboProposer } from "./baselines/penalty-qubo.js";
import { normalizeProblem, type TspProblem } from "../loop/problem.js";

/** The methods `solveTsp` offers. `random` and `sa-2opt` are the study's baselines. */
export type Method = "fma" | "edge" | "random" | "sa-2opt" | "penalty-qubo";
export const methodNames: readonly Method[] = ["fma", "edge", "random", "sa-2opt", "penalty-qubo"];

/** Options shared by `solveTsp` and `minimize`. Every field is optional. */
export interface RunOptions {
  /** Budget: samples evaluated (invalid codes included), default 300. */
  maxEvaluations?: number;
  /** Cap on proposal rounds after the initial samples. */
  iterations?: number;
  /** Initial random samples (default min(20, maxEvaluations)). */
  init?: number;
  /** Seconds; the run stops after the round in progress. */
  timeLimit?: number;
  /** Seed of every random choice (default 1). Same seed and options -> same history. */
  seed?: number;
  /** Stops the run after the round in progress; the result holds the best so far. */
  signal?: AbortSignal;
  /** Called after every round with evaluations and best value so far. */
  onProgress?: (progress: LoopProgress) => void;
  /** Candidates per round, evaluated concurrently (for slow cost callbacks). Default 1. */
  batch?: number;
  /** Append every evaluated sample to this JSON-lines file. */
  journal?: string;
  /** Continue the run recorded in `journal` without evaluating anything twice. */
  resume?: boolean;
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
  /** `fma` (default) — the paper's method — or a baseline. */
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

export interface SolveResult extends RunStats {
  method: Method;
  labeling: LabelingName | null;
  /** Code length of the labeling (null for methods that search tours directly). */
  bits: number | null;
  /** The best tour evaluated (0-based, starting at city 0) and its cost; null if none. */
  best: { tour: number[]; cost: number } | null;
}

/*
 * Defaults of the fma loop, chosen by bench/fma-reference.mjs (issue 5; numbers in the commit
 * that set them): 20 warm-started Adam steps per round with the newest sample in every batch
 * beat 10 epochs over everything (N = 8 gray hit rate 52% vs 39-45% over 100 instances, and a
 * round's training stays ~1 ms at 1000 samples instead of growing with them); ranking the reads'
 * single-bit flips with the reads lifted it to 67% (54% without, same sweeps); 30 sweeps were
 * as good as 100-1000 (better at N = 8) at a tenth of the annealing time; rank 4/12/16, lr
 * 0.005/0.02, l2 1e-4/1e-2, init 10/50, batch 32/128 and firstEpochs 30/300 were no better.
 * restartAfter 20 (a fresh model after 20 evaluations without a new best): on burma14 with gray
 * labeling and 1000 evaluations, 17/40 runs reached the optimum against 5/40 without
 * (validation seeds 7919·(1..40); mean gap 3.5% against 6.3%); 10 and 30 were less clear
 * (24/70 and 14/70 against 27/70 over tuning and validation seeds); N = 8 unchanged (26 vs 28
 * of 40 hits). More reads (20-80), fewer or more sweeps, ranking the incumbents' flips, and
 * annealing only within the valid codes (worse: 0/10) did not help as much.
 */
const DEFAULTS = {
  maxEvaluations: 300,
  init: 20,
  seed: 1,
  batch: 1,
  rank: 8,
  steps: 20,
  epochs: 10,
  firstEpochs: 100,
  flips: true,
  restartAfter: 20,
  learningRate: 0.01,
  l2: 1e-3,
  sweeps: 30,
  reads: 10,
  threads: 0,
};

/** Sweeps of the `penalty-qubo` baseline: its one-hot QUBO has (N-1)^2 bits and hard constraints. */
const PENALTY_QUBO_SWEEPS = 300;

/**
 * Find a short tour for a TSP whose cost may be a black box.
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
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const method = o.method ?? "fma";
  const path = o.path === true ? {} : o.path || null;
  if (path && method !== "edge") throw new UserError(`open paths (option path) are supported by method edge only, not ${method}`);
  const p = normalizeProblem(problem, path === null);
  if (o.symmetric !== undefined) p.symmetric = o.symmetric;
  const seed = o.seed;
  let proposer: Proposer<any>;
  let labelingName: LabelingName | null = null;
  let bits: number | null = null;
  let decode: (point: any) => number[] | null;
  let initialPoints: unknown[] | undefined;
  if (method === "fma") {
    labelingName = o.labeling ?? "gray";
    const labeling = createLabeling(labelingName, p.cities);
    bits = labeling.bits;
    const policy = o.invalidPolicy ?? "penalty";
    if (policy !== "penalty" && policy !== "repair") throw new UserError(`invalidPolicy must be penalty or repair, got ${policy}`);
    proposer = new FmaProposer(labelingDomain(labeling), new FmTrainer({ threads: o.threads }), fmaSettings(o, policy), `fma:${labelingName}:${policy}`);
    decode = (code: Uint8Array) => labeling.decode(code);
    initialPoints = o.initialTours?.map((t) => labeling.encode(t));
  } else if (method === "edge") {
    const space = edgeSpace(p.cities, { symmetric: p.symmetric, closed: path === null, start: path?.start ?? null, end: path?.end ?? null });
    const interactions = o.interactions ?? 0;
    proposer = new EdgeProposer(
      space,
      { exploration: o.exploration ?? 1, lambda: o.lambda ?? 1e-3, randomStarts: o.randomStarts ?? 2, interactions, interactionEpochs: o.epochs },
      interactions > 0 ? new FmTrainer({ threads: o.threads }) : null,
    );
    if (options.init === undefined) o.init = Math.min(5, o.maxEvaluations);
    decode = (t: number[]) => t;
    initialPoints = o.initialTours;
  } else if (method === "random") {
    proposer = new RandomSearch(p.cities, p.symmetric);
    decode = (t: number[]) => t;
    initialPoints = o.initialTours;
  } else if (method === "sa-2opt") {
    proposer = new TwoOptAnnealing(p.cities, p.symmetric, o.maxEvaluations, new Random(deriveSeed(seed, 0x5a)));
    decode = (t: number[]) => t;
    initialPoints = o.initialTours;
  } else if (method === "penalty-qubo") {
    if (!p.distances) throw new UserError("method penalty-qubo needs the distances (a TSPLIB instance or a matrix), not a cost callback");
    if (!p.symmetric) throw new UserError("method penalty-qubo handles symmetric distances only");
    proposer = new PenaltyQuboProposer({ dimension: p.cities, distances: p.distances }, options.sweeps ?? PENALTY_QUBO_SWEEPS, o.reads);
    decode = (t: number[]) => t;
    initialPoints = o.initialTours;
  } else {
    throw new UserError(`unknown method "${method}": expected one of ${methodNames.join(", ")}`);
  }

  const result: LoopResult<any> = await runLoop(
    proposer,
    {
      isValid: (point) => decode(point) !== null,
      cost: (point) => p.cost(decode(point)!),
      describe: (point) => {
        const t = decode(point);
        return t ? `tour [${t.map((c) => c + 1).join(", ")}] (1-based)` : "an invalid code";
      },
    },
    {
      init: o.init,
      initialPoints,
      maxEvaluations: o.maxEvaluations,
      iterations: o.iterations,
      timeLimit: o.timeLimit,
      seed,
      signal: o.signal,
      onProgress: o.onProgress,
      batch: o.batch,
      journal: o.journal,
      resume: o.resume,
      journalHeader: {
        type: "header",
        version: 1,
        problem: p.fingerprint,
        method: proposer.method,
        settings: { seed, cities: p.cities, maxEvaluations: o.maxEvaluations, bits },
      },
    },
  );
  const { best, ...stats } = result;
  return {
    ...stats,
    method,
    labeling: labelingName,
    bits,
    best: best ? { tour: decode(best.point)!, cost: best.value } : null,
  };
}

/** A black-box objective over bit strings for `minimize`. */
export interface BitObjective {
  bits: number;
  evaluate(x: Uint8Array): number | Promise<number>;
  /** Optional validity test: invalid codes get the penalty and are never passed to `evaluate`. */
  isValid?(x: Uint8Array): boolean;
  /** A name for the journal. */
  name?: string;
}

export interface MinimizeResult extends RunStats {
  best: { x: Uint8Array; value: number } | null;
}

/**
 * Minimise a black-box function of a bit string with FMA (FM surrogate + annealing).
 *
 * @example
 * ```ts
 * import { minimize } from "fmanneal";
 * const target = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
 * const r = await minimize(
 *   { bits: 8, evaluate: (x) => x.reduce((s, b, i) => s + (b ^ target[i]), 0) },
 *   { maxEvaluations: 60, seed: 3 },
 * );
 * r.best?.value; // 0 once the target is found
 * ```
 */
export async function minimize(objective: BitObjective, options: RunOptions = {}): Promise<MinimizeResult> {
  if (!Number.isInteger(objective.bits) || objective.bits < 1) throw new UserError(`objective.bits must be an integer >= 1, got ${objective.bits}`);
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const isValid = objective.isValid?.bind(objective);
  const proposer = new FmaProposer(allBits(objective.bits, isValid), new FmTrainer({ threads: o.threads }), fmaSettings(o, "penalty"), "fma:bits");
  const result = await runLoop(
    proposer,
    {
      isValid: isValid ?? (() => true),
      cost: (x) => objective.evaluate(x.slice()),
      describe: (x) => `x = ${Array.from(x).join("")}`,
    },
    {
      init: o.init,
      maxEvaluations: o.maxEvaluations,
      iterations: o.iterations,
      timeLimit: o.timeLimit,
      seed: o.seed,
      signal: o.signal,
      onProgress: o.onProgress,
      batch: o.batch,
      journal: o.journal,
      resume: o.resume,
      journalHeader: { type: "header", version: 1, problem: `${objective.name ?? "objective"}/${objective.bits}`, method: "fma:bits", settings: { seed: o.seed } },
    },
  );
  const { best, ...stats } = result;
  return { ...stats, best: best ? { x: best.point, value: best.value } : null };
}

function fmaSettings(o: typeof DEFAULTS & RunOptions, invalidPolicy: "penalty" | "repair"): FmaSettings {
  if (!Number.isInteger(o.restartAfter) || o.restartAfter < 0) throw new UserError(`restartAfter must be an integer >= 0, got ${o.restartAfter}`);
  return {
    rank: o.rank,
    epochs: o.epochs,
    firstEpochs: o.firstEpochs,
    steps: o.steps,
    learningRate: o.learningRate,
    l2: o.l2,
    sweeps: o.sweeps,
    reads: o.reads,
    betaRange: o.betaRange,
    flips: o.flips,
    restartAfter: o.restartAfter,
    invalidPolicy,
    fm: o.fm ?? {},
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as any)[k] = v;
  return out;
}
