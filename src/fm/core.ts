import { UserError } from "../util/errors.js";
import { deriveSeed, Random } from "../util/random.js";
import { MIN_VALIDATION, type ResolvedFmOptions } from "./options.js";

/**
 * The FM training kernel: typed arrays in, typed arrays out, no dependency on threads, mathjs or
 * the model class, so the calling thread and a piscina worker run the very same floating-point
 * operations in the same order and return bit-identical parameters for the same task.
 *
 * Parameters live in one Float64Array `P` of length 1 + n + n*k:
 *   P[0] = w0,  P[1 + i] = w_i,  P[1 + n + i*k + f] = V[i][f]   (feature-major V)
 * in standardised units: the model predicts y = yMean + yStd * f(x), with
 *   f(x) = w0 + Σ_i w_i x_i + ½ Σ_f [(Σ_i v_if x_i)² − Σ_i v_if² x_i]      (Rendle's identity)
 * For binary x both inner sums run over the set bits only: O(k · nnz(x)) per sample.
 *
 * Gradient for binary x (the x_i² = x_i simplification): ∂f/∂w0 = 1, ∂f/∂w_i = x_i,
 *   ∂f/∂v_if = x_i (s_f − v_if x_i) = x_i (s_f − v_if),  s_f = Σ_j v_jf x_j.
 *
 * Two rearrangements halve the work per set bit, both exact in real arithmetic and both relying
 * on P being constant within a mini-batch:
 *  - forward: with c_i = w_i − ½ Σ_f v_if² (computed once per batch, O(n·k)),
 *      f(x) = w0 + Σ_i c_i x_i + ½ Σ_f s_f²,
 *    so a set bit costs k loads and adds (no squares);
 *  - backward: Σ_s e_s x_is (s_fs − v_if) = [Σ_s e_s s_fs x_is] − v_if · [Σ_s e_s x_is], and the
 *    last bracket is the batch gradient of w_i; so per set bit only t_f = e_s·s_f is added to
 *    g_vif, and −v_if·g_wi is applied once per batch (O(n·k)).
 */

/** Everything a training run needs; structured-cloneable (the buffers can be transferred). */
export interface TrainTask {
  n: number;
  /** Set bits of each sample (see SparseBits). */
  idx: Int32Array;
  off: Int32Array;
  /** Targets in original units, one per sample. */
  y: Float64Array;
  options: ResolvedFmOptions;
  /** Parameters to start from (length 1 + n + n*k, standardised by warm.yMean / warm.yStd). */
  warm: { params: Float64Array; yMean: number; yStd: number } | null;
}

/** What a training run reports besides the parameters; RMSEs are in original target units. */
export interface FmTrainReport {
  /** Epochs run (<= options.epochs; 0 when training by `steps`). */
  epochs: number;
  /** Adam steps taken (mini-batches). */
  steps: number;
  /** Epoch (1-based) whose parameters were kept; 0 means the initial parameters (and always with `steps`). */
  bestEpoch: number;
  /** Why training stopped ("epochs" also when the `steps` were done). */
  stopReason: "epochs" | "patience" | "diverged";
  trainSamples: number;
  validationSamples: number;
  /** RMSE of the returned model on the training part. */
  trainRmse: number;
  /** RMSE of the returned model on the held-out part, or null without one. */
  validationRmse: number | null;
}

