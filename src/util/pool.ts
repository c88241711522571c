import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { OptionError } from "./errors.js";

/**
 * Shared piscina plumbing for every worker entry file. The entries live with their domain
 * (`fm/train-worker.ts`, `study/trial-worker.ts`, one file per job); this module knows none.
 *
 * Where worker files come from: piscina loads plain JavaScript, so a worker is always the
 * compiled `dist/<folder>/<job>.js`. {@link workerFileUrl} resolves it relative to the calling
 * module; when that module is itself running from TypeScript source (vitest, tsx: its URL ends
 * in `.ts` under `src/`), the last `/src/` of the path is mapped to `/dist/`, so tests exercise
 * the worker compiled by `tsc` (`npm test` runs it first as `pretest`). A missing file is a
 * clear error ("build first"), not a worker that never starts. The price of this choice: a
 * test run against a stale dist/ tests stale worker code — run `npm test`, or `npx tsc -p .`
 * before `npx vitest run`.
 */

/**
 * URL of a compiled worker file, `relative` to `moduleUrl` (pass `import.meta.url`).
 * Throws if the file does not exist.
 *
 * @example
 * ```ts
 * const url = workerFileUrl("./train-worker.js", import.meta.url); // in src/fm/trainer.ts: .../dist/fm/train-worker.js
 * ```
 */
export function workerFileUrl(relative: string, moduleUrl: string): URL {
  let url = new URL(relative, moduleUrl);
  if (/\.[cm]?tsx?$/.test(new URL(moduleUrl).pathname)) {
    const href = url.href;
    const at = href.lastIndexOf("/src/");
    if (at >= 0) url = new URL(href.slice(0, at) + "/dist/" + href.slice(at + 5));
  }
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`worker file ${path} not found: build the package first (npm run build, i.e. tsc -p .)`);
  }
  return url;
}

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Maximum number of worker threads (>= 1). */
  threads: number;
  /**
   * Milliseconds an idle thread is kept before it exits (threads start on demand). Idle threads
   * and this timer are unref'd by piscina, so a pool that is never closed does not keep the
   * process alive; `close()` is still the clean way out. Default 10 000.
   */
  idleTimeout?: number;
}

/**
 * A piscina pool for one worker file, set up the same way for every job: threads start on
 * demand up to `threads`, idle ones exit after `idleTimeout`, nothing keeps the process alive
 * while idle. A task whose worker throws, or whose thread exits (process.exit, a crash), rejects.
 */
export function createPool(file: URL, options: PoolOptions): Piscina {
  const { threads, idleTimeout = 10_000 } = options;
  if (!Number.isInteger(threads) || threads < 1) throw new OptionError("threads", `pool threads must be an integer >= 1, got ${threads}`);
  return new Piscina({
    filename: file.href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout,
    // Clean close: a running task may finish within this many ms before its thread is killed.
    closeTimeout: 5_000,
  });
}

/**
 * Wrap `value` so piscina transfers (moves) `buffers` instead of copying them, as a task
 * argument or as a worker's return value. The buffers are detached on the sending side.
 */
export function moveWith<T extends object>(value: T, buffers: ArrayBufferLike[]): T {
  return Piscina.move({
    [Piscina.transferableSymbol]: buffers,
    [Piscina.valueSymbol]: value,
  } as unknown as ArrayBuffer) as unknown as T;
}
