import { methodDefinitions } from "../methods/registry.js";
import type { QueueRunner } from "../study/runner/queue-runner.js";
import { UserError } from "../util/errors.js";
import type { CliIo } from "./io.js";

/**
 * Option definitions several commands share, and help texts built from the method registry
 * (src/methods/registry.ts), so that a method's defaults are declared once and the CLI's help
 * says what the library does.
 */

/** The positional TSPLIB problem file of `solve`, `info`, `tour`. */
export const tspFileArg = { type: "string", demandOption: true, describe: "TSPLIB .tsp file" } as const;

/** `--json` of the commands that print one object. */
export const jsonOption = { type: "boolean", default: false, describe: "Print one JSON object" } as const;

/**
 * A "Methods:" table, one line per method with its description, for the epilogue of the
 * commands that take `--method` or `--methods`.
 */
export function methodsEpilogue(filter: (name: string) => boolean = () => true): string {
  const list = methodDefinitions().filter((d) => filter(d.name));
  const width = Math.max(...list.map((d) => d.name.length));
  return "Methods:\n" + list.map((d) => `  ${d.name.padEnd(width)}  ${d.description}`).join("\n");
}

/**
 * The methods' defaults of one option as help text: the most common value first, then the
 * methods that differ, e.g. "default 30; penalty-qubo 300". Methods that do not take the
 * option are left out; `only` limits the text to the methods named.
 */
export function methodDefaultText(option: string, only?: readonly string[]): string {
  const byValue = new Map<string, string[]>();
  for (const d of methodDefinitions()) {
    if (only && !only.includes(d.name)) continue;
    const value = (d.defaults as Record<string, unknown>)[option];
    if (value === undefined) continue;
    const key = String(value);
    byValue.set(key, [...(byValue.get(key) ?? []), d.name]);
  }
  const groups = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length);
  if (groups.length === 0) return "";
  const [[common], ...others] = groups;
  return [`default ${common}`, ...others.map(([value, names]) => `${names.join(", ")} ${value}`)].join("; ");
}

/** `--queue` and `--study` of the commands that can run their tasks on a queue (compare, solve-many). */
export interface QueueArgs {
  queue?: string;
  study?: string;
  workers?: number;
}

/** The yargs options `--queue URL` and `--study NAME`; `what` names the tasks in the help. */
export function queueOptions(what: string) {
  return {
    queue: {
      type: "string",
      describe: `Run the ${what} as jobs of a Redis queue (redis://HOST:PORT[/DB]) that 'fmanneal worker --queue URL' processes serve, on any machines; the same command run again re-attaches`,
    },
    study: { type: "string", describe: "Name of this run's jobs in the queue (default: default); two runs of one spec under different names run separately" },
  } as const;
}

/**
 * The queue runner of `--queue`, connected, or undefined without `--queue`. bullmq and ioredis
 * are imported only here (about 1 s of start-up that no other command should pay).
 * @throws UserError (exit 2, one line) for a bad URL or study name, `--workers` or `--study`
 *   without `--queue` mixed up, or a Redis that cannot be reached
 */
export async function connectQueue(io: CliIo, args: QueueArgs): Promise<QueueRunner | undefined> {
  if (args.queue === undefined) {
    if (args.study !== undefined) throw new UserError("--study names a run on a queue: give --queue redis://HOST:PORT too");
    return undefined;
  }
  if (args.workers !== undefined) {
    throw new UserError("--workers sets local threads; with --queue the tasks run in 'fmanneal worker' processes (set their --concurrency)");
  }
  const { checkQueueUrl, displayUrl } = await import("../study/runner/redis.js");
  const { checkStudyName, connectQueueRunner } = await import("../study/runner/queue-runner.js");
  const url = checkQueueUrl(args.queue);
  const study = checkStudyName(args.study ?? "default");
  const runner = await connectQueueRunner({ url, study, onWarning: (m) => io.err(`warning: ${m}\n`) });
  if ((await runner.workersOnline()) === 0) {
    io.err(`no worker is serving ${runner.describe()} yet; the jobs wait for one: fmanneal worker --queue ${displayUrl(url)}\n`);
  }
  return runner;
}
