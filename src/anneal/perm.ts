/**
 * Permutation-space search for the `edge` method: minimise
 *   cost(tour) = sum_{edges a->b} W[a*n+b] + 1/2 sum_f [(sum_{e in tour} v_ef)^2 - sum_{e in tour} v_ef^2]
 * over tours (closed, or open paths with optional fixed start/end) by 2-opt + Or-opt local
 * search, optionally after simulated annealing with the same moves, from several start tours
 * at once. The kernel is native/perm.c in the one wasm module (algorithm, neighbourhood and
 * delta derivations documented there); src/anneal/perm-reference.ts is its bit-identical
 * TypeScript mirror. This file validates and compiles the inputs for both, builds the default
 * beta schedule (the kernel builds none) and calls the wasm kernel.
 */
import { edgeIndex, validateSpaceTour, type EdgeSpace } from "../tsp/edge-space.js";
import { geometricSchedule } from "./schedule.js";
import { Arena, wasmKernel } from "./wasm.js";

/** A permutation-space problem: tours of `space`, costed by the weight matrix (+ FM term). */
export interface PermProblem {
  /** Cities, symmetry, closed/open, fixed ends (src/tsp/edge-space.ts). */
  space: EdgeSpace;
  /**
   * n*n row-major, weights[a*n+b] = cost of going a -> b; the diagonal is ignored. Must be
   * exactly symmetric when `space.symmetric` (checked).
   */
  weights: Float64Array;
  /** Optional pairwise (FM) term over edges: factors is d*k row-major in edge-index order. */
  fm?: { k: number; factors: Float64Array };
}

/** Options of {@link permSearch} and `permSearchReference`. */
export interface PermSearchOptions {
  /** Seed of the kernel's generator (each start r has its own stream from (seed, r)). */
  seed: number;
  /**
   * Annealing schedule (inverse temperatures, hot to cold). Absent or empty: local search
   * only. See {@link permBetaSchedule}.
   */
  betas?: ArrayLike<number>;
  /** Move proposals per beta (default 8 * number of cities). */
  movesPerBeta?: number;
}

/** The kernel's compiled input: the argument list of fm_perm_search (native/perm.c). */
export interface PermKernelInput {
  n: number;
  /** bit 0: symmetric W; bit 1: open path. */
  flags: number;
  fixedStart: number;
  fixedEnd: number;
  w: Float64Array;
  k: number;
  v: Float64Array;
  betas: Float64Array;
  movesPerBeta: number;
  seed: number;
}

const EMPTY: Float64Array = new Float64Array(0);

/**
 * Validate a search call and compile it to the kernel's arguments. Throws RangeError on a
 * malformed problem or option, `TourError` on an invalid start tour. `tours` holds the starts
 * back to back (nstarts * n); `costs` needs room for nstarts values.
 */
