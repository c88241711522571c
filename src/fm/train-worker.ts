import { trainCore, type TrainResult, type TrainTask } from "./core.js";
import { UserError } from "../util/errors.js";
import { moveWith } from "../util/pool.js";

/**
 * Piscina worker: train one FM (see src/fm/core.ts) from buffers the caller transferred, and
 * transfer the parameters back. Loaded once per thread (module state is per thread; the kernel
 * needs none), one task at a time. The kernel is the same code the calling thread runs for
 * `threads: 0`, so results are bit-identical.
 *
 * A `UserError` (e.g. divergence with the caller's learning rate) comes back as a value, since
 * an error's class does not survive the trip between threads; anything else rejects the task.
 */
export type TrainReply = { ok: true; result: TrainResult } | { ok: false; message: string };

export default function train(task: TrainTask): TrainReply {
  let result: TrainResult;
  try {
    result = trainCore(task);
  } catch (err) {
    if (err instanceof UserError) return { ok: false, message: err.message };
    throw err;
  }
  return moveWith<TrainReply>({ ok: true, result }, [result.params.buffer]);
}
