import { describe, expect, it } from "vitest";
import { anneal, annealWith, type AnnealResult } from "../../src/anneal/anneal.js";
import { quboEnergy } from "../../src/qubo/energy.js";
import { cutValue, maxCutToQubo, readGset } from "../../src/qubo/gset.js";
import type { Qubo } from "../../src/qubo/types.js";
import { bruteForceMin, close, randomDense, randomFactorized, randomSparse } from "../qubo/helpers.js";
import { chooseLayout, DENSE_SHARE, FORM_DENSE, FORM_FACTORIZED, FORM_SPARSE } from "../../src/anneal/problem.js";
import { sparseFromCouplings, sparseToDense } from "../../src/qubo/convert.js";
import { ProblemError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";

const KERNELS = ["wasm", "ts"] as const;

function forms(n: number, seed: number): [string, Qubo][] {
  return [
    ["dense triangular", randomDense(n, seed, true)],
    ["dense symmetric", randomDense(n, seed + 1, false)],
    ["sparse", randomSparse(n, seed + 2, 0.4)],
    ["factorized k=3", randomFactorized(n, 3, seed + 3)],
  ];
}

function scaleOf(q: Qubo): number {
  // a bound on |E|: the sum of absolute coefficients (used for the 1e-9 relative comparisons)
  let s = Math.abs(q.offset);
  if (q.kind === "dense") for (const v of q.matrix) s += Math.abs(v);
  else if (q.kind === "sparse") {
    for (const v of q.linear) s += Math.abs(v);
    for (const v of q.val) s += Math.abs(v);
  } else {
    for (const v of q.linear) s += Math.abs(v);
    for (const v of q.factors) s += v * v * q.n;
  }
  return s;
}

function expectConsistent(q: Qubo, res: AnnealResult) {
  const scale = scaleOf(q);
  expect(res.samples.length).toBe(res.energies.length);
  for (let i = 0; i < res.samples.length; i++) {
    expect(res.samples[i].length).toBe(q.n);
    for (const b of res.samples[i]) expect(b === 0 || b === 1).toBe(true);
    expect(close(res.energies[i], quboEnergy(q, res.samples[i]), scale)).toBe(true);
    if (i > 0) expect(res.energies[i]).toBeGreaterThanOrEqual(res.energies[i - 1]);
  }
}

describe("anneal finds the brute-force ground state (n <= 18)", () => {
  for (const n of [6, 12, 18]) {
    for (const [name, q] of forms(n, 100 + n)) {
      it(`${name}, n = ${n}`, () => {
        const truth = bruteForceMin(q);
        for (const kernel of KERNELS) {
          const res = anneal(q, { sweeps: 300, reads: 8, seed: n, kernel });
          expectConsistent(q, res);
          expect(res.reads).toBe(8);
          expect(res.interrupted).toBe(false);
          expect(close(res.energies[0], truth.energy, scaleOf(q))).toBe(true);
        }
      });
    }
  }
});

describe("wasm and TypeScript kernels are bit-identical", () => {
  for (const [name, q] of [...forms(30, 7), ["factorized k=8", randomFactorized(40, 8, 9)] as [string, Qubo], ["factorized k=5", randomFactorized(25, 5, 10)] as [string, Qubo]]) {
    it(name, () => {
      const opts = { sweeps: 200, reads: 5, seed: 42, sweepsPerBeta: 3 };
      const a = anneal(q, { ...opts, kernel: "wasm" });
      const b = anneal(q, { ...opts, kernel: "ts" });
      expect(a.energies).toEqual(b.energies);
      expect(a.samples).toEqual(b.samples);
      expectConsistent(q, a);
    });
  }

  it("the result does not depend on how the wasm run is split into calls", () => {
    const q = randomSparse(50, 3, 0.2);
    const opts = { sweeps: 100, reads: 4, seed: 5 };
    const whole = annealWith(q, opts, Infinity);
    for (const chunk of [1, 37, 1000]) {
      const parts = annealWith(q, opts, chunk);
      expect(parts.energies).toEqual(whole.energies);
      expect(parts.samples).toEqual(whole.samples);
    }
  });
});

describe("frozen sweeps", () => {
  // A sweep that rejects every flip without a draw leaves everything as it was, and so would any
  // colder sweep: the kernels skip those (native/anneal.c, "Frozen sweeps"). The cold tail must
  // change no result and cost no attempts; a hotter beta after it must run again.
  const base = Array.from({ length: 40 }, (_, t) => 0.01 * 500 ** (t / 39)); // 0.01 .. 5
  const cold = (m: number) => Array<number>(m).fill(1e9);
  for (const [name, q] of [...forms(30, 21), ["factorized k=8", randomFactorized(40, 8, 22)] as [string, Qubo]]) {
    it(`${name}: a long cold tail gives the result and the attempts of a short one`, () => {
      for (const kernel of KERNELS) {
        const long = anneal(q, { schedule: Float64Array.from([...base, ...cold(60)]), reads: 4, seed: 3, kernel });
        const short = anneal(q, { schedule: Float64Array.from([...base, ...cold(4)]), reads: 4, seed: 3, kernel });
        expect(long.samples).toEqual(short.samples);
        expect(long.energies).toEqual(short.energies);
        expect(long.attempts).toBe(short.attempts);
        expect(long.attempts).toBeLessThanOrEqual(4 * 44 * q.n);
        // chunked wasm calls keep the frozen beta: same result, same attempts
        if (kernel === "wasm") {
          const parts = annealWith(q, { schedule: Float64Array.from([...base, ...cold(60)]), reads: 4, seed: 3 }, 37);
          expect(parts.samples).toEqual(long.samples);
          expect(parts.attempts).toBe(long.attempts);
        }
      }
    });
  }

  it("a hotter beta after a frozen stretch runs again", () => {
    const q = randomFactorized(30, 4, 23);
    const after = [0, 0, 0]; // beta = 0 accepts every flip
    for (const kernel of KERNELS) {
      const long = anneal(q, { schedule: Float64Array.from([...base, ...cold(30), ...after]), reads: 3, seed: 4, kernel });
      const short = anneal(q, { schedule: Float64Array.from([...base, ...cold(4), ...after]), reads: 3, seed: 4, kernel });
      expect(long.samples).toEqual(short.samples);
      expect(long.attempts).toBe(short.attempts);
      // the three beta = 0 sweeps ran: the attempts count them
      const withoutHot = anneal(q, { schedule: Float64Array.from([...base, ...cold(30)]), reads: 3, seed: 4, kernel });
      expect(long.attempts - withoutHot.attempts).toBe(3 * 3 * q.n);
    }
  });

  it("a schedule that never freezes executes every attempt", () => {
    const q = randomDense(20, 24, true);
    const res = anneal(q, { schedule: Float64Array.from([0.1, 0.2, 0.3]), sweeps: 30, reads: 2, seed: 1 });
    expect(res.attempts).toBe(2 * 30 * 20);
  });
});

describe("dense couplings", () => {
  it("the sweeps use single-precision couplings, the reported energies are exact", () => {
    // couplings that single precision cannot hold exactly: 1 + 2^-40 rounds to 1
    const n = 6;
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) matrix[i * n + j] = (i + j) % 2 ? 1 + 2 ** -40 : -1 - 2 ** -41;
    for (let i = 0; i < n; i++) matrix[i * n + i] = 0.3;
    const q: Qubo = { kind: "dense", n, offset: 0, matrix, triangular: true };
    for (const kernel of KERNELS) {
      const res = anneal(q, { sweeps: 100, reads: 3, kernel });
      // single precision would lose the 2^-40 parts (~1e-12 each); the report keeps them
      for (let r = 0; r < res.samples.length; r++) expect(Math.abs(res.energies[r] - quboEnergy(q, res.samples[r]))).toBeLessThan(1e-14);
      expect(res.energies[0]).toBeCloseTo(bruteForceMin(q).energy, 9);
    }
  });
});

