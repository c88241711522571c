import { readFileSync } from "node:fs";
import type { Redis, RedisOptions } from "ioredis";
import { UserError } from "../../util/errors.js";

/**
 * Redis for the queue runner: the names of the queue and of the blobs, and connections. ioredis
 * and bullmq are imported here and in the queue modules only, with `import()`, so that the local
 * path and every other command start without them (and without a Redis).
 *
 * Names. BullMQ keys are `fmanneal:<queue>:...`; the queue is `v<package version>`, so a worker
 * only ever takes jobs of its own version (a job's result depends on the code that ran it).
 * Blobs (large typed arrays: the instances, src/study/runner/wire.ts) are `fmanneal:blob:<sha256>`,
 * shared by every study, with a TTL that the coordinators holding them refresh.
 */

/** Prefix of every key fmanneal writes (BullMQ's `prefix`). */
export const KEY_PREFIX = "fmanneal";

/** Seconds a blob outlives the last coordinator that refreshed it. */
export const BLOB_TTL_SECONDS = 7 * 24 * 3600;

let version: string | undefined;

/** The package's version (package.json), part of the queue name and of every job id. */
export function packageVersion(): string {
  // dist/study/runner/ and src/study/runner/ are both three levels below the package root.
  version ??= (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}

/** The queue of this version's jobs. */
export function queueName(): string {
  return `v${packageVersion()}`;
}

export function blobKey(hash: string): string {
  return `${KEY_PREFIX}:blob:${hash}`;
}

/**
 * Check a `--queue` URL: `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS).
 * @throws UserError naming the option
 */
export function checkQueueUrl(url: string, option = "--queue"): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${option}: "${url}" is not a URL; expected redis://HOST:PORT`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new UserError(`${option}: "${url}" is not a Redis URL; expected redis://HOST:PORT (or rediss:// for TLS)`);
  if (u.hostname === "") throw new UserError(`${option}: "${url}" names no host; expected redis://HOST:PORT`);
  return url;
}

/** The URL without its password, for messages and reports. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href.replace(/\/$/, "");
  } catch {
    return url;
  }
}

/** Options of {@link connectRedis}. */
export interface ConnectOptions {
  /** Seconds to wait for the first connection (default 5). */
  timeout?: number;
  /** Told about connection errors after the first connection (Redis gone, then back). */
  onError?: (err: Error) => void;
}

/**
 * A connected ioredis client for `url`, set up as BullMQ needs (`maxRetriesPerRequest: null`:
 * a command waits for a lost connection to come back instead of failing). The first connection
 * is tried once: a Redis that cannot be reached, or that may evict keys, is a UserError (one
 * line; the CLI exits 2). Later outages are retried forever and reported to `onError`.
 *
 * @throws UserError when Redis cannot be reached or its maxmemory-policy is not noeviction
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  const { Redis: RedisClient } = await import("ioredis");
  const shown = displayUrl(url);
  const base: RedisOptions = { maxRetriesPerRequest: null, connectTimeout: (options.timeout ?? 5) * 1000, lazyConnect: true };
  // The first attempt fails fast; only then are retries switched on.
  const client = new RedisClient(url, { ...base, retryStrategy: () => null });
  let firstError: Error | null = null;
  client.on("error", (err: Error) => {
    firstError ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    const cause = firstError ?? (err instanceof Error ? err : new Error(String(err)));
    throw new UserError(`cannot reach Redis at ${shown}: ${describeConnectError(cause)}`);
  }
  client.removeAllListeners("error");
  client.on("error", (err: Error) => options.onError?.(err));
  client.options.retryStrategy = (times: number) => Math.min(100 * times, 5000);
  try {
    await checkEvictionPolicy(client, shown);
  } catch (err) {
    client.disconnect();
    throw err;
  }
  return client;
}

function describeConnectError(err: Error): string {
  const code = (err as { code?: string }).code;
  if (err.message) return err.message;
  return code ?? "connection failed";
}

/** BullMQ's jobs have no TTL; a Redis that evicts keys under memory pressure would lose them. */
async function checkEvictionPolicy(client: Redis, shown: string): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await client.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch {
    return; // CONFIG disabled (managed Redis): nothing to check with
  }
  if (policy !== undefined && policy !== "noeviction") {
    throw new UserError(
      `Redis at ${shown} evicts keys (maxmemory-policy ${policy}), so queued jobs could vanish; the queue needs noeviction (redis-cli -u ${shown} config set maxmemory-policy noeviction)`,
    );
  }
}

/** Close a client: QUIT when connected, else drop it (never waits on a Redis that is gone). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
  client.disconnect();
}
