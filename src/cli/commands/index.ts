import type { Argv, CommandModule } from "yargs";
import type { CliIo } from "../io.js";

/**
 * Every CLI command is a yargs command module built from an `io` (so tests can capture
 * output). Add a command by writing `commands/<name>.ts` exporting a factory, and listing it in
 * {@link commandTable} with its command string and description.
 */
export type CommandFactory = (io: CliIo) => CommandModule<any, any>;

/**
 * The commands, loaded lazily: `fmanneal --help` lists them from this table alone, and a run
 * imports only the module of the command it runs (the others pull in the FM trainer, worker
 * pools, the report writer...). `command` and `describe` repeat the module's own (a test checks
 * that they agree).
 */
export const commandTable: { command: string; describe: string; load: () => Promise<CommandFactory> }[] = [
  {
    command: "solve <file>",
    describe: "Find a short tour of a TSPLIB instance with FMA (or another method) and report its gap to the known optimum",
    load: async () => (await import("./solve.js")).solveCommand,
  },
  {
    command: "info <file>",
    describe: "Describe a TSPLIB instance (TSP or ATSP): size, distance type, symmetry, known optimum, code length of each labeling",
    load: async () => (await import("./info.js")).infoCommand,
  },
  {
    command: "tour <problem> <tour>",
    describe: "Measure a TSPLIB tour on an instance, with its gap to the known optimum",
    load: async () => (await import("./tour.js")).tourCommand,
  },
  {
    command: "gen",
    describe: "Generate a random EUC_2D instance in TSPLIB format (same seed, same file)",
    load: async () => (await import("./gen.js")).genCommand,
  },
  {
    command: "landscape [file]",
    describe: "Local-minimum fraction and trap probability of each labeling's single-bit-flip landscape",
    load: async () => (await import("./landscape.js")).landscapeCommand,
  },
  {
    command: "qubo <file>",
    describe: "Anneal a QUBO (.qubo, qbsolv format) or a MaxCut graph (Gset/rudy format)",
    load: async () => (await import("./qubo.js")).quboCommand,
  },
  {
    command: "compare [files..]",
    describe: "Compare labelings and methods over instances and seeds in worker threads, with paired tests, a Markdown report and plots",
    load: async () => (await import("./compare.js")).compareCommand,
  },
  {
    command: "solve-many <files..>",
    describe: "Solve many TSPLIB instances, each on its own, in worker threads or on a queue of worker processes",
    load: async () => (await import("./solve-many.js")).solveManyCommand,
  },
  {
    command: "worker",
    describe: "Run the jobs of 'compare --queue' and 'solve-many --queue' from a Redis queue, on this machine, until Ctrl-C",
    load: async () => (await import("./worker.js")).workerCommand,
  },
];

/** A command module whose builder and handler import the real module on first use (yargs awaits async builders). */
function lazyCommand(entry: (typeof commandTable)[number], io: CliIo): CommandModule<any, any> {
  let real: Promise<CommandModule<any, any>> | null = null;
  const load = () => (real ??= entry.load().then((factory) => factory(io)));
  return {
    command: entry.command,
    describe: entry.describe,
    builder: async (y: Argv) => {
      const m = await load();
      return typeof m.builder === "function" ? m.builder(y) : y.options(m.builder ?? {});
    },
    handler: async (args) => (await load()).handler(args),
  };
}

export const commands: CommandFactory[] = commandTable.map((entry) => (io: CliIo) => lazyCommand(entry, io));
