import { UserError } from "../util/errors.js";

/**
 * Training data of an FM over x in {0,1}^n, stored sparsely: sample s has its set bits at
 * `idx[off[s] .. off[s+1])`, in increasing order. `off` has `count + 1` entries, `off[0] = 0`.
 * Because x is binary, every sum over features in the model is a sum over these indices, so the
 * hot loops cost O(nnz) instead of O(n) per sample.
 */
export interface SparseBits {
  n: number;
  count: number;
  idx: Int32Array;
  off: Int32Array;
}

/**
 * Check that `samples` is a non-empty list of bit vectors of one length (`n` if given) holding
 * only 0 and 1, and pack it into {@link SparseBits}. Throws `UserError` naming the first bad
 * sample and position.
 */
export function packSamples(samples: readonly ArrayLike<number>[], n?: number): SparseBits {
  if (!Array.isArray(samples)) throw new UserError("FM samples must be an array of bit vectors");
  const count = samples.length;
  if (count === 0) throw new UserError("FM training needs at least one sample, got none");
  const width = n ?? samples[0]?.length;
  if (typeof width !== "number" || !Number.isInteger(width) || width < 1) {
    throw new UserError(`FM samples must be non-empty bit vectors (sample 0 has length ${width})`);
  }
  let total = 0;
  for (let s = 0; s < count; s++) {
    const x = samples[s];
    if (x === null || typeof x !== "object" || x.length !== width) {
      throw new UserError(
        `FM sample ${s} has length ${x?.length ?? "none"}, expected ${width} bits (all samples must have the same length)`,
      );
    }
    for (let i = 0; i < width; i++) {
      const b = x[i];
      if (b === 1) total++;
      else if (b !== 0) throw new UserError(`FM sample ${s} holds ${b} at bit ${i}, expected 0 or 1`);
    }
  }
  const idx = new Int32Array(total);
  const off = new Int32Array(count + 1);
  let p = 0;
  for (let s = 0; s < count; s++) {
    const x = samples[s];
    for (let i = 0; i < width; i++) if (x[i] === 1) idx[p++] = i;
    off[s + 1] = p;
  }
  return { n: width, count, idx, off };
}

/**
 * Copy `targets` into a Float64Array after checking there is one finite number per sample.
 * Throws `UserError` naming the first offending index.
 */
export function packTargets(targets: ArrayLike<number>, count: number): Float64Array {
  if (targets === null || typeof targets !== "object" || typeof targets.length !== "number") {
    throw new UserError("FM targets must be an array of numbers");
  }
  if (targets.length !== count) {
    throw new UserError(`FM training got ${count} samples but ${targets.length} targets; they must match one to one`);
  }
  const y = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const t = targets[s];
    if (typeof t !== "number" || !Number.isFinite(t)) {
      throw new UserError(`FM target ${s} is ${t}, expected a finite number`);
    }
    y[s] = t;
  }
  return y;
}
