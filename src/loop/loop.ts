import { Random, SeedSalt, deriveSeed, roundSeed } from "../util/random.js";
import { OptionError, UserError } from "../util/errors.js";
import { Journal, JournalError, checkJournal, loadJournalForResume, lockJournal, type JournalEntry, type JournalHeader, type JournalLock, type LoadedJournal } from "./journal.js";
import type { Evaluator, ProposeContext, Proposer, Timings } from "./proposer.js";
import { RunStop, type Interruption } from "./stop.js";

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
 *
 * Bounded waits (docs/design.md, "Bounded waits"): every wait on the caller's cost is raced
 * against the time limit and the abort signal (src/loop/stop.ts); an evaluation still pending
 * when either ends the run is abandoned (counted in `abandoned`, never journaled), and
 * everything evaluated before is kept. The time limit is checked before every batch of the
 * initial points and every round, and after every proposal (a proposal that ends past the
 * deadline is not evaluated); proposers get the deadline in `ctx.deadline`.
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
  /** Budget: samples in the history, invalid codes included (and failed calls skipped by onCostError "skip"). */
  maxEvaluations: number;
  /** Optional cap on proposal rounds after the initial ones. */
  iterations?: number;
  /** Seconds; at the deadline the run stops, abandoning evaluations still pending. */
  timeLimit?: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoopProgress) => void;
  /** Points per round, evaluated concurrently (default 1). */
  batch: number;
  journal?: string;
  resume?: boolean;
  journalHeader: JournalHeader;
  /** What a failed cost call does (default "throw"); see `CostErrorPolicy`. */
  onCostError?: CostErrorPolicy;
}

/**
 * What a failed cost call (a throw, a rejection, a value that is not a finite number) does:
 * - `throw` (default): the run ends in a CostFunctionError carrying the result so far;
 * - `skip`: the point is not a sample (it is not learned from and never proposed again), but
 *   the call counts toward the budget, so that a cost that always fails still ends the run;
 * - `penalize`: the point is a sample with the penalty of an invalid code (the worst valid
 *   value so far, 0 before any), marked invalid, so that it is never the best.
 * Skipped and penalised calls are counted in `failed` and journaled (a resume does not call
 * the cost for them again).
 */
export type CostErrorPolicy = "throw" | "skip" | "penalize";

export const COST_ERROR_POLICIES: readonly CostErrorPolicy[] = ["throw", "skip", "penalize"];

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
  /** Failed cost calls that were skipped or penalised (option onCostError). */
  failed: number;
  /** Evaluations still pending when the time limit or the abort ended the run: their results are ignored. */
  abandoned: number;
  /** Proposal rounds after the initial points. */
  rounds: number;
  /** Per sample: the learned value, whether it was valid (false for invalid codes and penalised failures), and the best valid value so far (NaN before the first). */
  history: { values: number[]; valid: boolean[]; best: number[] };
  timings: Timings;
  stopReason: StopReason;
}

export interface LoopResult<P> extends RunStats {
  /** Best valid sample (never an invalid code), or null if none was evaluated. */
  best: { point: P; value: number } | null;
}

/**
 * The caller's cost function failed (it threw, rejected, or returned something that is not a
 * finite number) and the run ended (option onCostError "throw"). `result` holds everything
 * evaluated before the failure, in the shape of a normal result of the call that failed
 * (`solveTsp`: best `{ tour, cost }`; `minimize`: best `{ x, value }`); `cause` is what the
 * callback threw.
 */
export class CostFunctionError<R extends RunStats = RunStats & { best: unknown }> extends UserError {
  override name = "CostFunctionError";
  constructor(
    message: string,
    readonly result: R,
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
  const run = new LoopRun(proposer, evaluator, options);
  let stopReason: StopReason;
  try {
    run.openJournal();
    stopReason = (await run.evaluateInitial()) ?? (await run.proposalRounds());
  } finally {
    run.close();
    await proposer.close();
  }
  return run.snapshot(stopReason);
}

/** How one point of a round came out. */
type Outcome =
  /** A value: the cost, or (from the journal) a penalty; `error` marks a penalised failed call. */
  | { kind: "value"; value: number; valid: boolean; fromJournal: boolean; error?: string }
  /** The cost call failed now (`reason`), or failed and was skipped in the journaled run. */
  | { kind: "failed"; reason: unknown; fromJournal: boolean }
  /** Still pending when the time limit or the abort ended the run. */
  | { kind: "abandoned"; why: Interruption };

/** The state of one run of the loop and its steps (runLoop is their order). */
class LoopRun<P> {
  private readonly start = performance.now();
  /** The time limit and the abort signal: every wait on the cost is bounded by them. */
  private readonly stop: RunStop;
  private readonly timings: Timings = { train: 0, anneal: 0, evaluate: 0, total: 0 };
  /** Keys of every point evaluated or claimed for evaluation. */
  private readonly seen = new Set<string>();
  private readonly values: number[] = [];
  private readonly valids: boolean[] = [];
  private readonly bests: number[] = [];
  private best: { point: P; value: number } | null = null;
  private bestAt = 0;
  private worstValid = -Infinity;
  private costCalls = 0;
  private replayed = 0;
  private invalid = 0;
  private failed = 0;
  /** Failed calls skipped (onCostError "skip"): not samples, but part of the budget. */
  private skipped = 0;
  private abandoned = 0;
  private rounds = 0;
  /** On resume, the journal's entries by key: they answer the proposals (a cache of the cost). */
  private cache = new Map<string, JournalEntry>();
  private journal: Journal | null = null;
  private lock: JournalLock | null = null;

