import { describe, expect, it } from "vitest";
import { Random } from "../../src/util/random.js";
import { UserError } from "../../src/util/errors.js";
import { heldKarp, HELD_KARP_MAX_N } from "../../src/tsp/heldKarp.js";
import { tourLength } from "../../src/tsp/tour.js";
import { readTsplib } from "../../src/tsp/tsplib.js";
import { bruteForce } from "./helpers.js";

function randomMatrix(n: number, rng: Random, symmetric: boolean, integer: boolean): Float64Array {
  const d = new Float64Array(n * n);
  const draw = () => (integer ? rng.int(100) : rng.float() * 100);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (symmetric && j < i) d[i * n + j] = d[j * n + i];
      else d[i * n + j] = draw();
    }
  }
  return d;
}

describe("heldKarp", () => {
  it("equals brute force on random matrices, N = 1..9 (symmetric and asymmetric, integer and real)", () => {
    const rng = new Random(20240607);
    for (let n = 1; n <= 9; n++) {
      for (const symmetric of [true, false]) {
        for (const integer of [true, false]) {
          const trials = n <= 7 ? 6 : 2;
          for (let t = 0; t < trials; t++) {
            const d = randomMatrix(n, rng, symmetric, integer);
            const problem = { dimension: n, distances: d };
            const { length, tour } = heldKarp(problem);
            const best = bruteForce(n, d);
            if (integer) expect(length).toBe(best);
            else expect(length).toBeCloseTo(best, 9);
            expect(tour[0]).toBe(0);
            expect(tourLength(problem, tour)).toBeCloseTo(length, 9);
          }
        }
      }
    }
  });

  it("burma14 = 3323 (published optimum)", () => {
    const burma = readTsplib("problems/tsplib/burma14.tsp");
    const { length, tour } = heldKarp(burma);
    expect(length).toBe(3323);
    expect(tourLength(burma, tour)).toBe(3323);
  });

  it("ulysses16 = 6859 (published optimum, N = 16)", () => {
    expect(heldKarp(readTsplib("problems/tsplib/ulysses16.tsp")).length).toBe(6859);
  });

  it("N = 2 and 3: the only tours", () => {
    expect(heldKarp({ dimension: 2, distances: Float64Array.from([0, 4, 4, 0]) })).toEqual({ length: 8, tour: [0, 1] });
    const d3 = Float64Array.from([0, 1, 2, 1, 0, 3, 2, 3, 0]);
    expect(heldKarp({ dimension: 3, distances: d3 }).length).toBe(6);
  });

  it("refuses N > 20 and malformed input with a clear error", () => {
    expect(HELD_KARP_MAX_N).toBe(20);
    const n = 21;
    expect(() => heldKarp({ dimension: n, distances: new Float64Array(n * n) })).toThrow(UserError);
    expect(() => heldKarp({ dimension: n, distances: new Float64Array(n * n) })).toThrow(
      "heldKarp: 21 cities is too many for the exact solver (at most 20: its table has 2^(N-1)*(N-1) entries)",
    );
    expect(() => heldKarp({ dimension: 3, distances: new Float64Array(8) })).toThrow("heldKarp: expected 9 distances for 3 cities, got 8");
    expect(() => heldKarp({ dimension: 0, distances: new Float64Array(0) })).toThrow("heldKarp: dimension must be a positive integer, got 0");
  });
});
