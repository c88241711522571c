/**
 * The kernels' input layouts (native/anneal.c header comment), built from a {@link Qubo} into
 * caller-provided arrays: wasm memory views for the wasm kernel, plain typed arrays for the
 * TypeScript reference. The offset is not part of the kernel problem.
 */
import type { Qubo } from "../qubo/types.js";
import { ProblemError } from "../util/errors.js";

export const FORM_DENSE = 0;
export const FORM_SPARSE = 1;
export const FORM_FACTORIZED = 2;

export type KernelProblem =
  /** J: n*n symmetric, zero diagonal, J[i*n+j] = Q_ij; J32: J rounded to single precision (the sweeps' couplings). */
  | { form: typeof FORM_DENSE; n: number; lin: Float64Array; J: Float64Array; J32: Float32Array }
  /** CSR; no col equal to its row. */
  | { form: typeof FORM_SPARSE; n: number; lin: Float64Array; rowPtr: Int32Array; col: Int32Array; val: Float64Array }
  /** V: n*k row-major; lin1[i] = lin[i] - |v_i|^2 (the field offset of a variable at 1; |v_i|^2 summed in increasing f). */
  | { form: typeof FORM_FACTORIZED; n: number; k: number; lin: Float64Array; V: Float64Array; lin1: Float64Array };

/** Typed-array source for {@link prepareProblem}. */
export interface ArrayAlloc {
  f64(length: number): Float64Array;
  f32(length: number): Float32Array;
  i32(length: number): Int32Array;
}

export const plainAlloc: ArrayAlloc = {
  f64: (length) => new Float64Array(length),
  f32: (length) => new Float32Array(length),
  i32: (length) => new Int32Array(length),
};

/** Bytes {@link prepareProblem} allocates for `qubo` (each array counted with 16 bytes of alignment slack). */
export function problemBytes(qubo: Qubo): number {
  const n = qubo.n;
  switch (qubo.kind) {
    case "dense":
      return 12 * n * n + 8 * n + 48;
    case "sparse":
      return 4 * (n + 1) + 12 * qubo.col.length + 8 * n + 64;
    case "factorized":
      return 8 * n * qubo.k + 16 * n + 48;
  }
}

/**
 * Check the structure of a QUBO (array lengths, CSR shape, indices, finite coefficients) and
 * copy it into kernel layout. Throws RangeError on a malformed QUBO.
 */
export function prepareProblem(qubo: Qubo, alloc: ArrayAlloc): KernelProblem {
  const n = qubo.n;
  if (!Number.isInteger(n) || n < 0) throw new ProblemError(`QUBO: n must be a non-negative integer, got ${n}`);
  if (!Number.isFinite(qubo.offset)) throw new ProblemError(`QUBO: offset must be finite, got ${qubo.offset}`);
  switch (qubo.kind) {
    case "dense": {
      const m = qubo.matrix;
      if (m.length !== n * n) throw new ProblemError(`dense QUBO: matrix has ${m.length} entries, expected n*n = ${n * n}`);
      const lin = alloc.f64(n);
      const J = alloc.f64(n * n);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        lin[i] = m[row + i];
        bad += lin[i] - lin[i]; // NaN for NaN or +-Infinity
        J[row + i] = 0;
        for (let j = i + 1; j < n; j++) {
          const q = qubo.triangular ? m[row + j] : m[row + j] + m[j * n + i];
          J[row + j] = q;
          J[j * n + i] = q;
          bad += Math.fround(q) - Math.fround(q); // NaN for non-finite q or |q| beyond single precision
        }
      }
      if (bad !== 0) throw new ProblemError("dense QUBO: coefficients must be finite (couplings below 3.4e38)");
      const J32 = alloc.f32(n * n);
      J32.set(J);
      return { form: FORM_DENSE, n, lin, J, J32 };
    }
    case "sparse": {
      const { rowPtr, col, val, linear } = qubo;
      if (linear.length !== n) throw new ProblemError(`sparse QUBO: linear has ${linear.length} entries, expected ${n}`);
      if (rowPtr.length !== n + 1 || rowPtr[0] !== 0) throw new ProblemError(`sparse QUBO: rowPtr must have n+1 = ${n + 1} entries starting at 0`);
      const nnz = rowPtr[n];
      if (col.length !== nnz || val.length !== nnz) throw new ProblemError(`sparse QUBO: col and val must have rowPtr[n] = ${nnz} entries`);
      const lin = alloc.f64(n);
      const rp = alloc.i32(n + 1);
      const c = alloc.i32(nnz);
      const v = alloc.f64(nnz);
      rp.set(rowPtr);
      c.set(col);
      v.set(val);
      lin.set(linear);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        bad += lin[i] - lin[i];
        if (rowPtr[i + 1] < rowPtr[i]) throw new ProblemError(`sparse QUBO: rowPtr decreases at row ${i}`);
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          const j = c[p];
          if (!(j >= 0 && j < n) || j === i) throw new ProblemError(`sparse QUBO: row ${i} has column ${j} (must be in 0..n-1 and not ${i})`);
          bad += v[p] - v[p];
        }
      }
      if (bad !== 0) throw new ProblemError("sparse QUBO: coefficients must be finite");
      return { form: FORM_SPARSE, n, lin, rowPtr: rp, col: c, val: v };
    }
    case "factorized": {
      const { k, factors, linear } = qubo;
      if (!Number.isInteger(k) || k < 0) throw new ProblemError(`factorized QUBO: k must be a non-negative integer, got ${k}`);
      if (linear.length !== n) throw new ProblemError(`factorized QUBO: linear has ${linear.length} entries, expected ${n}`);
      if (factors.length !== n * k) throw new ProblemError(`factorized QUBO: factors has ${factors.length} entries, expected n*k = ${n * k}`);
      const lin = alloc.f64(n);
      const V = alloc.f64(n * k);
      lin.set(linear);
      V.set(factors);
      let bad = 0;
      for (let i = 0; i < n; i++) bad += lin[i] - lin[i];
      for (let p = 0; p < V.length; p++) bad += V[p] - V[p];
      if (bad !== 0) throw new ProblemError("factorized QUBO: coefficients must be finite");
      const lin1 = alloc.f64(n);
      for (let i = 0; i < n; i++) {
        let sq = 0;
        for (let f = 0; f < k; f++) sq += V[i * k + f] * V[i * k + f];
        lin1[i] = lin[i] - sq;
      }
      return { form: FORM_FACTORIZED, n, k, lin, V, lin1 };
    }
  }
}

/** Length of the kernel's scratch buffer: local fields (n) or factor sums (k). */
export function fieldsLength(p: KernelProblem): number {
  return p.form === FORM_FACTORIZED ? p.k : p.n;
}
