import type { Job as BullJob, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { UserError } from "../../util/errors.js";
import { BLOB_TTL_SECONDS, blobKey, closeRedis, connectRedis, displayUrl, KEY_PREFIX, packageVersion, queueName } from "./redis.js";
import type { TaskKind, TaskRunner } from "./task-runner.js";
import { canonicalJson, decode, encode, sha256 } from "./wire.js";

/**
 * The coordinator side of the queue runner (docs/design.md, "Where tasks run"): every task
 * becomes a BullMQ job in the queue of this version (src/study/runner/redis.ts), run by
 * `fmanneal worker` processes (queue-worker.ts) on any machine; the job's return value is the
 * task's reply.
 *
 * Job ids. `<study>-<first 32 hex of sha256(canonical JSON of { version, kind, task })>`: the
 * whole task in its wire form (src/study/runner/wire.ts; an instance's distances enter through
 * their content hash), whatever fields it has. The same task of the same version is the same
 * job: adding it again is a no-op (BullMQ keeps the existing job), so a coordinator that is
 * killed and started again with the same command re-attaches to its jobs — finished ones are
 * read back, running and waiting ones waited for — and no finished task runs again. The study
 * name keeps two runs of one spec apart when wanted; ids never contain ':'.
 *
 * Results. A QueueEvents reader follows the queue's event stream from the entry that was last
 * before this runner added anything, so no completion after that is missed; jobs that already
 * existed when added are read once (they may have finished before). Every `sweepInterval`
 * seconds the jobs still outstanding are read again: the safety net for events lost to the
 * stream's trimming (BullMQ keeps about 10 000 events). A task settles once, from whichever
 * comes first; later news of it is ignored.
 *
 * Failures (what the worker side does, queue-worker.ts): a trial's user error (bad instance, a
 * method that refuses it, a cost error) comes back as a reply `{ ok: false, message }` — a
 * completed job, never retried. A throw in the worker entry (a bug) fails the job with its
 * message, which `run` rejects with; jobs have one attempt, since a deterministic task fails
 * again. A worker that dies mid-job (kill -9, a lost machine) stops renewing the job's lock; a
 * live worker's stalled-job check puts the job back in the queue and another worker runs it,
 * at most MAX_STALLED_RECOVERIES (queue-worker.ts) times before the job fails as stalled.
 */

/** Study names: what may stand before the hash in a job id. */
const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Jobs added per addBulk call. */
const ADD_CHUNK = 500;

/** Options of {@link connectQueueRunner}. */
export interface QueueRunnerOptions {
  /** redis://HOST:PORT[/DB] of the queue. */
  url: string;
  /** Namespace of the job ids (letters, digits, `.`, `_`, `-`; default "default"). */
  study?: string;
  /** Seconds between re-reads of the outstanding jobs (default 30). */
  sweepInterval?: number;
  /** Told about connection trouble after the start (Redis gone, then back). */
  onWarning?: (message: string) => void;
}

/** What a runner has added so far. */
export interface QueueRunnerStats {
  /** Tasks handed to `run`. */
  tasks: number;
  /** Jobs this runner added to the queue. */
  added: number;
  /** Tasks whose job was already in the queue (a restarted coordinator re-attaching). */
  attached: number;
  /** Of those, the ones already finished when attached. */
  finishedBefore: number;
}

interface Outstanding {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  /** Added to the queue (and so worth a sweep). */
  added: boolean;
}

/** A job's return value, as the worker side writes it. */
interface JobResult {
  reply: unknown;
  worker: string;
  machine: string;
}

/**
 * Check a study name.
 * @throws UserError naming `--study`
 */
export function checkStudyName(name: string): string {
  if (!STUDY_NAME.test(name)) throw new UserError(`--study: "${name}" is not a study name; use letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit)`);
  return name;
}

/**
 * A queue runner connected to the Redis at `options.url`.
 * @throws UserError when Redis cannot be reached (one line), or for a bad study name
 * @example
 * ```ts
 * const runner = await connectQueueRunner({ url: "redis://127.0.0.1:6379", study: "labelings-2024" });
 * const r = await runCompare({ instances, methods, seeds: 10, evaluations: 200, runner });
 * await runner.forget(); // the records are in r; drop the jobs from Redis
 * await runner.close();
 * ```
 */
export async function connectQueueRunner(options: QueueRunnerOptions): Promise<QueueRunner> {
  const study = checkStudyName(options.study ?? "default");
  const warn = options.onWarning ?? (() => {});
  const onError = (err: Error) => warn(`Redis at ${displayUrl(options.url)}: ${err.message}`);
  const client = await connectRedis(options.url, { onError });
  let eventsClient: Redis | null = null;
  try {
    eventsClient = await connectRedis(options.url, { onError });
    const { Queue, QueueEvents, Job } = await import("bullmq");
    const name = queueName();
    const queue = new Queue(name, { connection: client, prefix: KEY_PREFIX });
    queue.on("error", onError);
    // Follow the event stream from its last entry now: every job this runner adds finishes after it.
    const last = (await client.xrevrange(queue.toKey("events"), "+", "-", "COUNT", 1)) as [string, string[]][];
    const events = new QueueEvents(name, { connection: eventsClient, prefix: KEY_PREFIX, lastEventId: last[0]?.[0] ?? "0-0" });
    events.on("error", onError);
    await events.waitUntilReady();
    return new QueueRunner(options.url, study, client, eventsClient, queue, events, Job, (options.sweepInterval ?? 30) * 1000);
  } catch (err) {
    await closeRedis(client);
    if (eventsClient) await closeRedis(eventsClient);
    throw err;
  }
}

/** See the module comment. Made by {@link connectQueueRunner}. */
export class QueueRunner implements TaskRunner {
  /** Counts of what this runner added and found. */
  readonly stats: QueueRunnerStats = { tasks: 0, added: 0, attached: 0, finishedBefore: 0 };
  private readonly outstanding = new Map<string, Outstanding>();
  /** Every job id this runner has run, settled or not (what `forget` removes). */
  private readonly ids = new Set<string>();
  private pending: { id: string; kind: TaskKind; wire: unknown; label: string }[] = [];
  private readonly blobsToUpload = new Map<string, Uint8Array>();
  private readonly blobsHeld = new Set<string>();
  private readonly workerNames = new Set<string>();
  private readonly machineNames = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private readonly sweepTimer: NodeJS.Timeout;
  private closing: Promise<void> | null = null;

  /** @internal use {@link connectQueueRunner} */
  constructor(
    readonly url: string,
    readonly study: string,
    private readonly client: Redis,
    private readonly eventsClient: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly Job: typeof BullJob,
    sweepMs: number,
  ) {
    events.on("completed", ({ jobId, returnvalue }) => this.completed(jobId, returnvalue as unknown));
    events.on("failed", ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    this.sweepTimer = setInterval(() => void this.sweep(), sweepMs);
    this.sweepTimer.unref();
  }

  /** Worker processes that have returned a result to this runner. */
  get workers(): number {
    return this.workerNames.size;
  }

  /** The machines those workers ran on (CPU and Node version), distinct. */
  get machines(): string[] {
    return [...this.machineNames];
  }

  /** The queue as reports show it: URL without password, queue and study. */
  describe(): string {
    return `${displayUrl(this.url)} (queue ${KEY_PREFIX}:${queueName()}, study ${this.study})`;
  }

  /** The job id of a task. */
  jobId(kind: TaskKind, task: object): string {
    return this.identify(kind, encode(task, new Map()));
  }

  private identify(kind: TaskKind, wire: unknown): string {
    return `${this.study}-${sha256(canonicalJson({ version: packageVersion(), kind, task: wire })).slice(0, 32)}`;
  }

  /**
   * Enqueue the task (unless its job is already in the queue) and resolve to its reply. Tasks
   * handed over in one tick are added together. The same task twice is one job and one promise.
   */
  run<R>(kind: TaskKind, task: object, label = kind): Promise<R> {
    if (this.closing) return Promise.reject(new Error("the queue runner is closed"));
    const blobs = new Map<string, Uint8Array>();
    let wire: unknown;
    try {
      wire = encode(task, blobs);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.identify(kind, wire);
    const known = this.outstanding.get(id);
    if (known) return known.promise as Promise<R>;
    for (const [hash, bytes] of blobs) if (!this.blobsHeld.has(hash)) this.blobsToUpload.set(hash, bytes);
    let resolve!: (value: unknown) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.outstanding.set(id, { promise, resolve, reject, added: false });
    this.ids.add(id);
    this.stats.tasks++;
    this.pending.push({ id, kind, wire, label });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushing = this.flushing.then(() => this.flush());
      });
    }
    return promise as Promise<R>;
  }

  /** Upload the new blobs, then add the pending jobs, then read back those that already existed. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || this.closing) return;
    try {
      await this.uploadBlobs();
      for (let i = 0; i < batch.length; i += ADD_CHUNK) {
        const chunk = batch.slice(i, i + ADD_CHUNK);
        const exists = this.client.pipeline();
        for (const job of chunk) exists.exists(this.queue.toKey(job.id));
        const existed = ((await exists.exec()) ?? []).map(([err, n]) => !err && n === 1);
        await this.queue.addBulk(
          chunk.map((job) => ({
            name: job.kind,
            data: { task: job.wire, label: job.label },
            opts: { jobId: job.id, attempts: 1, removeOnComplete: false, removeOnFail: false },
          })),
        );
        const reread: string[] = [];
        chunk.forEach((job, k) => {
          const o = this.outstanding.get(job.id);
          if (o) o.added = true;
          if (existed[k]) {
            this.stats.attached++;
            reread.push(job.id);
          } else this.stats.added++;
        });
        await this.readBack(reread, true);
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      for (const job of batch) this.settle(job.id, (o) => o.reject(new Error(`could not enqueue: ${e.message}`)));
    }
  }

  private async uploadBlobs(): Promise<void> {
    if (this.blobsToUpload.size === 0) return;
    const uploads = [...this.blobsToUpload];
    this.blobsToUpload.clear();
    const p = this.client.pipeline();
    for (const [hash, bytes] of uploads) {
      p.set(blobKey(hash), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "EX", BLOB_TTL_SECONDS, "NX");
      p.expire(blobKey(hash), BLOB_TTL_SECONDS);
    }
    const replies = (await p.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    if (failed) throw failed[0]!;
    for (const [hash] of uploads) this.blobsHeld.add(hash);
  }

  /** Read jobs back and settle the finished ones (at most 64 reads in flight). */
  private async readBack(ids: string[], attaching = false): Promise<void> {
    for (let i = 0; i < ids.length; i += 64) {
      await Promise.all(
        ids.slice(i, i + 64).map(async (id) => {
          if (!this.outstanding.has(id)) return;
          const job = await this.Job.fromId(this.queue, id);
          if (!job) {
            this.settle(id, (o) => o.reject(new Error(`job ${id} vanished from the queue (removed by another coordinator of study ${this.study}, or Redis lost its data)`)));
            return;
          }
          if (!job.finishedOn) return;
          if (attaching) this.stats.finishedBefore++;
          if (job.returnvalue !== null && job.returnvalue !== undefined) this.completed(id, job.returnvalue);
          else this.failed(id, job.failedReason || "failed");
        }),
      );
    }
  }

  private async sweep(): Promise<void> {
    if (this.closing) return;
    try {
      const ids = [...this.outstanding].filter(([, o]) => o.added).map(([id]) => id);
      await this.readBack(ids);
      if (this.blobsHeld.size > 0) {
        const p = this.client.pipeline();
        for (const hash of this.blobsHeld) p.expire(blobKey(hash), BLOB_TTL_SECONDS);
        await p.exec();
      }
    } catch {
      // Connection trouble is reported by the client's error handler; the next sweep tries again.
    }
  }

  private settle(id: string, how: (o: Outstanding) => void): void {
    const o = this.outstanding.get(id);
    if (!o) return;
    this.outstanding.delete(id);
    how(o);
  }

  private completed(id: string, returnvalue: unknown): void {
    this.settle(id, (o) => {
      const r = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as JobResult;
      if (typeof r?.worker === "string") this.workerNames.add(r.worker);
      if (typeof r?.machine === "string") this.machineNames.add(r.machine);
      try {
        o.resolve(decode(r.reply));
      } catch (err) {
        o.reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private failed(id: string, reason: string): void {
    this.settle(id, (o) => o.reject(new Error(reason)));
  }

  /** Jobs of this runner not yet settled. */
  get unsettled(): number {
    return this.outstanding.size;
  }

  /** Worker processes connected to this version's queue now (null when Redis will not tell). */
  async workersOnline(): Promise<number | null> {
    try {
      return await this.queue.getWorkersCount();
    } catch {
      return null;
    }
  }

  /**
   * Remove this runner's jobs from Redis (after their results are safe elsewhere): a run of the
   * same tasks afterwards runs them again. Jobs still running are left.
   */
  async forget(): Promise<void> {
    await this.flushing;
    const ids = [...this.ids].filter((id) => !this.outstanding.has(id));
    for (let i = 0; i < ids.length; i += 64) await Promise.all(ids.slice(i, i + 64).map((id) => this.queue.remove(id)));
  }

  /** Stop waiting: unsettled tasks reject; their jobs stay in the queue. Closes the connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.sweepTimer);
      for (const id of [...this.outstanding.keys()]) this.settle(id, (o) => o.reject(new Error("cancelled: the coordinator stopped waiting (the job stays in the queue)")));
      await this.flushing.catch(() => undefined);
      await Promise.race([Promise.all([this.events.close(), this.queue.close()]).catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
      await Promise.all([closeRedis(this.client), closeRedis(this.eventsClient)]);
    })();
    return this.closing;
  }
}