  constructor(
    private readonly proposer: Proposer<P>,
    private readonly evaluator: Evaluator<P>,
    private readonly options: LoopOptions<P>,
  ) {
    const deadline = options.timeLimit !== undefined ? this.start + options.timeLimit * 1000 : Infinity;
    this.stop = new RunStop(deadline, options.signal);
  }

  /**
   * Take the journal's lock, then open the journal; on resume check its header against this
   * run and load its entries into the cache (a missing file, or one killed before its header
   * was written, is a fresh start).
   */
  openJournal(): void {
    const o = this.options;
    if (!o.journal) return;
    this.lock = lockJournal(o.journal);
    let loaded: LoadedJournal | null = null;
    if (o.resume) {
      loaded = loadJournalForResume(o.journal);
      if (loaded) {
        checkJournal(o.journal, loaded.header, o.journalHeader);
        this.loadCache(o.journal, loaded);
      }
    }
    this.journal = Journal.open(o.journal, o.journalHeader, Boolean(o.resume), loaded);
  }

  /** The journal's entries into the cache, each point checked against this problem (`file:line` on failure). */
  private loadCache(path: string, loaded: LoadedJournal): void {
    const lineOf = new Map<string, number>();
    for (const e of loaded.entries) {
      let point: P;
      try {
        point = this.proposer.fromJSON(e.point);
      } catch (err) {
        throw new JournalError(`${path}:${e.line}: the journal's point is not one of this problem: ${(err as Error).message}`);
      }
      if (this.proposer.key(point) !== e.key) throw new JournalError(`${path}:${e.line}: the journal's key does not match its point`);
      const first = lineOf.get(e.key);
      if (first !== undefined) throw new JournalError(`${path}:${e.line}: the same point as line ${first}; a run never evaluates a point twice`);
      lineOf.set(e.key, e.line);
      this.cache.set(e.key, e);
    }
  }

  /** Close the journal, release its lock, and clear the deadline timer and the abort listener. */
  close(): void {
    try {
      this.journal?.close();
    } finally {
      this.lock?.release();
      this.stop.dispose();
    }
  }

  snapshot(stopReason: StopReason): LoopResult<P> {
    return {
      best: this.best,
      bestAt: this.bestAt,
      evaluations: this.values.length,
      costCalls: this.costCalls,
      replayed: this.replayed,
      invalid: this.invalid,
      failed: this.failed,
      abandoned: this.abandoned,
      rounds: this.rounds,
      history: { values: this.values.slice(), valid: this.valids.slice(), best: this.bests.slice() },
      timings: { ...this.timings, total: (performance.now() - this.start) / 1000 },
      stopReason,
    };
  }

  /** What the budget has been spent on: the samples, and the failed calls that were skipped. */
  private budgetUsed(): number {
    return this.values.length + this.skipped;
  }

  /**
   * The initial points: the caller's first, then random distinct ones from the proposer, in
   * batches. Returns why the run stopped before they were all evaluated (abort, time limit),
   * or null.
   */
  async evaluateInitial(): Promise<StopReason | null> {
    const o = this.options;
    const initRng = new Random(deriveSeed(o.seed, SeedSalt.init));
    const initCount = Math.min(o.init, o.maxEvaluations);
    let initial = this.claim((o.initialPoints ?? []).slice(0, initCount));
    if (initial.length < initCount) initial = initial.concat(this.claim(this.proposer.initial(initCount - initial.length, initRng, this.seen)));
    for (let i = 0; i < initial.length; i += o.batch) {
      const stop = this.stop.check();
      if (stop) return stop;
      const interrupted = await this.evaluateRound(initial.slice(i, i + o.batch));
      if (interrupted) return interrupted;
    }
    return null;
  }

