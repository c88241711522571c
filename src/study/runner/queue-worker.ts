import { cpus, hostname } from "node:os";
import type { Piscina } from "piscina";
import type { Redis } from "ioredis";
import { OptionError } from "../../util/errors.js";
import { createPool } from "../../util/pool.js";
import { blobKey, closeRedis, connectRedis, displayUrl, KEY_PREFIX, queueName } from "./redis.js";
import { taskEntries, type TaskEntries, type TaskEntry, type TaskKind } from "./task-runner.js";
import { blobRefs, decode, encode } from "./wire.js";

/**
 * The worker side of the queue runner (`fmanneal worker`): takes jobs of this version's queue
 * (src/study/runner/redis.ts) and runs each in a piscina pool of `concurrency` threads — never in
 * this process's main thread: a trial does not yield to the event loop, and a main thread busy
 * with one could not renew the job's lock, so the job would be taken for stalled and run twice.
 *
 * Failure semantics (docs/design.md, "Where tasks run"):
 * - A user error of a task comes back from its worker entry as a reply value (`{ ok: false,
 *   message }`): the job completes; the coordinator records the failure with its message.
 * - A throw in the entry (a bug), or a thread that dies, fails the job with the error's message.
 *   Jobs have one attempt: a deterministic task that threw would throw again.
 * - A worker process that dies mid-job (kill -9, a lost machine) stops renewing the job's lock;
 *   after `lockDuration` the lock is gone, and the stalled-job check that every live worker runs
 *   each `stalledInterval` puts the job back in the queue, where another worker takes it. A job
 *   is put back at most MAX_STALLED_RECOVERIES times, then fails as stalled: a task that kills
 *   every worker that runs it (out of memory) is recorded, not retried forever.
 * - `stop()` (Ctrl-C) takes no new job and returns when the jobs in progress have finished and
 *   their results are stored.
 *
 * Instances: a job refers to its distance matrix by content hash (src/study/runner/wire.ts); the
 * bytes are read from Redis once per worker and kept (up to BLOB_CACHE_BYTES), so they travel
 * once per study and worker, not with every job.
 */

/** How many times a job whose worker died is put back in the queue before it fails as stalled. */
export const MAX_STALLED_RECOVERIES = 2;

/** Default lock duration and stalled-check interval, seconds (BullMQ's defaults). */
export const DEFAULT_LOCK_DURATION = 30;
export const DEFAULT_STALLED_INTERVAL = 30;

/** Blob bytes a worker keeps in memory. */
const BLOB_CACHE_BYTES = 256 * 1024 * 1024;

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** redis://HOST:PORT[/DB] of the queue. */
  url: string;
  /** Jobs run at once, each in its own thread (>= 1). */
  concurrency: number;
  /** Seconds a job's lock lasts unless renewed (renewed every half of it). Default 30. */
  lockDuration?: number;
  /** Seconds between this worker's checks for stalled jobs (of any worker). Default 30. */
  stalledInterval?: number;
  /** Name stored on the jobs it runs (default `<hostname>-<pid>`). */
  name?: string;
  /** Worker entries per kind (default taskEntries()). */
  entries?: TaskEntries;
  /** Told about every job and about connection trouble. */
  onEvent?: (event: QueueWorkerEvent) => void;
}

export type QueueWorkerEvent =
  | { type: "start"; id: string; kind: string; label: string }
  | { type: "done"; id: string; kind: string; label: string; seconds: number }
  | { type: "failed"; id: string; kind: string; label: string; message: string }
  | { type: "warning"; message: string };

/** A running worker. */
export interface QueueWorker {
  readonly name: string;
  /** The queue as logs show it. */
  readonly description: string;
  /** Resolves when the worker has stopped, with the jobs it completed and failed. */
  readonly done: Promise<{ completed: number; failed: number }>;
  /** Jobs in progress now. */
  readonly active: number;
  /** Take no new job; resolves when the jobs in progress have finished and the connections are closed. */
  stop(): Promise<void>;
}

