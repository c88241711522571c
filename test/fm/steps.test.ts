import { describe, expect, it } from "vitest";
import { FmModel, trainFm, UserError } from "../../src/index.js";
import { Random } from "../../src/util/random.js";

// The FM option `steps`: a fixed number of Adam steps, the newest training sample in every batch.

function randomBits(n: number, count: number, seed: number): Uint8Array[] {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = r.u32() & 1;
    return x;
  });
}

/** Σ (prediction − target)² of the model with packed parameters P: the training loss up to a positive factor. */
function sse(n: number, k: number, P: Float64Array, yMean: number, yStd: number, X: Uint8Array[], y: number[]): number {
  const m = new FmModel(n, k, P, yMean, yStd);
  return X.reduce((acc, x, s) => acc + (m.predict(x) - y[s]) ** 2, 0);
}

describe("trainFm with steps", () => {
  it("one full-batch step from a warm start moves each parameter by the learning rate against its finite-difference gradient", () => {
    const n = 6, k = 2, lr = 1e-3;
    const X = randomBits(n, 12, 1);
    const r = new Random(2);
    const y = X.map(() => 10 + r.normal());
    const first = trainFm(X, y, { k, epochs: 30, validationShare: 0, seed: 1 });
    const next = trainFm(X, y, { k, steps: 1, batchSize: Infinity, learningRate: lr, l2w: 0, l2v: 0, validationShare: 0, warmStart: first });
    // Same data: same standardisation, so the warm start begins at first's parameters (up to rounding).
    expect(next.yMean).toBe(first.yMean);
    expect(next.yStd).toBe(first.yStd);
    const P0 = first.packedParams();
    const P1 = next.packedParams();
    let checked = 0;
    for (let j = 0; j < P0.length; j++) {
      const h = 1e-6;
      const up = P0.slice(), down = P0.slice();
      up[j] += h;
      down[j] -= h;
      const grad = (sse(n, k, up, first.yMean, first.yStd, X, y) - sse(n, k, down, first.yMean, first.yStd, X, y)) / (2 * h);
      if (Math.abs(grad) < 1e-4) continue; // too flat to tell the sign from the differences
      // Adam's first bias-corrected step is lr · g / (|g| + eps) = lr · sign(g).
      expect(P1[j] - P0[j]).toBeCloseTo(-lr * Math.sign(grad), 6);
      checked++;
    }
    expect(checked).toBeGreaterThan(P0.length / 2);
    expect(next.report).toMatchObject({ epochs: 0, steps: 1, bestEpoch: 0, stopReason: "epochs", trainSamples: 12 });
  });

  it("puts the newest sample in every batch: with batch size 1 only it is fitted", () => {
    const n = 8, k = 2;
    const X = randomBits(n, 8, 3);
    // Integer targets with an integer mean: the standardisation is exact whatever their order.
    const y = [3, 9, 4, 7, 1, 6, 2, 8];
    const swapped = [9, 3, 4, 7, 1, 6, 2, 8]; // two older targets exchanged
    const warm = trainFm(X.slice(0, 7), y.slice(0, 7), { k, epochs: 50, validationShare: 0, seed: 4 });
    const opts = { k, steps: 40, batchSize: 1, learningRate: 0.01, validationShare: 0, seed: 5, warmStart: warm };
    const a = trainFm(X, y, opts);
    const b = trainFm(X, swapped, opts);
    expect(b.packedParams()).toEqual(a.packedParams());
    // ... and it is fitted: the newest prediction moves most of the way to its target.
    const newest = X[7];
    expect(Math.abs(a.predict(newest) - 8)).toBeLessThan(0.5 * Math.abs(warm.predict(newest) - 8));
    // With room for one more sample per batch the older targets do enter.
    const c = trainFm(X, y, { ...opts, batchSize: 2 });
    const d = trainFm(X, swapped, { ...opts, batchSize: 2 });
    expect(d.packedParams()).not.toEqual(c.packedParams());
  });

  it("is deterministic in the seed, and the seed matters once batches are drawn", () => {
    const X = randomBits(10, 200, 6);
    const y = X.map((x) => x.reduce((a, b, i) => a + b * (i % 3), 0));
    const warm = trainFm(X, y, { k: 3, epochs: 5, seed: 1 });
    const opts = { k: 3, steps: 15, batchSize: 16, validationShare: 0, warmStart: warm };
    const a = trainFm(X, y, { ...opts, seed: 7 });
    const b = trainFm(X, y, { ...opts, seed: 7 });
    const c = trainFm(X, y, { ...opts, seed: 8 });
    expect(b.packedParams()).toEqual(a.packedParams());
    expect(c.packedParams()).not.toEqual(a.packedParams());
    expect(a.report).toMatchObject({ steps: 15, epochs: 0, trainSamples: 200, validationSamples: 0, validationRmse: null });
  });

  it("keeps the validation split out of training and reports its RMSE", () => {
    const X = randomBits(8, 300, 9);
    const y = X.map((x) => x.reduce((a, b) => a + b, 0));
    const r = trainFm(X, y, { k: 2, steps: 5 }).report!;
    expect(r.validationSamples).toBeGreaterThan(30);
    expect(r.trainSamples + r.validationSamples).toBe(300);
    expect(r.validationRmse).not.toBeNull();
  });

  it("counts the steps of epoch training too", () => {
    const X = randomBits(8, 100, 10);
    const y = X.map((x) => x[0] + 2 * x[1]);
    // 100 samples in batches of 64: 2 steps per epoch.
    expect(trainFm(X, y, { k: 2, epochs: 3, batchSize: 64, validationShare: 0, patience: 100 }).report).toMatchObject({ epochs: 3, steps: 6 });
  });

  it("reports divergence as a UserError naming the learning rate", () => {
    const X = randomBits(30, 100, 11);
    const y = X.map((x) => x.reduce((a, b) => a + b, 0) + (x[0] ? 5 : 0));
    expect(() => trainFm(X, y, { steps: 20, learningRate: 1e300, validationShare: 0 })).toThrow(/diverged.*learningRate/);
  });

  it("rejects a steps value that is not a non-negative integer", () => {
    const X = [Uint8Array.of(0, 1), Uint8Array.of(1, 0)];
    for (const steps of [-1, 2.5, NaN]) {
      expect(() => trainFm(X, [1, 2], { steps })).toThrow(UserError);
      expect(() => trainFm(X, [1, 2], { steps })).toThrow(/FM option steps must be an integer >= 0/);
    }
  });
});
