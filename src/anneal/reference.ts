/**
 * Plain-TypeScript mirror of native/anneal.c: the same generator, seeding, exp(-x) polynomial,
 * sweep order, acceptance rule, best-state rule and summation orders, so for the same inputs it
 * produces bit-identical states and energies (tests cross-check it against the wasm kernel
 * exactly; benchmarks use it as the baseline). Read native/anneal.c for the algorithm and the
 * buffer contract; this file only mirrors it.
 */
import { FORM_DENSE, FORM_FACTORIZED, FORM_SPARSE, type KernelProblem } from "./problem.js";

/** Everything a kernel call takes besides the problem (the buffers of native/anneal.c). */
export interface KernelRun {
  betas: Float64Array;
  sweepsPerBeta: number;
  sweeps: number;
  reads: number;
  /** Unsigned 32-bit seed. */
  seed: number;
  /** True: the kernel draws each read's initial state; false: `states` holds them. */
  randomInit: boolean;
  /** [reads*n] working/final states (and initial states when !randomInit). */
  states: Uint8Array;
  /** [reads*n] best state of each read. */
  best: Uint8Array;
  /** [2*reads] final and best energy of each finished read (offset not included). */
  energies: Float64Array;
  /** The sweeps' state in single precision: the local fields [n] (dense, sparse) or the factor sums [k] (factorized). */
  fields: Float32Array;
  /** Scratch for exact energies: the fields [n] (dense, sparse) or the factor sums [k] (factorized). */
  scratch: Float64Array;
  /** [4] generator state. */
  rng: Uint32Array;
  /** [4] next read, next sweep, read started, interrupted. Zero to start. */
  cursor: Int32Array;
  /** [4] tracked energy, tracked best energy, flip attempts executed (frozen sweeps skipped do not count), frozen beta (0: none). */
  track: Float64Array;
}

/** Mirrors FM_CHECK_STRIDE and FM_EXP_CUT of native/fmanneal.h. */
export const CHECK_STRIDE = 4096;
export const EXP_CUT = 22;

const TWO_POW_NEG_32 = 2.3283064365386963e-10;
/** 2^-k, k = 0..32 (exact). */
const POW2_NEG = Float64Array.from({ length: 33 }, (_, k) => 2 ** -k);

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** fm_seed_read: the generator state of read r. */
export function seedRead(rng: Uint32Array, seed: number, r: number): void {
  let x = (seed ^ mix32((Math.imul(r, 0x9e3779b9) + 1) >>> 0)) >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    rng[i] = mix32(x);
  }
  if ((rng[0] | rng[1] | rng[2] | rng[3]) === 0) rng[0] = 1;
}

/** One xoshiro128** step on rng[0..3]; returns the unsigned 32-bit output. */
function next(rng: Uint32Array): number {
  const s1 = rng[1];
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  rng[2] ^= rng[0];
  rng[3] ^= rng[1];
  rng[1] ^= rng[2];
  rng[0] ^= rng[3];
  rng[2] ^= t;
  const s3 = rng[3];
  rng[3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

/** fm_exp_neg (native/fmanneal.h): exp(-x) for 0 <= x < EXP_CUT, degree-7 Horner. */
export function expNeg(x: number): number {
  const k = (x * 1.4426950408889634 + 0.5) | 0;
  const r = k * 0.6931471805599453 - x;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return p * POW2_NEG[k];
}

/** fm_exp_neg_fast (native/fmanneal.h): exp(-x) for 0 <= x < EXP_CUT, degree-6 Estrin; the QUBO kernels' exp. */
export function expNegFast(x: number): number {
  const k = (x * 1.4426950408889634 + 0.5) | 0;
  const r = k * 0.6931471805599453 - x;
  const r2 = r * r;
  const r4 = r2 * r2;
  const p = 1 + r + r2 * (0.5 + r * (1 / 6)) + r4 * (1 / 24 + r * (1 / 120) + r2 * (1 / 720));
  return p * POW2_NEG[k];
}

// The sweeps keep the generator in locals (as the C does) and write it back at the end, and set
// `frozen` when they drew no number and accepted no flip (the C's *frozen; see "Frozen sweeps" in
// native/anneal.c).
let frozen = false;

function denseSweep(n: number, J: Float32Array, h: Float32Array, beta: number, x: Uint8Array, xo: number, rng: Uint32Array, e: number): number {
  let s0 = rng[0], s1 = rng[1], s2 = rng[2], s3 = rng[3];
  let live = false;
  for (let i = 0; i < n; i++) {
    const xi = x[xo + i];
    const d = xi ? -h[i] : h[i];
    if (d > 0) {
      const bx = beta * d;
      if (bx >= EXP_CUT) continue;
      live = true;
      const m = Math.imul(s1, 5);
      const u = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) * TWO_POW_NEG_32;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      if (!(u < expNegFast(bx))) continue;
    }
    live = true;
    const row = i * n;
    if (xi) {
      for (let j = 0; j < n; j++) h[j] -= J[row + j];
    } else {
      for (let j = 0; j < n; j++) h[j] += J[row + j];
    }
    x[xo + i] = xi ^ 1;
    e += d;
  }
  rng[0] = s0; rng[1] = s1; rng[2] = s2; rng[3] = s3;
  frozen = !live;
  return e;
}

function sparseSweep(n: number, rp: Int32Array, col: Int32Array, val: Float32Array, h: Float32Array, beta: number, x: Uint8Array, xo: number, rng: Uint32Array, e: number): number {
  let s0 = rng[0], s1 = rng[1], s2 = rng[2], s3 = rng[3];
  let live = false;
  for (let i = 0; i < n; i++) {
    const xi = x[xo + i];
    const d = xi ? -h[i] : h[i];
    if (d > 0) {
      const bx = beta * d;
      if (bx >= EXP_CUT) continue;
      live = true;
      const m = Math.imul(s1, 5);
      const u = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) * TWO_POW_NEG_32;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      if (!(u < expNegFast(bx))) continue;
    }
    live = true;
    const q1 = rp[i + 1];
    if (xi) {
      for (let q = rp[i]; q < q1; q++) h[col[q]] -= val[q];
    } else {
      for (let q = rp[i]; q < q1; q++) h[col[q]] += val[q];
    }
    x[xo + i] = xi ^ 1;
    e += d;
  }
  rng[0] = s0; rng[1] = s1; rng[2] = s2; rng[3] = s3;
  frozen = !live;
  return e;
}

