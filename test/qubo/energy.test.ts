import { describe, expect, it } from "vitest";
import { quboEnergy } from "../../src/qubo/energy.js";
import { denseToSparse, factorizedToDense, sparseToDense, toDense, sparseFromCouplings } from "../../src/qubo/convert.js";
import type { DenseQubo } from "../../src/qubo/types.js";
import { Random } from "../../src/util/random.js";
import { close, naiveEnergy, randomDense, randomFactorized, randomSparse, randomState } from "./helpers.js";

describe("quboEnergy", () => {
  it("matches the textbook double sum for every form", () => {
    const r = new Random(5);
    const qubos = [randomDense(9, 1, true), randomDense(9, 2, false), randomSparse(11, 3), randomFactorized(10, 3, 4)];
    for (const q of qubos) {
      for (let t = 0; t < 30; t++) {
        const x = randomState(q.n, r);
        expect(close(quboEnergy(q, x), naiveEnergy(q, x))).toBe(true);
      }
    }
  });

  it("a hand-computed 2-variable example, both dense conventions", () => {
    const tri: DenseQubo = { kind: "dense", n: 2, offset: 1, triangular: true, matrix: Float64Array.of(-1, 2, 7, -1) };
    expect(quboEnergy(tri, [1, 1])).toBe(1); // 1 - 1 - 1 + 2, lower 7 ignored
    const sym: DenseQubo = { ...tri, triangular: false };
    expect(quboEnergy(sym, [1, 1])).toBe(8); // 1 - 1 - 1 + 2 + 7
    expect(quboEnergy(sym, [0, 0])).toBe(1);
  });

  it("rejects a state of the wrong length", () => {
    expect(() => quboEnergy(randomDense(3, 1), [1, 0])).toThrow(/2 entries.*3 variables/);
  });

  it("n = 0 gives the offset", () => {
    expect(quboEnergy({ kind: "dense", n: 0, offset: 2.5, matrix: new Float64Array(0), triangular: true }, [])).toBe(2.5);
  });
});

describe("conversions preserve the energy of every state", () => {
  const r = new Random(9);
  it("dense <-> sparse, factorized -> dense", () => {
    const d = randomDense(8, 7, false);
    const s = denseToSparse(d);
    const d2 = sparseToDense(s);
    const f = randomFactorized(8, 4, 8);
    const fd = factorizedToDense(f);
    for (let t = 0; t < 50; t++) {
      const x = randomState(8, r);
      expect(close(quboEnergy(s, x), quboEnergy(d, x))).toBe(true);
      expect(close(quboEnergy(d2, x), quboEnergy(d, x))).toBe(true);
      expect(close(quboEnergy(toDense(d), x), quboEnergy(d, x))).toBe(true);
      expect(close(quboEnergy(fd, x), naiveEnergy(f, x))).toBe(true);
    }
  });

  it("denseToSparse drops zero couplings and sorts rows", () => {
    const s = denseToSparse({ kind: "dense", n: 3, offset: 0, triangular: true, matrix: Float64Array.of(1, 0, 3, 0, 2, 0, 0, 0, 0) });
    expect(Array.from(s.rowPtr)).toEqual([0, 1, 1, 2]);
    expect(Array.from(s.col)).toEqual([2, 0]);
    expect(Array.from(s.val)).toEqual([3, 3]);
  });

  it("sparseFromCouplings adds duplicates and refuses self-couplings", () => {
    const s = sparseFromCouplings(2, new Float64Array(2), [0, 1], [1, 0], [1, 2]);
    expect(quboEnergy(s, [1, 1])).toBe(3);
    expect(() => sparseFromCouplings(2, new Float64Array(2), [1], [1], [1])).toThrow(/itself/);
  });
});
