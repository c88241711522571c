import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { JournalError } from "../../src/loop/journal.js";
import { CostFunctionError, runLoop, type LoopOptions } from "../../src/loop/loop.js";
import type { Proposer } from "../../src/loop/proposer.js";
import { minimize } from "../../src/methods/fma/minimize.js";
import { solveTsp } from "../../src/methods/solve.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { tourLength } from "../../src/tsp/tour.js";
import { tourKey } from "../../src/tsp/tour-space.js";

/**
 * Issue 17: bounded waits on the cost callback (items 3, 4), the journal's seed/settings check,
 * budget, checksums and lock (item 6), the error shapes and onCostError (item 10).
 */

const tmp = () => mkdtempSync(join(tmpdir(), "fmanneal-reliab-"));
const never = () => new Promise<number>(() => {});
const inst = randomInstance(9, 5);
const length = (t: number[]) => tourLength(inst, t);
const distIndex = pathToFileURL(resolve("dist/index.js")).href;

/** Run a module in a fresh node process (the built dist/), with `journal` and `out` passed in the environment. */
function runNode(code: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
}

describe("bounded waits on the cost callback (issue 17, items 3 and 4)", () => {
  it("a cost promise that never settles ends at the time limit: abandoned, reported, nothing evaluated lost", async () => {
    let calls = 0;
    const journal = join(tmp(), "j.jsonl");
    const r = await solveTsp(
      { cities: 9, name: "n9", cost: (t) => (++calls <= 4 ? length(t) : never()) },
      { method: "random", maxEvaluations: 50, timeLimit: 0.3, journal },
    );
    expect(r.stopReason).toBe("time");
    expect(r.abandoned).toBe(1);
    expect(r.evaluations).toBe(4);
    expect(r.best!.cost).toBe(Math.min(...r.history.values));
    // The abandoned tour is not in the journal; the four priced ones are.
    expect(readFileSync(journal, "utf8").trim().split("\n").length).toBe(1 + 4);
  });

  it("the time limit bounds the initial samples too (a slow cost, init 20)", async () => {
    // Each call takes at least 60 ms (busy wait on the clock), so a 0.1 s limit allows at most
    // 2 of the 20 initial samples: the limit is checked before each one.
    const r = await solveTsp(
      { cities: 9, cost: (t) => { const end = performance.now() + 60; while (performance.now() < end); return length(t); } },
      { method: "fma", init: 20, maxEvaluations: 50, timeLimit: 0.1 },
    );
    expect(r.stopReason).toBe("time");
    expect(r.rounds).toBe(0);
    expect(r.evaluations).toBeLessThanOrEqual(2);
  });

  it("an abort while a cost call is pending ends the run: the call is abandoned", async () => {
    const controller = new AbortController();
    let calls = 0;
    const r = await solveTsp(
      { cities: 9, cost: (t) => { if (++calls <= 6) return length(t); controller.abort(); return never(); } },
      { method: "edge", maxEvaluations: 50, batch: 2, signal: controller.signal },
    );
    expect(r.stopReason).toBe("aborted");
    expect(r.abandoned).toBeGreaterThanOrEqual(1);
    expect(r.evaluations).toBe(6);
  });

  it("an already aborted signal ends the run before any cost call", async () => {
    let calls = 0;
    const r = await solveTsp({ cities: 9, cost: () => { calls++; return never(); } }, { signal: AbortSignal.abort() });
    expect(r.stopReason).toBe("aborted");
    expect(calls).toBe(0);
  });

  it("leaves no timer behind: the count of active timeouts is the same after the run", async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((x) => x === "Timeout").length;
    const before = timeouts();
    await solveTsp({ cities: 9, cost: async (t) => length(t) }, { method: "random", maxEvaluations: 10, timeLimit: 3600 });
    expect(timeouts()).toBe(before);
  });

  it("a process whose only pending work is a never-settling cost exits normally at the time limit (not status 13)", () => {
    const out = runNode(
      `import { solveTsp } from ${JSON.stringify(distIndex)};
       const r = await solveTsp({ cities: 8, cost: () => new Promise(() => {}) }, { timeLimit: 0.2 });
       console.log(JSON.stringify({ stopReason: r.stopReason, abandoned: r.abandoned }));`,
    );
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ stopReason: "time", abandoned: 1 });
  });
});