/**
 * The factorized sweep with single-precision factors V (V32) and sums, as fact_sweep_k: every
 * product and sum of pair_dot32 rounded to single precision by Math.fround (a product of two
 * floats is exact in double, and a double sum of two floats rounded once is their float sum, so
 * each fround gives the f32 operation's result), the double lin_i or lin1_i added in double.
 */
function factSweep(n: number, k: number, V: Float32Array, lin: Float64Array, lin1: Float64Array, sums: Float32Array, beta: number, x: Uint8Array, xo: number, rng: Uint32Array, e: number): number {
  const fr = Math.fround;
  let s0 = rng[0], s1 = rng[1], s2 = rng[2], s3 = rng[3];
  let live = false;
  for (let i = 0; i < n; i++) {
    const vo = i * k;
    const xi = x[xo + i];
    // pair_dot32(v_i, s): four stripes f mod 4, combined (a0 + a1) + (a2 + a3), all in single precision
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    let f = 0;
    for (; f + 4 <= k; f += 4) {
      a0 = fr(a0 + fr(V[vo + f] * sums[f]));
      a1 = fr(a1 + fr(V[vo + f + 1] * sums[f + 1]));
      a2 = fr(a2 + fr(V[vo + f + 2] * sums[f + 2]));
      a3 = fr(a3 + fr(V[vo + f + 3] * sums[f + 3]));
    }
    for (; f < k; f++) a0 = fr(a0 + fr(V[vo + f] * sums[f]));
    const h = (xi ? lin1[i] : lin[i]) + fr(fr(a0 + a1) + fr(a2 + a3));
    const d = xi ? -h : h;
    if (d > 0) {
      const bx = beta * d;
      if (bx >= EXP_CUT) continue;
      live = true;
      const m = Math.imul(s1, 5);
      const u = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) * TWO_POW_NEG_32;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      if (!(u < expNegFast(bx))) continue;
    }
    live = true;
    if (xi) {
      for (let g = 0; g < k; g++) sums[g] -= V[vo + g];
    } else {
      for (let g = 0; g < k; g++) sums[g] += V[vo + g];
    }
    x[xo + i] = xi ^ 1;
    e += d;
  }
  rng[0] = s0; rng[1] = s1; rng[2] = s2; rng[3] = s3;
  frozen = !live;
  return e;
}

/** exact_energy() of native/anneal.c: exact energy of x (offset excluded), from scratch; leaves scratch values in `scratch` (factorized: the sums of x). */
export function exactEnergy(p: KernelProblem, x: Uint8Array, xo: number, scratch: Float64Array): number {
  const n = p.n;
  if (p.form === FORM_FACTORIZED) {
    const k = p.k;
    let lin = 0, sq = 0;
    for (let f = 0; f < k; f++) scratch[f] = 0;
    for (let i = 0; i < n; i++) {
      if (!x[xo + i]) continue;
      lin += p.lin[i];
      for (let f = 0; f < k; f++) {
        const v = p.V[i * k + f];
        scratch[f] += v;
        sq += v * v;
      }
    }
    let ss = 0;
    for (let f = 0; f < k; f++) ss += scratch[f] * scratch[f];
    return lin + 0.5 * (ss - sq);
  }
  if (p.form === FORM_DENSE) denseFields(n, p.lin, p.J, x, xo, scratch);
  else sparseFields(n, p.lin, p.rowPtr, p.col, p.val, x, xo, scratch);
  let e = 0;
  for (let i = 0; i < n; i++) if (x[xo + i]) e += p.lin[i] + scratch[i];
  return 0.5 * e;
}

