import { UserError } from "../util/errors.js";

/**
 * Tours (docs/design.md, Definitions): a permutation of cities 0..N-1, 0-based. The canonical form is rotated
 * so that city 0 comes first; the two directions of a cycle are different tours.
 */

/** Anything with a row-major n*n distance matrix: a parsed TSPLIB instance, or a bare matrix. */
export interface HasDistances {
  dimension: number;
  distances: Float64Array;
}

/** A tour that is not a permutation of 0..n-1. */
export class TourError extends UserError {
  override name = "TourError";
}

/**
 * Throw a `TourError` naming the problem unless `tour` is a permutation of 0..n-1:
 * wrong length, a non-integer or out-of-range entry, a repeated city (and so a missing one).
 */
export function validateTour(tour: ArrayLike<number>, n: number): void {
  if (tour.length !== n) {
    throw new TourError(`tour has ${tour.length} cities, expected ${n}`);
  }
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = tour[i];
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new TourError(`tour position ${i} holds ${c}, expected a city index in 0..${n - 1}`);
    }
    if (seen[c]) {
      let missing = 0;
      while (missing < n && (seen[missing] || tour_includes(tour, missing))) missing++;
      throw new TourError(
        `city ${c} appears twice in the tour` + (missing < n ? ` (city ${missing} is missing)` : ""),
      );
    }
    seen[c] = 1;
  }
}

function tour_includes(tour: ArrayLike<number>, c: number): boolean {
  for (let i = 0; i < tour.length; i++) if (tour[i] === c) return true;
  return false;
}

/** The tour rotated so that city 0 comes first (a new array; direction kept). */
export function canonicalTour(tour: ArrayLike<number>): number[] {
  const n = tour.length;
  let start = 0;
  while (start < n && tour[start] !== 0) start++;
  if (start === n) throw new TourError("tour does not contain city 0");
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = tour[(start + i) % n];
  return out;
}

/**
 * Whether the distances are symmetric, d(a,b) = d(b,a) for every pair (the diagonal is not
 * looked at). An ATSP instance may happen to be symmetric; this looks at the numbers.
 */
export function isSymmetric(problem: HasDistances): boolean {
  const n = problem.dimension;
  const d = problem.distances;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (d[a * n + b] !== d[b * n + a]) return false;
  return true;
}

/** Closed-tour length: sum of d(t_i, t_{i+1}) plus the closing edge d(t_{n-1}, t_0). */
export function tourLength(problem: HasDistances, tour: ArrayLike<number>): number {
  const n = problem.dimension;
  validateTour(tour, n);
  const d = problem.distances;
  let sum = 0;
  for (let i = 0; i < n - 1; i++) sum += d[tour[i] * n + tour[i + 1]];
  if (n > 1) sum += d[tour[n - 1] * n + tour[0]];
  return sum;
}
