import { permSearch } from "../anneal/perm.js";
import { edgeSpace } from "../tsp/edge-space.js";
import { tourLength, type HasDistances } from "../tsp/tour.js";
import { randomTour } from "../tsp/tour-space.js";
import { Random } from "../util/random.js";

/**
 * A reference tour for instances whose optimum is not known: the engine's own best white-box
 * tour on the known distances (the CLI's `solve` and `tour` print their gap to it, labelled as
 * such). It is *not* an optimum: a good tour any user can reproduce, so that a black-box run's
 * length means something without a published optimum.
 *
 * How: the nearest-neighbour tour from city 0, then the 2-opt + Or-opt local search of the
 * permutation kernel (src/anneal/perm.ts, the one `edge` searches with) on the true distances
 * from it and, up to REFERENCE_RANDOM_STARTS_MAX cities, from 3 random tours as well (seeded:
 * the same instance gives the same reference). Above REFERENCE_SEARCH_MAX cities the local
 * search takes seconds to minutes (measured 0.75 s at 1000 cities, 11 s at 2000, 71 s at 5000
 * from the nearest-neighbour tour), so the nearest-neighbour tour itself is the reference.
 */

/** Up to this many cities the reference is locally optimal under 2-opt and Or-opt. */
export const REFERENCE_SEARCH_MAX = 1000;
/** Up to this many cities the local search also starts from random tours. */
export const REFERENCE_RANDOM_STARTS_MAX = 500;

export interface ReferenceTour {
  /** 0-based, starting at city 0. */
  tour: number[];
  length: number;
  /** How it was made, in words, for labels. */
  how: string;
}

/**
 * The reference tour of an instance with at least 3 cities (see the module comment).
 * @example
 * ```ts
 * const ref = referenceTour(randomInstance(200, 1));
 * ref.length; // a 2-opt + Or-opt local optimum on the distances
 * ```
 */
export function referenceTour(instance: HasDistances): ReferenceTour {
  const n = instance.dimension;
  const d = instance.distances;
  const nn = nearestNeighbourTour(d, n);
  if (n < 4 || n > REFERENCE_SEARCH_MAX) {
    return { tour: nn, length: tourLength(instance, nn), how: "nearest-neighbour tour from city 1 on the known distances" };
  }
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) for (let j = i + 1; j < n; j++) if (d[i * n + j] !== d[j * n + i]) { symmetric = false; break; }
  const rng = new Random(1);
  const starts = [nn];
  if (n <= REFERENCE_RANDOM_STARTS_MAX) for (let r = 0; r < 3; r++) starts.push(randomTour(n, rng));
  const tours = new Int32Array(starts.length * n);
  starts.forEach((t, r) => tours.set(t, r * n));
  const costs = new Float64Array(starts.length);
  permSearch({ space: edgeSpace(n, { symmetric }), weights: d }, tours, costs, { seed: 1 });
  let best: number[] = nn;
  let bestLength = tourLength(instance, nn);
  for (let r = 0; r < starts.length; r++) {
    const t = Array.from(tours.subarray(r * n, (r + 1) * n));
    const length = tourLength(instance, t);
    if (length < bestLength) {
      best = t;
      bestLength = length;
    }
  }
  const from = starts.length > 1 ? "the nearest-neighbour tour and 3 random tours" : "the nearest-neighbour tour";
  return { tour: best, length: bestLength, how: `2-opt + Or-opt local search on the known distances from ${from}` };
}

/** Greedy tour: from city 0, always to the nearest unvisited city (ties: the lowest index). O(n^2). */
export function nearestNeighbourTour(d: Float64Array, n: number): number[] {
  const tour = [0];
  const used = new Uint8Array(n);
  used[0] = 1;
  for (let at = 0; tour.length < n; ) {
    let next = -1;
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      if (!used[j] && d[at * n + j] < best) {
        best = d[at * n + j];
        next = j;
      }
    }
    used[next] = 1;
    tour.push(next);
    at = next;
  }
  return tour;
}
