import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomSearch } from "../../src/methods/baselines/random.js";
import { TwoOptAnnealing } from "../../src/methods/baselines/sa-2opt.js";
import { JournalError } from "../../src/loop/journal.js";
import { CostFunctionError, runLoop, type LoopOptions } from "../../src/loop/loop.js";
import type { Proposer } from "../../src/loop/proposer.js";
import { tourKey } from "../../src/tsp/tour-space.js";
import { Random } from "../../src/util/random.js";

const header = (problem = "p/8") => ({
  type: "header" as const,
  version: 2 as const,
  problem,
  method: "random",
  seed: 3,
  settings: {},
  budget: { maxEvaluations: 40, iterations: null },
});

function opts(extra: Partial<LoopOptions<number[]>> = {}): LoopOptions<number[]> {
  return { init: 5, maxEvaluations: 40, seed: 3, batch: 1, journalHeader: header(), ...extra };
}

/** A symmetric 8-city cost: sum of |a-b| over the cycle's edges (optimum 14 = 2*(8-1)). */
function lineCost(tour: number[]): number {
  let s = 0;
  for (let i = 0; i < tour.length; i++) s += Math.abs(tour[i] - tour[(i + 1) % tour.length]);
  return s;
}

const evaluator = (cost: (t: number[]) => number | Promise<number>) => ({
  isValid: () => true,
  cost,
  describe: (t: number[]) => `tour [${t.map((c) => c + 1).join(", ")}]`,
});

const tmp = () => mkdtempSync(join(tmpdir(), "fmanneal-loop-"));

