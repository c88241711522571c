import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createLabeling } from "../../src/labelings/registry.js";
import { normalizeProblem } from "../../src/loop/problem.js";
import { solveTsp } from "../../src/methods/solve.js";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { validateTour } from "../../src/tsp/tour.js";
import { readTsplib } from "../../src/tsp/tsplib.js";
import { ProblemError } from "../../src/util/errors.js";

/**
 * solveTsp on a TSPLIB ATSP instance (br17, optimum 39). The truth: Held-Karp on the directed
 * matrix (test/tsp/heldKarp.test.ts checks it against brute force on asymmetric matrices) and
 * tour lengths summed over the raw matrix text of the file.
 */

const FILE = "problems/tsplib/br17.atsp";
const br17 = readTsplib(FILE);
const n = br17.dimension;
const raw = readFileSync(FILE, "utf8").split("EDGE_WEIGHT_SECTION")[1].split("EOF")[0].trim().split(/\s+/).map(Number);
const rawLength = (t: number[]) => t.reduce((s, c, i) => s + raw[c * n + t[(i + 1) % n]], 0);
const OPTIMUM = heldKarp(br17).length;

describe("solveTsp on br17.atsp", () => {
  it("the problem is normalised as asymmetric, with the directed length as its cost", () => {
    expect(OPTIMUM).toBe(39);
    const p = normalizeProblem(br17);
    expect(p.symmetric).toBe(false);
    const t = Array.from({ length: n }, (_, i) => i);
    expect(p.cost(t)).toBe(rawLength(t));
    expect(p.cost(t.slice().reverse())).toBe(rawLength(t.slice().reverse()));
    expect(rawLength(t)).not.toBe(rawLength(t.slice().reverse()));
  });

  for (const [method, maxEvaluations] of [["random", 300], ["sa-2opt", 300], ["edge", 60], ["fma", 60]] as const) {
    it(`${method}: a valid tour whose reported cost is its directed length, never below the optimum`, async () => {
      const r = await solveTsp(br17, { method, maxEvaluations, seed: 3 });
      expect(r.evaluations).toBe(maxEvaluations);
      validateTour(r.best!.tour, n);
      expect(r.best!.tour[0]).toBe(0);
      expect(r.best!.cost).toBe(rawLength(r.best!.tour));
      expect(r.best!.cost).toBeGreaterThanOrEqual(OPTIMUM);
    }, 60_000);
  }

  it("sa-2opt reaches the optimum 39 within 1000 evaluations for some seed of 1..5", async () => {
    const best: number[] = [];
    for (let seed = 1; seed <= 5; seed++) best.push((await solveTsp(br17, { method: "sa-2opt", maxEvaluations: 1000, seed })).best!.cost);
    expect(Math.min(...best)).toBe(OPTIMUM);
  }, 60_000);

  it("fma treats tours as directed: a tour and its reverse are two codes, each decoding to its own direction", () => {
    const gray = createLabeling("gray", n);
    const t = Array.from({ length: n }, (_, i) => i);
    const back = [0, ...t.slice(1).reverse()];
    const a = gray.encode(t);
    const b = gray.encode(back);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(gray.decode(a)).toEqual(t);
    expect(gray.decode(b)).toEqual(back);
    expect(rawLength(t)).not.toBe(rawLength(back));
  });

  it("fma's evaluated tours are costed in the direction decoded (a callback sees them as given)", async () => {
    const seen: number[][] = [];
    const r = await solveTsp(
      { cities: n, symmetric: false, cost: (t) => (seen.push(t.slice()), rawLength(t)) },
      { method: "fma", maxEvaluations: 40, seed: 1 },
    );
    expect(r.best!.cost).toBe(rawLength(r.best!.tour));
    expect(r.best!.cost).toBe(Math.min(...seen.map(rawLength)));
    for (const t of seen) validateTour(t, n);
  }, 60_000);

  it("penalty-qubo refuses the asymmetric instance with one clear line", async () => {
    await expect(solveTsp(br17, { method: "penalty-qubo" })).rejects.toThrow(ProblemError);
    await expect(solveTsp(br17, { method: "penalty-qubo" })).rejects.toThrow(/^method penalty-qubo handles symmetric distances only$/);
  });
});
