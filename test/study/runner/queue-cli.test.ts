import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../../../src/cli/io.js";
import { main } from "../../../src/cli/main.js";
import { CliProcess, skipReason, startWorker, studyName, testRedis, type TestRedis } from "./redis-fixture.js";

/*
 * fmanneal compare --queue against a real Redis, with a coordinator and `fmanneal worker`
 * processes spawned the way a user runs them on several machines. What is compared is what a
 * user reads: trials.csv (every column but seconds) and summary.json (but its meta and the
 * median seconds) of the same study run locally. Worker logs (--verbose: a line per job started
 * and done) say which process ran which job, and how often. No timing is asserted.
 */

const redis: TestRedis | null = await testRedis();
if (!redis) console.warn(`skipping the queue tests: ${skipReason}`);
const DB = 1; // this file's database (queue-runner.test.ts uses 2)
const tmp = mkdtempSync(join(tmpdir(), "fmanneal-queue-cli-"));
const processes: CliProcess[] = [];
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill9()));
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function worker(url: string, ...extra: string[]): Promise<CliProcess> {
  const w = await startWorker(url, ...extra);
  processes.push(w);
  return w;
}

function coordinator(args: string[]): CliProcess {
  const c = new CliProcess(args);
  processes.push(c);
  return c;
}

/** trials.csv without its last column (seconds). */
function trialsWithoutSeconds(dir: string): string[] {
  const lines = readFileSync(join(dir, "trials.csv"), "utf8").trimEnd().split("\n");
  expect(lines[0]!.endsWith(",seconds")).toBe(true);
  return lines.map((l) => l.slice(0, l.lastIndexOf(",")));
}

/** summary.json without what depends on where and how fast it ran. */
function summaryWithoutTimes(dir: string): unknown {
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  delete s.meta;
  for (const m of s.byMethod) delete m.medianSeconds;
  return s;
}

const locals = new Map<string, Promise<string>>();

/** The report directory of the study run locally (worker threads of the test process), once per study. */
function local(study: string[]): Promise<string> {
  const key = study.join(" ");
  let run = locals.get(key);
  if (!run) {
    run = (async () => {
      const out = join(tmp, `local-${locals.size}`);
      const io = captureIo();
      expect(await main(["compare", ...study, "--workers", "2", "--json", "--out", out], io), io.stderr).toBe(0);
      return out;
    })();
    locals.set(key, run);
  }
  return run;
}

/** Resolves once `condition` holds (checked every 50 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

/** Every job id in `ids` once: nothing lost, nothing counted twice. */
function once(ids: string[]): Set<string> {
  const set = new Set(ids);
  expect(ids.length, `some job appears twice: ${ids.sort().join(" ")}`).toBe(set.size);
  return set;
}

describe("compare --queue without a Redis", () => {
  it.each([
    ["compare", "--cities", "5", "--seeds", "1"],
    ["solve-many", "problems/random/rand5-s1.tsp"],
    ["worker"],
  ])("%s: exit status 2 and one line naming the URL", async (...argv) => {
    const io = captureIo();
    const status = await main([...argv, "--queue", "redis://127.0.0.1:1"], io);
    expect(status).toBe(2);
    expect(io.stderr).toBe("fmanneal: cannot reach Redis at redis://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n");
    expect(io.stdout).toBe("");
  });

  it("refuses a URL that is not redis://, --workers with --queue, --study without --queue", async () => {
    const cases: [string[], string][] = [
      [["--queue", "http://localhost:6379"], 'fmanneal: --queue: "http://localhost:6379" is not a Redis URL; expected redis://HOST:PORT (or rediss:// for TLS)\n'],
      [["--queue", "redis://127.0.0.1:1", "--workers", "2"], "fmanneal: --workers sets local threads; with --queue the tasks run in 'fmanneal worker' processes (set their --concurrency)\n"],
      [["--study", "x"], "fmanneal: --study names a run on a queue: give --queue redis://HOST:PORT too\n"],
      [["--queue", "redis://127.0.0.1:1", "--study", "a:b"], 'fmanneal: --study: "a:b" is not a study name; use letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit)\n'],
    ];
    for (const [extra, message] of cases) {
      const io = captureIo();
      expect(await main(["compare", "--cities", "5", "--seeds", "1", ...extra], io)).toBe(2);
      expect(io.stderr).toBe(message);
    }
  });
});

