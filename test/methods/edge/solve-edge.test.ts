import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spaceTourKey } from "../../../src/tsp/tour-space.js";
import { edgeSpace } from "../../../src/tsp/edge-space.js";
import { solveTsp } from "../../../src/methods/solve.js";
import { randomInstance } from "../../../src/tsp/generate.js";
import { heldKarp } from "../../../src/tsp/heldKarp.js";
import { Random } from "../../../src/util/random.js";

/** Brute force over all orders of the free cities of an open path / asymmetric tour (N <= 8). */
function bruteForce(n: number, cost: (t: number[]) => number, fixedFirst: number | null, fixedLast: number | null): number {
  const free = [...Array(n).keys()].filter((c) => c !== fixedFirst && c !== fixedLast);
  let best = Infinity;
  const perm = (arr: number[], k: number) => {
    if (k === arr.length) {
      const t = [...(fixedFirst !== null ? [fixedFirst] : []), ...arr, ...(fixedLast !== null ? [fixedLast] : [])];
      best = Math.min(best, cost(t));
      return;
    }
    for (let i = k; i < arr.length; i++) {
      [arr[k], arr[i]] = [arr[i], arr[k]];
      perm(arr, k + 1);
      [arr[k], arr[i]] = [arr[i], arr[k]];
    }
  };
  perm(free, 0);
  return best;
}

/** N points on a circle (random angles): the optimal tour visits them in angular order (convex position). */
function circle(n: number, seed: number): { matrix: number[][]; optimum: number; coordinates: number[][] } {
  const rng = new Random(seed);
  const angles = Array.from({ length: n }, () => rng.float() * 2 * Math.PI);
  const coordinates = angles.map((a) => [100 * Math.cos(a), 100 * Math.sin(a)]);
  const matrix = coordinates.map((p) => coordinates.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1])));
  const order = angles.map((a, i) => [a, i]).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
  const optimum = order.reduce((s, c, i) => s + matrix[c][order[(i + 1) % n]], 0);
  return { matrix, optimum, coordinates };
}

