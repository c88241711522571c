/**
 * Tour search at scale: iterated local search on a cost matrix with candidate neighbour lists
 * (2-opt and Or-opt moves, don't-look bits, segment-swap kicks). The kernel is
 * native/tour_ils.c in the one wasm module (moves, acceptance and pool documented there);
 * src/anneal/tour-ils-reference.ts is its bit-identical TypeScript mirror. This file validates
 * and compiles the inputs for both, builds candidate lists (the kernel builds none) and calls
 * the wasm kernel. It knows tours and matrices, no method.
 */
import { UserError } from "../util/errors.js";
import { Arena, wasmKernel } from "./wasm.js";

/** The cost matrix and the kind of tour searched. */
export interface TourIlsProblem {
  /** Number of cities n >= 3 (closed tours) or >= 2 (open paths). */
  n: number;
  /** n*n row-major, weights[a*n+b] = cost of going a -> b; the diagonal is ignored. */
  weights: Float64Array;
  /** true: weights[a*n+b] == weights[b*n+a] for all a, b (the caller guarantees it). */
  symmetric: boolean;
  /** Open path (no edge back to the first city), optionally with a fixed first and/or last city; null or absent: closed tour. */
  path?: { start: number | null; end: number | null } | null;
}

/** Options of {@link tourIls}. */
export interface TourIlsOptions {
  /** Candidate lists from {@link candidateLists} (M*k entries, M = n or n+1 for open paths). */
  candidates: Int32Array;
  /** Entries per node in `candidates`. */
  k: number;
  /** Kicks of the iterated local search after the first local search (0: local search only). */
  kicks: number;
  /** Longest segment a kick swaps (default 30). */
  kickLength?: number;
  /**
   * At most this many improving moves in the local search from the start (default 0: no
   * limit): a trust region around the start tour. Use with `kicks: 0`.
   */
  maxMoves?: number;
  /** Seed of the kernel's generator. */
  seed: number;
  /** `performance.now()` value after which the search stops early (default: none). */
  deadline?: number;
  /** Cheapest distinct local optima returned (1..64, default 1). */
  pool?: number;
  /**
   * Moves that reverse a stretch of the tour (2-opt, reversed Or-opt) allowed (default true).
   * false keeps every step direction-preserving: with asymmetric costs a reversal is a big step.
   */
  reversals?: boolean;
}

/** The kernel's compiled input: the argument list of fm_tour_ils (native/tour_ils.c). */
export interface TourIlsInput {
  n: number;
  /** bit 0: symmetric; bit 1: open path; bit 2: no reversals. */
  flags: number;
  fixedStart: number;
  fixedEnd: number;
  weights: Float64Array;
  candidates: Int32Array;
  k: number;
  kicks: number;
  kickLength: number;
  maxMoves: number;
  seed: number;
  deadline: number;
  start: Int32Array;
  pool: number;
}

/** Result of {@link tourIls}: distinct local optima, cheapest first, with their exact costs. */
export interface TourIlsResult {
  tours: number[][];
  costs: number[];
}

/** Nodes of the search cycle: n for closed tours, n + 1 (a dummy closing the path) for open paths. */
export function cycleNodes(problem: TourIlsProblem): number {
  return problem.path ? problem.n + 1 : problem.n;
}

/**
 * Validate a search call and compile it to the kernel's arguments. Throws `UserError` on a
 * malformed problem, start tour or option.
 */
