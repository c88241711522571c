import { createRequire } from "node:module";
import type { Argv } from "yargs";
import { UserError } from "../util/errors.js";
import { commands } from "./commands/index.js";
import { processIo, type CliIo } from "./io.js";
import { throwInvalidFlags } from "./options.js";

/**
 * yargs' CommonJS build. Its ES module build lays out help with cliui's ESM shim, which breaks
 * lines every `width` characters, in the middle of words ("QUBO optim / isation"); the
 * CommonJS build wraps at word boundaries (wrap-ansi). Same API, same version.
 */
const yargs = createRequire(import.meta.url)("yargs") as (argv: string[]) => Argv;

/**
 * Run the CLI on `argv` (without `node` and the script path) and resolve to the exit status:
 * 0 on success, 2 on a user error (bad file, bad option), whose one-line message goes to
 * `io.err` without a stack trace. Unexpected errors are rethrown.
 *
 * @example
 * ```ts
 * const io = captureIo();
 * const status = await main(["info", "problems/tsplib/burma14.tsp", "--json"], io);
 * JSON.parse(io.stdout).dimension; // 14
 * ```
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const parser = yargs(argv)
    .scriptName("fmanneal")
    .usage("$0 <command> [options]\n\nFactorization machines with annealing for black-box TSP and QUBO optimisation.")
    .strict()
    .demandCommand(1, "Give a command; see --help.")
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .help()
    .version()
    .middleware(throwInvalidFlags)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  for (const factory of commands) parser.command(factory(io));

  let helpOutput = "";
  try {
    await parser.parseAsync(argv, {}, (_err, _args, output) => {
      helpOutput = output;
    });
  } catch (thrown) {
    // yargs reports a command line it cannot parse (a flag missing its value) as a YError.
    const err = thrown instanceof Error && thrown.name === "YError" ? new UsageError(thrown.message) : thrown;
    if (err instanceof UserError) {
      io.err(`fmanneal: ${err.message}\n`);
      if (err instanceof UsageError) io.err("Run 'fmanneal --help' for the commands and options.\n");
      return 2;
    }
    throw err;
  }
  if (helpOutput) io.out(helpOutput.endsWith("\n") ? helpOutput : helpOutput + "\n");
  return 0;
}

/** A command line yargs refused (unknown option, missing argument). */
export class UsageError extends UserError {
  override name = "UsageError";
}
