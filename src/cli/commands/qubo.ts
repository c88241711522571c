import { closeSync, openSync, readSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { anneal } from "../../anneal/anneal.js";
import type { Layout } from "../../anneal/problem.js";
import { cutValue, maxCutToQubo, readGset, type MaxCutGraph } from "../../qubo/gset.js";
import { readQubo } from "../../qubo/qbsolv.js";
import type { Qubo } from "../../qubo/types.js";
import { InputError, OptionError, ProblemError } from "../../util/errors.js";
import type { CliIo } from "../io.js";

interface QuboArgs {
  file: string;
  format?: "qubo" | "gset";
  sweeps: number;
  reads: number;
  seed: number;
  "time-limit"?: number;
  layout: Layout;
  json: boolean;
}

/**
 * Guess the format from the first non-blank line: a `c` comment or a `p` line -> qbsolv `.qubo`;
 * two integers -> Gset / rudy. Anything else is an InputError on that line.
 */
export function guessFormat(text: string, file: string): "qubo" | "gset" {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    if (/^c/.test(line) || /^p(\s|$)/.test(line)) return "qubo";
    if (/^\d+\s+\d+$/.test(line)) return "gset";
    throw new InputError(file, i + 1, `cannot tell the format: expected a qbsolv 'c'/'p qubo' line or a Gset header 'n m' (use --format)`);
  }
  throw new InputError(file, 1, "empty file");
}

/**
 * `fmanneal qubo <file>`: anneal a QUBO (qbsolv `.qubo`) or a MaxCut graph (Gset / rudy) and
 * print the best state. JSON: `{ n, energy, cut (gset only), state (string of 0/1), reads
 * (finished), sweeps, seconds (annealing only, file reading excluded), interrupted }`.
 */
export function quboCommand(io: CliIo): CommandModule<object, QuboArgs> {
  return {
    command: "qubo <file>",
    describe: "Anneal a QUBO (.qubo, qbsolv format) or a MaxCut graph (Gset/rudy format)",
    builder: (y: Argv) =>
      y
        .positional("file", { type: "string", demandOption: true, describe: "qbsolv .qubo file or Gset/rudy graph" })
        .option("format", { choices: ["qubo", "gset"] as const, describe: "File format (default: guessed from the first line)" })
        .option("sweeps", { type: "number", default: 1000, describe: "Sweeps per read" })
        .option("reads", { type: "number", default: 10, describe: "Independent reads" })
        .option("seed", { type: "number", default: 1, describe: "Random seed" })
        .option("time-limit", { type: "number", describe: "Stop after this many seconds (finished reads are reported)" })
        .option("layout", {
          choices: ["auto", "dense", "sparse"] as const,
          default: "auto" as const,
          describe: "Kernel layout: auto = dense from n^2/6 couplings on, else sparse",
        })
        .option("json", { type: "boolean", default: false, describe: "Print one JSON object" }) as unknown as Argv<QuboArgs>,
    handler: (args) => {
      const sweeps = intArg("--sweeps", args.sweeps, 0);
      const reads = intArg("--reads", args.reads, 1);
      const seed = args.seed;
      if (!Number.isInteger(seed)) throw new OptionError("--seed", `--seed must be an integer, got ${args.seed}`);
      const timeLimit = args["time-limit"];
      if (timeLimit !== undefined && !(timeLimit >= 0)) throw new OptionError("--time-limit", `--time-limit must be a number of seconds >= 0, got ${timeLimit}`);

      // the first 64 KiB tell the format; the reader then streams the file
      let head: string;
      try {
        head = readHead(args.file, 1 << 16);
      } catch (err) {
        throw new InputError(args.file, null, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const format = args.format ?? guessFormat(head, args.file);
      let qubo: Qubo;
      let graph: MaxCutGraph | null = null;
      if (format === "gset") {
        graph = readGset(args.file);
        qubo = maxCutToQubo(graph);
      } else {
        qubo = readQubo(args.file);
      }

      let res;
      try {
        res = anneal(qubo, { sweeps, reads, seed, layout: args.layout, ...(timeLimit !== undefined ? { timeLimit } : {}) });
      } catch (err) {
        // a file the readers accept can still hold coefficients beyond the kernel's single
        // precision (a ProblemError from anneal()): name the file
        if (err instanceof ProblemError) throw new InputError(args.file, null, err.message);
        throw err;
      }
      const best = res.samples[0];
      const report = {
        n: qubo.n,
        energy: res.energies[0],
        ...(graph ? { cut: cutValue(graph, best) } : {}),
        state: Array.from(best, (b) => (b ? "1" : "0")).join(""),
        reads: res.reads,
        sweeps: res.sweeps,
        seconds: res.seconds,
        interrupted: res.interrupted,
      };
      if (args.json) {
        io.out(JSON.stringify(report) + "\n");
        return;
      }
      const rows: [string, string][] = [
        ["file", `${args.file} (${format}, ${qubo.n} variables)`],
        ...(report.cut !== undefined ? ([["cut", String(report.cut)]] as [string, string][]) : []),
        ["energy", String(report.energy)],
        ["reads", `${res.reads} of ${reads} finished${res.interrupted ? " (time limit reached)" : ""}`],
        ["sweeps", String(res.sweeps)],
        ["seconds", res.seconds.toFixed(3)],
        ["state", report.state],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      io.out(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(""));
    },
  };
}

/** The first `bytes` bytes of a file, decoded as UTF-8. */
function readHead(path: string, bytes: number): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const got = readSync(fd, buf, 0, bytes, 0);
    return buf.toString("utf8", 0, got);
  } finally {
    closeSync(fd);
  }
}

function intArg(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) throw new OptionError(name, `${name} must be an integer >= ${min}, got ${value}`);
  return value;
}
