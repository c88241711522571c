import { describe, expect, it } from "vitest";
import { edgeSpace, type EdgeSpace } from "../../src/tsp/edge-space.js";
import { permBetaSchedule, permSearch, permTourCost, type PermProblem } from "../../src/anneal/perm.js";
import { permSearchReference } from "../../src/anneal/perm-reference.js";
import { TourError } from "../../src/tsp/tour.js";
import { Random } from "../../src/util/random.js";
import { permutations } from "../methods/edge/helpers.js";

// ---- independent truth: cost from the definition, neighbourhood and optimum by brute force ----

/** Edge index as defined in DESIGN/features (re-derived here, not imported). */
function edgeId(n: number, symmetric: boolean, a: number, b: number): number {
  if (symmetric) {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let idx = 0;
    for (let r = 0; r < lo; r++) idx += n - r - 1;
    return idx + (hi - lo - 1);
  }
  return a * (n - 1) + (b < a ? b : b - 1);
}

function bruteCost(p: PermProblem, t: number[]): number {
  const { n, closed, symmetric } = p.space;
  const edges: [number, number][] = [];
  for (let i = 0; i < n - 1; i++) edges.push([t[i], t[i + 1]]);
  if (closed) edges.push([t[n - 1], t[0]]);
  let c = 0;
  for (const [a, b] of edges) c += p.weights[a * n + b];
  if (p.fm) {
    const { k, factors } = p.fm;
    for (let f = 0; f < k; f++) {
      // 1/2 [(sum v)^2 - sum v^2] = sum over unordered pairs of distinct edges v_e v_e'
      for (let x = 0; x < edges.length; x++)
        for (let y = x + 1; y < edges.length; y++) {
          c += factors[edgeId(n, symmetric, ...edges[x]) * k + f] * factors[edgeId(n, symmetric, ...edges[y]) * k + f];
        }
    }
  }
  return c;
}

/** Every tour one 2-opt (segment reversal) or Or-opt (segment of 1..3 moved, either way) away. */
function neighbours(space: EdgeSpace, t: number[]): number[][] {
  const n = space.n;
  const out: number[][] = [];
  if (space.closed) {
    for (let rot = 0; rot < n; rot++) {
      const u = [...t.slice(rot), ...t.slice(0, rot)];
      for (let len = 2; len <= n; len++) out.push([...u.slice(0, len).reverse(), ...u.slice(len)]);
      for (let len = 1; len <= Math.min(3, n - 1); len++) {
        const seg = u.slice(0, len);
        const rem = u.slice(len);
        for (let g = 0; g <= rem.length; g++)
          for (const rev of len >= 2 ? [false, true] : [false]) {
            out.push([...rem.slice(0, g), ...(rev ? [...seg].reverse() : seg), ...rem.slice(g)]);
          }
      }
    }
    return out;
  }
  const fs = space.start !== null;
  const fe = space.end !== null;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if ((fs && i === 0) || (fe && j === n - 1)) continue;
      out.push([...t.slice(0, i), ...t.slice(i, j + 1).reverse(), ...t.slice(j + 1)]);
    }
  for (let i = 0; i < n; i++)
    for (let len = 1; len <= 3 && i + len <= n; len++) {
      if ((fs && i === 0) || (fe && i + len === n)) continue;
      const seg = t.slice(i, i + len);
      const rem = [...t.slice(0, i), ...t.slice(i + len)];
      for (let g = 0; g <= rem.length; g++) {
        if ((fs && g === 0) || (fe && g === rem.length)) continue;
        for (const rev of len >= 2 ? [false, true] : [false]) {
          out.push([...rem.slice(0, g), ...(rev ? [...seg].reverse() : seg), ...rem.slice(g)]);
        }
      }
    }
  return out;
}

function isValid(space: EdgeSpace, t: number[]): boolean {
  if (space.start !== null && t[0] !== space.start) return false;
  if (space.end !== null && t[space.n - 1] !== space.end) return false;
  return new Set(t).size === space.n && t.every((c) => c >= 0 && c < space.n);
}

function bruteOptimum(p: PermProblem): number {
  let best = Infinity;
  for (const t of permutations(p.space.n)) {
    if (p.space.closed && t[0] !== 0) continue;
    if (!isValid(p.space, t)) continue;
    best = Math.min(best, bruteCost(p, t));
  }
  return best;
}

// ---- problem generators ----

