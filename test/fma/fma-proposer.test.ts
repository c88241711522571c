import { describe, expect, it } from "vitest";
import { rankedCandidates } from "../../src/fma/fma-proposer.js";
import { solveTsp } from "../../src/fma/solve.js";
import { quboEnergy } from "../../src/qubo/energy.js";
import type { FactorizedQubo } from "../../src/qubo/types.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { Random } from "../../src/util/random.js";

describe("rankedCandidates (the flips option)", () => {
  it("lists each distinct read and its n single-bit flips once per read, with their exact energies, in ascending order", () => {
    const r = new Random(4);
    const n = 9, k = 3;
    const qubo: FactorizedQubo = {
      kind: "factorized",
      n,
      k,
      offset: 2.5,
      linear: Float64Array.from({ length: n }, () => r.normal()),
      factors: Float64Array.from({ length: n * k }, () => r.normal()),
    };
    const a = Uint8Array.from({ length: n }, () => r.int(2));
    const b = Uint8Array.from({ length: n }, () => r.int(2));
    const reads = [a, b, a.slice()]; // a duplicate read counts once
    const out = rankedCandidates(qubo, reads, reads.map((x) => quboEnergy(qubo, x)));
    expect(out).toHaveLength(2 * (1 + n));
    for (const c of out) expect(c.energy).toBeCloseTo(quboEnergy(qubo, c.code), 9);
    for (let i = 1; i < out.length; i++) expect(out[i].energy).toBeGreaterThanOrEqual(out[i - 1].energy);
    // Every code is one of the reads or at Hamming distance 1 from one.
    const dist = (x: Uint8Array, y: Uint8Array) => x.reduce((s, v, i) => s + (v ^ y[i]), 0);
    for (const c of out) expect(Math.min(dist(c.code, a), dist(c.code, b))).toBeLessThanOrEqual(1);
  });
});

describe("solveTsp fma with flips off (the paper's selection)", () => {
  it("runs to budget with valid results and differs from the default", async () => {
    const inst = randomInstance(8, 12);
    const plain = await solveTsp(inst, { maxEvaluations: 80, seed: 3, flips: false });
    const ranked = await solveTsp(inst, { maxEvaluations: 80, seed: 3 });
    expect(plain.evaluations).toBe(80);
    expect(ranked.evaluations).toBe(80);
    expect(plain.history.values).not.toEqual(ranked.history.values);
  });
});
