import { UserError } from "../util/errors.js";
import type { FmModel } from "./model.js";

/**
 * Options of {@link trainFm} and {@link FmTrainer.train}. All are optional; the defaults suit
 * the FMA loop (n up to a few hundred bits, tens to thousands of samples).
 *
 * Objective, in standardised target units z = (y - mean(y)) / std(y) over the training part:
 *   mean_s ½ (f(x_s) - z_s)² + ½ l2w ‖w‖² + ½ l2v ‖V‖²
 * minimised by Adam over mini-batches (the L2 terms enter every batch gradient in full, so
 * `l2w`/`l2v` do not depend on the sample count or the batch size).
 */
export interface FmTrainOptions {
  /** Rank k of the pairwise factors (integer >= 1). Default 8. */
  k?: number;
  /** Alias of `k` (give one of them, or both equal). */
  rank?: number;
  /** Maximum number of passes over the training part. Default 200. Ignored when `steps` > 0. */
  epochs?: number;
  /**
   * Train for exactly this many Adam steps instead of epochs (0, the default: epochs). For
   * warm-started retraining in a loop that adds a sample per call: the work per call is
   * O(steps · batchSize · k · nnz) whatever the number of samples (plus packing the data and one
   * forward pass over it for the report), where epochs over everything grow with the history.
   *
   * Each step's mini-batch holds the newest training sample (the highest index not held out),
   * so what the caller just learned always enters the fit, and batchSize − 1 other training
   * samples drawn without replacement from a shuffled order that is reshuffled when used up
   * (with batchSize >= the training part, every step is full batch). The loss is not monitored:
   * no plateau decay, no early stopping, no keep-best (the last parameters are returned), and
   * `patience`, `lrDecay`, `maxDecays` and `tolerance` are ignored. The validation split still
   * holds its samples out and reports their RMSE.
   */
  steps?: number;
  /** Adam step size. Default 0.01. */
  learningRate?: number;
  /** L2 weight on the linear terms w (standardised units). Default 1e-4. */
  l2w?: number;
  /** L2 weight on the factors V (standardised units). Default 1e-3. */
  l2v?: number;
  /** Samples per Adam step; `Infinity` (or anything >= the sample count) is full batch. Default 64. */
  batchSize?: number;
  /** Seed of the initialisation and the per-epoch shuffles (the split has `splitSeed`). Default 0. */
  seed?: number;
  /**
   * Start from this model's parameters instead of a random initialisation (same n and k).
   * Its output is re-expressed in the new standardisation, so at epoch 0 it predicts as before
   * (up to rounding). Adam's moment estimates start from zero.
   *
   * A warm-started model is already near a minimum, so two defaults change (explicit values
   * win): `learningRate` becomes {@link WARM_DEFAULTS}.learningRate (0.0025, one plateau decay
   * below the cold default) and `maxDecays` becomes 1. In an FMA-like sequence (n = 40, one
   * sample added per retrain, bench/fm-warmstart.mjs) this needs about 2.5x fewer epochs than
   * retraining from scratch at equal or better held-out error.
   */
  warmStart?: FmModel;
  /**
   * Expected share of the samples held out for early stopping. Sample s is held out iff a hash
   * of (splitSeed, s) falls below the share, so a sample keeps its side as data is appended
   * (warm starts are validated on samples they never trained on). The split is used only when
   * it holds at least {@link MIN_VALIDATION} samples; otherwise all samples train and the
   * training loss is monitored instead. 0 disables it. Default 0.2.
   */
  validationShare?: number;
  /** Seed of the validation split (kept apart from `seed`; see `validationShare`). Default 0. */
  splitSeed?: number;
  /**
   * A plateau is this many epochs without a relative improvement of more than `tolerance` in
   * the monitored loss (validation loss, else training loss); see `lrDecay`. Whenever training
   * ends, the parameters with the lowest monitored loss are returned. Default 10.
   */
  patience?: number;
  /**
   * On a plateau (patience exhausted) training continues from the best parameters with the
   * learning rate multiplied by `lrDecay`, up to `maxDecays` times, and then stops.
   * Defaults 0.25 and 3; `maxDecays: 0` stops at the first plateau.
   */
  lrDecay?: number;
  maxDecays?: number;
  /** Relative improvement that resets the patience counter. Default 1e-4. */
  tolerance?: number;
  /**
   * Standard deviation of the initial factors times sqrt(mean nnz(x)): the init shrinks with the
   * number of set bits so the initial pairwise term stays O(initScale²) at any n. Default 0.1.
   */
  initScale?: number;
}