function randomProblem(rng: Random, space: EdgeSpace, k = 0): PermProblem {
  const n = space.n;
  const w = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      w[a * n + b] = space.symmetric && b < a ? w[b * n + a] : 1 + 9 * rng.float();
    }
  const p: PermProblem = { space, weights: w };
  if (k > 0) p.fm = { k, factors: Float64Array.from({ length: space.d * k }, () => 0.7 * rng.normal()) };
  return p;
}

function randomStarts(rng: Random, space: EdgeSpace, count: number): Int32Array {
  const n = space.n;
  const out = new Int32Array(count * n);
  for (let r = 0; r < count; r++) {
    const free = [...Array(n).keys()].filter((c) => c !== space.start && c !== space.end);
    rng.shuffle(free);
    const t = [...(space.start !== null ? [space.start] : []), ...free, ...(space.end !== null ? [space.end] : [])];
    out.set(t, r * n);
  }
  return out;
}

const CONFIGS: { name: string; symmetric: boolean; closed: boolean; start?: number; end?: number; k?: number }[] = [
  { name: "symmetric closed", symmetric: true, closed: true },
  { name: "asymmetric closed", symmetric: false, closed: true },
  { name: "symmetric open, free ends", symmetric: true, closed: false },
  { name: "asymmetric open, free ends", symmetric: false, closed: false },
  { name: "symmetric open, fixed start", symmetric: true, closed: false, start: 2 },
  { name: "asymmetric open, fixed end", symmetric: false, closed: false, end: 1 },
  { name: "symmetric open, fixed start and end", symmetric: true, closed: false, start: 0, end: 3 },
  { name: "asymmetric open, fixed start and end", symmetric: false, closed: false, start: 4, end: 0 },
  { name: "symmetric closed + FM", symmetric: true, closed: true, k: 3 },
  { name: "asymmetric closed + FM", symmetric: false, closed: true, k: 2 },
  { name: "asymmetric open, fixed start + FM", symmetric: false, closed: false, start: 1, k: 2 },
];

function spaceOf(c: (typeof CONFIGS)[number], n: number): EdgeSpace {
  return edgeSpace(n, { symmetric: c.symmetric, closed: c.closed, start: c.start ?? null, end: c.end ?? null });
}

function scaleOf(p: PermProblem): number {
  let m = 0;
  for (const x of p.weights) m = Math.max(m, Math.abs(x));
  return p.space.n * m;
}

describe("permutation search: local search", () => {
  for (const c of CONFIGS) {
    it(`${c.name}: results are valid 2-opt/Or-opt local optima, costs exact, wasm == TS reference`, () => {
      const rng = new Random(c.name.length * 31 + (c.k ?? 0));
      for (const n of [5, 6, 7, 9]) {
        const space = spaceOf(c, n);
        const p = randomProblem(rng, space, c.k ?? 0);
        const starts = randomStarts(rng, space, 4);
        const tw = starts.slice();
        const cw = new Float64Array(4);
        const tr = starts.slice();
        const cr = new Float64Array(4);
        permSearch(p, tw, cw, { seed: n });
        permSearchReference(p, tr, cr, { seed: n });
        expect(Array.from(tw)).toEqual(Array.from(tr));
        expect(Array.from(cw)).toEqual(Array.from(cr));
        const tol = 1e-9 * scaleOf(p);
        for (let r = 0; r < 4; r++) {
          const t = Array.from(tw.subarray(r * n, (r + 1) * n));
          expect(isValid(space, t)).toBe(true);
          if (space.closed) expect(t[0]).toBe(0);
          const cost = bruteCost(p, t);
          expect(Math.abs(cw[r] - cost)).toBeLessThan(tol);
          expect(Math.abs(permTourCost(p, t) - cost)).toBeLessThan(tol);
          for (const nb of neighbours(space, t)) {
            expect(isValid(space, nb)).toBe(true);
            expect(bruteCost(p, nb)).toBeGreaterThan(cost - tol);
          }
        }
      }
    });
  }

  it("asymmetric closed, nearly symmetric weights: long reversals through the tour's first node are covered", () => {
    // With W = symmetric + small asymmetry, reversing long arcs is cheap, so local optima of
    // the other moves are sometimes improvable only by reversing an arc that contains the
    // node at position 0 (the kernel's "outer" 2-opt). Instance 122 is such a case (found by
    // running the search with the outer move disabled); its neighbours check it.
    for (let inst = 115; inst < 130; inst++) {
      const rng = new Random(inst);
      const n = 7 + (inst % 3);
      const space = edgeSpace(n, { symmetric: false });
      const w = new Float64Array(n * n);
      for (let a = 0; a < n; a++)
        for (let b = a + 1; b < n; b++) {
          const base = 1 + 9 * rng.float();
          w[a * n + b] = base + 0.3 * rng.float();
          w[b * n + a] = base + 0.3 * rng.float();
        }
      const p: PermProblem = { space, weights: w };
      const t = Int32Array.from(rng.shuffle([...Array(n).keys()]));
      const c = new Float64Array(1);
      const tr = t.slice();
      permSearch(p, t, c, { seed: 1 });
      permSearchReference(p, tr, new Float64Array(1), { seed: 1 });
      expect(Array.from(t)).toEqual(Array.from(tr));
      const tour = Array.from(t);
      const tol = 1e-9 * scaleOf(p);
      for (const nb of neighbours(space, tour)) expect(bruteCost(p, nb)).toBeGreaterThan(bruteCost(p, tour) - tol);
    }
  });

  it("each start's result depends only on (seed, start index), not on the other starts", () => {
    const rng = new Random(4);
    const space = edgeSpace(12, { symmetric: false });
    const p = randomProblem(rng, space);
    const starts = randomStarts(rng, space, 3);
    const all = starts.slice();
    const costs = new Float64Array(3);
    const betas = permBetaSchedule(p.weights, 12, 8);
    permSearch(p, all, costs, { seed: 9, betas });
    const first = starts.slice(0, 12);
    const c1 = new Float64Array(1);
    permSearch(p, first, c1, { seed: 9, betas });
    expect(Array.from(first)).toEqual(Array.from(all.subarray(0, 12)));
    expect(c1[0]).toBe(costs[0]);
    // and a repeated call is deterministic
    const again = starts.slice();
    permSearch(p, again, new Float64Array(3), { seed: 9, betas });
    expect(Array.from(again)).toEqual(Array.from(all));
  });
});