export function permKernelInput(
  problem: PermProblem,
  tours: Int32Array,
  costs: Float64Array,
  options: PermSearchOptions,
): { input: PermKernelInput; nstarts: number } {
  const { space, weights } = problem;
  const n = space.n;
  if (!(weights instanceof Float64Array) || weights.length !== n * n) {
    throw new RangeError(`permSearch: weights must be a Float64Array of length ${n * n} (n = ${n})`);
  }
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const x = weights[a * n + b];
      if (!Number.isFinite(x)) throw new RangeError(`permSearch: weight ${a}->${b} is ${x}`);
      if (space.symmetric && b > a && x !== weights[b * n + a]) {
        throw new RangeError(`permSearch: space is symmetric but weight ${a}->${b} (${x}) != ${b}->${a} (${weights[b * n + a]})`);
      }
    }
  }
  let k = 0;
  let v = EMPTY;
  if (problem.fm) {
    k = problem.fm.k;
    v = problem.fm.factors;
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`permSearch: fm.k must be a non-negative integer, got ${k}`);
    if (!(v instanceof Float64Array) || v.length !== space.d * k) {
      throw new RangeError(`permSearch: fm.factors must be a Float64Array of length d*k = ${space.d * k}`);
    }
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new RangeError(`permSearch: fm.factors[${i}] is ${v[i]}`);
  }
  if (tours.length % n !== 0) throw new RangeError(`permSearch: tours has length ${tours.length}, not a multiple of n = ${n}`);
  const nstarts = tours.length / n;
  if (costs.length < nstarts) throw new RangeError(`permSearch: costs has length ${costs.length}, need ${nstarts}`);
  for (let r = 0; r < nstarts; r++) validateSpaceTour(space, tours.subarray(r * n, (r + 1) * n));
  const betas = Float64Array.from(options.betas ?? EMPTY);
  for (let i = 0; i < betas.length; i++) {
    if (!(betas[i] >= 0) || !Number.isFinite(betas[i])) throw new RangeError(`permSearch: betas[${i}] must be finite and >= 0, got ${betas[i]}`);
  }
  const movesPerBeta = options.movesPerBeta ?? 8 * n;
  if (!Number.isInteger(movesPerBeta) || movesPerBeta < 0 || movesPerBeta > 2 ** 31 - 1) {
    throw new RangeError(`permSearch: movesPerBeta must be a non-negative integer, got ${movesPerBeta}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError(`permSearch: seed must be a finite number, got ${options.seed}`);
  const input: PermKernelInput = {
    n,
    flags: (space.symmetric ? 1 : 0) | (space.closed ? 0 : 2),
    fixedStart: space.start ?? -1,
    fixedEnd: space.end ?? -1,
    w: weights,
    k,
    v,
    betas,
    movesPerBeta,
    seed: Math.trunc(options.seed) >>> 0,
  };
  return { input, nstarts };
}

/**
 * The exact cost of a tour under the problem (weights + FM term), computed directly from the
 * definition (not through the kernel's folded form). Validates the tour.
 *
 * @example
 * ```ts
 * permTourCost({ space: edgeSpace(3), weights: Float64Array.from([0, 1, 2, 1, 0, 3, 2, 3, 0]) }, [0, 1, 2]); // 6
 * ```
 */
export function permTourCost(problem: PermProblem, tour: ArrayLike<number>): number {
  const { space, weights } = problem;
  validateSpaceTour(space, tour);
  const n = space.n;
  const m = space.edgesPerTour;
  let c = 0;
  for (let i = 0; i < m; i++) {
    const a = tour[i];
    const b = tour[(i + 1) % n];
    c += weights[a * n + b];
  }
  if (problem.fm && problem.fm.k > 0) {
    const { k, factors } = problem.fm;
    let fmTerm = 0;
    for (let f = 0; f < k; f++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        const e = edgeIndex(space, tour[i], tour[(i + 1) % n]);
        const x = factors[e * k + f];
        s += x;
        s2 += x * x;
      }
      fmTerm += s * s - s2;
    }
    c += 0.5 * fmTerm;
  }
  return c;
}

/**
 * Default annealing schedule for a weight matrix: geometric from hot to cold, where, with
 * sigma the standard deviation of the off-diagonal weights (a random 2-opt move changes four
 * edges, so its delta has spread ~ 2 sigma),
 *   hot:  a delta of 2 sigma is accepted with probability 1/2   (beta = ln 2 / (2 sigma)),
 *   cold: a delta of sigma / 20 is accepted with probability 1/100 (beta = 20 ln 100 / sigma).
 * The FM term is ignored here (it is a correction on top of W). A matrix with equal weights
 * gets `count` copies of 1.
 *
 * @example
 * ```ts
 * const betas = permBetaSchedule(weights, 12, 24);
 * permSearch({ space, weights }, tours, costs, { seed: 7, betas });
 * ```
 */
export function permBetaSchedule(weights: Float64Array, n: number, count = 24): Float64Array {
  let s = 0;
  let s2 = 0;
  let cnt = 0;
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const x = weights[a * n + b];
      s += x;
      s2 += x * x;
      cnt++;
    }
  const mean = cnt > 0 ? s / cnt : 0;
  const sigma = cnt > 0 ? Math.sqrt(Math.max(0, s2 / cnt - mean * mean)) : 0;
  if (!(sigma > 0) || !Number.isFinite(sigma)) return new Float64Array(count).fill(1);
  return geometricSchedule(Math.LN2 / (2 * sigma), (20 * Math.log(100)) / sigma, count);
}

interface PermExports {
  fm_perm_work_bytes(n: number, k: number, flags: number): number;
  fm_perm_search(
    n: number, flags: number, fixedStart: number, fixedEnd: number,
    W: number, k: number, V: number, betas: number, nbetas: number, movesPerBeta: number,
    nstarts: number, seed: number, tours: number, costs: number, work: number,
  ): number;
}

/**
 * Minimise the tour cost from several starts in the wasm kernel. `tours` holds the start
 * tours back to back (nstarts * n; valid tours of `problem.space`) and is overwritten with the
 * results, each a local optimum of the 2-opt + Or-opt neighbourhood (closed tours rotated so
 * city 0 comes first); `costs[r]` receives the exact cost of result r. With `betas`, each start
 * is annealed first. Same inputs and seed give the same results, identical to
 * `permSearchReference`.
 *
 * @example
 * ```ts
 * const space = edgeSpace(30);
 * const weights = weightMatrix(blr.sample(rng), 30, true);
 * const tours = new Int32Array(4 * 30);            // 4 starts: best tour, last proposal, 2 random
 * // ... fill tours ...
 * const costs = new Float64Array(4);
 * permSearch({ space, weights }, tours, costs, { seed: rng.seed() });
 * ```
 */
export function permSearch(problem: PermProblem, tours: Int32Array, costs: Float64Array, options: PermSearchOptions): void {
  const { input, nstarts } = permKernelInput(problem, tours, costs, options);
  if (nstarts === 0) return;
  const { exports, arena } = wasmKernel();
  const w = exports as unknown as PermExports;
  const n = input.n;
  const workBytes = w.fm_perm_work_bytes(n, input.k, input.flags);
  arena.begin(
    Arena.size(8 * n * n) + Arena.size(8 * input.v.length) + Arena.size(8 * input.betas.length) +
      Arena.size(4 * tours.length) + Arena.size(8 * nstarts) + Arena.size(workBytes),
  );
  const W = arena.f64(n * n);
  W.set(input.w);
  const V = arena.f64(input.v.length);
  V.set(input.v);
  const B = arena.f64(input.betas.length);
  B.set(input.betas);
  const T = arena.i32(tours.length);
  T.set(tours);
  const C = arena.f64(nstarts);
  const work = arena.u8(workBytes);
  const done = w.fm_perm_search(
    n, input.flags, input.fixedStart, input.fixedEnd,
    W.byteOffset, input.k, V.byteOffset, B.byteOffset, input.betas.length, input.movesPerBeta,
    nstarts, input.seed | 0, T.byteOffset, C.byteOffset, work.byteOffset,
  );
  if (done !== nstarts) throw new Error(`fm_perm_search returned ${done}, expected ${nstarts}`);
  tours.set(T);
  costs.set(C, 0);
}
