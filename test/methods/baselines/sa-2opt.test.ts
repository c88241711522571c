import { describe, expect, it } from "vitest";
import { randomDirectedMove } from "../../../src/methods/baselines/sa-2opt.js";
import { solveTsp } from "../../../src/methods/solve.js";
import { validateTour } from "../../../src/tsp/tour.js";
import { readTsplib } from "../../../src/tsp/tsplib.js";
import { Random } from "../../../src/util/random.js";

/**
 * sa-2opt's moves. The truth is written out here from the definitions: a direction-keeping
 * move swaps two adjacent segments `A B C D -> A C B D` (cuts i < j < k in 1..n, city 0 stays
 * first); a 2-opt move reverses one segment.
 */

/** `A B C D -> A C B D` for cuts 1 <= i < j < k <= n, written from the definition. */
function swapped(t: readonly number[], i: number, j: number, k: number): number[] {
  return [...t.slice(0, i), ...t.slice(j, k), ...t.slice(i, j), ...t.slice(k)];
}

/** Every tour one segment swap away from `t` (all cut triples), as keys. */
function allSwaps(t: readonly number[]): Set<string> {
  const n = t.length;
  const out = new Set<string>();
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) for (let k = j + 1; k <= n; k++) out.add(swapped(t, i, j, k).join(","));
  return out;
}

/** Whether `b` is `a` with the block a[i..k) replaced by one rotation of it (a segment swap), i >= 1. */
function isSegmentSwap(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length || i === 0) return false;
  let k = a.length;
  while (a[k - 1] === b[k - 1]) k--;
  const block = a.slice(i, k);
  const target = b.slice(i, k).join(",");
  for (let j = 1; j < block.length; j++) if ([...block.slice(j), ...block.slice(0, j)].join(",") === target) return true;
  return false;
}

/** Whether `b` is `a` with one block a[i..k), i >= 1, reversed (a 2-opt move). */
function isReversal(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length || i === 0) return false;
  let k = a.length;
  while (a[k - 1] === b[k - 1]) k--;
  return a.slice(i, k).reverse().join(",") === b.slice(i, k).join(",");
}

/** Directed length over a row-major matrix, closing edge included. */
function directedLength(d: Float64Array, n: number, t: number[]): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += d[t[i] * n + t[(i + 1) % n]];
  return s;
}

function randomAsymmetric(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i * n + j] = 1 + rng.int(1000);
  return d;
}

/** Run sa-2opt on a callback cost and return the tours in the order they were evaluated. */
async function evaluatedTours(n: number, d: Float64Array, symmetric: boolean, maxEvaluations: number, seed: number): Promise<number[][]> {
  const tours: number[][] = [];
  const r = await solveTsp(
    { cities: n, symmetric, cost: (t) => (tours.push(t.slice()), directedLength(d, n, t)) },
    { method: "sa-2opt", maxEvaluations, seed },
  );
  expect(r.evaluations).toBe(maxEvaluations);
  return tours;
}

describe("randomDirectedMove", () => {
  it("is always one segment swap of the tour (never a reversal), city 0 first, a valid tour", () => {
    const rng = new Random(5);
    for (let n = 3; n <= 12; n++) {
      for (let trial = 0; trial < 40; trial++) {
        const t = [0, ...rng.shuffle(Array.from({ length: n - 1 }, (_, i) => i + 1))];
        const swaps = allSwaps(t);
        const m = randomDirectedMove(t, n, rng)!;
        validateTour(m, n);
        expect(m[0]).toBe(0);
        expect(m).not.toEqual(t);
        expect(swaps.has(m.join(","))).toBe(true);
      }
    }
    expect(randomDirectedMove([0, 1], 2, rng)).toBeNull();
  });

  it("reaches every segment swap of a 7-city tour (both Or-opt and long swaps are drawn)", () => {
    const rng = new Random(11);
    const t = [0, 3, 6, 1, 5, 2, 4];
    const swaps = allSwaps(t);
    const seen = new Set<string>();
    for (let k = 0; k < 20000; k++) seen.add(randomDirectedMove(t, 7, rng)!.join(","));
    expect(seen).toEqual(swaps);
  });
});

describe("sa-2opt on asymmetric costs", () => {
  it("every proposal after the initial tours is one segment swap of a tour evaluated before: directions kept", async () => {
    const n = 30;
    const d = randomAsymmetric(n, 3);
    const tours = await evaluatedTours(n, d, false, 200, 1);
    const init = 20;
    for (let e = init; e < tours.length; e++) {
      validateTour(tours[e], n);
      expect(tours[e][0]).toBe(0);
      expect(tours.slice(0, e).some((u) => isSegmentSwap(u, tours[e])), `evaluation ${e + 1}`).toBe(true);
    }
  });

  it("br17 (read as ATSP): the walk only swaps segments, and its best cost is the directed length of its tour", async () => {
    const inst = readTsplib("problems/tsplib/br17.atsp");
    const n = inst.dimension;
    const tours = await evaluatedTours(n, inst.distances, false, 150, 2);
    for (let e = 20; e < tours.length; e++) expect(tours.slice(0, e).some((u) => isSegmentSwap(u, tours[e]))).toBe(true);
    const r = await solveTsp(inst, { method: "sa-2opt", maxEvaluations: 150, seed: 2 });
    validateTour(r.best!.tour, n);
    expect(r.best!.cost).toBe(directedLength(inst.distances, n, r.best!.tour));
    expect(r.best!.cost).toBe(Math.min(...tours.map((t) => directedLength(inst.distances, n, t))));
  });

  it("symmetric costs keep 2-opt: every proposal after the initial tours is one reversal of a tour evaluated before", async () => {
    const n = 30;
    const a = randomAsymmetric(n, 4);
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = a[Math.min(i, j) * n + Math.max(i, j)];
    const tours = await evaluatedTours(n, d, true, 200, 1);
    for (let e = 20; e < tours.length; e++) {
      expect(tours.slice(0, e).some((u) => isReversal(u, tours[e])), `evaluation ${e + 1}`).toBe(true);
    }
  });
});
