import { describe, expect, it } from "vitest";
import { allBits } from "../../../src/methods/fma/bit-domain.js";
import { FmaProposer, rankedCandidates, type FmaSettings } from "../../../src/methods/fma/fma-proposer.js";
import type { FmTrainOptions } from "../../../src/fm/options.js";
import { trainFm } from "../../../src/fm/train.js";
import type { FmTrainer } from "../../../src/fm/trainer.js";
import { solveTsp } from "../../../src/methods/solve.js";
import { quboEnergy } from "../../../src/qubo/energy.js";
import type { FactorizedQubo } from "../../../src/qubo/types.js";
import { randomInstance } from "../../../src/tsp/generate.js";
import { Random } from "../../../src/util/random.js";

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

describe("FmaProposer restarts (restartAfter)", () => {
  // A trainer that records whether each round warm-starts, and trains for real.
  function recordingTrainer() {
    const calls: { warm: boolean; epochs: number | undefined }[] = [];
    const trainer = {
      train: async (samples: readonly ArrayLike<number>[], targets: ArrayLike<number>, opts: FmTrainOptions) => {
        calls.push({ warm: opts.warmStart !== undefined, epochs: opts.epochs });
        return trainFm(samples, targets, opts);
      },
    } as unknown as FmTrainer;
    return { calls, trainer };
  }
  const settings = (restartAfter: number): FmaSettings => ({
    rank: 2, epochs: 5, steps: 3, firstEpochs: 7, learningRate: 0.01, l2: 1e-3, sweeps: 5, reads: 2,
    flips: true, restartAfter, fm: {}, invalidPolicy: "penalty",
  });
  async function drive(restartAfter: number, values: number[]) {
    const { calls, trainer } = recordingTrainer();
    const p = new FmaProposer(allBits(6), trainer, settings(restartAfter), "fma:test");
    const rng = new Random(1);
    const seen = new Set<string>();
    for (const c of p.initial(4, rng, seen)) {
      seen.add(p.key(c));
      p.observe(c, 5);
    }
    for (const v of values) {
      const [c] = await p.propose(1, { rng, seen, deadline: Infinity, timings: { train: 0, anneal: 0, evaluate: 0, total: 0 } });
      seen.add(p.key(c));
      p.observe(c, v);
    }
    return calls.map((c) => (c.warm ? "warm" : `fresh:${c.epochs}`));
  }

  it("trains a fresh model after restartAfter evaluations without a new best, and warm-starts otherwise", async () => {
    // after the 4 initial samples (best 5): 6, 6, 6 are no better -> the 4th round starts fresh;
    // then 1 is a new best, 6 is not: warm again
    expect(await drive(3, [6, 6, 6, 1, 6, 6])).toEqual(["fresh:7", "warm", "warm", "fresh:7", "warm", "warm"]);
  });

  it("solveTsp refuses a restartAfter that is not an integer >= 0", async () => {
    for (const restartAfter of [-1, 2.5, Number.NaN]) {
      await expect(solveTsp(randomInstance(6, 1), { maxEvaluations: 30, restartAfter })).rejects.toThrow(/restartAfter must be an integer >= 0/);
    }
  });

  it("restartAfter 0 never restarts", async () => {
    expect(await drive(0, [6, 6, 6, 6, 6])).toEqual(["fresh:7", "warm", "warm", "warm", "warm"]);
  });
});
