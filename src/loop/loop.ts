import { Random, SeedSalt, deriveSeed, roundSeed } from "../util/random.js";
import { UserError } from "../util/errors.js";
import { Journal, checkJournal, loadJournal, type JournalHeader, type JournalSample } from "./journal.js";
import type { Evaluator, ProposeContext, Proposer, Timings } from "./proposer.js";

/**
 * The optimisation loop shared by every method (`fma`, `edge`, and the baselines that learn
 * nothing). A method is a `Proposer`; the problem is an `Evaluator`. The loop owns everything
 * else: budgets, time limit, abort, batches, the "never evaluate a point twice" rule, the
 * invalid-code penalty, the journal and resume, progress, timings.
 *
 * Determinism: the randomness of round r comes from `roundSeed(seed, r)`, never from a stream
 * carried across rounds, and proposers are deterministic functions of the samples they observed
 * and that seed. A resumed run therefore proposes exactly what the uninterrupted run proposed,
 * and the journal answers those proposals instead of the cost function.
 */

export interface LoopProgress {
  evaluations: number;
  maxEvaluations: number;
  bestValue: number | null;
  round: number;
  elapsed: number;
  invalid: number;
}

export interface LoopOptions<P> {
  /** Number of random initial points (default 20), before the first proposal round. */
  init: number;
  /** Points to evaluate first (e.g. the caller's known tours); they count toward `init`. */
  initialPoints?: P[];
  /** Budget: samples in the history, invalid codes included. */
  maxEvaluations: number;
  /** Optional cap on proposal rounds after the initial ones. */
  iterations?: number;
  /** Seconds; the run stops after the round in progress. */
  timeLimit?: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoopProgress) => void;
  /** Points per round, evaluated concurrently (default 1). */
  batch: number;
  journal?: string;
  resume?: boolean;
  journalHeader: JournalHeader;
}

export type StopReason = "budget" | "iterations" | "time" | "aborted" | "exhausted";

/** What every run reports besides its best point (shared by `solveTsp` and `minimize` results). */
export interface RunStats {
  /** 1-based evaluation index at which `best` was first reached (0 if none). */
  bestAt: number;
  /** Samples in the history, invalid codes included. */
  evaluations: number;
  /** Calls of the cost function made by this process (journal replays excluded). */
  costCalls: number;
  /** Samples answered from the journal on resume. */
  replayed: number;
  /** Invalid codes proposed (penalised, never evaluated). */
  invalid: number;
  /** Proposal rounds after the initial points. */
  rounds: number;
  /** Per sample: the learned value, whether it was valid, and the best valid value so far (NaN before the first). */
  history: { values: number[]; valid: boolean[]; best: number[] };
  timings: Timings;
  stopReason: StopReason;
}

export interface LoopResult<P> extends RunStats {
  /** Best valid sample (never an invalid code), or null if none was evaluated. */
  best: { point: P; value: number } | null;
}