describe("factorized single precision", () => {
  it("the sweeps use single-precision factors and sums, the reported energies are exact", () => {
    // factors that single precision cannot hold exactly: 0.5 + 2^-40 rounds to 0.5
    const n = 10;
    const k = 3;
    const factors = Float64Array.from({ length: n * k }, (_, p) => ((p * 7) % 5 - 2) * (0.5 + 2 ** -40));
    const linear = Float64Array.from({ length: n }, (_, i) => ((i * 3) % 4) - 1.5 + 2 ** -41);
    const q: Qubo = { kind: "factorized", n, k, offset: 0, linear, factors };
    const truth = bruteForceMin(q);
    for (const kernel of KERNELS) {
      const res = anneal(q, { sweeps: 200, reads: 4, kernel });
      for (let r = 0; r < res.samples.length; r++) expect(Math.abs(res.energies[r] - quboEnergy(q, res.samples[r]))).toBeLessThan(1e-13);
      expect(res.energies[0]).toBeCloseTo(truth.energy, 9);
    }
  });

  it("refuses factors whose single-precision dot products could overflow", () => {
    const q: Qubo = { kind: "factorized", n: 2, k: 1, offset: 0, linear: new Float64Array(2), factors: Float64Array.of(2e19, 1) };
    expect(() => anneal(q)).toThrow(ProblemError);
    expect(() => anneal(q)).toThrow(/single-precision sums/);
    expect(() => anneal({ ...q, factors: Float64Array.of(1e39, 1) })).toThrow(/single-precision sums/);
    expect(() => anneal({ ...q, factors: Float64Array.of(1e9, 1) })).not.toThrow();
  });
});

