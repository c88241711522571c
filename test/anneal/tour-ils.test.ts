import { describe, expect, it } from "vitest";
import { candidateLists, tourIls, type TourIlsProblem } from "../../src/anneal/tour-ils.js";
import { tourIlsReference } from "../../src/anneal/tour-ils-reference.js";
import { readTsplib } from "../../src/tsp/tsplib.js";
import { randomTour } from "../../src/tsp/tour-space.js";
import { UserError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";

/** A random problem: planar distances, asymmetric ones scaled per direction; maybe an open path. */
function randomProblem(seed: number, n: number, sym: boolean, open: boolean): { problem: TourIlsProblem; start: number[] } {
  const rng = new Random(seed);
  const xs = Array.from({ length: n }, () => [rng.float() * 100, rng.float() * 100]);
  const w = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) if (a !== b) w[a * n + b] = Math.hypot(xs[a][0] - xs[b][0], xs[a][1] - xs[b][1]) * (sym ? 1 : 1 + rng.float());
  if (sym) for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) w[a * n + b] = w[b * n + a];
  let path: TourIlsProblem["path"] = null;
  if (open) {
    const s = rng.int(2) ? rng.int(n) : null;
    let e = rng.int(2) ? rng.int(n) : null;
    if (e === s) e = null;
    path = { start: s, end: e };
  }
  const start = Array.from({ length: n }, (_, i) => i);
  rng.shuffle(start);
  if (!open) start.push(...start.splice(0, start.indexOf(0)));
  if (path?.start != null) start.unshift(...start.splice(start.indexOf(path.start), 1));
  if (path?.end != null) start.push(...start.splice(start.indexOf(path.end), 1));
  return { problem: { n, weights: w, symmetric: sym, path }, start };
}

/** The cost of a tour or path straight from the matrix (independent of the kernel's cycle form). */
function length(p: TourIlsProblem, t: number[]): number {
  const n = p.n;
  const m = p.path ? n - 1 : n;
  let s = 0;
  for (let i = 0; i < m; i++) s += p.weights[t[i] * n + t[(i + 1) % n]];
  return s;
}

/**
 * Every tour one move away from `t` (closed tours): all reversals of a stretch of >= 2 cities,
 * and all moves of a stretch of 1..3 cities to another place, forwards or reversed. Enumerated
 * on the sequence itself, independently of the kernel's move formulas.
 */
function neighbours(t: number[]): number[][] {
  const n = t.length;
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    const r = t.slice(s).concat(t.slice(0, s)); // rotation: any stretch starts at index 0
    for (let len = 2; len <= n - 1; len++) out.push(r.slice(0, len).reverse().concat(r.slice(len)));
    for (let len = 1; len <= 3 && len <= n - 3; len++) {
      const seg = r.slice(0, len);
      const rest = r.slice(len);
      for (let at = 1; at < rest.length; at++) {
        for (const piece of len >= 2 ? [seg, seg.slice().reverse()] : [seg]) out.push(rest.slice(0, at).concat(piece, rest.slice(at)));
      }
    }
  }
  return out;
}