describe("solveTsp method edge", () => {
  it("learns the geometry of 30 points in convex position from tour costs alone and finds the optimal tour", async () => {
    const { matrix, optimum } = circle(30, 5);
    const r = await solveTsp(matrix, { method: "edge", maxEvaluations: 200, seed: 1 });
    expect(r.best!.cost).toBeCloseTo(optimum, 6);
  });

  it("with the true costs as prior, evaluates the optimal tour first", async () => {
    const { matrix, optimum } = circle(40, 6);
    const r = await solveTsp(matrix, { method: "edge", maxEvaluations: 10, seed: 1, prior: matrix });
    expect(r.bestAt).toBe(1);
    expect(r.best!.cost).toBeCloseTo(optimum, 6);
  });

  it("with a useless prior (random costs) still finds the optimal tour", async () => {
    const { matrix, optimum } = circle(30, 5);
    const rng = new Random(3);
    const noise = matrix.map((row) => row.map(() => rng.float() * 200));
    const r = await solveTsp(matrix, { method: "edge", maxEvaluations: 200, seed: 1, prior: noise });
    expect(r.best!.cost).toBeCloseTo(optimum, 6);
  });

  it("batches: q distinct unseen tours per round, the same run for the same seed", async () => {
    const { matrix } = circle(20, 2);
    const seen = new Set<string>();
    let calls = 0;
    const cost = (t: number[]) => {
      calls++;
      const key = t.join(",");
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      return t.reduce((s, c, i) => s + matrix[c][t[(i + 1) % 20]], 0);
    };
    const a = await solveTsp({ cities: 20, cost, symmetric: false }, { method: "edge", batch: 4, maxEvaluations: 120, seed: 7 });
    expect(calls).toBe(120);
    expect(a.rounds).toBe(Math.ceil((120 - 5) / 4)); // 5 initial tours, then rounds of 4 (the last one short)
    seen.clear();
    const b = await solveTsp({ cities: 20, cost, symmetric: false }, { method: "edge", batch: 4, maxEvaluations: 120, seed: 7 });
    expect(b.history.values).toEqual(a.history.values);
  });

  it("refuses interactions on routes with more than 20,000 edge features, in one line naming the option", async () => {
    const { matrix } = circle(201, 1);
    await expect(solveTsp(matrix, { method: "edge", interactions: 2, maxEvaluations: 10 })).rejects.toThrow(/interactions .* at most 20000 edges; 201 cities have 20100/);
  });

  it("refuses a prior of the wrong size or with non-finite entries, naming the option", async () => {
    const { matrix, coordinates } = circle(8, 1);
    await expect(solveTsp(matrix, { method: "edge", prior: matrix.slice(1) })).rejects.toThrow(/prior/);
    await expect(solveTsp(matrix, { method: "edge", prior: { coordinates: coordinates.slice(2) } })).rejects.toThrow(/prior/);
    const bad = matrix.map((r) => r.slice());
    bad[2][3] = NaN;
    await expect(solveTsp(matrix, { method: "edge", prior: bad })).rejects.toThrow(/prior\[2\]\[3\]/);
  });

  it("reaches the Held-Karp optimum of 12-city instances within 80 evaluations in at least 4 of 5", async () => {
    let hits = 0;
    for (let s = 1; s <= 5; s++) {
      const inst = randomInstance(12, 500 + s);
      const opt = heldKarp(inst).length;
      const r = await solveTsp(inst, { method: "edge", maxEvaluations: 80, seed: s });
      if (Math.abs(r.best!.cost - opt) < 1e-9) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(4);
  });

  it("never evaluates a tour twice, in either direction (count the calls)", async () => {
    const inst = randomInstance(7, 3);
    const seen = new Set<string>();
    const space = edgeSpace(7);
    let calls = 0;
    const d = inst.distances;
    const r = await solveTsp(
      {
        cities: 7,
        cost: (t) => {
          calls++;
          const k = spaceTourKey(space, t);
          expect(seen.has(k)).toBe(false);
          seen.add(k);
          let s = 0;
          for (let i = 0; i < 7; i++) s += d[t[i] * 7 + t[(i + 1) % 7]];
          return s;
        },
      },
      { method: "edge", maxEvaluations: 360, seed: 2 },
    );
    // 6!/2 = 360 undirected tours: the run enumerates them all without a repeat.
    expect(calls).toBe(360);
    expect(r.evaluations).toBe(360);
    expect(r.best!.cost).toBe(heldKarp(inst).length);
  });

  it("solves an asymmetric instance (directed edges)", async () => {
    const n = 8;
    const rng = new Random(11);
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : 1 + rng.int(100))));
    const cost = (t: number[]) => t.reduce((s, c, i) => s + m[c][t[(i + 1) % n]], 0);
    const opt = bruteForce(n, cost, 0, null);
    const r = await solveTsp(m, { method: "edge", maxEvaluations: 200, seed: 1 });
    expect(r.best!.cost).toBe(opt);
    expect(cost(r.best!.tour)).toBe(r.best!.cost);
  });

  it("solves open paths with a fixed start and end", async () => {
    const inst = randomInstance(8, 21);
    const n = 8;
    const d = inst.distances;
    const pathCost = (t: number[]) => {
      let s = 0;
      for (let i = 0; i < n - 1; i++) s += d[t[i] * n + t[i + 1]];
      return s;
    };
    const opt = bruteForce(n, pathCost, 2, 5);
    const r = await solveTsp(inst, { method: "edge", path: { start: 2, end: 5 }, maxEvaluations: 150, seed: 3 });
    expect(r.best!.tour[0]).toBe(2);
    expect(r.best!.tour[n - 1]).toBe(5);
    expect(r.best!.cost).toBe(opt);
    expect(pathCost(r.best!.tour)).toBe(r.best!.cost);
    // Free ends too.
    const free = await solveTsp(inst, { method: "edge", path: true, maxEvaluations: 200, seed: 3 });
    expect(free.best!.cost).toBe(bruteForce(n, pathCost, null, null));
  });

  it("refuses open paths for methods that cannot do them", async () => {
    await expect(solveTsp(randomInstance(6, 1), { method: "fma", path: true })).rejects.toThrow(/open paths .* method edge only/);
  });

  it("journal and resume work as for fma: same result, no extra cost calls", async () => {
    const inst = randomInstance(10, 8);
    const d = inst.distances;
    let calls = 0;
    const problem = {
      cities: 10,
      name: "r10",
      cost: (t: number[]) => {
        calls++;
        let s = 0;
        for (let i = 0; i < 10; i++) s += d[t[i] * 10 + t[(i + 1) % 10]];
        return s;
      },
    };
    const reference = await solveTsp(problem, { method: "edge", maxEvaluations: 50, seed: 4 });
    const total = calls;
    calls = 0;
    const journal = join(mkdtempSync(join(tmpdir(), "fmanneal-edge-")), "run.jsonl");
    const controller = new AbortController();
    const first = await solveTsp(problem, {
      method: "edge", maxEvaluations: 50, seed: 4, journal, signal: controller.signal,
      onProgress: (p) => { if (p.evaluations >= 23) controller.abort(); },
    });
    expect(first.stopReason).toBe("aborted");
    const resumed = await solveTsp(problem, { method: "edge", maxEvaluations: 50, seed: 4, journal, resume: true });
    expect(resumed.history.values).toEqual(reference.history.values);
    expect(resumed.best).toEqual(reference.best);
    expect(calls).toBe(total);
  });

  it("with interactions, fits an FM over pairs of edges and still finds good tours on a non-additive cost", async () => {
    const inst = randomInstance(9, 4);
    const { turnAngleCost } = await import("../../../src/tsp/example-costs.js");
    const cost = turnAngleCost(inst, 60);
    const r = await solveTsp({ cities: 9, cost }, { method: "edge", interactions: 4, maxEvaluations: 120, seed: 1 });
    const rs = await solveTsp({ cities: 9, cost }, { method: "random", maxEvaluations: 120, seed: 1 });
    expect(r.best!.cost).toBeLessThan(rs.best!.cost);
    expect(r.timings.train).toBeGreaterThan(0);
  });
});
