/**
 * The kernels' input layouts (native/anneal.c header comment), built from a {@link Qubo} into
 * caller-provided arrays: wasm memory views for the wasm kernel, plain typed arrays for the
 * TypeScript reference. The offset is not part of the kernel problem.
 */
import type { DenseQubo, FactorizedQubo, Qubo, SparseQubo } from "../qubo/types.js";
import { OptionError, ProblemError } from "../util/errors.js";

export const FORM_DENSE = 0;
export const FORM_SPARSE = 1;
export const FORM_FACTORIZED = 2;

export type KernelProblem =
  /** J: n*n symmetric, zero diagonal, J[i*n+j] = Q_ij (exact energies); J32: J rounded to single precision (the sweeps' couplings). */
  | { form: typeof FORM_DENSE; n: number; lin: Float64Array; J: Float64Array; J32: Float32Array }
  /** CSR; no col equal to its row; val exact (energies), val32 = val rounded to single precision (the sweeps' couplings). */
  | { form: typeof FORM_SPARSE; n: number; lin: Float64Array; rowPtr: Int32Array; col: Int32Array; val: Float64Array; val32: Float32Array }
  /** V: n*k row-major, exact (energies); V32 = V rounded to single precision (the sweeps' factors and sums); lin1[i] = lin[i] - |v_i|^2 (the field offset of a variable at 1; |v_i|^2 summed in increasing f from V). */
  | { form: typeof FORM_FACTORIZED; n: number; k: number; lin: Float64Array; V: Float64Array; V32: Float32Array; lin1: Float64Array };

/** The kernel layout asked for: "auto" (default) decides from the data, see {@link chooseLayout}. */
export type Layout = "auto" | "dense" | "sparse";

/** Largest n that the dense layout takes, and the coupling share from which "auto" takes it (src/qubo/convert.ts, where the readers see them too). */
export { DENSE_SHARE, MAX_DENSE_N as MAX_DENSE_LAYOUT_N } from "../qubo/convert.js";
import { DENSE_SHARE, MAX_DENSE_N as MAX_DENSE_LAYOUT_N } from "../qubo/convert.js";

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

/** Number of couplings (nonzero Q_ij, i < j; for sparse input, CSR entries / 2: duplicates count separately). */
export function couplingCount(qubo: Qubo): number {
  const n = qubo.n;
  if (qubo.kind === "sparse") return Math.floor(qubo.col.length / 2);
  if (qubo.kind === "factorized") return (n * (n - 1)) / 2;
  const m = qubo.matrix;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = i + 1; j < n; j++) if ((qubo.triangular ? m[row + j] : m[row + j] + m[j * n + i]) !== 0) count++;
  }
  return count;
}

/** The kernel form anneal() uses for `qubo` with the given layout option (see {@link DENSE_SHARE}). */
export function chooseLayout(qubo: Qubo, layout: Layout = "auto"): typeof FORM_DENSE | typeof FORM_SPARSE | typeof FORM_FACTORIZED {
  if (layout === "dense") return FORM_DENSE;
  if (layout === "sparse") return FORM_SPARSE;
  if (layout !== "auto") throw new OptionError("layout", `anneal: layout must be "auto", "dense" or "sparse", got ${String(layout)}`);
  if (qubo.kind === "factorized") return FORM_FACTORIZED; // O(k) per attempt, never n*n
  const n = qubo.n;
  if (n > MAX_DENSE_LAYOUT_N) return FORM_SPARSE;
  return couplingCount(qubo) >= DENSE_SHARE * n * n ? FORM_DENSE : FORM_SPARSE;
}

/** Bytes {@link prepareProblem} allocates for `qubo` in `form` (each array counted with 16 bytes of alignment slack). */
export function problemBytes(qubo: Qubo, form: number): number {
  const n = qubo.n;
  if (form === FORM_DENSE) return 12 * n * n + 8 * n + 48;
  if (form === FORM_FACTORIZED) return qubo.kind === "factorized" ? 12 * n * qubo.k + 16 * n + 64 : 0;
  const nnz = qubo.kind === "sparse" ? qubo.col.length : 2 * couplingCount(qubo);
  return 4 * (n + 1) + 16 * nnz + 8 * n + 80;
}

/**
 * Check the structure of a QUBO (array lengths, CSR shape, indices, finite coefficients) and
 * copy it into kernel layout `form` (default: its own form), converting between forms when asked
 * (dense <-> sparse; factorized -> dense or sparse through Q_ij = <v_i, v_j>). Throws ProblemError
 * on a malformed QUBO, and on couplings or local-field bounds beyond single precision (the
 * sweeps' couplings and fields are single precision: every |lin_i| + sum_j |Q_ij| must stay
 * below 2^127).
 */