/**
 * h = lin + the rows of C selected by x, in increasing row order: exact (C = J, h double) or the
 * sweeps' fields (C = J32, h a Float32Array: every store rounds to single precision, and a
 * double sum of two single-precision numbers rounded once equals their single-precision sum).
 */
function denseFields(n: number, lin: Float64Array, C: Float64Array | Float32Array, x: Uint8Array, xo: number, h: Float64Array | Float32Array): void {
  for (let i = 0; i < n; i++) h[i] = lin[i];
  for (let j = 0; j < n; j++) {
    if (!x[xo + j]) continue;
    const row = j * n;
    for (let i = 0; i < n; i++) h[i] += C[row + i];
  }
}

/** The same for the CSR rows (exact with val, single precision with val32). */
function sparseFields(n: number, lin: Float64Array, rp: Int32Array, col: Int32Array, val: Float64Array | Float32Array, x: Uint8Array, xo: number, h: Float64Array | Float32Array): void {
  for (let i = 0; i < n; i++) h[i] = lin[i];
  for (let j = 0; j < n; j++) {
    if (!x[xo + j]) continue;
    for (let q = rp[j]; q < rp[j + 1]; q++) h[col[q]] += val[q];
  }
}

/** start_read(): exact energy of x, and the sweeps' state of x in single precision (the fields, or the exact sums rounded once). */
function startRead(p: KernelProblem, x: Uint8Array, xo: number, fields: Float32Array, scratch: Float64Array): number {
  const e = exactEnergy(p, x, xo, scratch);
  if (p.form === FORM_DENSE) denseFields(p.n, p.lin, p.J32, x, xo, fields);
  else if (p.form === FORM_SPARSE) sparseFields(p.n, p.lin, p.rowPtr, p.col, p.val32, x, xo, fields);
  else for (let f = 0; f < p.k; f++) fields[f] = scratch[f];
  return e;
}

/**
 * The TypeScript kernel: the same contract as fm_anneal_* (resumable, budget `maxAttempts` per
 * call, `deadline` on the performance.now() clock). Returns the number of finished reads.
 */
export function referenceAnneal(p: KernelProblem, run: KernelRun, maxAttempts = Infinity, deadline = Infinity): number {
  const n = p.n;
  const { betas, sweeps, reads, states, best, energies, fields, scratch, rng, cursor, track } = run;
  const nbetas = betas.length;
  const spb = Math.max(1, run.sweepsPerBeta);
  const checkClock = deadline < 1e300;
  let r = cursor[0];
  let t = cursor[1];
  let e = track[0];
  let bestE = track[1];
  let attempts = 0;
  let sinceCheck = CHECK_STRIDE;
  let frozenBeta = track[3];
  cursor[3] = 0;
  out: while (r < reads) {
    const xo = r * n;
    if (!cursor[2]) {
      seedRead(rng, run.seed, r);
      if (run.randomInit) for (let i = 0; i < n; i++) states[xo + i] = next(rng) >>> 31;
      e = startRead(p, states, xo, fields, scratch);
      bestE = e;
      best.set(states.subarray(xo, xo + n), xo);
      t = 0;
      cursor[2] = 1;
      frozenBeta = 0;
    }
    while (t < sweeps) {
      if (attempts > 0 && attempts >= maxAttempts) break out;
      if (checkClock && sinceCheck >= CHECK_STRIDE) {
        sinceCheck = 0;
        if (performance.now() >= deadline) {
          cursor[3] = 1;
          break out;
        }
      }
      let bi = Math.trunc(t / spb);
      if (bi >= nbetas) bi = nbetas - 1;
      const beta = betas[bi];
      if (frozenBeta > 0 && beta >= frozenBeta) {
        t++;
        continue;
      }
      if (p.form === FORM_DENSE) e = denseSweep(n, p.J32, fields, beta, states, xo, rng, e);
      else if (p.form === FORM_SPARSE) e = sparseSweep(n, p.rowPtr, p.col, p.val32, fields, beta, states, xo, rng, e);
      else e = factSweep(n, p.k, p.V32, p.lin, p.lin1, fields, beta, states, xo, rng, e);
      frozenBeta = frozen ? beta : 0;
      t++;
      attempts += n;
      sinceCheck += n;
      if (e < bestE) {
        bestE = e;
        best.set(states.subarray(xo, xo + n), xo);
      }
    }
    energies[2 * r] = exactEnergy(p, states, xo, scratch);
    energies[2 * r + 1] = exactEnergy(p, best, xo, scratch);
    cursor[2] = 0;
    r++;
    t = 0;
  }
  cursor[0] = r;
  cursor[1] = t;
  track[0] = e;
  track[1] = bestE;
  track[2] += attempts;
  track[3] = frozenBeta;
  return r;
}