describe("tourIls (native/tour_ils.c)", () => {
  it("equals its TypeScript mirror bit for bit: closed, open, fixed ends, symmetric or not", () => {
    for (let trial = 0; trial < 120; trial++) {
      const rng = new Random(1000 + trial);
      const n = 3 + rng.int(30);
      const { problem, start } = randomProblem(trial, n, rng.int(2) === 0, rng.int(3) === 0);
      const { candidates, k } = candidateLists(problem, 1 + rng.int(8), [[start[0], start[1]]]);
      const options = { candidates, k, kicks: rng.int(40), kickLength: 1 + rng.int(10), maxMoves: rng.int(3) === 0 ? 1 + rng.int(5) : 0, reversals: rng.int(4) !== 0, seed: trial, pool: 1 + rng.int(5) };
      expect(tourIls(problem, start, options)).toEqual(tourIlsReference(problem, start, options));
    }
  });

  it("returns valid, distinct tours, cheapest first, with their exact costs and the fixed ends in place", () => {
    for (let trial = 0; trial < 60; trial++) {
      const rng = new Random(trial);
      const n = 4 + rng.int(25);
      const { problem, start } = randomProblem(trial, n, rng.int(2) === 0, rng.int(2) === 0);
      const { candidates, k } = candidateLists(problem, 5);
      const r = tourIls(problem, start, { candidates, k, kicks: 30, seed: trial, pool: 6 });
      expect(r.tours.length).toBeGreaterThan(0);
      const keys = new Set<string>();
      r.tours.forEach((t, i) => {
        expect([...t].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, c) => c));
        if (!problem.path) expect(t[0]).toBe(0);
        if (problem.path?.start != null) expect(t[0]).toBe(problem.path.start);
        if (problem.path?.end != null) expect(t[n - 1]).toBe(problem.path.end);
        expect(r.costs[i]).toBeCloseTo(length(problem, t), 9);
        if (i > 0) expect(r.costs[i]).toBeGreaterThanOrEqual(r.costs[i - 1]);
        keys.add(t.join(","));
      });
      expect(keys.size).toBe(r.tours.length);
    }
  });

  it("with full candidate lists and no kicks, returns a local optimum of the whole 2-opt + Or-opt neighbourhood", () => {
    for (let trial = 0; trial < 40; trial++) {
      const rng = new Random(50 + trial);
      const n = 5 + rng.int(12);
      const { problem, start } = randomProblem(200 + trial, n, rng.int(2) === 0, false);
      const { candidates, k } = candidateLists(problem, n - 1);
      const r = tourIls(problem, start, { candidates, k, kicks: 0, seed: trial });
      const best = r.costs[0];
      const tol = 1e-9 * best;
      for (const nb of neighbours(r.tours[0])) expect(length(problem, nb)).toBeGreaterThanOrEqual(best - tol);
    }
  });

  it("with maxMoves = R and no kicks, changes at most 3R edges of the start, read undirected (a trust region)", () => {
    for (let trial = 0; trial < 40; trial++) {
      const rng = new Random(400 + trial);
      const n = 10 + rng.int(30);
      const sym = rng.int(2) === 0;
      const { problem, start } = randomProblem(400 + trial, n, sym, false);
      const { candidates, k } = candidateLists(problem, 6);
      const R = 1 + rng.int(4);
      const t = tourIls(problem, start, { candidates, k, kicks: 0, maxMoves: R, seed: trial }).tours[0];
      // undirected: an asymmetric reversal also turns the segment's inner edges around
      const edges = (x: number[]) => new Set(x.map((c, i) => { const d = x[(i + 1) % n]; return d < c ? `${d}-${c}` : `${c}-${d}`; }));
      const before = edges(start);
      const changed = [...edges(t)].filter((e) => !before.has(e)).length;
      expect(changed).toBeLessThanOrEqual(3 * R);
    }
  });

  it("never improves on the optimum and reaches kroA100's published optimum 21282 from a random start", () => {
    const inst = readTsplib("problems/tsplib/kroA100.tsp");
    const problem = { n: inst.dimension, weights: inst.distances, symmetric: true };
    const { candidates, k } = candidateLists(problem, 8);
    const r = tourIls(problem, randomTour(inst.dimension, new Random(3)), { candidates, k, kicks: 3000, seed: 3 });
    expect(r.costs[0]).toBeGreaterThanOrEqual(21282);
    expect(r.costs[0]).toBeLessThanOrEqual(21282 * 1.01);
  });

  it("refuses malformed calls with a UserError", () => {
    const { problem, start } = randomProblem(1, 6, true, false);
    const { candidates, k } = candidateLists(problem, 3);
    const ok = { candidates, k, kicks: 1, seed: 1 };
    expect(() => tourIls(problem, [0, 1, 2, 3, 4, 4], ok)).toThrow(UserError);
    expect(() => tourIls(problem, start.slice(1), ok)).toThrow(UserError);
    expect(() => tourIls(problem, start, { ...ok, pool: 65 })).toThrow(UserError);
    expect(() => tourIls(problem, start, { ...ok, candidates: new Int32Array(3) })).toThrow(UserError);
    expect(() => tourIls({ ...problem, weights: new Float64Array(5) }, start, ok)).toThrow(UserError);
    expect(() => tourIls({ ...problem, path: { start: 1, end: 1 } }, start, ok)).toThrow(UserError);
  });
});