export function prepareProblem(qubo: Qubo, alloc: ArrayAlloc, form: number = ownForm(qubo)): KernelProblem {
  const n = qubo.n;
  if (!Number.isInteger(n) || n < 0) throw new ProblemError(`QUBO: n must be a non-negative integer, got ${n}`);
  if (!Number.isFinite(qubo.offset)) throw new ProblemError(`QUBO: offset must be finite, got ${qubo.offset}`);
  if (form !== FORM_FACTORIZED && qubo.kind === "factorized") {
    checkFactorized(qubo);
    if (n > MAX_DENSE_LAYOUT_N) throw new ProblemError(`factorized QUBO: n = ${n} is too large for the ${form === FORM_DENSE ? "dense" : "sparse"} layout (at most ${MAX_DENSE_LAYOUT_N})`);
    return prepareProblem(factorizedToDenseQubo(qubo), alloc, form);
  }
  if (form === FORM_DENSE) {
    if (n > MAX_DENSE_LAYOUT_N) throw new ProblemError(`QUBO: n = ${n} is too large for the dense layout (at most ${MAX_DENSE_LAYOUT_N})`);
    return checkRange(denseLayout(qubo as DenseQubo | SparseQubo, alloc));
  }
  if (form === FORM_SPARSE) return checkRange(sparseLayout(qubo as DenseQubo | SparseQubo, alloc));
  const q = qubo as FactorizedQubo;
  checkFactorized(q);
  const { k, factors, linear } = q;
  const lin = alloc.f64(n);
  const V = alloc.f64(n * k);
  lin.set(linear);
  V.set(factors);
  const lin1 = alloc.f64(n);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let f = 0; f < k; f++) sq += V[i * k + f] * V[i * k + f];
    lin1[i] = lin[i] - sq;
  }
  const V32 = alloc.f32(n * k);
  V32.set(V);
  return checkFactorRange({ form: FORM_FACTORIZED, n, k, lin, V, V32, lin1 });
}

function ownForm(qubo: Qubo): number {
  return qubo.kind === "dense" ? FORM_DENSE : qubo.kind === "sparse" ? FORM_SPARSE : FORM_FACTORIZED;
}

function checkFactorized(q: FactorizedQubo): void {
  const { n, k, factors, linear } = q;
  if (!Number.isInteger(k) || k < 0) throw new ProblemError(`factorized QUBO: k must be a non-negative integer, got ${k}`);
  if (linear.length !== n) throw new ProblemError(`factorized QUBO: linear has ${linear.length} entries, expected ${n}`);
  if (factors.length !== n * k) throw new ProblemError(`factorized QUBO: factors has ${factors.length} entries, expected n*k = ${n * k}`);
  let bad = 0;
  for (let i = 0; i < n; i++) bad += linear[i] - linear[i];
  for (let p = 0; p < factors.length; p++) bad += factors[p] - factors[p];
  if (bad !== 0) throw new ProblemError("factorized QUBO: coefficients must be finite");
}

function factorizedToDenseQubo(q: FactorizedQubo): DenseQubo {
  const { n, k, factors: v } = q;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    m[i * n + i] = q.linear[i];
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let f = 0; f < k; f++) d += v[i * k + f] * v[j * k + f];
      m[i * n + j] = d;
    }
  }
  return { kind: "dense", n, offset: q.offset, matrix: m, triangular: true };
}

/** Largest |lin_i| + sum_j |Q_ij| the single-precision fields take (2^127: far from overflow at 3.4e38). */
const FIELD_LIMIT = 2 ** 127;

/** Refuse problems whose local fields could leave single precision (see prepareProblem). */
function checkRange<P extends KernelProblem>(p: P): P {
  const n = p.n;
  for (let i = 0; i < n; i++) {
    let s = Math.abs(p.lin[i]);
    if (p.form === FORM_DENSE) {
      const row = i * n;
      for (let j = 0; j < n; j++) s += Math.abs(p.J[row + j]);
    } else if (p.form === FORM_SPARSE) {
      for (let q = p.rowPtr[i]; q < p.rowPtr[i + 1]; q++) s += Math.abs(p.val[q]);
    }
    if (!(s < FIELD_LIMIT)) {
      throw new ProblemError(`QUBO: variable ${i}'s coefficients sum to ${s} in magnitude, beyond the annealer's single-precision local fields (below 1.7e38)`);
    }
  }
  return p;
}

/**
 * Refuse factors whose single-precision dot products could overflow: with S_f = sum_i |v_if|
 * (V32), every |s_f| <= S_f and |<v_i, s>| <= sum_f |v_if| S_f, which must stay below
 * FIELD_LIMIT (non-finite V32 entries fail here too).
 */
function checkFactorRange<P extends KernelProblem & { form: typeof FORM_FACTORIZED }>(p: P): P {
  const { n, k, V32 } = p;
  const S = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let f = 0; f < k; f++) S[f] += Math.abs(V32[i * k + f]);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let f = 0; f < k; f++) b += Math.abs(V32[i * k + f]) * S[f];
    if (!(b < FIELD_LIMIT)) {
      throw new ProblemError(`factorized QUBO: variable ${i}'s factors give dot products up to ${b} in magnitude, beyond the annealer's single-precision sums (below 1.7e38)`);
    }
  }
  return p;
}

