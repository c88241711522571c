import { Random, SeedSalt, deriveSeed, roundSeed } from "../util/random.js";
import { OptionError, UserError } from "../util/errors.js";
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
  const run = new LoopRun(proposer, evaluator, options);
  let stopReason: StopReason;
  try {
    run.openJournal();
    stopReason = (await run.evaluateInitial()) ? await run.proposalRounds() : "aborted";
  } finally {
    run.closeJournal();
    await proposer.close();
  }
  return run.snapshot(stopReason);
}

/** How one point of a round came out: its learned value, and whether the journal answered. */
interface Outcome {
  value: number;
  valid: boolean;
  fromJournal: boolean;
}

/** The state of one run of the loop and its steps (runLoop is their order). */
class LoopRun<P> {
  private readonly start = performance.now();
  private readonly deadline: number;
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
  private rounds = 0;
  /** On resume, the journal's samples by key: they answer the proposals (a cache of the cost). */
  private cache = new Map<string, JournalSample>();
  private journal: Journal | null = null;

  constructor(
    private readonly proposer: Proposer<P>,
    private readonly evaluator: Evaluator<P>,
    private readonly options: LoopOptions<P>,
  ) {
    this.deadline = options.timeLimit !== undefined ? this.start + options.timeLimit * 1000 : Infinity;
  }

