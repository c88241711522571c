import { UserError } from "../util/errors.js";
import type { DenseQubo, FactorizedQubo } from "../qubo/types.js";
import { foldLinear, forward, type FmTrainReport } from "./core.js";

/** Largest n for which {@link FmModel.toDenseQubo} builds the n×n matrix (128 MiB at the limit). */
export const MAX_DENSE_N = 4096;

/** The JSON form of an {@link FmModel} (typed arrays as plain number arrays). */
export interface FmModelJson {
  format: "fmanneal-fm";
  version: 1;
  n: number;
  k: number;
  yMean: number;
  yStd: number;
  w0: number;
  w: number[];
  V: number[];
  report: FmTrainReport | null;
}

/**
 * A trained second-order factorization machine over x ∈ {0,1}^n:
 *
 *   ŷ(x) = yMean + yStd · f(x),   f(x) = w0 + Σ_i w_i x_i + Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j
 *
 * `w0`, `w`, `V` are in the standardised units training used (V is n×k, feature-major:
 * v_i = V[i*k .. i*k+k)); {@link FmModel.toQubo} gives the same function in original units.
 * The arrays are views of the model's storage and must not be written (predict caches
 * w_i − ½‖v_i‖² at construction).
 *
 * @example
 * ```ts
 * import { trainFm } from "fmanneal";
 * const model = trainFm(samples, costs, { k: 4, seed: 1 });
 * model.predict(samples[0]);       // ≈ costs[0]
 * const qubo = model.toQubo();      // { kind: "factorized", offset, linear, factors, ... }
 * const copy = FmModel.fromJSON(JSON.parse(JSON.stringify(model)));
 * copy.predict(samples[0]) === model.predict(samples[0]); // true
 * ```
 */
export class FmModel {
  /** Number of bits. */
  readonly n: number;
  /** Rank of the pairwise factors. */
  readonly k: number;
  /** Target mean and standard deviation of the training data (prediction = yMean + yStd·f). */
  readonly yMean: number;
  readonly yStd: number;
  /** How training went, or null for a model built from parameters. */
  readonly report: FmTrainReport | null;
  /** Packed parameters [w0, w (n), V (n·k)] — the layout of the training kernel. */
  readonly #params: Float64Array;
  readonly #sum: Float64Array;
  readonly #on: Int32Array;
  /** c_i = w_i − ½‖v_i‖², folded once: the parameters are read-only after construction. */
  readonly #c: Float64Array;