export interface TrainResult {
  params: Float64Array;
  yMean: number;
  yStd: number;
  report: FmTrainReport;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** c_i = w_i − ½ Σ_f v_if² for every feature (see the module comment), into `c` (length n). */
export function foldLinear(P: Float64Array, n: number, k: number, c: Float64Array): void {
  const vOff = 1 + n;
  for (let i = 0; i < n; i++) {
    const base = vOff + i * k;
    let q = 0;
    for (let f = 0; f < k; f++) q += P[base + f] * P[base + f];
    c[i] = P[1 + i] - 0.5 * q;
  }
}

/**
 * f(x) for the set bits idx[a..b): w0 + Σ c_i + ½ Σ_f s_f², with c from {@link foldLinear} on
 * the same P; leaves s_f = Σ_i v_if x_i in `sum` (length >= k) for {@link backward}. Shared by
 * training, validation and FmModel.predict, so all three compute the same value bit for bit.
 *
 * The factors are processed in blocks of 8, then 4, then 1 with the partial sums in locals:
 * per set bit one contiguous run of P is read per block. With `sum[f] += v` through memory
 * the loop runs at about a third of this speed in V8.
 */
export function forward(
  P: Float64Array,
  c: Float64Array,
  vOff: number,
  k: number,
  idx: Int32Array,
  a: number,
  b: number,
  sum: Float64Array,
): number {
  // The first block of factors shares its pass over the set bits with the linear part (one
  // pass instead of two: about 1.5x faster for k = 8 in V8).
  let lin = P[0];
  let pair = 0;
  let f0 = 0;
  if (k >= 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let p = a; p < b; p++) {
      const i = idx[p];
      lin += c[i];
      const j = vOff + i * k;
      s0 += P[j]; s1 += P[j + 1]; s2 += P[j + 2]; s3 += P[j + 3];
      s4 += P[j + 4]; s5 += P[j + 5]; s6 += P[j + 6]; s7 += P[j + 7];
    }
    sum[0] = s0; sum[1] = s1; sum[2] = s2; sum[3] = s3;
    sum[4] = s4; sum[5] = s5; sum[6] = s6; sum[7] = s7;
    pair += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5 + s6 * s6 + s7 * s7;
    f0 = 8;
  } else if (k >= 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let p = a; p < b; p++) {
      const i = idx[p];
      lin += c[i];
      const j = vOff + i * k;
      s0 += P[j]; s1 += P[j + 1]; s2 += P[j + 2]; s3 += P[j + 3];
    }
    sum[0] = s0; sum[1] = s1; sum[2] = s2; sum[3] = s3;
    pair += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
    f0 = 4;
  } else {
    for (let p = a; p < b; p++) lin += c[idx[p]];
  }
  for (; f0 + 8 <= k; f0 += 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let p = a; p < b; p++) {
      const j = vOff + idx[p] * k + f0;
      s0 += P[j]; s1 += P[j + 1]; s2 += P[j + 2]; s3 += P[j + 3];
      s4 += P[j + 4]; s5 += P[j + 5]; s6 += P[j + 6]; s7 += P[j + 7];
    }
    sum[f0] = s0; sum[f0 + 1] = s1; sum[f0 + 2] = s2; sum[f0 + 3] = s3;
    sum[f0 + 4] = s4; sum[f0 + 5] = s5; sum[f0 + 6] = s6; sum[f0 + 7] = s7;
    pair += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5 + s6 * s6 + s7 * s7;
  }
  for (; f0 + 4 <= k; f0 += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let p = a; p < b; p++) {
      const j = vOff + idx[p] * k + f0;
      s0 += P[j]; s1 += P[j + 1]; s2 += P[j + 2]; s3 += P[j + 3];
    }
    sum[f0] = s0; sum[f0 + 1] = s1; sum[f0 + 2] = s2; sum[f0 + 3] = s3;
    pair += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
  }
  for (; f0 < k; f0++) {
    let s0 = 0;
    for (let p = a; p < b; p++) s0 += P[vOff + idx[p] * k + f0];
    sum[f0] = s0;
    pair += s0 * s0;
  }
  return lin + 0.5 * pair;
}

/**
 * The per-sample part of the batch gradient (module comment): g_w0 += ge, g_wi += ge and
 * g_vif += ge·s_f for each set bit i, with s_f left in `sum` by {@link forward}. The batch's
 * −v_if·g_wi term is added by {@link finishBatchGradient}.
 */
