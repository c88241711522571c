import { lusolve } from "mathjs";
import { describe, expect, it } from "vitest";
import { FmModel, trainFm, UserError } from "../../src/index.js";
import { Random } from "../../src/util/random.js";
import { allBitVectors, plantedFm, rmse } from "./planted.js";

/** Least-squares fit of w0 + Σ w_i x_i (normal equations, tiny ridge for solvability), via mathjs. */
function linearFit(X: Uint8Array[], y: number[]): (x: Uint8Array) => number {
  const d = X[0].length + 1;
  const A = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const b = Array.from({ length: d }, () => [0]);
  for (let s = 0; s < X.length; s++) {
    const row = [1, ...X[s]];
    for (let i = 0; i < d; i++) {
      if (!row[i]) continue;
      b[i][0] += y[s];
      for (let j = 0; j < d; j++) A[i][j] += row[j];
    }
  }
  for (let i = 1; i < d; i++) A[i][i] += 1e-6;
  const beta = (lusolve(A, b) as number[][]).map((r) => r[0]);
  return (x) => beta[0] + Array.from(x).reduce((acc, xi, i) => acc + xi * beta[i + 1], 0);
}

/** Prediction from the definition: yMean + yStd (w0 + Σ w_i x_i + Σ_{i<j} <v_i, v_j> x_i x_j). */
function predictByDefinition(m: FmModel, x: ArrayLike<number>): number {
  const { n, k, w, V } = m;
  let f = m.w0;
  for (let i = 0; i < n; i++) {
    if (!x[i]) continue;
    f += w[i];
    for (let j = i + 1; j < n; j++) {
      if (!x[j]) continue;
      for (let g = 0; g < k; g++) f += V[i * k + g] * V[j * k + g];
    }
  }
  return m.yMean + m.yStd * f;
}

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * (1 + Math.abs(a) + Math.abs(b));

function randomData(n: number, count: number, seed: number, mean = 5, scale = 3) {
  const r = new Random(seed);
  const X: Uint8Array[] = [];
  const y: number[] = [];
  for (let s = 0; s < count; s++) {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = r.u32() & 1;
    X.push(x);
    y.push(mean + scale * r.normal());
  }
  return { X, y };
}

describe("trainFm on a planted FM", () => {
  it("recovers a rank-4 FM over 40 bits from 1000 samples: test RMSE <= 0.2 and below a linear fit", () => {
    const { X, y } = plantedFm(40, 4, 2000, 11, 0.1);
    const Xtr = X.slice(0, 1000), ytr = y.slice(0, 1000), Xte = X.slice(1000), yte = y.slice(1000);
    const model = trainFm(Xtr, ytr, { k: 4, seed: 3 });
    const fmRmse = rmse((x) => model.predict(x), Xte, yte);
    const linRmse = rmse(linearFit(Xtr, ytr), Xte, yte);
    expect(fmRmse).toBeLessThanOrEqual(0.2);
    expect(fmRmse).toBeLessThan(linRmse);
    expect(linRmse).toBeGreaterThan(0.3); // the pairwise part is not explainable linearly
    expect(model.report?.validationSamples).toBeGreaterThan(0);
    expect(model.report?.bestEpoch).toBeGreaterThan(0);
  });
});