describe("layouts", () => {
  // every input form annealed in every kernel layout: the brute-force ground state, and the wasm
  // and TypeScript kernels bit-identical in each
  for (const [name, q] of forms(12, 300)) {
    it(`${name} in the dense, sparse and auto layouts`, () => {
      const truth = bruteForceMin(q);
      for (const layout of ["dense", "sparse", "auto"] as const) {
        const opts = { sweeps: 200, reads: 6, seed: 5, layout };
        const a = anneal(q, { ...opts, kernel: "wasm" });
        const b = anneal(q, { ...opts, kernel: "ts" });
        expect(a.samples).toEqual(b.samples);
        expect(a.energies).toEqual(b.energies);
        expectConsistent(q, a);
        expect(close(a.energies[0], truth.energy, scaleOf(q))).toBe(true);
      }
    });
  }

  it("auto: dense from n^2/6 couplings on (sparse or dense input), sparse below, factorized stays factorized", () => {
    const n = 60;
    const atShare = (share: number) => {
      const r = new Random(share * 1000);
      const m = Math.ceil(share * n * n);
      const pairs = new Set<number>();
      while (pairs.size < m) {
        const i = r.int(n);
        const j = r.int(n);
        if (i !== j) pairs.add(Math.min(i, j) * n + Math.max(i, j));
      }
      const from = [...pairs].map((p) => Math.floor(p / n));
      const to = [...pairs].map((p) => p % n);
      return sparseFromCouplings(n, new Float64Array(n).fill(-1), from, to, from.map(() => 1 + r.float()));
    };
    expect(chooseLayout(atShare(DENSE_SHARE))).toBe(FORM_DENSE);
    expect(chooseLayout(atShare(DENSE_SHARE * 0.9))).toBe(FORM_SPARSE);
    expect(chooseLayout(sparseToDense(atShare(DENSE_SHARE)))).toBe(FORM_DENSE);
    expect(chooseLayout(sparseToDense(atShare(DENSE_SHARE * 0.9)))).toBe(FORM_SPARSE);
    expect(chooseLayout(randomFactorized(n, 4, 1))).toBe(FORM_FACTORIZED);
    expect(chooseLayout(randomFactorized(n, 4, 1), "dense")).toBe(FORM_DENSE);
    expect(chooseLayout(randomDense(n, 1), "sparse")).toBe(FORM_SPARSE);
    expect(() => anneal(randomDense(4, 1), { layout: "csr" as "auto" })).toThrow(/layout must be/);
    expect(() => anneal(randomDense(4, 1), { layout: "csr" as "auto" })).toThrow(expect.objectContaining({ name: "OptionError", option: "layout" }));
  });

  it("refuses coefficients beyond the single-precision fields", () => {
    const s: Qubo = { kind: "sparse", n: 2, offset: 0, linear: Float64Array.of(0, 0), rowPtr: Int32Array.of(0, 1, 2), col: Int32Array.of(1, 0), val: Float64Array.of(1e39, 1e39) };
    expect(() => anneal(s)).toThrow(/below 3.4e38/);
    expect(() => anneal({ ...s, linear: Float64Array.of(3e38, 0), val: Float64Array.of(1, 1) })).toThrow(/single-precision local fields/);
    expect(() => anneal({ ...s, linear: Float64Array.of(3e38, 0), val: Float64Array.of(1, 1) })).toThrow(ProblemError);
  });
});