describe("journal: seed and settings, budget, checksums, lock (issue 17, item 6)", () => {
  const problem = { cities: 9, name: "j9", cost: length };

  it("refuses to resume with another seed or other settings, naming each difference", async () => {
    const journal = join(tmp(), "j.jsonl");
    await solveTsp(problem, { method: "sa-2opt", maxEvaluations: 30, seed: 3, journal });
    const err = await solveTsp(problem, { method: "sa-2opt", maxEvaluations: 30, seed: 4, journal, resume: true }).catch((e) => e);
    expect(err).toBeInstanceOf(JournalError);
    expect(err.message).toMatch(/seed 4 \(journal: 3\)/);
    expect(err.differences).toEqual([{ setting: "seed", journal: 3, run: 4 }]);
    await expect(solveTsp(problem, { method: "sa-2opt", maxEvaluations: 30, seed: 3, batch: 2, journal, resume: true })).rejects.toThrow(/batch 2 \(journal: 1\)/);
    // sa-2opt cools over its budget, so for it the budget is a setting too.
    await expect(solveTsp(problem, { method: "sa-2opt", maxEvaluations: 40, seed: 3, journal, resume: true })).rejects.toThrow(/maxEvaluations 40 \(journal: 30\)/);
  });

  it("a resumed run never records more samples than its budget, even when it diverges from the journal", async () => {
    // Run A evaluates the numbers 0..59; run B replays 0..9, then proposes numbers A never did:
    // the journal's other 50 samples are imported, but only up to B's budget.
    const ints = (offset: number): Proposer<number> => ({
      method: "ints",
      key: (x) => String(x),
      toJSON: (x) => x,
      fromJSON: (j) => { if (!Number.isInteger(j)) throw new TypeError("not an integer"); return j as number; },
      initial: (count) => Array.from({ length: count }, (_, i) => i),
      observe: () => {},
      propose: async (q, ctx) => {
        const out: number[] = [];
        for (let x = offset; out.length < q; x++) if (!ctx.seen.has(String(x))) out.push(x);
        return out;
      },
      close: async () => {},
    });
    const journal = join(tmp(), "ints.jsonl");
    const header = { type: "header" as const, version: 2 as const, problem: "ints", method: "ints", seed: 1, settings: {}, budget: { maxEvaluations: 60, iterations: null } };
    const opts = (max: number, extra: Partial<LoopOptions<number>> = {}): LoopOptions<number> => ({ init: 10, maxEvaluations: max, seed: 1, batch: 1, journal, journalHeader: header, ...extra });
    const evaluator = { isValid: () => true, cost: (x: number) => x, describe: (x: number) => `x=${x}` };
    await runLoop(ints(10), evaluator, opts(60));
    const r = await runLoop(ints(1000), evaluator, opts(40, { resume: true }));
    expect(r.evaluations).toBe(40);
    expect(r.history.values.length).toBe(40);
  });

  it("refuses a journal whose value was edited, naming the line (chained checksum)", async () => {
    const journal = join(tmp(), "j.jsonl");
    await solveTsp(problem, { method: "random", maxEvaluations: 12, journal });
    const lines = readFileSync(journal, "utf8").split("\n");
    const sample = JSON.parse(lines[4]);
    sample.value = 1; // "best = 1, gap -99.97%"
    lines[4] = JSON.stringify(sample);
    writeFileSync(journal, lines.join("\n"));
    const err = await solveTsp(problem, { method: "random", maxEvaluations: 12, journal, resume: true }).catch((e) => e);
    expect(err).toBeInstanceOf(JournalError);
    expect(err.message).toMatch(/j\.jsonl:5: checksum mismatch/);
    // A deleted line breaks the chain as well.
    const original = readFileSync(journal, "utf8").split("\n");
    original.splice(4, 1);
    writeFileSync(journal, original.join("\n"));
    await expect(solveTsp(problem, { method: "random", maxEvaluations: 12, journal, resume: true })).rejects.toThrow(/j\.jsonl:5: checksum mismatch/);
  });

  it("a second run on a journal in use gets a clear error; after the first ends, the journal resumes", async () => {
    const journal = join(tmp(), "j.jsonl");
    const controller = new AbortController();
    let calls = 0;
    let blocked!: () => void;
    const waiting = new Promise<void>((res) => (blocked = res));
    const first = solveTsp(
      { ...problem, cost: (t: number[]) => { if (++calls <= 5) return length(t); blocked(); return never(); } },
      { method: "random", maxEvaluations: 20, journal, signal: controller.signal },
    );
    await waiting; // the first run is waiting on its 6th call, holding the lock
    expect(existsSync(`${journal}.lock`)).toBe(true);
    const second = await solveTsp(problem, { method: "random", maxEvaluations: 20, journal, resume: true }).catch((e) => e);
    expect(second).toBeInstanceOf(JournalError);
    expect(second.message).toMatch(/j\.jsonl: the journal is in use by another run in this process/);
    controller.abort();
    expect((await first).evaluations).toBe(5);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    const resumed = await solveTsp(problem, { method: "random", maxEvaluations: 20, journal, resume: true });
    expect(resumed.replayed).toBe(5);
    expect(resumed.evaluations).toBe(20);
  });

  it("a lock held by another live process is refused with its pid; a stale one (dead process) is taken over", async () => {
    const journal = join(tmp(), "j.jsonl");
    const lock = `${journal}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), started: "2024-01-01T00:00:00Z" }));
    await expect(solveTsp(problem, { method: "random", maxEvaluations: 8, journal })).rejects.toThrow(new RegExp(`in use by process ${process.ppid} `));
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), started: "2024-01-01T00:00:00Z" }));
    const r = await solveTsp(problem, { method: "random", maxEvaluations: 8, journal });
    expect(r.evaluations).toBe(8);
    expect(existsSync(lock)).toBe(false);
  });

  it.skipIf(process.platform !== "linux")("a lock of a killed process its parent has not reaped yet (a zombie) is stale too", async () => {
    // `sleep` inherits the background `sleep 0.2` as its child and never waits for it: a zombie.
    const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(await new Promise<string>((res) => parent.stdout!.once("data", (d) => res(String(d)))));
      const state = () => { const st = readFileSync(`/proc/${pid}/stat`, "utf8"); return st[st.lastIndexOf(")") + 2]; };
      while (state() !== "Z") await new Promise((res) => setTimeout(res, 10));
      const journal = join(tmp(), "z.jsonl");
      writeFileSync(`${journal}.lock`, JSON.stringify({ pid, host: hostname(), started: "2024-01-01T00:00:00Z" }));
      expect((await solveTsp(problem, { method: "random", maxEvaluations: 5, journal })).evaluations).toBe(5);
    } finally {
      parent.kill();
    }
  });

  it("a journal killed before its header was whole (empty, or a cut header) is started afresh by a resume", async () => {
    for (const content of ["", '{"type":"header","version":2,"prob']) {
      const journal = join(tmp(), "j.jsonl");
      writeFileSync(journal, content);
      const r = await solveTsp(problem, { method: "random", maxEvaluations: 6, journal, resume: true });
      expect(r.evaluations).toBe(6);
      const again = await solveTsp(problem, { method: "random", maxEvaluations: 6, journal, resume: true });
      expect(again.replayed).toBe(6);
      expect(again.costCalls).toBe(0);
    }
  });

  it("kill -9 during a run, then resume: the stale lock is taken over and the result equals an uninterrupted run", async () => {
    const reference = await solveTsp(problem, { method: "sa-2opt", maxEvaluations: 60, seed: 3 });
    const journal = join(tmp(), "k.jsonl");
    const child = runNode(
      `import { solveTsp, randomInstance, tourLength } from ${JSON.stringify(distIndex)};
       const inst = randomInstance(9, 5);
       let calls = 0;
       await solveTsp({ cities: 9, name: "j9", cost: (t) => { if (++calls === 25) process.kill(process.pid, "SIGKILL"); return tourLength(inst, t); } },
         { method: "sa-2opt", maxEvaluations: 60, seed: 3, journal: process.env.JOURNAL });`,
      { JOURNAL: journal },
    );
    expect(child.signal).toBe("SIGKILL");
    expect(existsSync(`${journal}.lock`)).toBe(true);
    let calls = 0;
    const resumed = await solveTsp({ ...problem, cost: (t: number[]) => { calls++; return length(t); } }, { method: "sa-2opt", maxEvaluations: 60, seed: 3, journal, resume: true });
    expect(resumed.history.values).toEqual(reference.history.values);
    expect(resumed.best).toEqual(reference.best);
    expect(resumed.replayed).toBe(24);
    expect(calls).toBe(reference.costCalls - 24);
  });
});

describe("failed cost calls: error shapes and onCostError (issue 17, item 10)", () => {
  /** Tours visiting city 1 right after city 0 "fail" (a pricing service that rejects them). */
  const failsOn = (t: number[]) => t[1] === 1;

  it("CostFunctionError.result has the shape of a normal result, and the message shows the 0-based tour the callback got", async () => {
    let failed: number[] = [];
    const err = await solveTsp(
      { cities: 9, cost: (t) => { if (failsOn(t)) { failed = t.slice(); throw new Error("no price"); } return length(t); } },
      { method: "random", maxEvaluations: 200 },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(CostFunctionError);
    expect(err.message).toContain(`tour [${failed.join(", ")}] (0-based, as passed to cost): no price`);
    const best = err.result.best;
    expect(Object.keys(best).sort()).toEqual(["cost", "tour"]);
    expect(best.cost).toBe(length(best.tour));
    expect(err.result.method).toBe("random");

    const merr = await minimize({ bits: 6, evaluate: (x) => { if (x[0] === 1 && x[1] === 1) throw new Error("bad"); return x.reduce((a, b) => a + b, 0); } }, { maxEvaluations: 60 }).catch((e) => e);
    expect(merr).toBeInstanceOf(CostFunctionError);
    expect(Object.keys(merr.result.best).sort()).toEqual(["value", "x"]);
    expect(merr.result.best.x).toBeInstanceOf(Uint8Array);
  });

  it('onCostError "skip": failing tours are no samples, are never priced twice, and the run goes on to its budget', async () => {
    const calls = new Map<string, number>();
    let failures = 0;
    const r = await solveTsp(
      { cities: 9, cost: (t) => { const k = tourKey(t, true); calls.set(k, (calls.get(k) ?? 0) + 1); if (failsOn(t) || failsOn([t[0], ...t.slice(1).reverse()])) { failures++; throw new Error("no price"); } return length(t); } },
      { method: "sa-2opt", maxEvaluations: 120, onCostError: "skip" },
    );
    expect(failures).toBeGreaterThan(0);
    expect(r.failed).toBe(failures);
    expect(r.evaluations + r.failed).toBe(120);
    expect(r.history.valid.every((v) => v)).toBe(true);
    expect(Math.max(...calls.values())).toBe(1);
    expect(failsOn(r.best!.tour)).toBe(false);
  });

  it('onCostError "penalize": failing tours are invalid samples with the penalty (worst valid so far), never the best', async () => {
    let failures = 0;
    const r = await solveTsp(
      { cities: 9, cost: (t) => { if (failsOn(t)) { failures++; return Promise.reject(new Error("no price")); } return length(t); } },
      { method: "random", maxEvaluations: 120, onCostError: "penalize" },
    );
    expect(failures).toBeGreaterThan(0);
    expect(r.failed).toBe(failures);
    expect(r.evaluations).toBe(120);
    const { values, valid } = r.history;
    expect(valid.filter((v) => !v).length).toBe(failures);
    values.forEach((v, i) => {
      if (!valid[i]) expect(v).toBe(Math.max(0, ...values.slice(0, i).filter((_, j) => valid[j])));
    });
    expect(failsOn(r.best!.tour)).toBe(false);
  });

  it("skipped and penalised failures are journaled: a resume calls the cost for none of them again", async () => {
    for (const policy of ["skip", "penalize"] as const) {
      const journal = join(tmp(), `${policy}.jsonl`);
      let calls = 0;
      const cost = (t: number[]) => { calls++; if (failsOn(t)) throw new Error("no price"); return length(t); };
      const controller = new AbortController();
      const first = await solveTsp({ cities: 9, name: "f9", cost }, {
        method: "sa-2opt", maxEvaluations: 80, onCostError: policy, journal, signal: controller.signal,
        onProgress: (p) => { if (p.evaluations >= 40) controller.abort(); },
      });
      expect(first.failed).toBeGreaterThan(0);
      const before = calls;
      const resumed = await solveTsp({ cities: 9, name: "f9", cost }, { method: "sa-2opt", maxEvaluations: 80, onCostError: policy, journal, resume: true });
      const resumedCalls = calls - before;
      const reference = await solveTsp({ cities: 9, name: "f9", cost }, { method: "sa-2opt", maxEvaluations: 80, onCostError: policy });
      expect(resumed.history.values).toEqual(reference.history.values);
      expect(resumed.failed).toBe(reference.failed);
      expect(resumedCalls).toBe(reference.costCalls - first.costCalls);
    }
  });

  it("refuses an unknown onCostError and a seed that is not an integer", async () => {
    await expect(solveTsp(inst, { onCostError: "retry" as never })).rejects.toThrow(/onCostError must be one of throw, skip, penalize/);
    await expect(solveTsp(inst, { seed: NaN })).rejects.toThrow(/option seed must be an integer, got NaN/);
  });
});