describe("FmModel evaluation and QUBO forms", () => {
  const { X, y } = randomData(10, 200, 5);
  const model = trainFm(X, y, { k: 3, epochs: 30, seed: 9 });

  it("predict equals the pairwise definition (Rendle's identity) for all 2^10 inputs", () => {
    for (const x of allBitVectors(10)) expect(close(model.predict(x), predictByDefinition(model, x))).toBe(true);
  });

  it("factorized and dense QUBO energies equal the prediction for all 2^10 inputs", () => {
    const fq = model.toQubo();
    const dq = model.toDenseQubo();
    expect(fq.kind).toBe("factorized");
    expect(dq).toMatchObject({ kind: "dense", n: 10, triangular: true });
    const { n, k } = fq;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(dq.matrix[i * n + j]).toBe(0);
    for (const x of allBitVectors(10)) {
      // E(x) = c + Σ_i w_i x_i + Σ_{i<j} Q_ij x_i x_j  (docs/design.md, Definitions), Q_ij = <f_i, f_j> / matrix[i][j]
      let ef = fq.offset;
      let ed = dq.offset;
      for (let i = 0; i < n; i++) {
        if (!x[i]) continue;
        ef += fq.linear[i];
        ed += dq.matrix[i * n + i];
        for (let j = i + 1; j < n; j++) {
          if (!x[j]) continue;
          let q = 0;
          for (let f = 0; f < k; f++) q += fq.factors[i * k + f] * fq.factors[j * k + f];
          ef += q;
          ed += dq.matrix[i * n + j];
        }
      }
      const p = model.predict(x);
      expect(close(ef, p)).toBe(true);
      expect(close(ed, p)).toBe(true);
    }
  });

  it("the QUBO is in original units (offset near the target mean, not 0)", () => {
    expect(model.yStd).toBeGreaterThan(1);
    expect(Math.abs(model.toQubo().offset - 5)).toBeLessThan(3);
  });

  it("survives a JSON round trip bit for bit", () => {
    const copy = FmModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.packedParams()).toEqual(model.packedParams());
    for (const x of X.slice(0, 20)) expect(copy.predict(x)).toBe(model.predict(x));
    expect(copy.report).toEqual(model.report);
  });

  it("rejects malformed JSON with a clear message", () => {
    const json = model.toJSON();
    expect(() => FmModel.fromJSON({ ...json, format: "other" })).toThrow(/not an FM model JSON: format/);
    expect(() => FmModel.fromJSON({ ...json, V: json.V.slice(1) })).toThrow(/V must be an array of 30 numbers/);
    expect(() => FmModel.fromJSON({ ...json, w: [...json.w.slice(1), "x"] })).toThrow(/w\[9\] is x/);
    expect(() => FmModel.fromJSON(null)).toThrow(UserError);
  });

  it("predict checks its input", () => {
    expect(() => model.predict(new Uint8Array(9))).toThrow(/length 9, expected 10 bits/);
    expect(() => model.predict([0, 0, 2, 0, 0, 0, 0, 0, 0, 0])).toThrow(/holds 2 at bit 2/);
  });
});

describe("training behaviour", () => {
  it("is deterministic in the seed", () => {
    const { X, y } = randomData(12, 100, 1);
    const a = trainFm(X, y, { k: 2, epochs: 20, seed: 4 });
    const b = trainFm(X, y, { k: 2, epochs: 20, seed: 4 });
    const c = trainFm(X, y, { k: 2, epochs: 20, seed: 5 });
    expect(b.packedParams()).toEqual(a.packedParams());
    expect(c.packedParams()).not.toEqual(a.packedParams());
  });

  it("predicts in original units: affine targets give affine predictions", () => {
    const { X, y } = plantedFm(15, 2, 300, 2, 0.1);
    const a = trainFm(X, y, { k: 2, epochs: 5, seed: 1 });
    const b = trainFm(X, y.map((v) => 1000 + 50 * v), { k: 2, epochs: 5, seed: 1 });
    for (const x of X.slice(0, 20)) expect(close(b.predict(x), 1000 + 50 * a.predict(x), 1e-7)).toBe(true);
  });

  it("a warm start with no epochs predicts exactly like the model it starts from", () => {
    const { X, y } = plantedFm(20, 3, 400, 8, 0.1);
    const first = trainFm(X.slice(0, 100), y.slice(0, 100), { k: 3, epochs: 30, seed: 1 });
    // more data -> different mean/std -> the parameters must be re-expressed
    const again = trainFm(X, y.map((v) => 2 * v + 7), { k: 3, epochs: 0, warmStart: first });
    expect(again.yMean).not.toBe(first.yMean);
    for (const x of X.slice(0, 50)) expect(close(again.predict(x), first.predict(x))).toBe(true);
  });

  it("a warm start keeps improving and does not disturb the model it starts from", () => {
    const { X, y } = plantedFm(20, 3, 1400, 8, 0.1);
    const Xte = X.slice(1000), yte = y.slice(1000);
    const first = trainFm(X.slice(0, 300), y.slice(0, 300), { k: 3, seed: 1 });
    const before = first.packedParams().slice();
    const next = trainFm(X.slice(0, 1000), y.slice(0, 1000), { k: 3, seed: 2, warmStart: first });
    expect(first.packedParams()).toEqual(before);
    expect(rmse((x) => next.predict(x), Xte, yte)).toBeLessThan(rmse((x) => first.predict(x), Xte, yte));
  });

  it("holds out a validation share only when it has enough samples", () => {
    const small = randomData(8, 20, 2);
    const big = randomData(8, 500, 2);
    expect(trainFm(small.X, small.y, { k: 2, epochs: 3 }).report).toMatchObject({ validationSamples: 0, trainSamples: 20, validationRmse: null });
    const r = trainFm(big.X, big.y, { k: 2, epochs: 3 }).report!;
    expect(r.validationSamples).toBeGreaterThan(60);
    expect(r.validationSamples).toBeLessThan(140);
    expect(r.trainSamples + r.validationSamples).toBe(500);
    expect(trainFm(big.X, big.y, { k: 2, epochs: 3, validationShare: 0 }).report?.validationSamples).toBe(0);
  });

  it("stops on a plateau and honours the epoch limit", () => {
    const { X, y } = randomData(8, 300, 3);
    expect(trainFm(X, y, { k: 2, epochs: 7 }).report).toMatchObject({ epochs: 7, stopReason: "epochs" });
    const r = trainFm(X, y, { k: 2, epochs: 10_000, patience: 3, maxDecays: 0 }).report!;
    expect(r.stopReason).toBe("patience");
    expect(r.epochs).toBeLessThan(10_000);
  });

  it("accepts constant targets (std 0) and a single sample", () => {
    const { X } = randomData(6, 30, 4);
    const m = trainFm(X, X.map(() => 42), { k: 2, epochs: 20 });
    for (const x of X) expect(Math.abs(m.predict(x) - 42)).toBeLessThan(0.05);
    expect(trainFm([Uint8Array.of(1, 0)], [3], { epochs: 5 }).predict([1, 0])).toBeCloseTo(3, 6);
  });

  it("reports divergence as a UserError naming the learning rate", () => {
    const { X, y } = randomData(30, 100, 6);
    expect(() => trainFm(X, y, { learningRate: 1e300, validationShare: 0 })).toThrow(/diverged.*learningRate/);
  });
});

