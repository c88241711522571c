import type { Random } from "../util/random.js";
import type { EdgeSpace } from "./edge-space.js";

/**
 * Tours as points of a search (the `edge` method and the baselines): keys, random tours and
 * moves. A key is equal for two tours iff they are the same solution: closed tours are rotated
 * to start at city 0, and for symmetric costs a tour and its reverse get one key, so the loop
 * never evaluates a tour twice.
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

/**
 * The key of a tour in `space`: closed tours are rotated to start at city 0; when the cost is
 * symmetric a tour and its reverse get one key (closed tours, and open paths without fixed ends).
 */
export function spaceTourKey(space: EdgeSpace, tour: ArrayLike<number>): string {
  const n = space.n;
  if (space.closed) return tourKey(tour, space.symmetric);
  let reverse = false;
  if (space.symmetric && space.start === null && space.end === null) {
    for (let i = 0; i < n; i++) {
      const a = tour[i];
      const b = tour[n - 1 - i];
      if (a !== b) {
        reverse = b < a;
        break;
      }
    }
  }
  let key = "";
  for (let i = 0; i < n; i++) key += (i ? "," : "") + tour[reverse ? n - 1 - i : i];
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

/** A uniformly random valid tour of the space (city 0 first for closed tours; fixed ends kept). */
export function randomSpaceTour(space: EdgeSpace, rng: Random): number[] {
  const n = space.n;
  const t: number[] = [];
  const first = space.closed ? 0 : space.start;
  const last = space.closed ? null : space.end;
  for (let c = 0; c < n; c++) if (c !== first && c !== last) t.push(c);
  rng.shuffle(t);
  if (first !== null) t.unshift(first);
  if (last !== null) t.push(last);
  return t;
}

/** Reverse tour[i..j] in place (i <= j): the 2-opt move. */
export function reverseSegment(tour: number[], i: number, j: number): void {
  while (i < j) {
    const x = tour[i];
    tour[i] = tour[j];
    tour[j] = x;
    i++;
    j--;
  }
}

/** Apply a 2-opt move: reverse tour[i..j] (1 <= i < j <= n-1), returning a new array. */
export function twoOptMove(tour: readonly number[], i: number, j: number): number[] {
  const t = tour.slice();
  reverseSegment(t, i, j);
  return t;
}

/**
 * Swap the adjacent segments tour[i..j-1] and tour[j..k-1] (0 <= i < j < k <= n), returning a
 * new array: `A B C D` becomes `A C B D`. Every city keeps its successor inside B and C, so no
 * part of the tour changes direction: on a closed tour it replaces the edges (B's predecessor
 * -> B's first), (B's last -> C's first) and (C's last -> C's successor) by three others, the
 * one 3-opt reconnection that keeps every segment's direction (Or-opt when B or C holds 1-3
 * cities; `perturbTour`'s double bridge is this move). The move for directed (asymmetric) costs,
 * where reversing a segment changes the cost of all its edges.
 */
export function swapSegments(tour: readonly number[], i: number, j: number, k: number): number[] {
  return [...tour.slice(0, i), ...tour.slice(j, k), ...tour.slice(i, j), ...tour.slice(k)];
}

/**
 * `strength` random segment reversals of the free positions (2-opt moves; fixed cities and,
 * for closed tours, city 0 at position 0 stay in place), plus a double bridge for closed tours
 * when strength > 2. Returns a new array.
 */
export function perturbTour(space: EdgeSpace, tour: readonly number[], strength: number, rng: Random): number[] {
  const n = space.n;
  const lo = space.closed || space.start !== null ? 1 : 0;
  const hi = space.closed || space.end === null ? n - 1 : n - 2;
  let t = tour.slice();
  if (hi - lo < 1) return t;
  for (let s = 0; s < strength; s++) {
    const i = lo + rng.int(hi - lo + 1);
    const j = lo + rng.int(hi - lo + 1);
    if (i === j) continue;
    if (i < j) reverseSegment(t, i, j);
    else reverseSegment(t, j, i);
  }
  if (space.closed && strength > 2 && n >= 8) {
    const cuts = [1 + rng.int(n - 1), 1 + rng.int(n - 1), 1 + rng.int(n - 1)].sort((a, b) => a - b);
    const [a, b, c] = cuts;
    if (a < b && b < c) t = [...t.slice(0, a), ...t.slice(b, c), ...t.slice(a, b), ...t.slice(c)];
  }
  return t;
}