describe("permutation search: annealing finds the brute-force optimum (N <= 9)", () => {
  for (const c of CONFIGS) {
    it(c.name, () => {
      const rng = new Random(1000 + c.name.length);
      for (const n of [6, 8, 9]) {
        const space = spaceOf(c, n);
        const p = randomProblem(rng, space, c.k ?? 0);
        const opt = bruteOptimum(p);
        const starts = randomStarts(rng, space, 2);
        const betas = permBetaSchedule(p.weights, n, 40);
        const tw = starts.slice();
        const cw = new Float64Array(2);
        permSearch(p, tw, cw, { seed: 5, betas, movesPerBeta: 40 * n });
        const tr = starts.slice();
        const cr = new Float64Array(2);
        permSearchReference(p, tr, cr, { seed: 5, betas, movesPerBeta: 40 * n });
        expect(Array.from(cw)).toEqual(Array.from(cr));
        expect(Array.from(tw)).toEqual(Array.from(tr));
        const tol = 1e-9 * scaleOf(p);
        for (let r = 0; r < 2; r++) {
          const t = Array.from(tw.subarray(r * n, (r + 1) * n));
          expect(Math.abs(bruteCost(p, t) - cw[r])).toBeLessThan(tol);
          expect(Math.abs(cw[r] - opt)).toBeLessThan(tol);
        }
      }
    });
  }
});

describe("permutation search: wasm == TS reference beyond brute-force sizes", () => {
  it("N = 25 and 40, annealing + local search, every configuration: same tours, same costs, costs exact", () => {
    const rng = new Random(77);
    for (const c of CONFIGS) {
      for (const n of [25, 40]) {
        const space = spaceOf(c, n);
        const p = randomProblem(rng, space, c.k ?? 0);
        const starts = randomStarts(rng, space, 3);
        const betas = permBetaSchedule(p.weights, n, 12);
        const tw = starts.slice();
        const cw = new Float64Array(3);
        const tr = starts.slice();
        const cr = new Float64Array(3);
        permSearch(p, tw, cw, { seed: n + 1, betas, movesPerBeta: 10 * n });
        permSearchReference(p, tr, cr, { seed: n + 1, betas, movesPerBeta: 10 * n });
        expect(Array.from(tw)).toEqual(Array.from(tr));
        expect(Array.from(cw)).toEqual(Array.from(cr));
        for (let r = 0; r < 3; r++) {
          const t = Array.from(tw.subarray(r * n, (r + 1) * n));
          expect(isValid(space, t)).toBe(true);
          expect(Math.abs(bruteCost(p, t) - cw[r])).toBeLessThan(1e-9 * scaleOf(p));
        }
      }
    }
  });
});