function backward(
  g: Float64Array,
  vOff: number,
  k: number,
  idx: Int32Array,
  a: number,
  b: number,
  sum: Float64Array,
  ge: number,
): void {
  g[0] += ge;
  let f0 = 0;
  if (k >= 8) {
    const t0 = ge * sum[0], t1 = ge * sum[1], t2 = ge * sum[2], t3 = ge * sum[3];
    const t4 = ge * sum[4], t5 = ge * sum[5], t6 = ge * sum[6], t7 = ge * sum[7];
    for (let p = a; p < b; p++) {
      const i = idx[p];
      g[1 + i] += ge;
      const j = vOff + i * k;
      g[j] += t0; g[j + 1] += t1; g[j + 2] += t2; g[j + 3] += t3;
      g[j + 4] += t4; g[j + 5] += t5; g[j + 6] += t6; g[j + 7] += t7;
    }
    f0 = 8;
  } else if (k >= 4) {
    const t0 = ge * sum[0], t1 = ge * sum[1], t2 = ge * sum[2], t3 = ge * sum[3];
    for (let p = a; p < b; p++) {
      const i = idx[p];
      g[1 + i] += ge;
      const j = vOff + i * k;
      g[j] += t0; g[j + 1] += t1; g[j + 2] += t2; g[j + 3] += t3;
    }
    f0 = 4;
  } else {
    for (let p = a; p < b; p++) g[1 + idx[p]] += ge;
  }
  for (; f0 + 8 <= k; f0 += 8) {
    const t0 = ge * sum[f0], t1 = ge * sum[f0 + 1], t2 = ge * sum[f0 + 2], t3 = ge * sum[f0 + 3];
    const t4 = ge * sum[f0 + 4], t5 = ge * sum[f0 + 5], t6 = ge * sum[f0 + 6], t7 = ge * sum[f0 + 7];
    for (let p = a; p < b; p++) {
      const j = vOff + idx[p] * k + f0;
      g[j] += t0; g[j + 1] += t1; g[j + 2] += t2; g[j + 3] += t3;
      g[j + 4] += t4; g[j + 5] += t5; g[j + 6] += t6; g[j + 7] += t7;
    }
  }
  for (; f0 + 4 <= k; f0 += 4) {
    const t0 = ge * sum[f0], t1 = ge * sum[f0 + 1], t2 = ge * sum[f0 + 2], t3 = ge * sum[f0 + 3];
    for (let p = a; p < b; p++) {
      const j = vOff + idx[p] * k + f0;
      g[j] += t0; g[j + 1] += t1; g[j + 2] += t2; g[j + 3] += t3;
    }
  }
  for (; f0 < k; f0++) {
    const t0 = ge * sum[f0];
    for (let p = a; p < b; p++) g[vOff + idx[p] * k + f0] += t0;
  }
}

/** g_vif −= v_if · g_wi for all i, f: the batch-level term of the factor gradient. */
function finishBatchGradient(P: Float64Array, g: Float64Array, n: number, k: number): void {
  const vOff = 1 + n;
  for (let i = 0; i < n; i++) {
    const gw = g[1 + i];
    if (gw === 0) continue;
    const base = vOff + i * k;
    for (let f = 0; f < k; f++) g[base + f] -= P[base + f] * gw;
  }
}

/**
 * One Adam step (Kingma & Ba) on P[from..to) with gradient g + lambda·P; `step` and `epsHat`
 * carry the bias correction: step = lr·sqrt(1−β2^t)/(1−β1^t), epsHat = ε·sqrt(1−β2^t).
 */
function adam(
  P: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  lambda: number,
  step: number,
  epsHat: number,
): void {
  for (let j = from; j < to; j++) {
    const gj = g[j] + lambda * P[j];
    const mj = BETA1 * m[j] + (1 - BETA1) * gj;
    const vj = BETA2 * v[j] + (1 - BETA2) * gj * gj;
    m[j] = mj;
    v[j] = vj;
    P[j] -= (step * mj) / (Math.sqrt(vj) + epsHat);
  }
}

/** Σ (f(x_s) − z_s)² over the samples list[0..count), c folded from P; +Infinity if not finite. */
function sumSquaredError(
  P: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  idx: Int32Array,
  off: Int32Array,
  z: Float64Array,
  list: Int32Array,
  count: number,
  sum: Float64Array,
): number {
  const vOff = 1 + n;
  let total = 0;
  for (let q = 0; q < count; q++) {
    const s = list[q];
    const e = forward(P, c, vOff, k, idx, off[s], off[s + 1], sum) - z[s];
    total += e * e;
  }
  return Number.isFinite(total) ? total : Infinity;
}

/** The data of one training run, split and standardised, with the scratch every step reuses. */
interface Fit {
  n: number;
  k: number;
  /** Length of P: 1 + n + n*k; the factors start at vOff = 1 + n. */
  size: number;
  vOff: number;
  idx: Int32Array;
  off: Int32Array;
  /** Targets in standardised units, (y − yMean) / yStd. */
  z: Float64Array;
  yMean: number;
  yStd: number;
  /** Sample indices of the training part (shuffled in place by epoch training) and of the held-out part. */
  trainList: Int32Array;
  nTrain: number;
  valList: Int32Array;
  nVal: number;
  /** Scratch: s_f of the last forward, c_i folded from P, the batch gradient. */
  sum: Float64Array;
  c: Float64Array;
  g: Float64Array;
}

