import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FmTrainer, trainFm, UserError } from "../../src/index.js";
import { plantedFm } from "./planted.js";

// The pool runs dist/fm/train-worker.js (built by `npm test`'s pretest), the in-thread path the
// TypeScript source: bit-identical results also show that dist/ matches the source.

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe("FmTrainer", () => {
  const pooled = new FmTrainer({ threads: 2 });
  const local = new FmTrainer({ threads: 0 });
  afterAll(async () => {
    await pooled.close();
    await local.close();
  });

  it("gives bit-identical parameters in the calling thread and in the pool", async () => {
    const { X, y } = plantedFm(30, 3, 600, 4, 0.1);
    const opts = { k: 4, seed: 17, epochs: 40 };
    const [a, b] = await Promise.all([pooled.train(X, y, opts), pooled.train(X, y, { ...opts, seed: 18 })]);
    const c = await local.train(X, y, opts);
    const d = trainFm(X, y, opts);
    expect(a.packedParams()).toEqual(c.packedParams());
    expect(a.packedParams()).toEqual(d.packedParams());
    expect([a.yMean, a.yStd, a.report]).toEqual([d.yMean, d.yStd, d.report]);
    expect(b.packedParams()).not.toEqual(a.packedParams());
    // warm start through the pool: the starting model is copied, not detached
    const wa = await pooled.train(X, y, { ...opts, seed: 3, warmStart: a });
    const wd = trainFm(X, y, { ...opts, seed: 3, warmStart: d });
    expect(wa.packedParams()).toEqual(wd.packedParams());
    expect(a.packedParams().length).toBe(1 + 30 + 30 * 4);
  });

  it("does not detach the caller's arrays", async () => {
    const X = [Uint8Array.of(1, 0), Uint8Array.of(0, 1), Uint8Array.of(1, 1)];
    const y = new Float64Array([1, 2, 4]);
    await pooled.train(X, y, { k: 1, epochs: 3 });
    expect(Array.from(y)).toEqual([1, 2, 4]);
    expect(X[2].length).toBe(2);
  });

  it("rejects bad input with the same UserError as trainFm, before any thread work", async () => {
    await expect(pooled.train([Uint8Array.of(1)], [NaN])).rejects.toThrow(/target 0 is NaN/);
    await expect(pooled.train([Uint8Array.of(1)], [1], { k: 0 })).rejects.toBeInstanceOf(UserError);
    await expect(local.train([], [])).rejects.toThrow(/at least one sample/);
  });

  it("brings a UserError raised inside the worker back as a UserError", async () => {
    const X = Array.from({ length: 50 }, (_, s) => Uint8Array.from({ length: 30 }, (_, i) => (s * 7 + i * 3) % 5 < 2 ? 1 : 0));
    const y = X.map((_, s) => Math.sin(s));
    const run = pooled.train(X, y, { learningRate: 1e300, validationShare: 0 });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(/diverged/);
  });

  it("a worker that throws rejects with a clear error", async () => {
    const t = new FmTrainer({ threads: 1, workerFile: fixture("throw-worker.mjs") });
    try {
      const run = t.train([Uint8Array.of(1, 0)], [1]);
      await expect(run).rejects.toThrow(/^FM training worker failed: boom from the worker$/);
      await expect(run).rejects.not.toBeInstanceOf(UserError);
    } finally {
      await t.close();
    }
  });

  it("a worker thread that exits mid-task rejects instead of hanging", async () => {
    const t = new FmTrainer({ threads: 1, workerFile: fixture("exit-worker.mjs") });
    try {
      await expect(t.train([Uint8Array.of(1, 0)], [1])).rejects.toThrow(/FM training worker failed: .*exited with code: 3/);
      // the pool replaces the dead thread: the next task fails the same way, it does not hang
      await expect(t.train([Uint8Array.of(0, 1)], [2])).rejects.toThrow(/exited with code: 3/);
    } finally {
      await t.close();
    }
  });

  it("an abort signal cancels a pooled training, and the pool keeps working", async () => {
    const { X, y } = plantedFm(60, 3, 3000, 5, 0.1);
    const ac = new AbortController();
    const run = pooled.train(X, y, { k: 8, epochs: 100_000, patience: 1e9, maxDecays: 0 }, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    await expect(pooled.train(X, y, { k: 2 }, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
    const after = await pooled.train(X.slice(0, 100), y.slice(0, 100), { k: 2, epochs: 3 });
    expect(after.report?.epochs).toBe(3);
  });

  it("close() is idempotent and later train() calls reject", async () => {
    const t = new FmTrainer({ threads: 1 });
    await t.train([Uint8Array.of(1, 0)], [1], { epochs: 1 });
    await t.close();
    await t.close();
    await expect(t.train([Uint8Array.of(1, 0)], [1])).rejects.toThrow(/FmTrainer is closed/);
  });

  it("checks its own options", () => {
    expect(() => new FmTrainer({ threads: -1 })).toThrow(/threads must be an integer >= 0, got -1/);
    expect(() => new FmTrainer({ threads: 1.5 })).toThrow(UserError);
    expect(() => new FmTrainer({ idleTimeout: -5 })).toThrow(/idleTimeout must be a number >= 0/);
  });

  it("a process that never closes its trainer still exits", () => {
    const trainerUrl = pathToFileURL(new URL("../../dist/fm/trainer.js", import.meta.url).pathname).href;
    const r = spawnSync(process.execPath, [new URL("./fixtures/no-close.mjs", import.meta.url).pathname, trainerUrl], {
      encoding: "utf8",
      timeout: 50_000, // a guard against a hang, not a speed assertion
    });
    expect(r.stderr).toBe("");
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("trained 2");
  });
});