/** The machine as reports show it: cores, CPU model, Node version. */
export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}`;
}

/**
 * Connect to the queue and start taking jobs.
 * @throws UserError when Redis cannot be reached; OptionError for a bad count
 * @example
 * ```ts
 * const worker = await startQueueWorker({ url: "redis://10.0.0.5:6379", concurrency: 8 });
 * process.once("SIGINT", () => void worker.stop());
 * console.log(await worker.done); // { completed: 1234, failed: 0 }
 * ```
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { concurrency } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new OptionError("concurrency", `--concurrency must be a positive integer, got ${String(concurrency)}`);
  const lockDuration = seconds("lock-duration", options.lockDuration ?? DEFAULT_LOCK_DURATION);
  const stalledInterval = seconds("stalled-interval", options.stalledInterval ?? DEFAULT_STALLED_INTERVAL);
  const entries = options.entries ?? taskEntries();
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const machine = machineDescription();
  const emit = options.onEvent ?? (() => {});
  const onError = (err: Error) => emit({ type: "warning", message: `Redis at ${displayUrl(options.url)}: ${err.message}` });

  const client = await connectRedis(options.url, { onError });
  const { Worker, UnrecoverableError } = await import("bullmq");
  const pools = new Map<string, Piscina>();
  const blobs = new BlobCache(client);
  const started = new Map<string, number>();
  const counts = { completed: 0, failed: 0 };
  let active = 0;

  const poolOf = (entry: TaskEntry): Piscina => {
    let pool = pools.get(entry.file.href);
    if (!pool) {
      pool = createPool(entry.file, { threads: concurrency });
      pools.set(entry.file.href, pool);
    }
    return pool;
  };

  const worker = new Worker(
    queueName(),
    async (job) => {
      const entry = entries[job.name as TaskKind];
      if (!entry) throw new UnrecoverableError(`this worker has no entry for "${job.name}" tasks`);
      const data = job.data as { task: unknown; label?: string };
      emit({ type: "start", id: job.id!, kind: job.name, label: data.label ?? job.name });
      active++;
      try {
        const t0 = performance.now();
        const task = decode(data.task, await blobs.get(blobRefs(data.task)));
        const reply = await poolOf(entry).run(task, { name: entry.name ?? "default" });
        started.set(job.id!, (performance.now() - t0) / 1000);
        return { reply: encode(reply), worker: name, machine };
      } finally {
        active--;
      }
    },
    {
      connection: client,
      prefix: KEY_PREFIX,
      name,
      concurrency,
      lockDuration: lockDuration * 1000,
      stalledInterval: stalledInterval * 1000,
      maxStalledCount: MAX_STALLED_RECOVERIES,
      autorun: false,
    },
  );
  worker.on("error", onError);
  worker.on("completed", (job) => {
    counts.completed++;
    const s = started.get(job.id!) ?? 0;
    started.delete(job.id!);
    emit({ type: "done", id: job.id!, kind: job.name, label: (job.data as { label?: string }).label ?? job.name, seconds: s });
  });
  worker.on("failed", (job, err) => {
    if (!job) return;
    counts.failed++;
    started.delete(job.id!);
    emit({ type: "failed", id: job.id!, kind: job.name, label: (job.data as { label?: string }).label ?? job.name, message: err.message });
  });

  const running = worker.run();
  await worker.waitUntilReady();
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await worker.close(); // waits for the jobs in progress
      await running.catch(() => undefined);
      await Promise.all([...pools.values()].map((p) => p.destroy()));
      await closeRedis(client);
    })());
  let resolveDone!: (v: { completed: number; failed: number }) => void;
  const done = new Promise<{ completed: number; failed: number }>((r) => (resolveDone = r));
  void running.catch(() => undefined).then(() => stop()).then(() => resolveDone({ ...counts }));
  return {
    name,
    description: `${displayUrl(options.url)} (queue ${KEY_PREFIX}:${queueName()})`,
    done,
    get active() {
      return active;
    },
    stop: () => stop().then(() => undefined),
  };
}

function seconds(option: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new OptionError(option, `--${option} must be a positive number of seconds, got ${String(v)}`);
  return v;
}

/** Blob bytes by hash, read from Redis on first use and kept, least recently used out first. */
class BlobCache {
  private readonly cache = new Map<string, Uint8Array>();
  private bytes = 0;
  constructor(private readonly client: Redis) {}

  async get(hashes: Set<string>): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const hash of hashes) {
      let b = this.cache.get(hash);
      if (!b) {
        const buf = await this.client.getBuffer(blobKey(hash));
        if (!buf) throw new Error(`instance data ${hash.slice(0, 12)}... is missing from Redis (expired, or Redis lost its data): run the coordinator again to upload it`);
        // Another job may have fetched the same blob meanwhile: keep one copy, count it once.
        b = this.cache.get(hash);
        if (!b) {
          b = new Uint8Array(buf);
          this.bytes += b.byteLength;
        }
      }
      this.cache.delete(hash); // most recently used goes last
      this.cache.set(hash, b);
      out.set(hash, b);
    }
    for (const [hash, b] of this.cache) {
      if (this.bytes <= BLOB_CACHE_BYTES || out.has(hash)) break;
      this.cache.delete(hash);
      this.bytes -= b.byteLength;
    }
    return out;
  }
}