/** Adam's moment estimates and the running β powers of its bias correction. */
interface AdamState {
  m: Float64Array;
  v: Float64Array;
  b1t: number;
  b2t: number;
}

/**
 * Train an FM (see the module comment for the objective and parameter layout). Deterministic:
 * the result depends only on the task (data, options including the seed, warm start).
 */
export function trainCore(task: TrainTask): TrainResult {
  const rng = new Random(task.options.seed);
  const fit = prepareFit(task);
  const P = initialParameters(task, fit, rng);
  return task.options.steps > 0 ? trainBySteps(fit, P, task.options, rng) : trainByEpochs(fit, P, task.options, rng);
}

/** Split the samples into training and held-out parts, and standardise the targets. */
function prepareFit(task: TrainTask): Fit {
  const { n, idx, off, y, options: o } = task;
  const k = o.k;
  const N = off.length - 1;
  // Split by sample index: sample s is held out iff hash(splitSeed, s) < share·2^32. The
  // assignment of a sample never changes as samples are appended, so a warm-started model has
  // not been fitted to the current validation samples (a fresh random split each call would
  // leak earlier training samples into validation and stop early on a biased loss).
  const threshold = o.validationShare * 4294967296;
  let nVal = 0;
  if (o.validationShare > 0) for (let s = 0; s < N; s++) if (deriveSeed(o.splitSeed, s) < threshold) nVal++;
  if (nVal < MIN_VALIDATION || nVal >= N) nVal = 0;
  const valList = new Int32Array(nVal);
  const trainList = new Int32Array(N - nVal);
  for (let s = 0, a = 0, b = 0; s < N; s++) {
    if (nVal > 0 && deriveSeed(o.splitSeed, s) < threshold) valList[a++] = s;
    else trainList[b++] = s;
  }
  const nTrain = N - nVal;

  // Standardisation over the training part (the argmin of the MSE is unchanged by it).
  let yMean = 0;
  for (let q = 0; q < nTrain; q++) yMean += y[trainList[q]];
  yMean /= nTrain;
  let varSum = 0;
  for (let q = 0; q < nTrain; q++) {
    const d = y[trainList[q]] - yMean;
    varSum += d * d;
  }
  let yStd = Math.sqrt(varSum / nTrain);
  if (!(yStd > 0) || !Number.isFinite(yStd)) yStd = 1;
  const z = new Float64Array(N);
  for (let s = 0; s < N; s++) z[s] = (y[s] - yMean) / yStd;
  const size = 1 + n + n * k;
  return {
    n, k, size, vOff: 1 + n, idx, off, z, yMean, yStd, trainList, nTrain, valList, nVal,
    sum: new Float64Array(k), c: new Float64Array(n), g: new Float64Array(size),
  };
}

/** The warm start rescaled to this run's standardisation, or a fresh seeded initialisation. */
function initialParameters(task: TrainTask, fit: Fit, rng: Random): Float64Array {
  const { size, vOff, yMean, yStd } = fit;
  const P = new Float64Array(size);
  if (task.warm) {
    // Old model: y = m1 + s1 f1(x). In the new units f2 = (m1 − m2 + s1 f1) / s2, i.e.
    // w0' = (m1 − m2 + s1 w0)/s2, w' = (s1/s2) w, V' = sqrt(s1/s2) V (V enters quadratically).
    const { params: W, yMean: m1, yStd: s1 } = task.warm;
    const r = s1 / yStd;
    const rv = Math.sqrt(r);
    P[0] = (m1 - yMean + s1 * W[0]) / yStd;
    for (let i = 1; i < vOff; i++) P[i] = r * W[i];
    for (let j = vOff; j < size; j++) P[j] = rv * W[j];
  } else {
    // w0 = w = 0; V ~ N(0, σ²) with σ = initScale / sqrt(mean nnz): the initial pairwise term
    // ½ Σ_f Σ_{i≠j} v_if v_jf has standard deviation ≈ initScale² · sqrt(k/2) whatever n is.
    const meanNnz = Math.max(1, task.idx.length / (task.off.length - 1));
    const sigma = task.options.initScale / Math.sqrt(meanNnz);
    for (let j = vOff; j < size; j++) P[j] = sigma * rng.normal();
  }
  return P;
}