describe("seeds", () => {
  const q = randomDense(40, 11);
  it("same seed -> identical samples; other seeds -> other samples", () => {
    const a = anneal(q, { sweeps: 20, reads: 4, seed: 1 });
    const b = anneal(q, { sweeps: 20, reads: 4, seed: 1 });
    expect(b.samples).toEqual(a.samples);
    expect(b.energies).toEqual(a.energies);
    const c = anneal(q, { sweeps: 20, reads: 4, seed: 2 });
    expect(c.samples).not.toEqual(a.samples);
    // different reads of one run start from different random states
    const zero = anneal(q, { sweeps: 0, reads: 4, seed: 1 });
    expect(new Set(zero.samples.map((s) => s.join(""))).size).toBe(4);
  });

  it("large and fractional seeds are folded to 32 bits deterministically", () => {
    const a = anneal(q, { sweeps: 5, reads: 2, seed: 2 ** 40 + 3.7 });
    const b = anneal(q, { sweeps: 5, reads: 2, seed: 2 ** 40 + 3.2 });
    expect(a.samples).toEqual(b.samples);
  });
});

describe("edge cases", () => {
  it("zero sweeps: the random initial states, with their exact energies", () => {
    const q = randomFactorized(10, 2, 1);
    for (const kernel of KERNELS) {
      const res = anneal(q, { sweeps: 0, reads: 3, kernel });
      expect(res.reads).toBe(3);
      expect(res.sweeps).toBe(0);
      expectConsistent(q, res);
    }
  });

  it("given initial states with zero sweeps come back unchanged", () => {
    const q = randomSparse(5, 2);
    const init = [Uint8Array.of(1, 0, 1, 0, 1), Uint8Array.of(0, 0, 0, 1, 1)];
    const res = anneal(q, { sweeps: 0, reads: 2, initialStates: init });
    const got = res.samples.map((s) => Array.from(s)).sort();
    expect(got).toEqual(init.map((s) => Array.from(s)).sort());
  });

  it("initial states at the ground state stay there when cold", () => {
    const q = randomDense(12, 5);
    const truth = bruteForceMin(q);
    const res = anneal(q, { sweeps: 10, reads: 2, schedule: Float64Array.of(1e6), initialStates: [truth.state] });
    expect(close(res.energies[0], truth.energy)).toBe(true);
  });

  it("n = 0: every read is the empty state with energy = offset", () => {
    const q: Qubo = { kind: "sparse", n: 0, offset: 3, linear: new Float64Array(0), rowPtr: Int32Array.of(0), col: new Int32Array(0), val: new Float64Array(0) };
    for (const kernel of KERNELS) {
      const res = anneal(q, { reads: 3, kernel });
      expect(res.reads).toBe(3);
      expect(res.energies).toEqual([3, 3, 3]);
      expect(res.samples.every((s) => s.length === 0)).toBe(true);
    }
  });

  it("n = 1 finds the better of the two states", () => {
    for (const [w, want] of [[-2, 1], [2, 0]] as const) {
      const q: Qubo = { kind: "dense", n: 1, offset: 0, matrix: Float64Array.of(w), triangular: true };
      for (const kernel of KERNELS) {
        const res = anneal(q, { sweeps: 50, reads: 2, kernel });
        expect(Array.from(res.samples[0])).toEqual([want]);
        expect(res.energies[0]).toBe(Math.min(0, w));
      }
    }
  });

  it("a problem with all coefficients zero", () => {
    const q: Qubo = { kind: "factorized", n: 4, k: 2, offset: 1, linear: new Float64Array(4), factors: new Float64Array(8) };
    const res = anneal(q, { sweeps: 10, reads: 2 });
    expect(res.energies).toEqual([1, 1]);
  });

  it("reads = 0 returns nothing", () => {
    const res = anneal(randomDense(4, 1), { reads: 0 });
    expect(res.samples).toEqual([]);
    expect(res.reads).toBe(0);
  });

  it("rejects bad options and malformed QUBOs", () => {
    const q = randomDense(4, 1);
    expect(() => anneal(q, { sweeps: -1 })).toThrow(/sweeps must be an integer >= 0/);
    expect(() => anneal(q, { reads: 1.5 })).toThrow(/reads must be an integer/);
    expect(() => anneal(q, { sweepsPerBeta: 0 })).toThrow(/sweepsPerBeta/);
    expect(() => anneal(q, { seed: NaN })).toThrow(/seed/);
    expect(() => anneal(q, { betaRange: [0, 1] })).toThrow(/positive/);
    expect(() => anneal(q, { schedule: Float64Array.of(NaN) })).toThrow(/schedule/);
    expect(() => anneal(q, { timeLimit: -1 })).toThrow(/timeLimit/);
    expect(() => anneal(q, { initialStates: [[1, 0]] })).toThrow(/initialStates\[0\] has 2 entries/);
    expect(() => anneal(q, { kernel: "gpu" as "ts" })).toThrow(/kernel/);
    expect(() => anneal({ ...q, matrix: new Float64Array(3) })).toThrow(/matrix has 3 entries/);
    expect(() => anneal({ ...q, matrix: Float64Array.of(1, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) })).toThrow(/finite/);
    expect(() => anneal({ ...q, matrix: Float64Array.of(1, 1e39, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) })).toThrow(/below 3.4e38/);
    const s = randomSparse(4, 1, 1);
    expect(() => anneal({ ...s, col: Int32Array.from(s.col, () => 0) })).toThrow(/row 0 has column 0/);
  });
});

