/**
 * The bounded wait on the caller's code (docs/design.md, "Bounded waits"): every promise the
 * loop awaits from user code (the cost callback) is raced against the run's deadline (option
 * `timeLimit`) and its abort signal. A wait that the deadline or the signal ends is *abandoned*:
 * the loop goes on without the value, and the promise's late result (or rejection) is ignored.
 *
 * No timer or listener outlives the run: `dispose()` clears the deadline timer and removes the
 * abort listener, so a finished run keeps nothing of the process alive. While the run is
 * waiting, the timer is deliberately *not* unref'd: a cost promise that never settles holds no
 * event-loop handle, and without the timer Node would exit (status 13, "unsettled top-level
 * await") instead of ending the run at the deadline.
 */

/** Why a wait ended before the awaited promise settled. */
export type Interruption = "time" | "aborted";

/** How a bounded wait ended. */
export type WaitResult<T> = { status: "fulfilled"; value: T } | { status: "rejected"; reason: unknown } | { status: "interrupted"; why: Interruption };

/** setTimeout's largest delay (2^31 - 1 ms); a longer deadline is reached in several steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** The deadline and the abort signal of one run, as one thing to wait on. */
export class RunStop {
  /** Settles with the first interruption; never rejects. */
  private readonly interrupted: Promise<Interruption>;
  private fire!: (why: Interruption) => void;
  private fired: Interruption | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onAbort = () => this.trigger("aborted");

  /**
   * @param deadline `performance.now()` value at which the time limit is reached (Infinity: none)
   * @param signal the caller's abort signal, if any
   */
  constructor(
    readonly deadline: number,
    private readonly signal?: AbortSignal,
  ) {
    this.interrupted = new Promise((resolve) => (this.fire = resolve));
    if (signal?.aborted) this.trigger("aborted");
    else signal?.addEventListener("abort", this.onAbort, { once: true });
    if (Number.isFinite(deadline)) this.arm();
  }

  /** Why the run must stop now (the signal first, then the clock), or null. */
  check(): Interruption | null {
    if (this.fired === "aborted" || this.signal?.aborted) return "aborted";
    if (this.fired === "time" || performance.now() >= this.deadline) return "time";
    return null;
  }

  /**
   * Wait for `start()`'s value, at most until the deadline or the abort. `start` is called at
   * once; a synchronous throw counts as a rejection, and a plain (non-promise) value is taken
   * without waiting. The promise's late outcome after an interruption is ignored (handled, so
   * it never becomes an unhandled rejection).
   */
  async wait<T>(start: () => T | PromiseLike<T>): Promise<WaitResult<Awaited<T>>> {
    let pending: T | PromiseLike<T>;
    try {
      pending = start();
    } catch (reason) {
      return { status: "rejected", reason };
    }
    if (!isThenable(pending)) return { status: "fulfilled", value: pending as Awaited<T> };
    const settled = Promise.resolve(pending).then(
      (value): WaitResult<Awaited<T>> => ({ status: "fulfilled", value: value as Awaited<T> }),
      (reason): WaitResult<Awaited<T>> => ({ status: "rejected", reason }),
    );
    const now = this.check();
    if (now) return { status: "interrupted", why: now };
    return Promise.race([settled, this.interrupted.then((why): WaitResult<Awaited<T>> => ({ status: "interrupted", why }))]);
  }

  /** Clear the timer and the abort listener (the run is over). */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.signal?.removeEventListener("abort", this.onAbort);
  }

  private arm(): void {
    const left = this.deadline - performance.now();
    if (left <= 0) {
      this.trigger("time");
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.arm();
    }, Math.min(MAX_DELAY, Math.ceil(left)));
  }

  private trigger(why: Interruption): void {
    if (this.fired) return;
    this.fired = why;
    this.fire(why);
    this.dispose();
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as { then?: unknown }).then === "function";
}