  /** Proposal rounds until a stop condition; returns why the run stopped. */
  async proposalRounds(): Promise<StopReason> {
    const o = this.options;
    for (;;) {
      const stop = this.stopBeforeRound();
      if (stop) return stop;
      this.rounds++;
      const q = Math.min(o.batch, o.maxEvaluations - this.budgetUsed());
      const ctx: ProposeContext = { rng: new Random(roundSeed(o.seed, this.rounds)), seen: this.seen, deadline: this.stop.deadline, timings: this.timings };
      const points = this.claim(await this.proposer.propose(q, ctx));
      if (points.length === 0) return "exhausted";
      const late = this.stop.check();
      if (late) return late;
      const interrupted = await this.evaluateRound(points);
      if (interrupted) return interrupted;
      this.importDivergedReplay();
    }
  }

  /** Why the run stops before the next round, or null to go on. */
  private stopBeforeRound(): StopReason | null {
    const o = this.options;
    if (this.options.signal?.aborted) return "aborted";
    if (this.budgetUsed() >= o.maxEvaluations) return "budget";
    if (o.iterations !== undefined && this.rounds >= o.iterations) return "iterations";
    return this.stop.check();
  }

  /** The points whose keys are not seen yet, now marked seen. */
  private claim(points: P[]): P[] {
    const out: P[] = [];
    for (const p of points) {
      const k = this.proposer.key(p);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      out.push(p);
    }
    return out;
  }

  /**
   * Evaluate a round's points concurrently (each wait bounded by the time limit and the
   * abort), journal each as it completes, then record them in order. Returns why the run must
   * stop when an evaluation was abandoned, else null. A failed cost call with onCostError
   * "throw" ends the run in a CostFunctionError carrying the result so far.
   */
  private async evaluateRound(points: P[]): Promise<Interruption | null> {
    const t0 = performance.now();
    const outcomes = await Promise.all(points.map((point) => this.evaluate(point)));
    this.timings.evaluate += (performance.now() - t0) / 1000;
    let failure: { point: P; reason: unknown } | null = null;
    let interrupted: Interruption | null = null;
    for (let i = 0; i < points.length; i++) {
      const o = outcomes[i];
      if (o.kind === "abandoned") {
        this.abandoned++;
        interrupted ??= o.why;
      } else if (o.kind === "failed") {
        if (!o.fromJournal && (this.options.onCostError ?? "throw") === "throw") failure ??= { point: points[i], reason: o.reason };
        else this.settleFailure(points[i], o.reason, o.fromJournal);
      } else if (o.error !== undefined) {
        this.record(points[i], o.value, "failed"); // a penalised failure, from the journal
      } else {
        const value = !o.valid && !o.fromJournal ? this.penalise(points[i]) : o.value;
        this.record(points[i], value, o.valid ? "valid" : "invalid");
      }
    }
    if (failure) {
      throw new CostFunctionError(this.failureMessage(failure.point, failure.reason), this.snapshot("aborted") as LoopResult<unknown>, failure.reason);
    }
    this.options.onProgress?.({
      evaluations: this.values.length,
      maxEvaluations: this.options.maxEvaluations,
      bestValue: this.best === null ? null : this.best.value,
      round: this.rounds,
      elapsed: (performance.now() - this.start) / 1000,
      invalid: this.invalid,
    });
    return interrupted;
  }

  /**
   * One point: from the journal on resume, NaN for an invalid code, else the caller's cost,
   * awaited at most until the deadline or the abort (a valid value is journaled at once).
   */
  private async evaluate(point: P): Promise<Outcome> {
    const key = this.proposer.key(point);
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.replayed++;
      if (cached.type === "skipped") return { kind: "failed", reason: cached.error, fromJournal: true };
      return { kind: "value", value: cached.value, valid: cached.valid, fromJournal: true, error: cached.error };
    }
    if (!this.evaluator.isValid(point)) return { kind: "value", value: NaN, valid: false, fromJournal: false };
    this.costCalls++;
    const got = await this.stop.wait(() => this.evaluator.cost(point));
    if (got.status === "interrupted") return { kind: "abandoned", why: got.why };
    if (got.status === "rejected") return { kind: "failed", reason: got.reason, fromJournal: false };
    const raw: unknown = got.value;
    if (typeof raw !== "number" || !Number.isFinite(raw)) {
      const reason = new UserError(`the cost function returned ${describeValue(raw)} for ${this.evaluator.describe(point)}; expected a finite number`);
      return { kind: "failed", reason, fromJournal: false };
    }
    this.journal?.append({ type: "sample", key, point: this.proposer.toJSON(point), value: raw, valid: true });
    return { kind: "value", value: raw, valid: true, fromJournal: false };
  }