/** Samples a validation split must hold before early stopping uses it. */
export const MIN_VALIDATION = 10;

/** The options after defaults and checks: plain numbers, safe to post to a worker. */
export interface ResolvedFmOptions {
  k: number;
  epochs: number;
  /** 0 = train by epochs. */
  steps: number;
  learningRate: number;
  l2w: number;
  l2v: number;
  /** 0 = full batch. */
  batchSize: number;
  seed: number;
  validationShare: number;
  splitSeed: number;
  patience: number;
  tolerance: number;
  lrDecay: number;
  maxDecays: number;
  initScale: number;
}

export const FM_DEFAULTS: Readonly<ResolvedFmOptions> = Object.freeze({
  k: 8,
  epochs: 200,
  steps: 0,
  learningRate: 0.01,
  l2w: 1e-4,
  l2v: 1e-3,
  batchSize: 64,
  seed: 0,
  validationShare: 0.2,
  splitSeed: 0,
  patience: 10,
  tolerance: 1e-4,
  lrDecay: 0.25,
  maxDecays: 3,
  initScale: 0.1,
});

/** Defaults that replace {@link FM_DEFAULTS} entries when `warmStart` is given. */
export const WARM_DEFAULTS: Readonly<Pick<ResolvedFmOptions, "learningRate" | "maxDecays">> = Object.freeze({
  learningRate: 0.0025,
  maxDecays: 1,
});

/** Apply defaults and check every option; throws `UserError` naming the option. */
export function resolveFmOptions(options: FmTrainOptions = {}): ResolvedFmOptions {
  if (options === null || typeof options !== "object") throw new UserError("FM options must be an object");
  const o = { ...FM_DEFAULTS, ...(options.warmStart !== undefined ? WARM_DEFAULTS : {}) };
  if (options.rank !== undefined && options.k !== undefined && options.rank !== options.k) {
    throw new UserError(`FM options k (${options.k}) and rank (${options.rank}) disagree; give one of them`);
  }
  const pick = (name: keyof ResolvedFmOptions, ok: (v: number) => boolean, rule: string) => {
    const v = (options as Record<string, unknown>)[name];
    if (v === undefined) return;
    if (typeof v !== "number" || Number.isNaN(v) || !ok(v)) {
      throw new UserError(`FM option ${name} must be ${rule}, got ${String(v)}`);
    }
    o[name] = v;
  };
  pick("k", (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
  if (options.k === undefined && options.rank !== undefined) {
    const r = options.rank;
    if (typeof r !== "number" || !Number.isInteger(r) || r < 1) {
      throw new UserError(`FM option rank must be an integer >= 1, got ${String(r)}`);
    }
    o.k = r;
  }
  pick("epochs", (v) => Number.isInteger(v) && v >= 0, "an integer >= 0");
  pick("steps", (v) => Number.isInteger(v) && v >= 0, "an integer >= 0");
  pick("learningRate", (v) => Number.isFinite(v) && v > 0, "a finite number > 0");
  pick("l2w", (v) => Number.isFinite(v) && v >= 0, "a finite number >= 0");
  pick("l2v", (v) => Number.isFinite(v) && v >= 0, "a finite number >= 0");
  pick("batchSize", (v) => v === Infinity || (Number.isInteger(v) && v >= 1), "an integer >= 1 or Infinity");
  pick("seed", (v) => Number.isFinite(v), "a finite number");
  pick("splitSeed", (v) => Number.isFinite(v), "a finite number");
  pick("validationShare", (v) => v >= 0 && v < 1, "a number in [0, 1)");
  pick("patience", (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
  pick("tolerance", (v) => Number.isFinite(v) && v >= 0, "a finite number >= 0");
  pick("lrDecay", (v) => v > 0 && v <= 1, "a number in (0, 1]");
  pick("maxDecays", (v) => Number.isInteger(v) && v >= 0, "an integer >= 0");
  pick("initScale", (v) => Number.isFinite(v) && v >= 0, "a finite number >= 0");
  if (o.batchSize === Infinity) o.batchSize = 0;
  return o;
}