/** The caller's cost function failed; `result` holds everything evaluated before the failure. */
export class CostFunctionError extends UserError {
  override name = "CostFunctionError";
  constructor(
    message: string,
    readonly result: LoopResult<unknown>,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Run the loop; see the module comment. */
export async function runLoop<P>(
  proposer: Proposer<P>,
  evaluator: Evaluator<P>,
  options: LoopOptions<P>,
): Promise<LoopResult<P>> {
  checkLoopOptions(options);
  const start = performance.now();
  const deadline = options.timeLimit !== undefined ? start + options.timeLimit * 1000 : Infinity;
  const timings: Timings = { train: 0, anneal: 0, evaluate: 0, total: 0 };
  const seen = new Set<string>();
  const values: number[] = [];
  const valids: boolean[] = [];
  const bests: number[] = [];
  let best: { point: P; value: number } | null = null;
  let bestAt = 0;
  let worstValid = -Infinity;
  let costCalls = 0;
  let replayed = 0;
  let invalid = 0;
  let rounds = 0;

  // Journal: on resume the previous samples answer the proposals (a cache keyed by point).
  let cache = new Map<string, JournalSample>();
  let journal: Journal | null = null;
  if (options.journal) {
    let partial = false;
    if (options.resume) {
      try {
        const loaded = loadJournal(options.journal);
        checkJournal(options.journal, loaded.header, options.journalHeader);
        for (const s of loaded.samples) cache.set(s.key, s);
        partial = loaded.droppedPartialLine;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
    journal = Journal.open(options.journal, options.journalHeader, Boolean(options.resume), partial);
  }

  const snapshot = (stopReason: StopReason): LoopResult<P> => ({
    best,
    bestAt,
    evaluations: values.length,
    costCalls,
    replayed,
    invalid,
    rounds,
    history: { values: values.slice(), valid: valids.slice(), best: bests.slice() },
    timings: { ...timings, total: (performance.now() - start) / 1000 },
    stopReason,
  });

  const record = (point: P, value: number, valid: boolean) => {
    values.push(value);
    valids.push(valid);
    if (valid) {
      if (value > worstValid) worstValid = value;
      if (best === null || value < best.value) {
        best = { point, value };
        bestAt = values.length;
      }
    } else {
      invalid++;
    }
    bests.push(best === null ? NaN : best.value);
    proposer.observe(point, value, valid);
  };

  /** Evaluate a round's points concurrently; journal each as it completes; record in order. */
  const evaluateAll = async (points: P[]) => {
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(
      points.map(async (point) => {
        const key = proposer.key(point);
        const cached = cache.get(key);
        if (cached) {
          cache.delete(key);
          replayed++;
          return { value: cached.value, valid: cached.valid, fromJournal: true };
        }
        if (!evaluator.isValid(point)) return { value: NaN, valid: false, fromJournal: false };
        costCalls++;
        const raw = await evaluator.cost(point);
        if (typeof raw !== "number" || !Number.isFinite(raw)) {
          throw new UserError(`the cost function returned ${describeValue(raw)} for ${evaluator.describe(point)}; expected a finite number`);
        }
        journal?.append({ type: "sample", key, point: proposer.toJSON(point), value: raw, valid: true });
        return { value: raw, valid: true, fromJournal: false };
      }),
    );
    timings.evaluate += (performance.now() - t0) / 1000;
    let failure: { point: P; reason: unknown } | null = null;
    for (let i = 0; i < points.length; i++) {
      const o = outcomes[i];
      if (o.status === "rejected") {
        failure ??= { point: points[i], reason: o.reason };
        continue;
      }
      let { value, valid } = o.value;
      if (!valid) {
        // Penalty policy: an invalid code costs the worst valid cost seen so far.
        if (!o.value.fromJournal) {
          value = Number.isFinite(worstValid) ? worstValid : 0;
          journal?.append({ type: "sample", key: proposer.key(points[i]), point: proposer.toJSON(points[i]), value, valid: false });
        }
      }
      record(points[i], value, valid);
    }
    if (failure) {
      const reason = failure.reason;
      const what = reason instanceof UserError ? reason.message : `the cost function failed for ${evaluator.describe(failure.point)}: ${reason instanceof Error ? reason.message : String(reason)}`;
      throw new CostFunctionError(what, snapshot("aborted") as LoopResult<unknown>, reason);
    }
    options.onProgress?.({
      evaluations: values.length,
      maxEvaluations: options.maxEvaluations,
      bestValue: best === null ? null : (best as { value: number }).value,
      round: rounds,
      elapsed: (performance.now() - start) / 1000,
      invalid,
    });
  };

  const claim = (points: P[]): P[] => {
    const out: P[] = [];
    for (const p of points) {
      const k = proposer.key(p);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(p);
    }
    return out;
  };

  let stopReason: StopReason = "budget";
  try {
    // Initial points: the caller's first, then random distinct ones, in batches.
    const initRng = new Random(deriveSeed(options.seed, SeedSalt.init));
    const initCount = Math.min(options.init, options.maxEvaluations);
    let initial = claim((options.initialPoints ?? []).slice(0, initCount));
    if (initial.length < initCount) initial = initial.concat(claim(proposer.initial(initCount - initial.length, initRng, seen)));
    for (let i = 0; i < initial.length; i += options.batch) {
      if (options.signal?.aborted) return snapshot("aborted");
      await evaluateAll(initial.slice(i, i + options.batch));
    }

    for (;;) {
      if (options.signal?.aborted) { stopReason = "aborted"; break; }
      if (values.length >= options.maxEvaluations) { stopReason = "budget"; break; }
      if (options.iterations !== undefined && rounds >= options.iterations) { stopReason = "iterations"; break; }
      if (performance.now() >= deadline) { stopReason = "time"; break; }
      rounds++;
      const q = Math.min(options.batch, options.maxEvaluations - values.length);
      const ctx: ProposeContext = { rng: new Random(roundSeed(options.seed, rounds)), seen, deadline, timings };
      const points = claim(await proposer.propose(q, ctx));
      if (points.length === 0) { stopReason = "exhausted"; break; }
      if (options.signal?.aborted) { stopReason = "aborted"; break; }
      await evaluateAll(points);
      // A replay that diverged (other settings, a time limit): import what the journal still
      // holds, so that nothing it recorded is evaluated again.
      if (cache.size > 0 && replayed > 0 && costCalls > 0) {
        for (const s of cache.values()) {
          if (seen.has(s.key)) continue;
          seen.add(s.key);
          replayed++;
          record(proposer.fromJSON(s.point), s.value, s.valid);
        }
        cache = new Map();
      }
    }
  } finally {
    journal?.close();
    await proposer.close();
  }
  return snapshot(stopReason);
}

function describeValue(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  return `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
}

function checkLoopOptions(o: LoopOptions<unknown>): void {
  const positiveInt = (name: string, v: number | undefined, min: number) => {
    if (v === undefined) return;
    if (!Number.isInteger(v) || v < min) throw new UserError(`option ${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt("maxEvaluations", o.maxEvaluations, 0);
  positiveInt("init", o.init, 0);
  positiveInt("iterations", o.iterations, 0);
  positiveInt("batch", o.batch, 1);
  if (o.timeLimit !== undefined && !(o.timeLimit >= 0)) throw new UserError(`option timeLimit must be a number of seconds >= 0, got ${o.timeLimit}`);
  if (o.resume && !o.journal) throw new UserError("option resume needs a journal path");
}
