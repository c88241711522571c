// What a task costs the runner itself (src/study/runner/): the queue runner (BullMQ on Redis,
// two `fmanneal worker` processes of one thread each) against the local piscina pool (two
// threads), side by side in one run, on the same tasks:
//   - echo: a task that does nothing (the runner's own overhead, nothing else);
//   - tiny trial: a compare trial that is almost nothing (N = 6, random search, 10 evaluations).
// Latency: median round trip of one task at a time (submit, run, result back). Throughput: a
// batch submitted at once, tasks per second. A local redis-server is started on a free loopback
// port (own dir, no persistence) unless FMANNEAL_BENCH_REDIS=redis://HOST:PORT names one.
//   npx tsc -p . && node bench/run.mjs queue       (BENCH_QUEUE_N=2000 for a longer batch)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PiscinaRunner } from "../dist/study/runner/task-runner.js";
import { connectQueueRunner } from "../dist/study/runner/queue-runner.js";
import { randomInstance } from "../dist/tsp/generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, "..", "dist", "cli", "bin.js");
const SEQUENTIAL = 200;
const BATCH = Number(process.env.BENCH_QUEUE_N ?? 1000);

async function freePort() {
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startRedis() {
  if (process.env.FMANNEAL_BENCH_REDIS) return { url: process.env.FMANNEAL_BENCH_REDIS.replace(/\/\d*$/, "") + "/3", stop: async () => {} };
  if (spawnSync("redis-server", ["--version"]).status !== 0) throw new Error("queue bench: no redis-server (apt-get install redis-server) and no FMANNEAL_BENCH_REDIS");
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-bench-redis-"));
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", "--dir", dir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((res, rej) => {
    let out = "";
    child.stdout.on("data", (b) => (out += b) && out.includes("Ready to accept connections") && res());
    child.once("exit", () => rej(new Error(out)));
  });
  child.stdout.resume();
  return {
    url: `redis://127.0.0.1:${port}/3`,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startWorker(url) {
  const child = spawn(process.execPath, [BIN, "worker", "--queue", url, "--concurrency", "1"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((res, rej) => {
    let out = "";
    child.stdout.on("data", (b) => (out += b) && out.includes("serving") && res());
    child.once("exit", (code) => rej(new Error(`worker exited ${code}: ${out}`)));
  });
  child.stdout.resume();
  return { stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGINT"))) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median round trip (ms) of one task at a time, and tasks/s of a batch submitted at once. */
async function measure(runner, kind, makeTask) {
  for (let i = 0; i < 20; i++) await runner.run(kind, makeTask(-1 - i)); // threads up, code warm
  const times = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await runner.run(kind, makeTask(i));
    times.push(performance.now() - t);
  }
  const t = performance.now();
  await Promise.all(Array.from({ length: BATCH }, (_, i) => runner.run(kind, makeTask(SEQUENTIAL + i))));
  const seconds = (performance.now() - t) / 1000;
  return { median: median(times), throughput: BATCH / seconds };
}

export async function queueSuite() {
  const redis = await startRedis();
  const workers = [];
  let queue;
  const local = new PiscinaRunner({ threads: 2 });
  try {
    const inst = randomInstance(6, 1);
    const tasks = {
      echo: (i) => ["echo", { i }],
      "tiny trial": (i) => ["trial", { instance: { name: "rand6-s1", dimension: 6, distances: inst.distances }, optimum: null, method: "random", seed: 1000 + i, evaluations: 10 }],
    };
    workers.push(await startWorker(redis.url), await startWorker(redis.url));
    queue = await connectQueueRunner({ url: redis.url, study: `bench-${process.pid}-${Date.now().toString(36)}` });
    console.log(`${SEQUENTIAL} tasks one at a time (median round trip), then ${BATCH} at once (throughput)`);
    console.log(`${"task".padEnd(11)}  ${"runner".padEnd(38)}  ${"median ms".padStart(9)}  ${"tasks/s".padStart(8)}`);
    for (const [name, make] of Object.entries(tasks)) {
      for (const [label, runner] of [
        ["local pool, 2 threads", local],
        ["queue, 2 worker processes x 1 thread", queue],
      ]) {
        const r = await measure(runner, make(0)[0], (i) => make(i)[1]);
        console.log(`${name.padEnd(11)}  ${label.padEnd(38)}  ${r.median.toFixed(2).padStart(9)}  ${r.throughput.toFixed(0).padStart(8)}`);
      }
    }
    await queue.forget();
  } finally {
    await local.close();
    await queue?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await queueSuite();
