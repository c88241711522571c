import { UserError } from "../util/errors.js";
import { trainCore, type TrainTask } from "./core.js";
import { packSamples, packTargets } from "./data.js";
import { FmModel } from "./model.js";
import { resolveFmOptions, type FmTrainOptions } from "./options.js";

/**
 * Check the inputs and build the kernel's task (fresh buffers: they may be transferred to a
 * worker without touching the caller's arrays or the warm-start model). Throws `UserError`.
 */
export function buildTrainTask(
  samples: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  options: FmTrainOptions = {},
): TrainTask {
  const o = resolveFmOptions(options);
  const warm = options?.warmStart;
  if (warm !== undefined && !(warm instanceof FmModel)) {
    throw new UserError("FM option warmStart must be an FmModel");
  }
  const data = packSamples(samples, warm?.n);
  const y = packTargets(targets, data.count);
  if (warm && warm.k !== o.k) {
    throw new UserError(`FM option warmStart has rank k = ${warm.k}, but training asks for k = ${o.k}`);
  }
  return {
    n: data.n,
    idx: data.idx,
    off: data.off,
    y,
    options: o,
    warm: warm ? { params: warm.packedParams().slice(), yMean: warm.yMean, yStd: warm.yStd } : null,
  };
}

/**
 * Train a second-order factorization machine on bit vectors in the calling thread.
 *
 * Adam on mean squared error + L2, on standardised targets (predictions come back in original
 * units), seeded initialisation, early stopping on a seeded held-out share with the best
 * validation parameters kept. Deterministic: the same data, options and seed give the same
 * parameters bit for bit (also in {@link FmTrainer} worker threads).
 *
 * Throws `UserError` for empty data, samples of unequal length or with entries other than 0/1,
 * a target count that differs from the sample count, non-finite targets, or a bad option
 * (e.g. k < 1). A `warmStart` model must have the samples' n and the requested k.
 *
 * @example
 * ```ts
 * import { trainFm } from "fmanneal";
 * const samples = [Uint8Array.of(1, 0, 1), Uint8Array.of(0, 1, 1), Uint8Array.of(1, 1, 0)];
 * const costs = [3.5, 2.0, 4.25];
 * const model = trainFm(samples, costs, { k: 2, epochs: 500, seed: 7 });
 * model.predict(Uint8Array.of(1, 0, 1));   // ≈ 3.5
 * const next = trainFm([...samples, Uint8Array.of(0, 0, 1)], [...costs, 1.0],
 *                      { k: 2, seed: 7, warmStart: model }); // resumes from `model`
 * ```
 */
export function trainFm(
  samples: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  options: FmTrainOptions = {},
): FmModel {
  const task = buildTrainTask(samples, targets, options);
  const r = trainCore(task);
  return new FmModel(task.n, task.options.k, r.params, r.yMean, r.yStd, r.report);
}