describe.skipIf(!redis)("compare --queue with worker processes (real Redis)", { timeout: 180_000 }, () => {
  let url = "";
  beforeAll(() => {
    url = redis!.url(DB);
  });

  it("two workers: trials.csv and summary.json equal the local run's; every job ran once", async () => {
    const study = ["--cities", "6..7", "--instances", "1", "--seeds", "2", "--evaluations", "60"];
    const name = studyName("same");
    const [a, b] = await Promise.all([worker(url), worker(url)]);
    const out = join(tmp, "queued");
    const c = coordinator(["compare", ...study, "--queue", url, "--study", name, "--out", out]);
    expect(await c.exited, c.stderr).toBe(0);
    const lines = c.stdout;
    expect(lines).toMatch(/^24 of 24 trials \(2 instances × 6 methods × 2 seeds\) in [\d.]+ s on [12] worker process(es)?$/m);
    expect(lines).toContain(`(queue fmanneal:v`);
    expect(lines).toMatch(/26 jobs added, 0 already there/); // 24 trials + 2 landscapes

    const reference = await local(study);
    expect(trialsWithoutSeconds(out)).toEqual(trialsWithoutSeconds(reference));
    expect(summaryWithoutTimes(out)).toEqual(summaryWithoutTimes(reference));
    const meta = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).meta;
    expect(meta.command).toBe(JSON.parse(readFileSync(join(reference, "summary.json"), "utf8")).meta.command);
    expect(meta.queue).toContain(`study ${name}`);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## fma:gray vs fma:natural");

    const done = once([...a.jobs("done"), ...b.jobs("done")]);
    expect(done.size).toBe(26);
    expect([...done].every((id) => id.startsWith(`${name}-`))).toBe(true);
    expect(once([...a.jobs("start"), ...b.jobs("start")])).toEqual(done);
    expect(await a.interrupt()).toBe(0);
    expect(await b.interrupt()).toBe(0);
    expect(a.stdout).toMatch(/stopped; \d+ jobs done, 0 failed/);
  });

  // Trials long enough that a worker is caught in one (a tenth of a second or more: the test
  // acts on the worker's "start" line within milliseconds); short lock and stalled-check
  // settings so that recovery takes seconds.
  const slow = ["--cities", "8", "--instances", "1", "--labelings", "gray", "--methods", "", "--seeds", "4", "--evaluations", "150", "--no-landscape"];
  const quickRecovery = ["--lock-duration", "4", "--stalled-interval", "2"];

  it("kill -9 of a worker mid-job: the job runs again on the other worker; every trial once, results identical", async () => {
    const name = studyName("kill");
    const victim = await worker(url, ...quickRecovery);
    const out = join(tmp, "killed");
    const c = coordinator(["compare", ...slow, "--queue", url, "--study", name, "--out", out]);
    const line = await victim.waitFor(/ start /);
    await victim.kill9();
    const lost = / start (\S+)/.exec(line)![1]!;
    expect(victim.jobs("done")).not.toContain(lost);
    const survivor = await worker(url, ...quickRecovery);
    expect(await c.exited, c.stderr).toBe(0);

    expect(survivor.jobs("start")).toContain(lost); // recovered from the stalled-job check
    const done = once([...victim.jobs("done"), ...survivor.jobs("done")]);
    expect(done.size).toBe(4);
    expect(done.has(lost)).toBe(true);
    const rows = trialsWithoutSeconds(out);
    expect(rows.length - 1).toBe(4);
    expect(rows).toEqual(trialsWithoutSeconds(await local(slow)));
    expect(await survivor.interrupt()).toBe(0);
  });

  it("the coordinator killed and started again re-attaches: no finished trial runs again, outputs identical", async () => {
    const study = ["--cities", "8", "--instances", "1", "--labelings", "natural,gray", "--methods", "", "--seeds", "4", "--evaluations", "120", "--no-landscape"];
    const name = studyName("restart");
    const out = join(tmp, "restarted");
    const args = ["compare", ...study, "--queue", url, "--study", name, "--out", out];
    const [a, b] = await Promise.all([worker(url), worker(url)]);
    const first = coordinator(args);
    // Two trials finished: the coordinator has enqueued all eight. Then it dies without a word.
    await until(() => a.jobs("done").length + b.jobs("done").length >= 2);
    await first.kill9();
    const second = coordinator(args);
    expect(await second.exited, second.stderr).toBe(0);
    const m = /(\d+) jobs added, (\d+) already there \((\d+) of them finished before this run\)/.exec(second.stdout);
    expect(m, second.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(0);
    expect(Number(m![2])).toBe(8);
    expect(Number(m![3])).toBeGreaterThanOrEqual(2);

    const started = once([...a.jobs("start"), ...b.jobs("start")]); // no job ran twice
    expect(started.size).toBe(8);
    expect(once([...a.jobs("done"), ...b.jobs("done")])).toEqual(started);
    const reference = await local(study);
    expect(trialsWithoutSeconds(out)).toEqual(trialsWithoutSeconds(reference));
    expect(summaryWithoutTimes(out)).toEqual(summaryWithoutTimes(reference));
    await Promise.all([a.interrupt(), b.interrupt()]);
  });

  it("Ctrl-C on a worker finishes the job in progress and leaves; the job is not run again", async () => {
    const name = studyName("ctrlc");
    const leaving = await worker(url);
    const out = join(tmp, "ctrlc");
    const c = coordinator(["compare", ...slow, "--queue", url, "--study", name, "--out", out]);
    const line = await leaving.waitFor(/ start /);
    const job = / start (\S+)/.exec(line)![1]!;
    expect(await leaving.interrupt()).toBe(0);
    expect(leaving.stdout).toMatch(/stopping: finishing 1 job in progress/);
    expect(leaving.jobs("done")).toEqual([job]);
    expect(leaving.stdout).toMatch(/stopped; 1 jobs done, 0 failed/);
    const next = await worker(url);
    expect(await c.exited, c.stderr).toBe(0);
    expect(next.jobs("start")).not.toContain(job);
    expect(once([...leaving.jobs("done"), ...next.jobs("done")]).size).toBe(4);
    expect(trialsWithoutSeconds(out)).toEqual(trialsWithoutSeconds(await local(slow)));
    await next.interrupt();
  });

  it("solve-many --queue gives the tours of the local run", async () => {
    const files = ["problems/random/rand8-s1.tsp", "problems/random/rand9-s2.tsp", "problems/tsplib/burma14.tsp"];
    const opts = ["--method", "edge", "--evaluations", "80", "--seed", "3", "--json"];
    const w = await worker(url);
    const q = coordinator(["solve-many", ...files, ...opts, "--queue", url, "--study", studyName("many")]);
    expect(await q.exited, q.stderr).toBe(0);
    const io = captureIo();
    expect(await main(["solve-many", ...files, ...opts, "--workers", "2"], io), io.stderr).toBe(0);
    const strip = (rows: { seconds?: number }[]) => rows.map(({ seconds: _s, ...r }) => r);
    expect(strip(JSON.parse(q.stdout))).toEqual(strip(JSON.parse(io.stdout)));
    expect(w.jobs("done")).toHaveLength(3);
    await w.interrupt();
  });
});