/** Mini-batch size: the whole training part for 0 or more than it. */
function batchSize(o: ResolvedFmOptions, nTrain: number): number {
  return o.batchSize === 0 || o.batchSize > nTrain ? nTrain : o.batchSize;
}

/** Add sample s's gradient of ½ err², scaled by `scale` (1 / batch size), to fit.g; returns err. */
function accumulate(fit: Fit, P: Float64Array, s: number, scale: number): number {
  const a = fit.off[s];
  const b = fit.off[s + 1];
  const err = forward(P, fit.c, fit.vOff, fit.k, fit.idx, a, b, fit.sum) - fit.z[s];
  // d(½ err²)/dθ = err · ∂f/∂θ, averaged over the batch
  backward(fit.g, fit.vOff, fit.k, fit.idx, a, b, fit.sum, err * scale);
  return err;
}

/** One Adam step with learning rate `lr` on the batch gradient in fit.g (w0 unregularised). */
function adamStep(fit: Fit, P: Float64Array, state: AdamState, lr: number, o: ResolvedFmOptions): void {
  finishBatchGradient(P, fit.g, fit.n, fit.k);
  state.b1t *= BETA1;
  state.b2t *= BETA2;
  const c2 = Math.sqrt(1 - state.b2t);
  const step = (lr * c2) / (1 - state.b1t);
  const epsHat = EPS * c2;
  adam(P, fit.g, state.m, state.v, 0, 1, 0, step, epsHat);
  adam(P, fit.g, state.m, state.v, 1, fit.vOff, o.l2w, step, epsHat);
  adam(P, fit.g, state.m, state.v, fit.vOff, fit.size, o.l2v, step, epsHat);
}

function newAdam(size: number): AdamState {
  return { m: new Float64Array(size), v: new Float64Array(size), b1t: 1, b2t: 1 };
}

/** Σ (f(x_s) − z_s)² over list[0..count), with fit.c folded from P. */
function sse(fit: Fit, P: Float64Array, list: Int32Array, count: number): number {
  return sumSquaredError(P, fit.c, fit.n, fit.k, fit.idx, fit.off, fit.z, list, count, fit.sum);
}

/** The loss early stopping watches: held-out MSE, else training MSE (fit.c folded from P). */
function monitoredLoss(fit: Fit, P: Float64Array): number {
  return fit.nVal > 0 ? sse(fit, P, fit.valList, fit.nVal) / fit.nVal : sse(fit, P, fit.trainList, fit.nTrain) / fit.nTrain;
}

/** The result: parameters, standardisation and the report, RMSEs in original units (fit.c folded from P). */
function trainResult(
  fit: Fit,
  P: Float64Array,
  trainSse: number,
  run: Pick<FmTrainReport, "epochs" | "steps" | "bestEpoch" | "stopReason">,
): TrainResult {
  const { nTrain, nVal, yStd } = fit;
  const valSse = nVal > 0 ? sse(fit, P, fit.valList, nVal) : 0;
  return {
    params: P,
    yMean: fit.yMean,
    yStd,
    report: {
      ...run,
      trainSamples: nTrain,
      validationSamples: nVal,
      trainRmse: Math.sqrt(trainSse / nTrain) * yStd,
      validationRmse: nVal > 0 ? Math.sqrt(valSse / nVal) * yStd : null,
    },
  };
}

/**
 * Fixed-step training (options.ts `steps`): the newest training sample in every batch plus
 * B − 1 others without replacement from a shuffled order of the rest, reshuffled when used up.
 * No monitoring; a non-finite final loss is a UserError.
 */