function denseLayout(qubo: DenseQubo | SparseQubo, alloc: ArrayAlloc): KernelProblem {
  const n = qubo.n;
  const lin = alloc.f64(n);
  const J = alloc.f64(n * n);
  if (qubo.kind === "dense") {
    const m = qubo.matrix;
    if (m.length !== n * n) throw new ProblemError(`dense QUBO: matrix has ${m.length} entries, expected n*n = ${n * n}`);
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
  } else {
    checkSparse(qubo);
    lin.set(qubo.linear);
    J.fill(0);
    const { rowPtr, col, val } = qubo;
    // row i lists (j, Q_ij) and row j lists (i, Q_ij): adding each row's entries fills both halves
    for (let i = 0; i < n; i++) for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) J[i * n + col[p]] += val[p];
    let bad = 0;
    for (let p = 0; p < n * n; p++) bad += Math.fround(J[p]) - Math.fround(J[p]);
    if (bad !== 0) throw new ProblemError("sparse QUBO: coefficients must be finite (couplings below 3.4e38)");
  }
  const J32 = alloc.f32(n * n);
  J32.set(J);
  return { form: FORM_DENSE, n, lin, J, J32 };
}

/** Structure and finiteness of a sparse QUBO (ProblemError on a malformed one). */
function checkSparse(qubo: SparseQubo): void {
  const { n, rowPtr, col, val, linear } = qubo;
  if (linear.length !== n) throw new ProblemError(`sparse QUBO: linear has ${linear.length} entries, expected ${n}`);
  if (rowPtr.length !== n + 1 || rowPtr[0] !== 0) throw new ProblemError(`sparse QUBO: rowPtr must have n+1 = ${n + 1} entries starting at 0`);
  const nnz = rowPtr[n];
  if (col.length !== nnz || val.length !== nnz) throw new ProblemError(`sparse QUBO: col and val must have rowPtr[n] = ${nnz} entries`);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    bad += linear[i] - linear[i];
    if (rowPtr[i + 1] < rowPtr[i]) throw new ProblemError(`sparse QUBO: rowPtr decreases at row ${i}`);
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = col[p];
      if (!(j >= 0 && j < n) || j === i) throw new ProblemError(`sparse QUBO: row ${i} has column ${j} (must be in 0..n-1 and not ${i})`);
      bad += Math.fround(val[p]) - Math.fround(val[p]);
    }
  }
  if (bad !== 0) throw new ProblemError("sparse QUBO: coefficients must be finite (couplings below 3.4e38)");
}

function sparseLayout(qubo: DenseQubo | SparseQubo, alloc: ArrayAlloc): KernelProblem {
  const n = qubo.n;
  const lin = alloc.f64(n);
  let rp: Int32Array;
  let c: Int32Array;
  let v: Float64Array;
  if (qubo.kind === "sparse") {
    checkSparse(qubo);
    const nnz = qubo.rowPtr[n];
    rp = alloc.i32(n + 1);
    c = alloc.i32(nnz);
    v = alloc.f64(nnz);
    rp.set(qubo.rowPtr);
    c.set(qubo.col);
    v.set(qubo.val);
    lin.set(qubo.linear);
  } else {
    const m = qubo.matrix;
    if (m.length !== n * n) throw new ProblemError(`dense QUBO: matrix has ${m.length} entries, expected n*n = ${n * n}`);
    const coupling = (i: number, j: number) => (qubo.triangular ? m[i * n + j] : m[i * n + j] + m[j * n + i]);
    rp = alloc.i32(n + 1);
    rp.fill(0);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      lin[i] = m[i * n + i];
      bad += lin[i] - lin[i];
      for (let j = i + 1; j < n; j++) {
        const q = coupling(i, j);
        bad += Math.fround(q) - Math.fround(q);
        if (q !== 0) {
          rp[i + 1]++;
          rp[j + 1]++;
        }
      }
    }
    if (bad !== 0) throw new ProblemError("dense QUBO: coefficients must be finite (couplings below 3.4e38)");
    for (let i = 0; i < n; i++) rp[i + 1] += rp[i];
    c = alloc.i32(rp[n]);
    v = alloc.f64(rp[n]);
    const fill = rp.slice(0, n);
    // (i, j) visited with i increasing then j increasing: every row in column order
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const w = j > i ? coupling(i, j) : coupling(j, i);
        if (w === 0) continue;
        c[fill[i]] = j;
        v[fill[i]++] = w;
      }
    }
  }
  const v32 = alloc.f32(v.length);
  v32.set(v);
  return { form: FORM_SPARSE, n, lin, rowPtr: rp, col: c, val: v, val32: v32 };
}

/** Lengths of the kernel's buffers `fields` (the sweeps' state in single precision: the local fields n, or the factor sums k) and `scratch` (double, exact energies: n, or k). */
export function fieldsLength(p: KernelProblem): number {
  return p.form === FORM_FACTORIZED ? p.k : p.n;
}
export function scratchLength(p: KernelProblem): number {
  return p.form === FORM_FACTORIZED ? p.k : p.n;
}
