import { statSync, writeFileSync } from "node:fs";
import { describeDifferences, JournalError } from "../loop/journal.js";
import { methodDefinitions } from "../methods/registry.js";
import type { QueueRunner } from "../study/runner/queue-runner.js";
import { OptionError, UserError } from "../util/errors.js";
import type { CliIo } from "./io.js";

/**
 * Option definitions several commands share, and help texts built from the method registry
 * (src/methods/registry.ts), so that a method's defaults are declared once and the CLI's help
 * says what the library does.
 */

/** The positional TSPLIB problem file of `solve`, `info`, `tour`. */
export const tspFileArg = { type: "string", demandOption: true, describe: "TSPLIB .tsp file (TYPE TSP), or .atsp file (TYPE ATSP)" } as const;

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

/** What a numeric flag accepts (`numberFlag`). */
export interface NumberRule {
  /** Whole numbers only (safe integers). */
  integer?: boolean;
  /** Smallest value allowed (inclusive), and largest. */
  min?: number;
  max?: number;
  /** The value must be above `min` (for a positive real). */
  aboveMin?: boolean;
  /** What the number is, for the message: "a number of seconds" (default "a number", or "an integer"). */
  noun?: string;
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of numeric flag `flag` (e.g. "--seed") checked against `rule`, or an OptionError
 * naming the flag as typed and quoting the text given: `--seed must be an integer, got "abc"`.
 * yargs hands over a number when the text looked like one, else the text itself.
 */
export function checkNumberFlag(flag: string, value: unknown, rule: NumberRule): number {
  if (Array.isArray(value)) throw new OptionError(flag, `${flag} given ${value.length} times; give it once`);
  const text = typeof value === "string" ? value.trim() : String(value);
  const x = typeof value === "number" ? value : NUMERIC.test(text) ? Number(text) : NaN;
  const noun = rule.noun ?? (rule.integer ? "an integer" : "a number");
  const range =
    rule.min !== undefined && rule.max !== undefined
      ? ` in ${rule.min}..${rule.max}`
      : rule.min !== undefined
        ? ` ${rule.aboveMin ? ">" : ">="} ${rule.min}`
        : rule.max !== undefined
          ? ` <= ${rule.max}`
          : "";
  const ok =
    Number.isFinite(x) &&
    (!rule.integer || Number.isSafeInteger(x)) &&
    (rule.min === undefined || (rule.aboveMin ? x > rule.min : x >= rule.min)) &&
    (rule.max === undefined || x <= rule.max);
  if (!ok) throw new OptionError(flag, `${flag} must be ${noun}${range}, got ${typeof value === "string" ? JSON.stringify(value) : text}`);
  return x;
}

/**
 * A yargs option for a numeric flag that the CLI checks itself (`checkNumberFlag`), so a bad
 * value ends in one line naming the flag, with exit status 2, instead of reaching the library
 * as NaN. The help shows `rule` in words after `describe`.
 */
export function numberFlag(flag: `--${string}`, describe: string, rule: NumberRule, extra: { default?: number; demandOption?: boolean } = {}) {
  return {
    describe,
    requiresArg: true,
    coerce: (value: unknown) => {
      try {
        return checkNumberFlag(flag, value, rule);
      } catch (err) {
        return new InvalidFlag(err as OptionError);
      }
    },
    ...extra,
  } as const;
}

/**
 * A flag value `numberFlag` refused. yargs turns an error thrown by a coercion into its own
 * YError (losing the OptionError), so the coercion returns this instead and `throwInvalidFlags`,
 * a middleware of main(), throws the OptionError before any command runs.
 */
export class InvalidFlag {
  constructor(readonly error: OptionError) {}
}

/** Throw the first refused flag value among the parsed arguments (see InvalidFlag). */
export function throwInvalidFlags(argv: Record<string, unknown>): void {
  for (const value of Object.values(argv)) if (value instanceof InvalidFlag) throw value.error;
}

/**
 * Refuse to replace an existing file named by an output flag unless `force` (issue 17: output
 * files are never replaced silently). A directory is refused even with `force`.
 */
export function refuseToReplace(path: string, force: boolean, flag = "--out"): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw new OptionError(flag, `${flag} ${path} is a directory; give a file name`);
  if (!force) throw new OptionError(flag, `${flag} ${path}: the file exists; pass --force to replace it`);
}

/**
 * Write an output file: created anew (an existing file is refused, even one that appeared
 * since `refuseToReplace`), or replaced with `force`. Failures name the file.
 */
export function writeOutputFile(path: string, text: string, force: boolean, flag = "--out"): void {
  try {
    writeFileSync(path, text, { flag: force ? "w" : "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new OptionError(flag, `${flag} ${path}: the file exists; pass --force to replace it`);
    throw new UserError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/**
 * A library error as the CLI user should read it: an OptionError about an option the command
 * sets names its flag (`option maxEvaluations must be ...` -> `--evaluations must be ...`), and
 * a journal's differing settings are listed by flag. Anything else is returned unchanged.
 */
export function withFlagNames(err: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (err instanceof OptionError && Object.hasOwn(flags, err.option)) {
    const flag = flags[err.option]!;
    const named = new RegExp(`^(?:option )?${err.option}\\b`);
    const message = named.test(err.message) ? err.message.replace(named, flag) : `${flag}: ${err.message}`;
    return new OptionError(flag, message.replace("--resume needs a journal path", "--resume needs --journal FILE"));
  }
  if (err instanceof JournalError) {
    let message = err.message.replace("pass resume to continue it", "pass --resume to continue it");
    if (err.differences.length > 0) {
      message = message.replace(describeDifferences(err.differences), describeDifferences(err.differences, (s) => flags[s] ?? s));
    }
    return message === err.message ? err : new JournalError(message, err.differences);
  }
  return err;
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
