import { describe, expect, it } from "vitest";
import {
  edgeCost,
  edgeEndpoints,
  edgeIndex,
  edgeSpace,
  tourEdges,
  weightMatrix,
} from "../../src/tsp/edge-space.js";
import { TourError } from "../../src/tsp/tour.js";
import { Random } from "../../src/util/random.js";

describe("edge indexing", () => {
  it("symmetric: a bijection from unordered pairs onto 0..N(N-1)/2-1, order-free", () => {
    for (const n of [3, 4, 7]) {
      const s = edgeSpace(n);
      expect(s.d).toBe((n * (n - 1)) / 2);
      const seen = new Set<number>();
      for (let a = 0; a < n; a++)
        for (let b = a + 1; b < n; b++) {
          const e = edgeIndex(s, a, b);
          expect(edgeIndex(s, b, a)).toBe(e);
          expect(edgeEndpoints(s, e)).toEqual([a, b]);
          seen.add(e);
        }
      expect([...seen].sort((x, y) => x - y)).toEqual([...Array(s.d).keys()]);
    }
  });

  it("asymmetric: a bijection from ordered pairs a != b onto 0..N(N-1)-1", () => {
    for (const n of [2, 3, 6]) {
      const s = edgeSpace(n, { symmetric: false, closed: n >= 3 });
      expect(s.d).toBe(n * (n - 1));
      const seen = new Set<number>();
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          if (a === b) continue;
          const e = edgeIndex(s, a, b);
          expect(edgeEndpoints(s, e)).toEqual([a, b]);
          seen.add(e);
        }
      expect(seen.size).toBe(s.d);
      expect(Math.max(...seen)).toBe(s.d - 1);
    }
  });

  it("tourEdges lists N (closed) or N-1 (open) edges in visiting order", () => {
    const s = edgeSpace(5);
    expect(Array.from(tourEdges(s, [0, 1, 2, 3, 4]))).toEqual([0, 4, 7, 9, 3]);
    const o = edgeSpace(4, { closed: false, symmetric: false });
    const e = tourEdges(o, [2, 0, 3, 1]);
    expect(e.length).toBe(3);
    expect(Array.from(e).map((x) => edgeEndpoints(o, x))).toEqual([
      [2, 0],
      [0, 3],
      [3, 1],
    ]);
  });

  it("edgeCost and weightMatrix agree with a direct sum of matrix entries", () => {
    const rng = new Random(3);
    for (const symmetric of [true, false]) {
      for (const closed of [true, false]) {
        const n = 7;
        const s = edgeSpace(n, { symmetric, closed });
        const theta = Float64Array.from({ length: s.d }, () => rng.float());
        const w = weightMatrix(theta, n, symmetric);
        for (let a = 0; a < n; a++) expect(w[a * n + a]).toBe(0);
        if (symmetric) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expect(w[a * n + b]).toBe(w[b * n + a]);
        const tour = rng.shuffle([...Array(n).keys()]);
        let direct = 0;
        for (let i = 0; i < n - 1; i++) direct += w[tour[i] * n + tour[i + 1]];
        if (closed) direct += w[tour[n - 1] * n + tour[0]];
        expect(edgeCost(s, theta, tour)).toBeCloseTo(direct, 12);
        let viaEdges = 0;
        for (const e of tourEdges(s, tour)) viaEdges += theta[e];
        expect(viaEdges).toBeCloseTo(direct, 12);
      }
    }
  });

  it("rejects bad spaces and tours", () => {
    expect(() => edgeSpace(2)).toThrow(/closed tours need n >= 3/);
    expect(() => edgeSpace(5, { start: 1 })).toThrow(/open path/);
    expect(() => edgeSpace(5, { closed: false, start: 5 })).toThrow(/start must be a city/);
    expect(() => edgeSpace(5, { closed: false, start: 2, end: 2 })).toThrow(/both city 2/);
    const o = edgeSpace(4, { closed: false, start: 1, end: 2 });
    expect(() => tourEdges(o, [0, 1, 3, 2])).toThrow(TourError);
    expect(() => tourEdges(o, [1, 0, 2, 3])).toThrow(/fixed end 2/);
    expect(() => tourEdges(o, [1, 0, 0, 2])).toThrow(/twice/);
    expect(Array.from(tourEdges(o, [1, 3, 0, 2])).length).toBe(3);
    expect(() => weightMatrix(new Float64Array(3), 4, true)).toThrow(/need 6/);
  });
});