function trainBySteps(fit: Fit, P: Float64Array, o: ResolvedFmOptions, rng: Random): TrainResult {
  const { trainList, nTrain } = fit;
  const newest = trainList[nTrain - 1];
  const rest = trainList.slice(0, nTrain - 1);
  const others = rest.length;
  const B = batchSize(o, nTrain);
  const take = B - 1 < others ? B - 1 : others;
  const inv = 1 / (take + 1);
  const state = newAdam(fit.size);
  let cursor = others;
  for (let t = 0; t < o.steps; t++) {
    fit.g.fill(0);
    foldLinear(P, fit.n, fit.k, fit.c);
    for (let q = -1; q < take; q++) {
      let s = newest;
      if (q >= 0) {
        if (cursor >= others) {
          rng.shuffle(rest);
          cursor = 0;
        }
        s = rest[cursor++];
      }
      accumulate(fit, P, s, inv);
    }
    adamStep(fit, P, state, o.learningRate, o);
  }
  foldLinear(P, fit.n, fit.k, fit.c);
  const trainSse = sse(fit, P, trainList, nTrain);
  if (!Number.isFinite(trainSse)) {
    throw new UserError(
      `FM training diverged (loss became non-finite) within ${o.steps} steps; lower learningRate (now ${o.learningRate}) or initScale (now ${o.initScale})`,
    );
  }
  return trainResult(fit, P, trainSse, { epochs: 0, steps: o.steps, bestEpoch: 0, stopReason: "epochs" });
}

/**
 * Epoch training: shuffled mini-batches, the monitored loss after every epoch, keep-best,
 * learning-rate decay on a plateau and early stopping (options.ts `patience`, `maxDecays`).
 */
function trainByEpochs(fit: Fit, P: Float64Array, o: ResolvedFmOptions, rng: Random): TrainResult {
  const { trainList, nTrain } = fit;
  const B = batchSize(o, nTrain);
  const state = newAdam(fit.size);
  const best = P.slice();
  let lr = o.learningRate;
  let decays = 0;
  foldLinear(P, fit.n, fit.k, fit.c);
  const monitor0 = monitoredLoss(fit, P);
  let bestLoss = monitor0; // loss of `best`
  let refLoss = monitor0; // loss that the next improvement must beat by `tolerance`
  let bestEpoch = 0;
  let stale = 0;
  let stopReason: FmTrainReport["stopReason"] = "epochs";
  let epoch = 0;
  let steps = 0;

  while (epoch < o.epochs) {
    epoch++;
    rng.shuffle(trainList);
    let lossSum = 0;
    for (let q0 = 0; q0 < nTrain; q0 += B) {
      const q1 = q0 + B < nTrain ? q0 + B : nTrain;
      const inv = 1 / (q1 - q0);
      fit.g.fill(0);
      foldLinear(P, fit.n, fit.k, fit.c);
      for (let q = q0; q < q1; q++) {
        const err = accumulate(fit, P, trainList[q], inv);
        lossSum += err * err;
      }
      steps++;
      adamStep(fit, P, state, lr, o);
    }

    const trainLoss = lossSum / nTrain;
    foldLinear(P, fit.n, fit.k, fit.c);
    // Monitor: validation loss, else the training loss of the parameters as they are now (one
    // extra forward pass; the running loss above lags the parameters by up to an epoch and
    // would let keep-best store parameters that the epoch's last steps ruined).
    const loss = monitoredLoss(fit, P);
    if (!Number.isFinite(loss) || !Number.isFinite(trainLoss)) {
      stopReason = "diverged";
      break;
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      bestEpoch = epoch;
      best.set(P);
    }
    if (!(loss >= refLoss * (1 - o.tolerance))) {
      refLoss = loss;
      stale = 0;
    } else if (++stale >= o.patience) {
      if (decays >= o.maxDecays) {
        stopReason = "patience";
        break;
      }
      // Plateau: continue from the best parameters with a smaller step.
      decays++;
      lr *= o.lrDecay;
      P.set(best);
      stale = 0;
    }
  }
  // Keep-best: `best` holds the parameters with the lowest monitored loss, the initial ones
  // included (a warm start that only gets worse returns its starting point).
  if (stopReason === "diverged" && bestEpoch === 0) {
    throw new UserError(
      `FM training diverged (loss became non-finite) before improving on the initial parameters; lower learningRate (now ${o.learningRate}) or initScale (now ${o.initScale})`,
    );
  }
  P.set(best);
  foldLinear(P, fit.n, fit.k, fit.c);
  return trainResult(fit, P, sse(fit, P, trainList, nTrain), { epochs: epoch, steps, bestEpoch, stopReason });
}