export function tourIlsInput(problem: TourIlsProblem, start: ArrayLike<number>, options: TourIlsOptions): TourIlsInput {
  const { n, weights } = problem;
  const open = Boolean(problem.path);
  if (!Number.isInteger(n) || n < (open ? 2 : 3)) throw new UserError(`tourIls: n must be an integer >= ${open ? 2 : 3}, got ${n}`);
  if (!(weights instanceof Float64Array) || weights.length !== n * n) throw new UserError(`tourIls: weights must be a Float64Array of length n*n = ${n * n}`);
  const M = cycleNodes(problem);
  const { candidates, k } = options;
  if (!Number.isInteger(k) || k < 0) throw new UserError(`tourIls: k must be an integer >= 0, got ${k}`);
  if (!(candidates instanceof Int32Array) || candidates.length !== M * k) throw new UserError(`tourIls: candidates must be an Int32Array of length ${M}*${k}`);
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c < -1 || c >= M) throw new UserError(`tourIls: candidates[${i}] = ${c} is not a node in 0..${M - 1} or -1`);
  }
  const fixedStart = problem.path?.start ?? -1;
  const fixedEnd = problem.path?.end ?? -1;
  for (const [name, c] of [["start", fixedStart], ["end", fixedEnd]] as const) {
    if (c !== -1 && (!Number.isInteger(c) || c < 0 || c >= n)) throw new UserError(`tourIls: path ${name} must be a city in 0..${n - 1}, got ${c}`);
  }
  if (fixedStart !== -1 && fixedStart === fixedEnd) throw new UserError(`tourIls: path start and end are both city ${fixedStart}`);
  if (start.length !== n) throw new UserError(`tourIls: start tour has ${start.length} cities, expected ${n}`);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = start[i];
    if (!Number.isInteger(c) || c < 0 || c >= n || seen[c]) throw new UserError(`tourIls: start tour is not a permutation of 0..${n - 1} (position ${i}: ${c})`);
    seen[c] = 1;
  }
  if (fixedStart !== -1 && start[0] !== fixedStart) throw new UserError(`tourIls: start tour begins at ${start[0]}, not at the fixed start ${fixedStart}`);
  if (fixedEnd !== -1 && start[n - 1] !== fixedEnd) throw new UserError(`tourIls: start tour ends at ${start[n - 1]}, not at the fixed end ${fixedEnd}`);
  const kicks = options.kicks;
  if (!Number.isInteger(kicks) || kicks < 0 || kicks > 2 ** 31 - 1) throw new UserError(`tourIls: kicks must be an integer >= 0, got ${kicks}`);
  const kickLength = options.kickLength ?? 30;
  if (!Number.isInteger(kickLength) || kickLength < 1) throw new UserError(`tourIls: kickLength must be an integer >= 1, got ${kickLength}`);
  const maxMoves = options.maxMoves ?? 0;
  if (!Number.isInteger(maxMoves) || maxMoves < 0 || maxMoves > 2 ** 31 - 1) throw new UserError(`tourIls: maxMoves must be an integer >= 0, got ${maxMoves}`);
  const pool = options.pool ?? 1;
  if (!Number.isInteger(pool) || pool < 1 || pool > 64) throw new UserError(`tourIls: pool must be an integer in 1..64, got ${pool}`);
  if (!Number.isFinite(options.seed)) throw new UserError(`tourIls: seed must be a finite number, got ${options.seed}`);
  const deadline = options.deadline ?? Infinity;
  if (Number.isNaN(deadline)) throw new UserError("tourIls: deadline is NaN");
  return {
    n,
    flags: (problem.symmetric ? 1 : 0) | (open ? 2 : 0) | (options.reversals === false ? 4 : 0),
    fixedStart,
    fixedEnd,
    weights,
    candidates,
    k,
    kicks,
    kickLength,
    maxMoves,
    seed: Math.trunc(options.seed) >>> 0,
    deadline,
    start: Int32Array.from(start),
    pool,
  };
}

/**
 * Candidate lists for {@link tourIls}: for every city its `k` nearest cities by
 * (w(a,c) + w(c,a)) / 2 (ties by index), then the cities of `extra` (e.g. the neighbours of the
 * cities in the best tours seen) not already listed, up to `k + extraSlots` entries per node
 * (-1 pads). For open paths the dummy node n is every city's first candidate (any city may end
 * the path) and the dummy's list holds the `k + extraSlots` cities cheapest to leave or enter.
 *
 * @param extra optional pairs [a, b] to add to both a's and b's lists.
 * @returns the lists (M*(k + extraSlots) entries) and their width.
 * @example
 * ```ts
 * const { candidates, k } = candidateLists({ n, weights, symmetric: true }, 8);
 * const best = tourIls({ n, weights, symmetric: true }, start, { candidates, k, kicks: 1000, seed: 1 });
 * ```
 */