describe("runLoop", () => {
  it("never evaluates a tour twice, in either direction", async () => {
    const keys = new Set<string>();
    let calls = 0;
    const r = await runLoop(new RandomSearch(6, true), evaluator((t) => {
      calls++;
      const k = tourKey(t, true);
      expect(keys.has(k)).toBe(false);
      keys.add(k);
      return lineCost(t);
    }), opts({ maxEvaluations: 60 }));
    // 6 cities: 5!/2 = 60 distinct undirected tours, all evaluated exactly once.
    expect(calls).toBe(60);
    expect(r.evaluations).toBe(60);
    expect(r.best!.value).toBe(10);
  });

  it("stops with 'exhausted' when the space has no unseen point left", async () => {
    const r = await runLoop(new RandomSearch(4, true), evaluator(lineCost), opts({ maxEvaluations: 50 }));
    expect(r.evaluations).toBe(3); // 3!/2 undirected tours of 4 cities
    expect(r.stopReason).toBe("exhausted");
  });

  it("zero budget evaluates nothing and returns no best", async () => {
    let calls = 0;
    const r = await runLoop(new RandomSearch(8, true), evaluator(() => ++calls), opts({ maxEvaluations: 0 }));
    expect(calls).toBe(0);
    expect(r.best).toBeNull();
    expect(r.stopReason).toBe("budget");
  });

  it("history records the best so far after every sample", async () => {
    const r = await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts());
    const { values, best } = r.history;
    let m = Infinity;
    for (let i = 0; i < values.length; i++) {
      m = Math.min(m, values[i]);
      expect(best[i]).toBe(m);
    }
    expect(r.best!.value).toBe(m);
    expect(r.history.values[r.bestAt - 1]).toBe(m);
  });

  it("same seed gives the same history; another seed another one", async () => {
    const a = await runLoop(new TwoOptAnnealing(8, true, 40, new Random(1)), evaluator(lineCost), opts());
    const b = await runLoop(new TwoOptAnnealing(8, true, 40, new Random(1)), evaluator(lineCost), opts());
    const c = await runLoop(new TwoOptAnnealing(8, true, 40, new Random(1)), evaluator(lineCost), opts({ seed: 4 }));
    expect(a.history.values).toEqual(b.history.values);
    expect(a.history.values).not.toEqual(c.history.values);
  });

  it("an abort stops after the round in progress and returns the best so far", async () => {
    const controller = new AbortController();
    const r = await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({
      maxEvaluations: 1000,
      onProgress: (p) => { if (p.evaluations >= 12) controller.abort(); },
      signal: controller.signal,
    }));
    expect(r.stopReason).toBe("aborted");
    expect(r.evaluations).toBe(12);
    expect(r.best!.value).toBe(Math.min(...r.history.values));
  });

  it("batch proposals are evaluated concurrently", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const r = await runLoop(new RandomSearch(8, true), evaluator(async (t) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((res) => setTimeout(res, 2));
      inFlight--;
      return lineCost(t);
    }), opts({ batch: 4, init: 8, maxEvaluations: 24 }));
    expect(maxInFlight).toBe(4);
    expect(r.evaluations).toBe(24);
  });

  it("invalid points get the penalty (worst valid so far), are never best and never reach the cost", async () => {
    // A proposer over numbers 0..63 where odd numbers are invalid.
    const proposer: Proposer<number> = {
      method: "ints",
      key: (x) => String(x),
      toJSON: (x) => x,
      fromJSON: (j) => Number(j),
      initial: (count) => Array.from({ length: count }, (_, i) => 2 * i),
      observe: () => {},
      propose: async (q, ctx) => {
        const out: number[] = [];
        for (let x = 0; x < 64 && out.length < q; x++) if (!ctx.seen.has(String(x))) out.push(x);
        return out;
      },
      close: async () => {},
    };
    let calls = 0;
    const r = await runLoop(proposer, {
      isValid: (x) => x % 2 === 0,
      cost: (x) => { calls++; expect(x % 2).toBe(0); return 100 - x; },
      describe: (x) => `x=${x}`,
    }, { init: 3, maxEvaluations: 20, seed: 3, batch: 1, journalHeader: header() });
    expect(r.invalid).toBeGreaterThan(0);
    expect(calls).toBe(r.evaluations - r.invalid);
    r.history.values.forEach((v, i) => {
      if (!r.history.valid[i]) expect(v).toBe(Math.max(...r.history.values.slice(0, i).filter((_, j) => r.history.valid[j])));
    });
    expect(r.best!.point % 2).toBe(0);
  });

  describe("cost callback failures stop the run, naming the tour, after journaling the rest", () => {
    const cases: [string, (n: number) => number | Promise<number>, RegExp][] = [
      ["throws", (n) => { if (n === 7) throw new Error("simulator crashed"); return n; }, /failed for tour \[1, .*simulator crashed/],
      ["rejects", async (n) => { if (n === 7) throw new Error("HTTP 503"); return n; }, /failed for tour \[1, .*HTTP 503/],
      ["returns NaN", (n) => (n === 7 ? NaN : n), /returned NaN for tour \[1, /],
      ["returns Infinity", (n) => (n === 7 ? Infinity : n), /returned Infinity for tour \[1, /],
      ["returns a string", (n) => (n === 7 ? ("12" as unknown as number) : n), /returned a string \("12"\) for tour/],
      ["returns undefined", (n) => (n === 7 ? (undefined as unknown as number) : n), /returned undefined for tour/],
    ];
    for (const [what, f, message] of cases) {
      it(what, async () => {
        const dir = tmp();
        const journal = join(dir, "j.jsonl");
        let calls = 0;
        const run = runLoop(new RandomSearch(8, true), evaluator(() => f(++calls)), opts({ journal }));
        const err = await run.catch((e) => e);
        expect(err).toBeInstanceOf(CostFunctionError);
        expect(err.message).toMatch(message);
        expect(err.result.evaluations).toBe(6);
        const lines = readFileSync(journal, "utf8").trim().split("\n");
        expect(lines.length).toBe(1 + 6); // header + the six good samples
      });
    }
  });

  describe("journal and resume", () => {
    it("resuming after a crash ends like an uninterrupted run, with no extra cost calls", async () => {
      const make = () => new TwoOptAnnealing(8, true, 40, new Random(9));
      let full = 0;
      const reference = await runLoop(make(), evaluator((t) => { full++; return lineCost(t); }), opts());

      const dir = tmp();
      const journal = join(dir, "run.jsonl");
      let calls = 0;
      // First attempt "crashes" at the 18th call (the callback throws, as a killed process would stop).
      await runLoop(make(), evaluator((t) => { if (++calls === 18) throw new Error("killed"); return lineCost(t); }), opts({ journal })).catch(() => {});
      const completed = calls - 1;
      // Simulate the write cut short by SIGKILL: a partial last line.
      appendFileSync(journal, '{"type":"sample","key":"0,1');
      const resumed = await runLoop(make(), evaluator((t) => { calls++; return lineCost(t); }), opts({ journal, resume: true }));
      expect(resumed.history.values).toEqual(reference.history.values);
      expect(resumed.best!.value).toBe(reference.best!.value);
      expect(resumed.replayed).toBe(completed);
      expect(calls - 1).toBe(full); // the crashed call never completed
      // The journal now holds every sample exactly once after the header.
      const lines = readFileSync(journal, "utf8").trim().split("\n");
      expect(lines.length).toBe(1 + reference.evaluations);
    });

    it("refuses to overwrite an existing journal without resume", async () => {
      const journal = join(tmp(), "j.jsonl");
      await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, maxEvaluations: 6 }));
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal }))).rejects.toThrow(/already exists; pass resume/);
    });

    it("refuses a journal of another problem or method", async () => {
      const journal = join(tmp(), "j.jsonl");
      await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, maxEvaluations: 6 }));
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true, journalHeader: header("other/8") })))
        .rejects.toThrow(/journal is for problem 'p\/8', this run is 'other\/8'/);
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true, journalHeader: { ...header(), method: "edge" } })))
        .rejects.toThrow(/written by method 'random', this run uses 'edge'/);
    });

    it("explains a damaged line in the middle and a file that is not a journal", async () => {
      const journal = join(tmp(), "j.jsonl");
      await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, maxEvaluations: 6 }));
      const lines = readFileSync(journal, "utf8").split("\n");
      lines[3] = "garbage{";
      writeFileSync(journal, lines.join("\n"));
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true }))).rejects.toThrow(JournalError);
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true }))).rejects.toThrow(/j\.jsonl:4: damaged journal line/);
      writeFileSync(journal, "hello\n");
      await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true }))).rejects.toThrow(/:1: damaged journal line|not an fmanneal journal/);
    });

    it("resume without an existing journal starts a new one", async () => {
      const journal = join(tmp(), "new.jsonl");
      const r = await runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ journal, resume: true, maxEvaluations: 5 }));
      expect(r.evaluations).toBe(5);
      expect(readFileSync(journal, "utf8").trim().split("\n").length).toBe(6);
    });
  });

  it("refuses bad options by name", async () => {
    await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ batch: 0 }))).rejects.toThrow(/option batch must be an integer >= 1/);
    await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ maxEvaluations: -1 }))).rejects.toThrow(/maxEvaluations/);
    await expect(runLoop(new RandomSearch(8, true), evaluator(lineCost), opts({ resume: true }))).rejects.toThrow(/resume needs a journal/);
  });
});