  /** The message of a failed cost call: the callback's own UserError, or what it threw, naming the point. */
  private failureMessage(point: P, reason: unknown): string {
    if (reason instanceof UserError) return reason.message;
    return `the cost function failed for ${this.evaluator.describe(point)}: ${reason instanceof Error ? reason.message : String(reason)}`;
  }

  /**
   * A failed cost call under onCostError "skip" or "penalize" (or a skipped one replayed from
   * the journal, whose `reason` is the journaled message): a skipped call uses budget but is
   * no sample; a penalised one is an invalid sample.
   */
  private settleFailure(point: P, reason: unknown, fromJournal: boolean): void {
    const key = this.proposer.key(point);
    const error = fromJournal ? String(reason) : this.failureMessage(point, reason);
    if (fromJournal || this.options.onCostError === "skip") {
      this.failed++;
      this.skipped++;
      if (!fromJournal) this.journal?.append({ type: "skipped", key, point: this.proposer.toJSON(point), error });
      return;
    }
    const value = this.penaltyValue();
    this.journal?.append({ type: "sample", key, point: this.proposer.toJSON(point), value, valid: false, error });
    this.record(point, value, "failed");
  }

  /** The penalty of an invalid code or a penalised failure: the worst valid value so far, 0 before any. */
  private penaltyValue(): number {
    return Number.isFinite(this.worstValid) ? this.worstValid : 0;
  }

  /** Penalty policy: an invalid code costs the worst valid cost seen so far (0 before any); journaled. */
  private penalise(point: P): number {
    const value = this.penaltyValue();
    this.journal?.append({ type: "sample", key: this.proposer.key(point), point: this.proposer.toJSON(point), value, valid: false });
    return value;
  }

  private record(point: P, value: number, kind: "valid" | "invalid" | "failed"): void {
    const valid = kind === "valid";
    this.values.push(value);
    this.valids.push(valid);
    if (valid) {
      if (value > this.worstValid) this.worstValid = value;
      if (this.best === null || value < this.best.value) {
        this.best = { point, value };
        this.bestAt = this.values.length;
      }
    } else if (kind === "invalid") {
      this.invalid++;
    } else {
      this.failed++;
    }
    this.bests.push(this.best === null ? NaN : this.best.value);
    this.proposer.observe(point, value, valid);
  }

  /**
   * A replay that diverged (a time limit, a changed budget): import what the journal still
   * holds, in journal order and within the budget, so that nothing it recorded is evaluated
   * again and the run never holds more samples than its budget.
   */
  private importDivergedReplay(): void {
    if (this.cache.size === 0 || this.replayed === 0 || this.costCalls === 0) return;
    for (const e of this.cache.values()) {
      if (this.budgetUsed() >= this.options.maxEvaluations) break;
      if (this.seen.has(e.key)) continue;
      this.seen.add(e.key);
      this.replayed++;
      const point = this.proposer.fromJSON(e.point);
      if (e.type === "skipped") this.settleFailure(point, e.error, true);
      else this.record(point, e.value, e.error !== undefined ? "failed" : e.valid ? "valid" : "invalid");
    }
    this.cache = new Map();
  }
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
    if (!Number.isInteger(v) || v < min) throw new OptionError(name, `option ${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt("maxEvaluations", o.maxEvaluations, 0);
  positiveInt("init", o.init, 0);
  positiveInt("iterations", o.iterations, 0);
  positiveInt("batch", o.batch, 1);
  if (o.timeLimit !== undefined && !(o.timeLimit >= 0)) throw new OptionError("timeLimit", `option timeLimit must be a number of seconds >= 0, got ${o.timeLimit}`);
  if (o.resume && !o.journal) throw new OptionError("resume", "option resume needs a journal path");
  if (!Number.isSafeInteger(o.seed)) throw new OptionError("seed", `option seed must be an integer, got ${o.seed}`);
  if (o.onCostError !== undefined && !COST_ERROR_POLICIES.includes(o.onCostError)) {
    throw new OptionError("onCostError", `option onCostError must be one of ${COST_ERROR_POLICIES.join(", ")}, got ${String(o.onCostError)}`);
  }
}