export function candidateLists(
  problem: TourIlsProblem,
  k: number,
  extra: ReadonlyArray<readonly [number, number]> = [],
  extraSlots = 2,
): { candidates: Int32Array; k: number } {
  const { n, weights } = problem;
  const open = Boolean(problem.path);
  const M = cycleNodes(problem);
  const kk = Math.max(0, Math.min(k, n - 1));
  const width = kk + extraSlots + (open ? 1 : 0);
  const out = new Int32Array(M * width).fill(-1);
  const dist = new Float64Array(kk);
  const idx = new Int32Array(kk);
  const fill = new Int32Array(M);
  for (let a = 0; a < n; a++) {
    let len = 0;
    for (let c = 0; c < n; c++) {
      if (c === a) continue;
      const w = (weights[a * n + c] + weights[c * n + a]) / 2;
      if (len === kk && !(w < dist[len - 1])) continue;
      let j = len < kk ? len++ : len - 1;
      while (j > 0 && dist[j - 1] > w) {
        dist[j] = dist[j - 1];
        idx[j] = idx[j - 1];
        j--;
      }
      dist[j] = w;
      idx[j] = c;
    }
    const row = a * width;
    if (open) out[row + fill[a]++] = n;
    for (let j = 0; j < len; j++) out[row + fill[a]++] = idx[j];
  }
  const add = (a: number, b: number) => {
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) return;
    const row = a * width;
    for (let j = 0; j < fill[a]; j++) if (out[row + j] === b) return;
    if (fill[a] < width) out[row + fill[a]++] = b;
  };
  for (const [a, b] of extra) {
    add(a, b);
    add(b, a);
  }
  if (open) {
    // The dummy's list: the cities whose cheapest outgoing + incoming edge is largest, i.e. the
    // natural ends of a path (leaving them costs most); any order is correct, this one helps.
    const score = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let lo = Infinity;
      for (let c = 0; c < n; c++) if (c !== a) lo = Math.min(lo, weights[a * n + c], weights[c * n + a]);
      score[a] = lo;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => score[y] - score[x] || x - y);
    for (let j = 0; j < Math.min(width, n); j++) out[n * width + j] = order[j];
  }
  return { candidates: out, k: width };
}

interface IlsExports {
  fm_tour_ils_work_bytes(n: number, flags: number, pool: number): number;
  fm_tour_ils(
    n: number, flags: number, fixedStart: number, fixedEnd: number, W: number, cand: number, K: number,
    kicks: number, kickLength: number, maxMoves: number, seed: number, deadline: number, start: number, pool: number,
    tours: number, costs: number, work: number,
  ): number;
}

/**
 * Iterated local search from `start` in the wasm kernel: the cheapest distinct local optima
 * found (up to `options.pool`), closed tours rotated so that city 0 comes first, open paths
 * from their first city. Same inputs and seed give the same result, identical to
 * `tourIlsReference`.
 *
 * @example
 * ```ts
 * const problem = { n, weights, symmetric: true };
 * const { candidates, k } = candidateLists(problem, 10);
 * const { tours, costs } = tourIls(problem, bestTour, { candidates, k, kicks: 200, seed: 7, pool: 4 });
 * ```
 */
export function tourIls(problem: TourIlsProblem, start: ArrayLike<number>, options: TourIlsOptions): TourIlsResult {
  const input = tourIlsInput(problem, start, options);
  const { exports, arena } = wasmKernel();
  const w = exports as unknown as IlsExports;
  const { n, pool } = input;
  const workBytes = w.fm_tour_ils_work_bytes(n, input.flags, pool);
  arena.begin(
    Arena.size(8 * n * n) + Arena.size(4 * input.candidates.length) + Arena.size(4 * n) +
      Arena.size(4 * pool * n) + Arena.size(8 * pool) + Arena.size(workBytes),
  );
  const W = arena.f64(n * n);
  W.set(input.weights);
  const C = arena.i32(input.candidates.length);
  C.set(input.candidates);
  const S = arena.i32(n);
  S.set(input.start);
  const T = arena.i32(pool * n);
  const costs = arena.f64(pool);
  const work = arena.u8(workBytes);
  const count = w.fm_tour_ils(
    n, input.flags, input.fixedStart, input.fixedEnd, W.byteOffset, C.byteOffset, input.k,
    input.kicks, input.kickLength, input.maxMoves, input.seed | 0, input.deadline, S.byteOffset, pool,
    T.byteOffset, costs.byteOffset, work.byteOffset,
  );
  if (count < 1) throw new Error(`fm_tour_ils returned ${count}`);
  const out: TourIlsResult = { tours: [], costs: [] };
  for (let i = 0; i < count; i++) {
    out.tours.push(Array.from(T.subarray(i * n, (i + 1) * n)));
    out.costs.push(costs[i]);
  }
  return out;
}
