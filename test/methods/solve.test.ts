import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { minimize } from "../../src/methods/fma/minimize.js";
import { solveTsp } from "../../src/methods/solve.js";
import { createLabeling } from "../../src/labelings/registry.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { tourLength } from "../../src/tsp/tour.js";
import { anneal } from "../../src/anneal/anneal.js";
import { OptionError, ProblemError } from "../../src/util/errors.js";

const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe("solveTsp method fma", () => {
  it("on 20 random 8-city instances reaches the Held-Karp optimum in at least 6, with a median gap below random search", async () => {
    let hits = 0;
    const gaps: number[] = [];
    const randomGaps: number[] = [];
    for (let s = 1; s <= 20; s++) {
      const inst = randomInstance(8, 1000 + s);
      const opt = heldKarp(inst).length;
      const r = await solveTsp(inst, { labeling: "gray", maxEvaluations: 300, seed: s });
      const rs = await solveTsp(inst, { method: "random", maxEvaluations: 300, seed: s });
      expect(r.evaluations).toBe(300);
      // The reported cost is the length of the reported tour, and no shorter than the optimum.
      expect(tourLength(inst, r.best!.tour)).toBe(r.best!.cost);
      gaps.push((r.best!.cost - opt) / opt);
      randomGaps.push((rs.best!.cost - opt) / opt);
      if (r.best!.cost === opt) hits++;
    }
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
    expect(hits).toBeGreaterThanOrEqual(6);
    expect(median(gaps)).toBeLessThan(median(randomGaps));
  }, 180_000);

  it("same seed gives an identical history whatever the training pool size; another seed another one", async () => {
    const inst = randomInstance(8, 77);
    const inThread = await solveTsp(inst, { maxEvaluations: 60, seed: 5, threads: 0 });
    const pooled = await solveTsp(inst, { maxEvaluations: 60, seed: 5, threads: 2 });
    const other = await solveTsp(inst, { maxEvaluations: 60, seed: 6, threads: 0 });
    expect(pooled.history.values).toEqual(inThread.history.values);
    expect(pooled.best).toEqual(inThread.best);
    expect(other.history.values).not.toEqual(inThread.history.values);
  });

  it("never returns an invalid code as best, under penalty and repair", async () => {
    // natural at N = 9: 2^16 codes for 8! = 40320 tours, so ~38% of codes are invalid.
    const inst = randomInstance(9, 5);
    const natural = createLabeling("natural", 9);
    for (const invalidPolicy of ["penalty", "repair"] as const) {
      const r = await solveTsp(inst, { labeling: "natural", invalidPolicy, maxEvaluations: 120, seed: 2 });
      expect(natural.decode(natural.encode(r.best!.tour))).toEqual(r.best!.tour);
      expect(tourLength(inst, r.best!.tour)).toBe(r.best!.cost);
      if (invalidPolicy === "penalty") {
        expect(r.invalid).toBeGreaterThan(0);
        // Penalised samples carry the worst valid cost seen before them, never a better one.
        r.history.values.forEach((v, i) => {
          if (!r.history.valid[i]) expect(v).toBeGreaterThanOrEqual(r.best!.cost);
        });
      } else {
        expect(r.invalid).toBe(0);
      }
    }
  });

  it("evaluates the caller's initial tours first", async () => {
    const inst = randomInstance(8, 9);
    const { tour } = heldKarp(inst);
    const r = await solveTsp(inst, { maxEvaluations: 25, initialTours: [tour], seed: 1 });
    expect(r.history.values[0]).toBe(tourLength(inst, tour));
    expect(r.bestAt).toBe(1);
  });

  it("journal + resume after a crash ends like an uninterrupted run and calls the cost no more times", async () => {
    const inst = randomInstance(8, 31);
    const d = inst.distances;
    let calls = 0;
    const cost = (t: number[]) => {
      calls++;
      let s = 0;
      for (let i = 0; i < 8; i++) s += d[t[i] * 8 + t[(i + 1) % 8]];
      return s;
    };
    const reference = await solveTsp({ cities: 8, cost, name: "r8" }, { maxEvaluations: 70, seed: 3 });
    const uninterrupted = calls;
    calls = 0;
    const journal = join(mkdtempSync(join(tmpdir(), "fmanneal-fma-")), "run.jsonl");
    let n = 0;
    const crashing = (t: number[]) => {
      if (++n === 41) throw new Error("process killed");
      return cost(t);
    };
    await expect(solveTsp({ cities: 8, cost: crashing, name: "r8" }, { maxEvaluations: 70, seed: 3, journal })).rejects.toThrow(/process killed/);
    const journaled = readFileSync(journal, "utf8").trim().split("\n").length - 1;
    expect(journaled).toBeGreaterThanOrEqual(40); // 40 evaluated tours + the penalised invalid codes
    const resumed = await solveTsp({ cities: 8, cost, name: "r8" }, { maxEvaluations: 70, seed: 3, journal, resume: true });
    expect(resumed.replayed).toBe(journaled);
    expect(resumed.history.values).toEqual(reference.history.values);
    expect(resumed.best).toEqual(reference.best);
    expect(calls).toBe(uninterrupted);
    // A journal of another labeling is refused with an explanation.
    await expect(solveTsp({ cities: 8, cost, name: "r8" }, { labeling: "natural", maxEvaluations: 70, journal, resume: true }))
      .rejects.toThrow(/written by method 'fma:gray:penalty', this run uses 'fma:natural:penalty'/);
    await expect(solveTsp(randomInstance(8, 32), { maxEvaluations: 70, journal, resume: true })).rejects.toThrow(/journal is for problem 'r8\/8'/);
  });

  it("an abort stops within one iteration and returns the best so far", async () => {
    const controller = new AbortController();
    let rounds = 0;
    const r = await solveTsp(randomInstance(10, 2), {
      maxEvaluations: 500,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.round > 0 && ++rounds === 5) controller.abort();
      },
    });
    expect(r.stopReason).toBe("aborted");
    expect(r.evaluations).toBe(20 + 5);
    expect(r.best!.cost).toBe(Math.min(...r.history.values.filter((_, i) => r.history.valid[i])));
  });

  it("a time limit stops the run early", async () => {
    const r = await solveTsp(randomInstance(10, 2), { maxEvaluations: 100000, timeLimit: 0.3 });
    expect(r.stopReason).toBe("time");
    expect(r.evaluations).toBeLessThan(100000);
  });

  it("batch proposals evaluate several tours concurrently per round", async () => {
    let inFlight = 0;
    let most = 0;
    const inst = randomInstance(8, 4);
    const r = await solveTsp(
      {
        cities: 8,
        cost: async (t) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((res) => setTimeout(res, 1));
          inFlight--;
          return tourLength(inst, t);
        },
      },
      { batch: 3, init: 6, maxEvaluations: 36, seed: 1 },
    );
    expect(most).toBe(3);
    expect(r.rounds).toBe(10);
  });

  describe("cost callbacks that misbehave stop the run with an error naming the tour", () => {
    const inst = randomInstance(8, 3);
    const cases: [string, (t: number[], i: number) => unknown, RegExp][] = [
      ["throws", (t, i) => { if (i === 30) throw new Error("pricing service down"); return tourLength(inst, t); }, /failed for tour \[0, \d.*\] \(0-based, as passed to cost\): pricing service down/],
      ["rejects", async (t, i) => { if (i === 30) throw new Error("timeout"); return tourLength(inst, t); }, /failed for tour \[0, .*timeout/],
      ["returns NaN", (t, i) => (i === 30 ? NaN : tourLength(inst, t)), /returned NaN for tour \[0, /],
      ["returns a non-number", (t, i) => (i === 30 ? "fast" : tourLength(inst, t)), /returned a string \("fast"\) for tour/],
    ];
    for (const [what, f, message] of cases) {
      it(what, async () => {
        let i = 0;
        const journal = join(mkdtempSync(join(tmpdir(), "fmanneal-cb-")), "j.jsonl");
        const err = await solveTsp({ cities: 8, cost: (t) => f(t, ++i) as number }, { maxEvaluations: 60, journal }).catch((e) => e);
        expect(err.message).toMatch(message);
        expect(err.result.costCalls).toBe(30); // 29 answered, the 30th failed
        // The journal holds every sample before the failure: 29 evaluated tours and the penalised invalid codes.
        expect(readFileSync(journal, "utf8").trim().split("\n").length).toBe(1 + err.result.evaluations);
      });
    }
  });

  it("refuses bad problems and options by name", async () => {
    await expect(solveTsp({ cities: 2, cost: () => 1 })).rejects.toThrow(/integer number of cities >= 3/);
    await expect(solveTsp([[0, 1], [1, 0, 3]] as number[][])).rejects.toThrow(/row 1 has 3 entries, expected 2/);
    await expect(solveTsp(randomInstance(6, 1), { labeling: "binary" as never })).rejects.toThrow(/unknown labeling "binary"/);
    await expect(solveTsp(randomInstance(6, 1), { method: "magic" as never })).rejects.toThrow(/unknown method "magic"/);
    await expect(solveTsp({ cities: 6, cost: () => 1 }, { method: "penalty-qubo" })).rejects.toThrow(/needs the distances/);
    const d = new Float64Array(9).fill(1);
    d[5] = Infinity;
    await expect(solveTsp({ dimension: 3, distances: d })).rejects.toThrow(/distances\[5\] \(cities 1 and 2\) is Infinity, expected a finite number/);
  });

  it("zero budget returns no tour", async () => {
    const r = await solveTsp(randomInstance(6, 1), { maxEvaluations: 0 });
    expect(r.best).toBeNull();
    expect(r.evaluations).toBe(0);
  });
});

