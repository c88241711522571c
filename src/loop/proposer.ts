import { validateTour } from "../tsp/tour.js";
import { randomTour, tourKey } from "../tsp/tour-space.js";
import type { Random } from "../util/random.js";

/**
 * What a method is to the loop (src/loop/loop.ts): a `Proposer` learns from the samples and
 * proposes points not evaluated before; the problem is an `Evaluator`. Everything else (budgets,
 * time limit, abort, batches, journal, the invalid-code penalty) is the loop's.
 */

/** Wall-clock time spent per phase, seconds. */
export interface Timings {
  train: number;
  anneal: number;
  evaluate: number;
  total: number;
}

export interface ProposeContext {
  /** Randomness for this round (seeded from the run seed and the round number). */
  rng: Random;
  /** Keys of every point already evaluated (or proposed earlier in this round). */
  seen: ReadonlySet<string>;
  /** `performance.now()` value after which the proposer should stop early (Infinity: none). */
  deadline: number;
  /** The proposer adds its train / anneal seconds here. */
  timings: Timings;
}

/** A method: learns from samples and proposes points not evaluated before. */
export interface Proposer<P> {
  /** Journal identity, e.g. `fma:gray` or `edge`: a journal of another method is refused. */
  readonly method: string;
  /** A string that is equal for two points iff they are the same solution. */
  key(point: P): string;
  /** JSON form of a point for the journal, and back; `fromJSON` throws on JSON that is not a point of this problem. */
  toJSON(point: P): unknown;
  fromJSON(json: unknown): P;
  /** Up to `count` distinct random valid points whose keys are not in `seen`. */
  initial(count: number, rng: Random, seen: ReadonlySet<string>): P[];
  /** Learn one sample; called once per sample in history order (also for replayed samples). */
  observe(point: P, value: number, valid: boolean): void;
  /** Up to `q` distinct points whose keys are not in `ctx.seen`. */
  propose(q: number, ctx: ProposeContext): Promise<P[]>;
  /** Release threads or other resources. */
  close(): Promise<void>;
}

/** The problem side: validity and the caller's cost. */
export interface Evaluator<P> {
  /** False for an invalid code: it is never passed to `cost` and gets the penalty value. */
  isValid(point: P): boolean;
  /** The caller's cost of a valid point. */
  cost(point: P): number | Promise<number>;
  /** How errors name a point, e.g. `tour [1, 5, 3, ...]` (1-based ids for tours). */
  describe(point: P): string;
}

/**
 * The candidates of one proposal: points taken in order, none whose key is in `seen` (the
 * loop's evaluated and already claimed points) or was taken before. Every proposer collects
 * its proposal through one.
 */
export class Candidates<P> {
  /** The points taken, in order. */
  readonly points: P[] = [];
  readonly #taken = new Set<string>();

  constructor(
    private readonly key: (point: P) => string,
    private readonly seen: ReadonlySet<string>,
  ) {}

  get length(): number {
    return this.points.length;
  }

  /** Whether a point of this key would be refused (seen, or taken already). */
  excludes(key: string): boolean {
    return this.seen.has(key) || this.#taken.has(key);
  }

  /** Take `point` unless its key is excluded; returns whether it was taken. */
  take(point: P, key = this.key(point)): boolean {
    if (this.excludes(key)) return false;
    this.#taken.add(key);
    this.points.push(point);
    return true;
  }

  /**
   * Take points from `draw(attempt)` until there are `count` or `attempts` draws were made
   * (bounded: a tiny space may have fewer unseen points than asked for). The default bound,
   * 50 draws per missing point + 1000, is the one every proposer uses for random points.
   */
  fill(count: number, draw: (attempt: number) => P, attempts = (count - this.points.length) * 50 + 1000): void {
    for (let attempt = 0; this.points.length < count && attempt < attempts; attempt++) this.take(draw(attempt));
  }
}

/** Up to `count` distinct points from `draw` whose keys are not in `seen` (see `Candidates.fill`). */
export function distinctUnseen<P>(count: number, draw: () => P, key: (point: P) => string, seen: ReadonlySet<string>): P[] {
  const out = new Candidates(key, seen);
  out.fill(count, draw);
  return out.points;
}

/**
 * Base of the proposers that search tours directly (the baselines): a tour is its own point,
 * keyed by `tourKey`, and the initial points are distinct random tours.
 */
export abstract class TourProposer implements Proposer<number[]> {
  abstract readonly method: string;
  constructor(
    protected readonly n: number,
    protected readonly symmetric: boolean,
  ) {}
  key(tour: number[]): string {
    return tourKey(tour, this.symmetric);
  }
  toJSON(tour: number[]): unknown {
    return tour;
  }
  fromJSON(json: unknown): number[] {
    if (!Array.isArray(json)) throw new TypeError(`expected a tour (an array of ${this.n} cities)`);
    validateTour(json, this.n);
    return json.slice();
  }
  initial(count: number, rng: Random, seen: ReadonlySet<string>): number[][] {
    return distinctUnseen(count, () => randomTour(this.n, rng), (t) => this.key(t), seen);
  }
  /** Collects a proposal of tours not in `seen`. */
  protected candidates(seen: ReadonlySet<string>): Candidates<number[]> {
    return new Candidates((t) => this.key(t), seen);
  }
  abstract observe(tour: number[], value: number, valid: boolean): void;
  abstract propose(q: number, ctx: ProposeContext): Promise<number[][]>;
  async close(): Promise<void> {}
}
