import { describe, expect, it } from "vitest";
import { defaultBetaRange, deltaRange, FACTORIZED_EXACT_WORK, factorizedDeltaRange, geometricSchedule } from "../../src/anneal/schedule.js";
import { OptionError } from "../../src/util/errors.js";
import { wasmKernel } from "../../src/anneal/wasm.js";
import { factorizedToDense } from "../../src/qubo/convert.js";
import { maxCutToQubo, parseGset } from "../../src/qubo/gset.js";
import { randomFactorized, randomSparse } from "../qubo/helpers.js";
import { denseToSparse } from "../../src/qubo/convert.js";

describe("geometricSchedule", () => {
  it("runs from hot to cold with a constant ratio", () => {
    const s = geometricSchedule(0.1, 10, 5);
    expect(s[0]).toBe(0.1);
    expect(s[4]).toBe(10);
    for (let t = 1; t < 5; t++) expect(s[t] / s[t - 1]).toBeCloseTo(Math.sqrt(10), 12);
    expect(Array.from(geometricSchedule(0.1, 10, 1))).toEqual([10]);
    expect(geometricSchedule(0.1, 10, 0).length).toBe(0);
  });

  it("rejects non-positive betas and bad counts", () => {
    expect(() => geometricSchedule(0, 1, 3)).toThrow(OptionError);
    expect(() => geometricSchedule(1, Infinity, 3)).toThrow(OptionError);
    expect(() => geometricSchedule(1, 2, 1.5)).toThrow(OptionError);
  });
});

describe("defaultBetaRange", () => {
  it("MaxCut triangle: maxDelta = 2 + 2 + 2, minDelta = 2 (by hand)", () => {
    // x_i has linear -2 (two unit edges) and couplings 2 to both neighbours
    const q = maxCutToQubo(parseGset("3 3\n1 2 1\n2 3 1\n1 3 1\n"));
    expect(deltaRange(q)).toEqual({ max: 6, min: 2 });
    const [hot, cold] = defaultBetaRange(q);
    expect(hot).toBeCloseTo(Math.LN2 / 6, 15);
    expect(cold).toBeCloseTo(Math.log(100) / 2, 15);
  });

  it("is the same for one problem in the dense and sparse forms", () => {
    const s = randomSparse(20, 4, 0.3);
    const d = { kind: "dense" as const, n: 20, offset: 0, matrix: new Float64Array(400), triangular: true };
    for (let i = 0; i < 20; i++) {
      d.matrix[i * 20 + i] = s.linear[i];
      for (let p = s.rowPtr[i]; p < s.rowPtr[i + 1]; p++) if (s.col[p] > i) d.matrix[i * 20 + s.col[p]] += s.val[p];
    }
    const a = deltaRange(s);
    const b = deltaRange(d);
    expect(b.max).toBeCloseTo(a.max, 12);
    expect(b.min).toBeCloseTo(a.min, 12);
    expect(deltaRange(denseToSparse(d)).max).toBeCloseTo(a.max, 12);
  });

  it("factorized: exact for small n (equals its dense form)", () => {
    const f = randomFactorized(30, 4, 2);
    const a = deltaRange(f);
    const b = deltaRange(factorizedToDense(f));
    expect(a.max).toBeCloseTo(b.max, 10);
    expect(a.min).toBeCloseTo(b.min, 10);
  });

  it("factorized: the wasm statistics equal the TypeScript mirror bit for bit", () => {
    const { exports: w, arena } = wasmKernel();
    for (const [n, k] of [[1, 3], [7, 1], [25, 5], [60, 8], [33, 16]]) {
      const f = randomFactorized(n, k, n + k);
      arena.begin(8 * (n * k + 2 * n + 2) + 64);
      const V = arena.f64(n * k);
      const lin = arena.f64(n);
      const rowSum = arena.f64(n);
      const out = arena.f64(2);
      V.set(f.factors);
      lin.set(f.linear);
      w.fm_factorized_delta_range(n, k, V.byteOffset, lin.byteOffset, rowSum.byteOffset, out.byteOffset);
      expect([out[0], out[1]]).toEqual(Object.values(factorizedDeltaRange(n, k, f.factors, f.linear)));
    }
  });

  it("factorized above the exact limit: a bound that never starts colder, a sampled minimum", () => {
    const k = 8;
    const n = Math.ceil(Math.sqrt((2 * FACTORIZED_EXACT_WORK) / k)) + 8;
    const f = randomFactorized(n, k, 3);
    const est = deltaRange(f);
    // exact values by brute force over all pairs
    let max = 0;
    let min = Infinity;
    const rowSum = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rowSum[i] += Math.abs(f.linear[i]);
      if (f.linear[i] !== 0) min = Math.min(min, Math.abs(f.linear[i]));
      for (let j = i + 1; j < n; j++) {
        let d = 0;
        for (let g = 0; g < k; g++) d += f.factors[i * k + g] * f.factors[j * k + g];
        rowSum[i] += Math.abs(d);
        rowSum[j] += Math.abs(d);
        if (d !== 0) min = Math.min(min, Math.abs(d));
      }
    }
    for (const s of rowSum) max = Math.max(max, s);
    expect(est.max).toBeGreaterThanOrEqual(max * (1 - 1e-12));
    expect(est.max).toBeLessThan(5 * max);
    expect(est.min).toBeGreaterThanOrEqual(min);
  });

  it("a problem without nonzero coefficients gets [1, 1]", () => {
    expect(defaultBetaRange({ kind: "factorized", n: 3, k: 1, offset: 2, linear: new Float64Array(3), factors: new Float64Array(3) })).toEqual([1, 1]);
  });
});