describe("minimize", () => {
  it("finds the minimum of a black-box function of bits", async () => {
    const target = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0]);
    // A quadratic with a unique minimum at `target`: Hamming distance plus a pairwise bonus.
    const f = (x: Uint8Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i] ^ target[i];
      return s - (x[0] & x[2]) * 0.5;
    };
    const r = await minimize({ bits: 12, evaluate: f }, { maxEvaluations: 120, seed: 2 });
    expect(Array.from(r.best!.x)).toEqual(Array.from(target));
    expect(r.best!.value).toBe(-0.5);
  });

  it("never passes codes the objective declares invalid", async () => {
    const r = await minimize(
      { bits: 8, evaluate: (x) => { expect(x[0]).toBe(0); return x.reduce((a, b) => a + b, 0); }, isValid: (x) => x[0] === 0 },
      { maxEvaluations: 60, seed: 1 },
    );
    expect(r.best!.value).toBe(0);
  });
});

describe("errors a user can cause are UserErrors that name what is wrong", () => {
  const inst = randomInstance(6, 1);
  it("a bad option is an OptionError naming it", async () => {
    const cases: [object, string][] = [
      [{ method: "nope" }, "method"],
      [{ method: "edge", lambda: 0 }, "lambda"],
      [{ method: "edge", exploration: -1 }, "exploration"],
      [{ method: "edge", randomStarts: -1 }, "randomStarts"],
      [{ method: "edge", path: { start: 9 } }, "start"],
      [{ method: "random", path: true }, "path"],
      [{ batch: 0 }, "batch"],
      [{ sweeps: 1.5 }, "sweeps"],
    ];
    for (const [options, option] of cases) {
      const err = await solveTsp(inst, { maxEvaluations: 25, ...options } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OptionError);
      expect((err as OptionError).option).toBe(option);
    }
  });

  it("a problem a method cannot take, or a malformed QUBO, is a ProblemError", async () => {
    await expect(solveTsp({ cities: 5, cost: () => 1 }, { method: "penalty-qubo" })).rejects.toBeInstanceOf(ProblemError);
    await expect(solveTsp([[0, 1], [1]])).rejects.toBeInstanceOf(ProblemError);
    expect(() => anneal({ kind: "dense", n: 2, matrix: new Float64Array(3), triangular: false, offset: 0 })).toThrow(/dense QUBO: matrix has 3 entries/);
    expect(() => anneal({ kind: "dense", n: 2, matrix: new Float64Array(3), triangular: false, offset: 0 })).toThrow(ProblemError);
  });
});