  /**
   * Build a model from packed standardised parameters `[w0, w_0..w_{n-1}, V (n·k)]`
   * (the array is kept, not copied).
   */
  constructor(
    n: number,
    k: number,
    params: Float64Array,
    yMean = 0,
    yStd = 1,
    report: FmTrainReport | null = null,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new UserError(`FM model: n must be an integer >= 1, got ${n}`);
    if (!Number.isInteger(k) || k < 1) throw new UserError(`FM model: k must be an integer >= 1, got ${k}`);
    if (!(params instanceof Float64Array) || params.length !== 1 + n + n * k) {
      throw new UserError(`FM model: expected ${1 + n + n * k} parameters for n = ${n}, k = ${k}, got ${params?.length}`);
    }
    if (!Number.isFinite(yMean) || !Number.isFinite(yStd) || !(yStd > 0)) {
      throw new UserError(`FM model: target scaling must be finite with yStd > 0, got mean ${yMean}, std ${yStd}`);
    }
    this.n = n;
    this.k = k;
    this.yMean = yMean;
    this.yStd = yStd;
    this.report = report;
    this.#params = params;
    this.#sum = new Float64Array(k);
    this.#on = new Int32Array(n);
    this.#c = new Float64Array(n);
    foldLinear(params, n, k, this.#c);
  }

  /** Bias (standardised units). */
  get w0(): number {
    return this.#params[0];
  }

  /** Linear weights, length n (standardised units; a view, do not write). */
  get w(): Float64Array {
    return this.#params.subarray(1, 1 + this.n);
  }

  /** Factors, n×k feature-major (standardised units; a view, do not write). */
  get V(): Float64Array {
    return this.#params.subarray(1 + this.n);
  }

  /** The packed parameter array itself (internal: warm start and worker transfer copy it). */
  packedParams(): Float64Array {
    return this.#params;
  }

  /**
   * Predicted target of one bit vector, in original units. O(n + k·nnz(x)), no allocation
   * (so one model must not be shared between threads, which a structured clone prevents anyway).
   * Throws `UserError` unless `bits` has length n and holds only 0/1.
   */
  predict(bits: ArrayLike<number>): number {
    const { n, k } = this;
    if (bits === null || typeof bits !== "object" || bits.length !== n) {
      throw new UserError(`FM input has length ${bits?.length ?? "none"}, expected ${n} bits`);
    }
    const on = this.#on;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const b = bits[i];
      if (b === 1) on[m++] = i;
      else if (b !== 0) throw new UserError(`FM input holds ${b} at bit ${i}, expected 0 or 1`);
    }
    // The training kernel's own forward pass, so predictions match its losses bit for bit.
    return this.yMean + this.yStd * forward(this.#params, this.#c, 1 + n, k, on, 0, m, this.#sum);
  }

  /** {@link FmModel.predict} for each sample. */
  predictMany(samples: readonly ArrayLike<number>[]): Float64Array {
    const out = new Float64Array(samples.length);
    for (let s = 0; s < samples.length; s++) out[s] = this.predict(samples[s]);
    return out;
  }

  /**
   * The model as a factorized QUBO in original units: if ŷ = m + s·f, then
   * offset = m + s·w0, linear = s·w, factors = sqrt(s)·V (so ⟨·,·⟩ of factors = s·⟨v_i, v_j⟩),
   * and E(x) = ŷ(x) for every x (up to rounding). Fresh arrays.
   */
  toQubo(): FactorizedQubo {
    const { n, k, yStd } = this;
    const P = this.#params;
    const linear = new Float64Array(n);
    for (let i = 0; i < n; i++) linear[i] = yStd * P[1 + i];
    const r = Math.sqrt(yStd);
    const factors = new Float64Array(n * k);
    for (let j = 0; j < n * k; j++) factors[j] = r * P[1 + n + j];
    return { kind: "factorized", n, k, offset: this.yMean + yStd * P[0], linear, factors };
  }

  /**
   * The model as a dense upper-triangular QUBO in original units: Q_ii = linear_i,
   * Q_ij = ⟨f_i, f_j⟩ (i < j) with the factors of {@link FmModel.toQubo}, lower triangle 0.
   * For small n and checks; throws `UserError` above n = {@link MAX_DENSE_N}.
   */
  toDenseQubo(): DenseQubo {
    const { n, k } = this;
    if (n > MAX_DENSE_N) {
      throw new UserError(`FM model: toDenseQubo builds an n×n matrix; n = ${n} exceeds ${MAX_DENSE_N}, use toQubo()`);
    }
    const { offset, linear, factors } = this.toQubo();
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      matrix[i * n + i] = linear[i];
      for (let j = i + 1; j < n; j++) {
        let dot = 0;
        for (let f = 0; f < k; f++) dot += factors[i * k + f] * factors[j * k + f];
        matrix[i * n + j] = dot;
      }
    }
    return { kind: "dense", n, offset, matrix, triangular: true };
  }

  /** Plain-JSON form; `FmModel.fromJSON(JSON.parse(JSON.stringify(m)))` predicts identically. */
  toJSON(): FmModelJson {
    const P = this.#params;
    return {
      format: "fmanneal-fm",
      version: 1,
      n: this.n,
      k: this.k,
      yMean: this.yMean,
      yStd: this.yStd,
      w0: P[0],
      w: Array.from(P.subarray(1, 1 + this.n)),
      V: Array.from(P.subarray(1 + this.n)),
      report: this.report === null ? null : { ...this.report },
    };
  }

  /** Rebuild a model from {@link FmModel.toJSON} output; throws `UserError` on a malformed object. */
  static fromJSON(json: unknown): FmModel {
    const bad = (what: string): never => {
      throw new UserError(`not an FM model JSON: ${what}`);
    };
    if (json === null || typeof json !== "object") return bad("expected an object");
    const o = json as Partial<Record<keyof FmModelJson, unknown>>;
    if (o.format !== "fmanneal-fm") bad(`format is ${JSON.stringify(o.format)}, expected "fmanneal-fm"`);
    if (o.version !== 1) bad(`version ${JSON.stringify(o.version)} is not supported (expected 1)`);
    const n = o.n;
    const k = o.k;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return bad(`n = ${String(n)}`);
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1) return bad(`k = ${String(k)}`);
    const num = (name: string, v: unknown): number =>
      typeof v === "number" && Number.isFinite(v) ? v : bad(`${name} is ${String(v)}, expected a finite number`);
    const arr = (name: string, v: unknown, len: number): number[] => {
      if (!Array.isArray(v) || v.length !== len) return bad(`${name} must be an array of ${len} numbers`);
      v.forEach((x, i) => num(`${name}[${i}]`, x));
      return v as number[];
    };
    const params = new Float64Array(1 + n + n * k);
    params[0] = num("w0", o.w0);
    params.set(arr("w", o.w, n), 1);
    params.set(arr("V", o.V, n * k), 1 + n);
    const report = o.report === undefined || o.report === null ? null : (o.report as FmTrainReport);
    return new FmModel(n, k, params, num("yMean", o.yMean), num("yStd", o.yStd), report);
  }
}
