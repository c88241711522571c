import { describe, expect, it } from "vitest";
import { defaultBetaRange, deltaRange, FACTORIZED_EXACT_WORK, factorizedDeltaRange, geometricSchedule, isingStats, quboFormBetaRange } from "../../src/anneal/schedule.js";
import { plainAlloc, prepareProblem } from "../../src/anneal/problem.js";
import { OptionError } from "../../src/util/errors.js";
import { wasmKernel } from "../../src/anneal/wasm.js";
import { factorizedToDense } from "../../src/qubo/convert.js";
import { maxCutToQubo, parseGset } from "../../src/qubo/gset.js";
import { randomDense, randomFactorized, randomSparse } from "../qubo/helpers.js";
import { denseToSparse, sparseToDense } from "../../src/qubo/convert.js";

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
  it("MaxCut triangle, by hand: Ising h_i = -2/2 + (2 + 2)/4 = 0, J_ij = 2/4; F_i = 1, m_i = 1/2 (3 variables)", () => {
    // x_i has linear -2 (two unit edges) and couplings 2 to both neighbours
    const q = maxCutToQubo(parseGset("3 3\n1 2 1\n2 3 1\n1 3 1\n"));
    expect(isingStats(prepareProblem(q, plainAlloc))).toEqual({ max: 1, min: 0.5, count: 3 });
    const [hot, cold] = defaultBetaRange(q);
    expect(hot).toBeCloseTo(Math.LN2 / 2, 15); // the largest flip (|dE| = 2: both edges) accepted with p = 1/2
    expect(cold).toBeCloseTo(Math.log(300), 15); // 3 exp(-cold * 1) = 1%: the smallest flip (|dE| = 1) taken with total p = 1%
    // the previous QUBO-form rule: maxDelta = 2 + 2 + 2, minDelta = 2
    expect(deltaRange(q)).toEqual({ max: 6, min: 2 });
    expect(quboFormBetaRange(q)).toEqual([Math.LN2 / 6, Math.log(100) / 2]);
  });

  it("neal's rule is the exact largest |dE| and the smallest coefficient on the Ising form (dense QUBO, by enumeration)", () => {
    const q = randomDense(8, 3, true);
    const p = prepareProblem(q, plainAlloc);
    const { max, min } = isingStats(p);
    // max over states of |dE_i| = 2 max F_i
    let maxDe = 0;
    for (let s = 0; s < 256; s++) {
      for (let i = 0; i < 8; i++) {
        let h = q.matrix[i * 8 + i];
        for (let j = 0; j < 8; j++) if (j !== i && (s >> j) & 1) h += i < j ? q.matrix[i * 8 + j] : q.matrix[j * 8 + i];
        maxDe = Math.max(maxDe, Math.abs(h));
      }
    }
    expect(2 * max).toBeCloseTo(maxDe, 12);
    // min: the smallest nonzero |lin_i/2 + sum_j Q_ij/4| or |Q_ij|/4
    let want = Infinity;
    for (let i = 0; i < 8; i++) {
      let h = q.matrix[i * 8 + i] / 2;
      for (let j = 0; j < 8; j++) if (j !== i) h += (i < j ? q.matrix[i * 8 + j] : q.matrix[j * 8 + i]) / 4;
      if (h !== 0) want = Math.min(want, Math.abs(h));
      for (let j = i + 1; j < 8; j++) if (q.matrix[i * 8 + j] !== 0) want = Math.min(want, Math.abs(q.matrix[i * 8 + j]) / 4);
    }
    expect(min).toBeCloseTo(want, 14);
  });

  it("weighted MaxCut: fields that cancel up to rounding count as zero", () => {
    // node 1's linear term sums its weights in file order (1, 0.3, 0.5, 0.1), the dense row in
    // column order (0.1, 0.3, 0.5, 1): h_1 = lin/2 + sum/4 comes out -1.1e-16, not 0
    const q = maxCutToQubo(parseGset("5 4\n1 5 1\n1 3 0.3\n1 4 0.5\n1 2 0.1\n"));
    const p = prepareProblem(sparseToDense(q), plainAlloc);
    const row = Array.from(p.J.subarray(0, 5)).reduce((a, b) => a + b, 0);
    expect(0.5 * p.lin[0] + 0.25 * row).not.toBe(0);
    expect(isingStats(p).min).toBeCloseTo(0.05, 15); // the smallest |J| = 2 * 0.1 / 4, not the rounding noise
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
