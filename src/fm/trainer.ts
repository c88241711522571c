import type { Piscina } from "piscina";
import { OptionError, UserError } from "../util/errors.js";
import { createPool, moveWith, workerFileUrl } from "../util/pool.js";
import type { TrainReply } from "./train-worker.js";
import { trainCore, type TrainTask } from "./core.js";
import { FmModel } from "./model.js";
import type { FmTrainOptions } from "./options.js";
import { buildTrainTask } from "./train.js";

/** Options of {@link FmTrainer}. */
export interface FmTrainerOptions {
  /**
   * Worker threads: 0 trains in the calling thread (blocking it for the duration of a fit);
   * n >= 1 runs up to n trainings at once in a piscina pool. Default 1.
   */
  threads?: number;
  /** Milliseconds an idle worker thread is kept before it exits. Default 10 000. */
  idleTimeout?: number;
  /**
   * The worker file (default: the compiled `dist/fm/train-worker.js`; see src/util/pool.ts for
   * how it is found when running from TypeScript source). For tests and custom builds.
   */
  workerFile?: URL;
}

/**
 * Trains FMs in worker threads (or in the calling thread with `threads: 0`). The result does not
 * depend on where it ran: same data, options and seed give bit-identical parameters.
 *
 * Input checks run in the calling thread and reject with `UserError` (same messages as
 * {@link trainFm}); a worker that throws or dies rejects with an `Error` saying so, whose `cause`
 * is the original error. Idle threads never keep the process alive, but call {@link close}
 * when done.
 *
 * @example
 * ```ts
 * import { FmTrainer } from "fmanneal";
 * const trainer = new FmTrainer({ threads: 2 });
 * try {
 *   const [a, b] = await Promise.all([
 *     trainer.train(samples, costs, { seed: 1 }),
 *     trainer.train(samples, costs, { seed: 2 }),   // runs in parallel
 *   ]);
 *   const next = await trainer.train(moreSamples, moreCosts, { seed: 3, warmStart: a });
 * } finally {
 *   await trainer.close();
 * }
 * ```
 */
export class FmTrainer {
  /** Number of worker threads (0: calling thread). */
  readonly threads: number;
  readonly #idleTimeout: number | undefined;
  readonly #workerFile: URL | undefined;
  #pool: Piscina | null = null;
  #closed = false;

  constructor(options: FmTrainerOptions = {}) {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 0) {
      throw new OptionError("threads", `FmTrainer option threads must be an integer >= 0, got ${threads}`);
    }
    const idle = options.idleTimeout;
    if (idle !== undefined && !(typeof idle === "number" && idle >= 0)) {
      throw new OptionError("idleTimeout", `FmTrainer option idleTimeout must be a number >= 0 (ms), got ${idle}`);
    }
    this.threads = threads;
    this.#idleTimeout = idle;
    this.#workerFile = options.workerFile;
  }

  /**
   * Train an FM on `samples` (bit vectors) and `targets`; resolves to the model. See
   * {@link trainFm} for the method, the options and the errors.
   *
   * `signal` cancels: a training not yet finished rejects with the signal's reason (an
   * `AbortError` DOMException for a plain `abort()`); in a pool its thread is terminated and
   * later trainings start a new one. With `threads: 0` only a signal aborted before the call
   * is seen, since in-thread training does not yield.
   */
  async train(
    samples: readonly ArrayLike<number>[],
    targets: ArrayLike<number>,
    options: FmTrainOptions = {},
    signal?: AbortSignal,
  ): Promise<FmModel> {
    if (this.#closed) throw new UserError("FmTrainer is closed; create a new one");
    signal?.throwIfAborted();
    const task = buildTrainTask(samples, targets, options);
    const k = task.options.k;
    if (this.threads === 0) {
      const r = trainCore(task);
      return new FmModel(task.n, k, r.params, r.yMean, r.yStd, r.report);
    }
    const reply = await this.#run(task, signal);
    if (!reply.ok) throw new UserError(reply.message);
    const r = reply.result;
    return new FmModel(task.n, k, r.params, r.yMean, r.yStd, r.report);
  }

  async #run(task: TrainTask, signal: AbortSignal | undefined): Promise<TrainReply> {
    if (this.#pool === null) {
      const file = this.#workerFile ?? workerFileUrl("./train-worker.js", import.meta.url);
      this.#pool = createPool(file, { threads: this.threads, idleTimeout: this.#idleTimeout });
    }
    // The task's buffers are fresh copies (buildTrainTask), so moving them detaches nothing the
    // caller holds.
    const buffers: ArrayBufferLike[] = [task.idx.buffer, task.off.buffer, task.y.buffer];
    if (task.warm) buffers.push(task.warm.params.buffer);
    try {
      return (await this.#pool.run(moveWith(task, buffers), signal ? { signal } : {})) as TrainReply;
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(`FM training worker failed: ${detail}`, { cause: err });
    }
  }

  /** Stop the worker threads (waits for running trainings). Later `train` calls reject. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = null;
    if (pool) await pool.close();
  }
}
