import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrials, compareInstances, runCompare, type CompareInstance } from "../../../src/study/compare.js";
import { connectQueueRunner, type QueueRunner } from "../../../src/study/runner/queue-runner.js";
import { startQueueWorker, type QueueWorker, type QueueWorkerEvent } from "../../../src/study/runner/queue-worker.js";
import { PiscinaRunner } from "../../../src/study/runner/task-runner.js";
import { solveMany } from "../../../src/study/solve-many.js";
import type { TrialReply } from "../../../src/study/trial-worker.js";
import { skipReason, studyName, testRedis, type TestRedis } from "./redis-fixture.js";

/*
 * The queue runner and a queue worker in this process, against a real Redis: what travels,
 * job identity (dedupe, re-attach, forget), and the failure semantics of
 * src/study/runner/queue-worker.ts. The worker runs its jobs in worker threads (dist/), as in
 * `fmanneal worker`.
 */

const redis: TestRedis | null = await testRedis();
if (!redis) console.warn(`skipping the queue runner tests: ${skipReason}`);
const DB = 2; // this file's database (queue-cli.test.ts uses 1)

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(!redis)("the queue runner with a worker in this process (real Redis)", { timeout: 120_000 }, () => {
  let url = "";
  let worker: QueueWorker;
  const events: QueueWorkerEvent[] = [];
  const runners: QueueRunner[] = [];
  const runner = async (study: string) => {
    const r = await connectQueueRunner({ url, study });
    runners.push(r);
    return r;
  };
  const started = (id: string) => events.filter((e) => e.type === "start" && e.id === id).length;

  beforeAll(async () => {
    url = redis!.url(DB);
    worker = await startQueueWorker({ url, concurrency: 2, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.close()));
    await worker?.stop();
    await redis?.stop();
  });

  it("a task comes back as it left: NaN, Infinity, typed arrays, nested data", async () => {
    const r = await runner(studyName("echo"));
    const task = { history: [NaN, 3, Infinity], d: new Float64Array(400).map((_, i) => i / 7), small: new Int32Array([1, -2]), deep: { s: "x", n: null } };
    const back = await r.run<typeof task>("echo", task);
    expect(back.history).toEqual([NaN, 3, Infinity]);
    expect(back.d).toEqual(task.d);
    expect(back.small).toEqual(task.small);
    expect(back.deep).toEqual(task.deep);
    expect(r.workers).toBe(1);
  });

  it("job ids: the hash of the whole task; the same task is one job, and a new coordinator re-attaches to it", async () => {
    const study = studyName("ids");
    const r1 = await runner(study);
    const task = { a: 1, matrix: new Float64Array(300).fill(2) };
    const id = r1.jobId("echo", task);
    expect(id).toMatch(new RegExp(`^${study}-[0-9a-f]{32}$`));
    expect(r1.jobId("echo", { matrix: new Float64Array(300).fill(2), a: 1 })).toBe(id); // key order, array identity
    expect(r1.jobId("echo", { a: 1, matrix: new Float64Array(300).fill(2), b: 0 })).not.toBe(id); // any field
    const m = new Float64Array(300).fill(2);
    m[299] = 3;
    expect(r1.jobId("echo", { a: 1, matrix: m })).not.toBe(id); // any entry of the matrix
    expect(r1.jobId("trial", task)).not.toBe(id); // the kind

    const [x, y] = await Promise.all([r1.run("echo", task), r1.run("echo", task)]);
    expect(x).toEqual(y);
    expect(r1.stats).toEqual({ tasks: 1, added: 1, attached: 0, finishedBefore: 0 });
    expect(started(id)).toBe(1);

    const r2 = await runner(study); // a coordinator started again
    expect(r2.jobId("echo", task)).toBe(id);
    expect(await r2.run("echo", task)).toEqual(x);
    expect(r2.stats).toEqual({ tasks: 1, added: 0, attached: 1, finishedBefore: 1 });
    expect(started(id)).toBe(1); // not run again

    await r2.forget(); // gone from Redis: a third coordinator runs it again
    const r3 = await runner(study);
    expect(await r3.run("echo", task)).toEqual(x);
    expect(r3.stats.added).toBe(1);
    expect(started(id)).toBe(2);
  });

  it("the same trials give the same records as the local pool (seconds aside), landscapes included", async () => {
    const instances = compareInstances({ cities: [6, 7], instances: 1 });
    const opts = { instances, methods: ["fma:gray", "fma:natural", "edge", "sa-2opt", "penalty-qubo", "random"], seeds: 2, evaluations: 40 };
    const queued = await runCompare({ ...opts, runner: await runner(studyName("records")) });
    const local = await runCompare({ ...opts, workers: 2 });
    const strip = (t: { seconds: number }) => ({ ...t, seconds: 0 });
    expect(queued.trials.map(strip)).toEqual(local.trials.map(strip));
    expect(queued.landscapes).toEqual(local.landscapes);
    expect(queued.failures).toEqual([]);
  });

  it("a trial that fails (a bad instance, an unknown method) is recorded with its message, once, as on the local pool", async () => {
    const [good] = compareInstances({ cities: [6], instances: 1 });
    const bad: CompareInstance = { ...good!, name: "broken", distances: new Float64Array(35) }; // 35 != 6 * 6
    const opts = { instances: [good!, bad], methods: ["random", "fma:nolabeling"], seeds: 1, evaluations: 20, landscape: false };
    const r = await runner(studyName("fail"));
    const queued = await runCompare({ ...opts, runner: r });
    const local = await runCompare({ ...opts, workers: 1 });
    expect(queued.trials.map((t) => ({ ...t, seconds: 0 }))).toEqual(local.trials.map((t) => ({ ...t, seconds: 0 })));
    expect(queued.trials.map((t) => `${t.instance} ${t.method}`)).toEqual(["rand6-s1 random"]);
    expect(queued.failures).toEqual(local.failures);
    expect(queued.failures.map((f) => `${f.instance} ${f.method}: ${f.message}`)).toEqual([
      expect.stringMatching(/^rand6-s1 fma:nolabeling: .*nolabeling/),
      "broken random: distances has 35 entries, expected 6*6",
      expect.stringMatching(/^broken fma:nolabeling: /),
    ]);
    // Each ran once: a failure is a reply, not a retry.
    for (const t of buildTrials(opts.instances, opts.methods, 1, 20)) expect(started(r.jobId("trial", t))).toBe(1);
  });

  it("a throw in the worker entry (a bug) fails the job with its message; it is not retried", async () => {
    const r = await runner(studyName("bug"));
    const task = { instance: null, optimum: null, method: "random", seed: 1, evaluations: 10 };
    await expect(r.run<TrialReply>("trial", task)).rejects.toThrow(/Cannot read properties of null/);
    const id = r.jobId("trial", task);
    await until(() => events.some((e) => e.type === "failed" && e.id === id)); // the worker hears of it after Redis does
    expect(started(id)).toBe(1);
    expect(events.filter((e) => e.type === "failed" && e.id === id)).toHaveLength(1);
    // Re-attaching reads the failure back instead of running it again.
    const again = await runner(r.study);
    await expect(again.run("trial", task)).rejects.toThrow(/Cannot read properties of null/);
    expect(started(id)).toBe(1);
  });

  it("solveMany on the queue: the results of the local pool (timings aside), failures as outcomes", async () => {
    const [a, b] = compareInstances({ cities: [8, 9], instances: 1 });
    const problems = [
      { name: "a", problem: a! },
      { name: "b", problem: [[0, 1, 2], [1, 0, 1], [2, 1]] }, // a ragged matrix
      { name: "c", problem: b!, options: { method: "sa-2opt" as const, seed: 4 } },
    ];
    const opts = { method: "edge" as const, maxEvaluations: 60, seed: 2 };
    const r = await runner(studyName("many"));
    const queued = await solveMany(problems, { ...opts, runner: r });
    const local = await solveMany(problems, { ...opts, runner: new PiscinaRunner({ threads: 2 }) });
    const strip = (o: (typeof queued)[number]) => (o.ok ? { ...o, result: { ...o.result, timings: null } } : o);
    expect(queued.map(strip)).toEqual(local.map(strip));
    expect(queued.map((o) => o.ok)).toEqual([true, false, true]);
    expect(queued[1]).toMatchObject({ ok: false, message: "distance matrix row 2 has 2 entries, expected 3", cancelled: false });
    expect(queued[2]!.ok && queued[2]!.result.method).toBe("sa-2opt");
    expect(r.stats.tasks).toBe(2); // the ragged matrix never left
  });

  it("closing the runner (Ctrl-C on the coordinator) cancels the waits; the jobs stay queued for the next coordinator", async () => {
    const study = studyName("close");
    const r = await runner(study);
    const instances = compareInstances({ cities: [9], instances: 1 });
    const controller = new AbortController();
    const opts = { instances, methods: ["fma:gray"], seeds: 4, evaluations: 150, landscape: false };
    // Stop waiting once the first trial is back: the other three are queued by then.
    const result = await runCompare({ ...opts, runner: r, signal: controller.signal, onProgress: () => controller.abort() });
    expect(result.trials.length).toBeGreaterThanOrEqual(1);
    expect(result.cancelled + result.trials.length).toBe(4);
    expect(r.stats.added).toBe(4);
    const next = await runner(study);
    const resumed = await runCompare({ ...opts, runner: next });
    expect(resumed.trials).toHaveLength(4);
    expect(next.stats).toMatchObject({ added: 0, attached: 4 });
    for (const t of buildTrials(instances, ["fma:gray"], 4, 150)) expect(started(next.jobId("trial", t))).toBe(1);
  });
});
