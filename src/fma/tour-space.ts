import type { Random } from "../util/random.js";

/**
 * Tours as points of the loop (the `edge` method and the baselines): canonical rotation, and for
 * symmetric problems one key for both directions, so a tour is never evaluated twice.
 */

/** Key of a tour: canonical rotation; for symmetric costs the direction whose second city is smaller. */
export function tourKey(tour: ArrayLike<number>, symmetric: boolean): string {
  const n = tour.length;
  let s = 0;
  while (tour[s] !== 0) s++;
  const fwd = tour[(s + 1) % n];
  const bwd = tour[(s - 1 + n) % n];
  const step = symmetric && bwd < fwd ? n - 1 : 1;
  let key = "0";
  for (let i = 1; i < n; i++) key += "," + tour[(s + i * step) % n];
  return key;
}

/** A uniformly random tour starting at city 0. */
export function randomTour(n: number, rng: Random): number[] {
  const t = new Array<number>(n);
  for (let i = 0; i < n; i++) t[i] = i;
  for (let i = n - 1; i > 1; i--) {
    const j = 1 + rng.int(i);
    const x = t[i];
    t[i] = t[j];
    t[j] = x;
  }
  return t;
}

/** `count` distinct random tours not in `seen` (bounded attempts: tiny N has few tours). */
export function distinctRandomTours(n: number, count: number, rng: Random, seen: ReadonlySet<string>, symmetric: boolean): number[][] {
  const out: number[][] = [];
  const mine = new Set<string>();
  for (let attempt = 0; out.length < count && attempt < count * 50 + 1000; attempt++) {
    const t = randomTour(n, rng);
    const k = tourKey(t, symmetric);
    if (seen.has(k) || mine.has(k)) continue;
    mine.add(k);
    out.push(t);
  }
  return out;
}

/** Apply a 2-opt move: reverse tour[i..j] (1 <= i < j <= n-1), returning a new array. */
export function twoOptMove(tour: readonly number[], i: number, j: number): number[] {
  const t = tour.slice();
  while (i < j) {
    const x = t[i];
    t[i] = t[j];
    t[j] = x;
    i++;
    j--;
  }
  return t;
}