describe("input errors", () => {
  const X = [Uint8Array.of(0, 1, 1), Uint8Array.of(1, 0, 1)];
  const cases: [string, () => unknown, RegExp][] = [
    ["empty data", () => trainFm([], []), /at least one sample, got none/],
    ["mismatched lengths", () => trainFm(X, [1, 2, 3]), /got 2 samples but 3 targets/],
    ["NaN target", () => trainFm(X, [1, NaN]), /target 1 is NaN, expected a finite number/],
    ["Infinity target", () => trainFm(X, [Infinity, 1]), /target 0 is Infinity/],
    ["k = 0", () => trainFm(X, [1, 2], { k: 0 }), /option k must be an integer >= 1, got 0/],
    ["k = 1.5", () => trainFm(X, [1, 2], { k: 1.5 }), /option k must be an integer >= 1/],
    ["rank = 0", () => trainFm(X, [1, 2], { rank: 0 }), /option rank must be an integer >= 1, got 0/],
    ["k and rank differ", () => trainFm(X, [1, 2], { k: 2, rank: 3 }), /k \(2\) and rank \(3\) disagree/],
    ["sample of wrong length", () => trainFm([...X, Uint8Array.of(1, 1)], [1, 2, 3]), /sample 2 has length 2, expected 3 bits/],
    ["bit not 0/1", () => trainFm([[0, 1, 2]], [1]), /sample 0 holds 2 at bit 2, expected 0 or 1/],
    ["negative learning rate", () => trainFm(X, [1, 2], { learningRate: -1 }), /learningRate must be a finite number > 0/],
    ["validation share 1", () => trainFm(X, [1, 2], { validationShare: 1 }), /validationShare must be a number in \[0, 1\)/],
    ["batch size 0", () => trainFm(X, [1, 2], { batchSize: 0 }), /batchSize must be an integer >= 1 or Infinity/],
  ];
  for (const [name, run, message] of cases) {
    it(name, () => {
      expect(run).toThrow(UserError);
      expect(run).toThrow(message);
    });
  }

  it("warm start of another shape", () => {
    const m = trainFm(X, [1, 2], { k: 2, epochs: 1 });
    expect(() => trainFm([Uint8Array.of(1, 0)], [1], { k: 2, warmStart: m })).toThrow(/sample 0 has length 2, expected 3 bits/);
    expect(() => trainFm(X, [1, 2], { k: 3, warmStart: m })).toThrow(/warmStart has rank k = 2, but training asks for k = 3/);
    expect(() => trainFm(X, [1, 2], { warmStart: {} as FmModel })).toThrow(/warmStart must be an FmModel/);
  });

  it("toDenseQubo refuses huge n", () => {
    const m = new FmModel(5000, 1, new Float64Array(1 + 5000 + 5000));
    expect(() => m.toDenseQubo()).toThrow(/exceeds 4096, use toQubo\(\)/);
    expect(m.toQubo().n).toBe(5000);
  });
});
