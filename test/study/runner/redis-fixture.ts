import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A real Redis for the queue tests. CI (.ci/run) starts one on a loopback port and exports
 * FMANNEAL_TEST_REDIS=redis://127.0.0.1:PORT; without it, a test file starts its own
 * redis-server (own port, own temporary dir, no persistence, noeviction) when the binary
 * exists, and is skipped with a message when it does not. Each test file uses its own
 * database number, and each test its own study name, so files running side by side do not
 * see each other's jobs.
 */

export interface TestRedis {
  /** The URL of database `db`. */
  url(db: number): string;
  stop(): Promise<void>;
}

/** Why the queue tests are skipped, or null when they run. */
export let skipReason: string | null = null;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function testRedis(): Promise<TestRedis | null> {
  const given = process.env.FMANNEAL_TEST_REDIS;
  if (given) {
    const base = given.replace(/\/\d*$/, "");
    return { url: (db) => `${base}/${db}`, stop: async () => {} };
  }
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    skipReason = "FMANNEAL_TEST_REDIS is not set and there is no redis-server to start (apt-get install redis-server; CI has it)";
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-redis-"));
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((res, rej) => {
    let out = "";
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("Ready to accept connections")) res();
    });
    child.once("exit", (code) => rej(new Error(`redis-server exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  return {
    url: (db) => `redis://127.0.0.1:${port}/${db}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CLI as a separate process, the way a user (or a fleet of machines) runs it. */
export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../../dist/cli/bin.js");

/** A `fmanneal` process whose output lines are collected as they come. */
export class CliProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  private readonly waiters: { re: RegExp; count: number; resolve: (line: string) => void }[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout!.on("data", (b: Buffer) => {
      partial += b.toString();
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (this.lines.filter((l) => w.re.test(l)).length >= w.count) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
    this.child.stderr!.on("data", (b: Buffer) => (this.stderr += b.toString()));
    this.exited = new Promise((r) => this.child.once("exit", (code) => r(code)));
  }

  /** Resolves when `count` lines of stdout match `re` (at once if they already do). */
  waitFor(re: RegExp, count = 1): Promise<string> {
    const have = this.lines.filter((l) => re.test(l));
    if (have.length >= count) return Promise.resolve(have[count - 1]!);
    return new Promise((resolve) => this.waiters.push({ re, count, resolve }));
  }

  get stdout(): string {
    return this.lines.join("\n");
  }

  /** Job ids of the worker's lines of one kind ("start", "done", "failed"). */
  jobs(kind: "start" | "done" | "failed"): string[] {
    return this.lines.map((l) => new RegExp(`^\\S+ ${kind} (\\S+)`).exec(l)?.[1]).filter((x): x is string => x !== undefined);
  }

  /** Ctrl-C, and the exit status. */
  async interrupt(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGINT");
    return this.exited;
  }

  kill9(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
    return this.exited;
  }
}

/** `fmanneal worker` on `url`, ready to take jobs. */
export async function startWorker(url: string, ...extra: string[]): Promise<CliProcess> {
  const w = new CliProcess(["worker", "--queue", url, "--concurrency", "1", "--verbose", ...extra]);
  await Promise.race([
    w.waitFor(/fmanneal worker .*: serving/),
    w.exited.then((code) => {
      throw new Error(`worker exited (${code}) before serving: ${w.stderr}`);
    }),
  ]);
  return w;
}

/** A unique study name: tests never see another run's jobs. */
export function studyName(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}`;
}