describe("interrupts", () => {
  const q = randomSparse(200, 1, 0.05);
  for (const kernel of KERNELS) {
    it(`${kernel}: a deadline in the past stops before any sweep and reports the running read's state`, () => {
      const res = anneal(q, { sweeps: 1000, reads: 5, deadline: performance.now() - 1, kernel });
      expect(res.interrupted).toBe(true);
      expect(res.reads).toBe(0);
      expect(res.samples.length).toBe(1);
      expectConsistent(q, res);
    });

    it(`${kernel}: a time limit returns the finished reads only`, () => {
      // 100 reads of 5e6 attempts each cannot all finish in 50 ms on any machine
      const big = randomSparse(1000, 2, 0.01);
      const res = anneal(big, { sweeps: 5000, reads: 100, timeLimit: 0.05, kernel });
      expect(res.interrupted).toBe(true);
      expect(res.reads).toBeLessThan(100);
      expect(res.samples.length).toBe(Math.max(1, res.reads));
      expectConsistent(big, res);
    });
  }

  it("a generous deadline does not interrupt", () => {
    const res = anneal(q, { sweeps: 10, reads: 2, timeLimit: 600 });
    expect(res.interrupted).toBe(false);
    expect(res.reads).toBe(2);
  });
});

describe("MaxCut G1", () => {
  it("1000 sweeps x 4 reads cut at least 11500 (best known 11624)", () => {
    const g = readGset("problems/gset/G1.txt");
    const res = anneal(maxCutToQubo(g), { sweeps: 1000, reads: 4, seed: 3 });
    const cut = cutValue(g, res.samples[0]);
    expect(cut).toBe(-res.energies[0]);
    expect(cut).toBeGreaterThanOrEqual(11500);
    expect(cut).toBeLessThanOrEqual(11624);
  });
});
