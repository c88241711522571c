import { UserError } from "../util/errors.js";
import type { HasDistances } from "./tour.js";

/**
 * Largest N `heldKarp` accepts. The DP table has 2^(N-1) * (N-1) Float64 entries plus as many
 * one-byte parent entries: 9 MB at N = 17, 90 MB at N = 20 (2^19 * 19 = 9.96e6 entries), and
 * about N^2 * 2^N / 4 inner steps (N = 20: ~1e8; measured 0.08 s at N = 17 and 0.75 s at N = 20
 * on one core of the development machine). Each further city doubles both: N = 21 would need
 * 190 MB, N = 24 1.7 GB, so the limit is fixed here rather than left to run out of memory.
 * Float64 (not Float32) keeps the sums exact for integer distances up to 2^53.
 */
export const HELD_KARP_MAX_N = 20;

/** The result of an exact solve: the optimal closed-tour length and one optimal tour. */
export interface ExactSolution {
  length: number;
  /** Canonical (city 0 first), in the direction the DP found. */
  tour: number[];
}

/**
 * Exact TSP optimum by the Held-Karp dynamic programme over subsets, for N <= 20
 * (`HELD_KARP_MAX_N`).
 *
 * `g(S, j)` = the shortest path that starts at city 0, visits exactly the cities of
 * `S ⊆ {1..N-1}` and ends at `j ∈ S`: `g({j}, j) = d(0, j)`,
 * `g(S, j) = min_{k ∈ S\{j}} g(S\{j}, k) + d(k, j)`; the optimum is
 * `min_j g({1..N-1}, j) + d(j, 0)`. Subsets are visited in increasing numeric order, so every
 * `S\{j}` is done before `S`. Ties go to the lowest city index. The matrix may be asymmetric:
 * the tour is followed in the returned order, as `tourLength` does.
 *
 * @throws UserError when N > 20 or the matrix does not have N*N entries
 * @example
 * ```ts
 * const { length, tour } = heldKarp(readTsplib("problems/tsplib/burma14.tsp"));
 * length;  // 3323
 * tour[0]; // 0
 * ```
 */
export function heldKarp(problem: HasDistances): ExactSolution {
  const n = problem.dimension;
  const d = problem.distances;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`heldKarp: dimension must be a positive integer, got ${n}`);
  if (n > HELD_KARP_MAX_N) {
    throw new UserError(
      `heldKarp: ${n} cities is too many for the exact solver (at most ${HELD_KARP_MAX_N}: its table has 2^(N-1)*(N-1) entries)`,
    );
  }
  if (d.length !== n * n) throw new UserError(`heldKarp: expected ${n * n} distances for ${n} cities, got ${d.length}`);
  if (n === 1) return { length: 0, tour: [0] };

  const m = n - 1; // free cities 1..n-1 are bits 0..m-1
  const subsets = 1 << m;
  const g = new Float64Array(subsets * m).fill(Infinity);
  const parent = new Uint8Array(subsets * m); // previous free city (bit index) on the best path

  for (let j = 0; j < m; j++) g[(1 << j) * m + j] = d[0 * n + (j + 1)];
  for (let s = 1; s < subsets; s++) {
    if ((s & (s - 1)) === 0) continue; // singletons initialised above
    for (let j = 0; j < m; j++) {
      const bit = 1 << j;
      if ((s & bit) === 0) continue;
      const prev = s ^ bit;
      const base = prev * m;
      let best = Infinity;
      let arg = 0;
      for (let k = 0; k < m; k++) {
        if ((prev & (1 << k)) === 0) continue;
        const v = g[base + k] + d[(k + 1) * n + (j + 1)];
        if (v < best) {
          best = v;
          arg = k;
        }
      }
      g[s * m + j] = best;
      parent[s * m + j] = arg;
    }
  }

  const full = subsets - 1;
  let length = Infinity;
  let last = 0;
  for (let j = 0; j < m; j++) {
    const v = g[full * m + j] + d[(j + 1) * n + 0];
    if (v < length) {
      length = v;
      last = j;
    }
  }
  if (!Number.isFinite(length)) throw new UserError(`heldKarp: the distances are not finite numbers`);

  // Walk the parents back from the last city; the path is filled from the end.
  const tour = new Array<number>(n);
  tour[0] = 0;
  let s = full;
  let j = last;
  for (let pos = n - 1; pos >= 1; pos--) {
    tour[pos] = j + 1;
    const k = parent[s * m + j];
    s ^= 1 << j;
    j = k;
  }
  return { length, tour };
}