describe("permutation search: small and degenerate cases", () => {
  it("closed N = 3 and open N = 2 (with both ends fixed) work", () => {
    const rng = new Random(8);
    for (const space of [
      edgeSpace(3),
      edgeSpace(3, { symmetric: false }),
      edgeSpace(2, { closed: false }),
      edgeSpace(2, { closed: false, symmetric: false }),
      edgeSpace(2, { closed: false, symmetric: false, start: 1, end: 0 }),
      edgeSpace(3, { closed: false, symmetric: false, start: 2, end: 0 }),
    ]) {
      const p = randomProblem(rng, space);
      const t = randomStarts(rng, space, 2);
      const cst = new Float64Array(2);
      permSearch(p, t, cst, { seed: 1, betas: [0.1, 1, 10] });
      for (let r = 0; r < 2; r++) {
        const tour = Array.from(t.subarray(r * space.n, (r + 1) * space.n));
        expect(isValid(space, tour)).toBe(true);
        expect(cst[r]).toBeCloseTo(bruteOptimum(p), 10);
      }
    }
  });

  it("no starts is a no-op; equal weights keep the start", () => {
    const space = edgeSpace(5);
    const p: PermProblem = { space, weights: new Float64Array(25).fill(2) };
    permSearch(p, new Int32Array(0), new Float64Array(0), { seed: 1 });
    const t = Int32Array.from([0, 3, 1, 4, 2]);
    const c = new Float64Array(1);
    permSearch(p, t, c, { seed: 1 });
    expect(Array.from(t)).toEqual([0, 3, 1, 4, 2]);
    expect(c[0]).toBe(10);
  });
});

describe("permutation search: unhappy paths", () => {
  const space = edgeSpace(5);
  const w = new Float64Array(25).fill(1);
  const ok = () => Int32Array.from([0, 1, 2, 3, 4]);
  it("rejects malformed problems and options", () => {
    expect(() => permSearch({ space, weights: new Float64Array(24) }, ok(), new Float64Array(1), { seed: 1 })).toThrow(/length 25/);
    const asym = w.slice();
    asym[1] = 2;
    expect(() => permSearch({ space, weights: asym }, ok(), new Float64Array(1), { seed: 1 })).toThrow(/symmetric but weight 0->1/);
    const nan = w.slice();
    nan[7] = Number.NaN;
    expect(() => permSearchReference({ space, weights: nan }, ok(), new Float64Array(1), { seed: 1 })).toThrow(/weight 1->2 is NaN/);
    expect(() => permSearch({ space, weights: w, fm: { k: 2, factors: new Float64Array(3) } }, ok(), new Float64Array(1), { seed: 1 })).toThrow(/d\*k = 20/);
    expect(() => permSearch({ space, weights: w }, new Int32Array(7), new Float64Array(1), { seed: 1 })).toThrow(/multiple of n/);
    expect(() => permSearch({ space, weights: w }, ok(), new Float64Array(0), { seed: 1 })).toThrow(/costs/);
    expect(() => permSearch({ space, weights: w }, ok(), new Float64Array(1), { seed: 1, betas: [1, -1] })).toThrow(/betas\[1\]/);
    expect(() => permSearch({ space, weights: w }, ok(), new Float64Array(1), { seed: 1, movesPerBeta: 1.5 })).toThrow(/movesPerBeta/);
    expect(() => permSearch({ space, weights: w }, ok(), new Float64Array(1), { seed: Number.NaN })).toThrow(/seed/);
  });
  it("rejects invalid start tours with a TourError and leaves them unchanged", () => {
    const bad = Int32Array.from([0, 1, 2, 3, 4, 0, 1, 1, 3, 4]);
    expect(() => permSearch({ space, weights: w }, bad, new Float64Array(2), { seed: 1 })).toThrow(TourError);
    expect(Array.from(bad)).toEqual([0, 1, 2, 3, 4, 0, 1, 1, 3, 4]);
    const open = edgeSpace(5, { closed: false, start: 4 });
    expect(() => permSearch({ space: open, weights: w }, ok(), new Float64Array(1), { seed: 1 })).toThrow(/fixed start 4/);
  });
});