  /** Open the journal; on resume load its samples into the cache first (a missing file is a fresh start). */
  openJournal(): void {
    const o = this.options;
    if (!o.journal) return;
    let partial = false;
    if (o.resume) {
      try {
        const loaded = loadJournal(o.journal);
        checkJournal(o.journal, loaded.header, o.journalHeader);
        for (const s of loaded.samples) this.cache.set(s.key, s);
        partial = loaded.droppedPartialLine;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
    this.journal = Journal.open(o.journal, o.journalHeader, Boolean(o.resume), partial);
  }

  closeJournal(): void {
    this.journal?.close();
  }

  snapshot(stopReason: StopReason): LoopResult<P> {
    return {
      best: this.best,
      bestAt: this.bestAt,
      evaluations: this.values.length,
      costCalls: this.costCalls,
      replayed: this.replayed,
      invalid: this.invalid,
      rounds: this.rounds,
      history: { values: this.values.slice(), valid: this.valids.slice(), best: this.bests.slice() },
      timings: { ...this.timings, total: (performance.now() - this.start) / 1000 },
      stopReason,
    };
  }

  /**
   * The initial points: the caller's first, then random distinct ones from the proposer, in
   * batches. Returns false when aborted before they were all evaluated.
   */
  async evaluateInitial(): Promise<boolean> {
    const o = this.options;
    const initRng = new Random(deriveSeed(o.seed, SeedSalt.init));
    const initCount = Math.min(o.init, o.maxEvaluations);
    let initial = this.claim((o.initialPoints ?? []).slice(0, initCount));
    if (initial.length < initCount) initial = initial.concat(this.claim(this.proposer.initial(initCount - initial.length, initRng, this.seen)));
    for (let i = 0; i < initial.length; i += o.batch) {
      if (o.signal?.aborted) return false;
      await this.evaluateRound(initial.slice(i, i + o.batch));
    }
    return true;
  }

  /** Proposal rounds until a stop condition; returns why the run stopped. */
  async proposalRounds(): Promise<StopReason> {
    const o = this.options;
    for (;;) {
      const stop = this.stopBeforeRound();
      if (stop) return stop;
      this.rounds++;
      const q = Math.min(o.batch, o.maxEvaluations - this.values.length);
      const ctx: ProposeContext = { rng: new Random(roundSeed(o.seed, this.rounds)), seen: this.seen, deadline: this.deadline, timings: this.timings };
      const points = this.claim(await this.proposer.propose(q, ctx));
      if (points.length === 0) return "exhausted";
      if (o.signal?.aborted) return "aborted";
      await this.evaluateRound(points);
      this.importDivergedReplay();
    }
  }

  /** Why the run stops before the next round, or null to go on. */
  private stopBeforeRound(): StopReason | null {
    const o = this.options;
    if (o.signal?.aborted) return "aborted";
    if (this.values.length >= o.maxEvaluations) return "budget";
    if (o.iterations !== undefined && this.rounds >= o.iterations) return "iterations";
    if (performance.now() >= this.deadline) return "time";
    return null;
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
   * Evaluate a round's points concurrently, journal each as it completes, record them in order;
   * a failed cost call ends the run in a CostFunctionError carrying the result so far.
   */
  private async evaluateRound(points: P[]): Promise<void> {
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(points.map((point) => this.evaluate(point)));
    this.timings.evaluate += (performance.now() - t0) / 1000;
    let failure: { point: P; reason: unknown } | null = null;
    for (let i = 0; i < points.length; i++) {
      const o = outcomes[i];
      if (o.status === "rejected") {
        failure ??= { point: points[i], reason: o.reason };
        continue;
      }
      let { value } = o.value;
      if (!o.value.valid && !o.value.fromJournal) value = this.penalise(points[i]);
      this.record(points[i], value, o.value.valid);
    }
    if (failure) {
      const reason = failure.reason;
      const what = reason instanceof UserError ? reason.message : `the cost function failed for ${this.evaluator.describe(failure.point)}: ${reason instanceof Error ? reason.message : String(reason)}`;
      throw new CostFunctionError(what, this.snapshot("aborted") as LoopResult<unknown>, reason);
    }
    this.options.onProgress?.({
      evaluations: this.values.length,
      maxEvaluations: this.options.maxEvaluations,
      bestValue: this.best === null ? null : this.best.value,
      round: this.rounds,
      elapsed: (performance.now() - this.start) / 1000,
      invalid: this.invalid,
    });
  }

  /** One point: from the journal on resume, NaN for an invalid code, else the caller's cost (journaled). */
  private async evaluate(point: P): Promise<Outcome> {
    const key = this.proposer.key(point);
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.replayed++;
      return { value: cached.value, valid: cached.valid, fromJournal: true };
    }
    if (!this.evaluator.isValid(point)) return { value: NaN, valid: false, fromJournal: false };
    this.costCalls++;
    const raw = await this.evaluator.cost(point);
    if (typeof raw !== "number" || !Number.isFinite(raw)) {
      throw new UserError(`the cost function returned ${describeValue(raw)} for ${this.evaluator.describe(point)}; expected a finite number`);
    }
    this.journal?.append({ type: "sample", key, point: this.proposer.toJSON(point), value: raw, valid: true });
    return { value: raw, valid: true, fromJournal: false };
  }

  /** Penalty policy: an invalid code costs the worst valid cost seen so far (0 before any); journaled. */
  private penalise(point: P): number {
    const value = Number.isFinite(this.worstValid) ? this.worstValid : 0;
    this.journal?.append({ type: "sample", key: this.proposer.key(point), point: this.proposer.toJSON(point), value, valid: false });
    return value;
  }

  private record(point: P, value: number, valid: boolean): void {
    this.values.push(value);
    this.valids.push(valid);
    if (valid) {
      if (value > this.worstValid) this.worstValid = value;
      if (this.best === null || value < this.best.value) {
        this.best = { point, value };
        this.bestAt = this.values.length;
      }
    } else {
      this.invalid++;
    }
    this.bests.push(this.best === null ? NaN : this.best.value);
    this.proposer.observe(point, value, valid);
  }

  /**
   * A replay that diverged (other settings, a time limit): import what the journal still holds,
   * so that nothing it recorded is evaluated again.
   */
  private importDivergedReplay(): void {
    if (this.cache.size === 0 || this.replayed === 0 || this.costCalls === 0) return;
    for (const s of this.cache.values()) {
      if (this.seen.has(s.key)) continue;
      this.seen.add(s.key);
      this.replayed++;
      this.record(this.proposer.fromJSON(s.point), s.value, s.valid);
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
}
