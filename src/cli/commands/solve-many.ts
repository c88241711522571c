import { existsSync, mkdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import type { LabelingName } from "../../labelings/labeling.js";
import { labelingNames } from "../../labelings/registry.js";
import { FMA_DEFAULTS } from "../../methods/fma/method.js";
import { RUN_DEFAULTS, type Method } from "../../methods/method.js";
import { methodNames } from "../../methods/registry.js";
import type { QueueRunner } from "../../study/runner/queue-runner.js";
import { solveMany, type BatchProblem, type SolveManyOutcome } from "../../study/solve-many.js";
import { knownOptimum } from "../../tsp/optima.js";
import { formatTour, readTsplib } from "../../tsp/tsplib.js";
import { OptionError, UserError } from "../../util/errors.js";
import type { CliIo } from "../io.js";
import { connectQueue, methodsEpilogue, numberFlag, queueOptions, refuseToReplace, writeOutputFile } from "../options.js";
import { createProgress, interruptible } from "../progress.js";

interface SolveManyArgs {
  files: string[];
  method: Method;
  labeling: LabelingName;
  evaluations: number;
  seed: number;
  workers?: number;
  queue?: string;
  study?: string;
  out?: string;
  force: boolean;
  json: boolean;
}

/**
 * `fmanneal solve-many <files..> [--method M] [--evaluations N] [--seed S] [--workers W |
 * --queue URL [--study NAME]] [--out DIR [--force]] [--json]`: solve every TSPLIB file, each on
 * its own (src/study/solve-many.ts), in W worker threads or as jobs of a queue served by
 * `fmanneal worker` processes. Prints one line per instance (best length, gap to a known
 * optimum), or with `--json` one JSON array; `--out DIR` writes each best tour to
 * DIR/<name>.tour, refusing before any solve a tour file that exists, unless --force.
 *
 * Exit status 2 when an instance failed (each on stderr; the others are reported) or when
 * interrupted.
 */
export function solveManyCommand(io: CliIo): CommandModule<object, SolveManyArgs> {
  return {
    command: "solve-many <files..>",
    describe: "Solve many TSPLIB instances, each on its own, in worker threads or on a queue of worker processes",
    builder: (y: Argv) =>
      y
        .positional("files", { type: "string", array: true, demandOption: true, describe: "TSPLIB .tsp (or .atsp) files" })
        .option("method", { choices: methodNames, default: "fma" as Method, describe: "The optimiser (see Methods below)" })
        .option("labeling", { choices: labelingNames, default: FMA_DEFAULTS.labeling, describe: "How tours become bits (fma only)" })
        .option("evaluations", numberFlag("--evaluations", "Budget of evaluated samples per instance", { integer: true, min: 1 }, { default: 1000 }))
        .option("seed", numberFlag("--seed", "Seed of every run; same seed and options give the same tours", { integer: true }, { default: RUN_DEFAULTS.seed }))
        .option("workers", numberFlag("--workers", "Worker threads (default: available cores)", { integer: true, min: 1 }))
        .options(queueOptions("solves"))
        .option("out", { type: "string", describe: "Write each best tour to DIR/<name>.tour (existing tour files only with --force)" })
        .option("force", { type: "boolean", default: false, describe: "Let --out replace existing tour files" })
        .option("json", { type: "boolean", default: false, describe: "Print one JSON array (no progress bar)" })
        .epilogue(methodsEpilogue()) as unknown as Argv<SolveManyArgs>,
    handler: async (args) => {
      const files = args.files.map(String);
      const instances = files.map((f) => readTsplib(f));
      const problems: BatchProblem[] = instances.map((inst) => ({ name: basename(inst.name.trim()).replace(/\.tsp$/i, ""), problem: inst }));
      const seen = new Map<string, string>();
      problems.forEach((p, i) => {
        const prev = seen.get(p.name);
        if (prev !== undefined) throw new UserError(`two instances are named ${p.name} (${prev} and ${files[i]}); results are named by instance`);
        seen.set(p.name, files[i]!);
      });
      if (args.out !== undefined) {
        if (existsSync(args.out) && !statSync(args.out).isDirectory()) throw new OptionError("--out", `--out ${args.out} is a file, not a directory`);
        for (const p of problems) refuseToReplace(join(args.out, `${p.name}.tour`), args.force);
      }
      const runner: QueueRunner | undefined = await connectQueue(io, args);
      try {
        const started = performance.now();
        const progress = createProgress(io, args.json, problems.length, "{bar} {value}/{total} solves | failed {failed} | ETA {eta_formatted}", { failed: 0 });
        const outcomes = await interruptible(progress, (signal) =>
          solveMany(problems, {
            method: args.method,
            ...(args.method === "fma" ? { labeling: args.labeling } : {}),
            maxEvaluations: args.evaluations,
            seed: args.seed,
            ...(runner ? { runner } : { threads: args.workers ?? availableParallelism() }),
            signal,
            onProgress: (p) => progress.update(p.done, { failed: p.failed }),
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        report(io, args, instances.map((inst) => knownOptimum(inst.name, inst.dimension)), outcomes, seconds, runner);
        const cancelled = outcomes.filter((o) => !o.ok && o.cancelled).length;
        if (cancelled > 0) {
          const queued = runner ? "; the other jobs stay in the queue: run the same command again to pick up their results" : "";
          throw new UserError(`interrupted: ${outcomes.length - cancelled} of ${outcomes.length} instances finished${queued}`);
        }
        await runner?.forget();
        const failed = outcomes.filter((o): o is Extract<SolveManyOutcome, { ok: false }> => !o.ok);
        for (const f of failed) io.err(`failed: ${f.name}: ${f.message}\n`);
        if (failed.length > 0) throw new UserError(`${failed.length} of ${outcomes.length} instances failed (first: ${failed[0]!.name}: ${failed[0]!.message}); the others are reported`);
      } finally {
        await runner?.close();
      }
    },
  };
}

/** One line per instance (or the JSON array), and the tours when --out. */
function report(io: CliIo, args: SolveManyArgs, optima: (number | null)[], outcomes: SolveManyOutcome[], seconds: number, runner: QueueRunner | undefined): void {
  if (args.out) mkdirSync(args.out, { recursive: true });
  const rows = outcomes.map((o, i) => {
    const optimum = optima[i] ?? null;
    if (!o.ok) return { instance: o.name, file: args.files[i], error: o.message };
    const r = o.result;
    const best = r.best;
    let tour: string | undefined;
    if (args.out && best) {
      tour = join(args.out, `${o.name}.tour`);
      writeOutputFile(tour, formatTour(o.name, best.tour, `length ${best.cost}, fmanneal ${r.method}${r.labeling ? ` ${r.labeling}` : ""} seed ${args.seed}`), args.force);
    }
    return {
      instance: o.name,
      file: args.files[i],
      method: r.method,
      labeling: r.labeling,
      seed: args.seed,
      evaluations: r.evaluations,
      best: best ? { length: best.cost, tour: best.tour.map((c) => c + 1) } : null,
      ...(optimum !== null ? { optimum, gap: best ? (best.cost - optimum) / optimum : null } : {}),
      stopReason: r.stopReason,
      seconds: Math.round(r.timings.total * 1000) / 1000,
      ...(tour ? { tourFile: tour } : {}),
    };
  });
  if (args.json) {
    io.out(JSON.stringify(rows) + "\n");
    return;
  }
  const width = Math.max(...rows.map((r) => r.instance.length));
  for (const r of rows) {
    if ("error" in r) {
      io.out(`${r.instance.padEnd(width)}  failed: ${r.error}\n`);
      continue;
    }
    const gap = "optimum" in r && r.gap !== null && r.gap !== undefined ? ` (optimum ${r.optimum}, gap ${(r.gap * 100).toFixed(2)}%)` : "";
    io.out(`${r.instance.padEnd(width)}  ${r.best ? `best ${r.best.length}${gap}` : "no tour"}, ${r.evaluations} evaluations, ${r.seconds} s\n`);
  }
  const ok = rows.filter((r) => !("error" in r)).length;
  const where = runner ? `${runner.workers} worker process${runner.workers === 1 ? "" : "es"} (queue ${runner.describe()})` : `${args.workers ?? availableParallelism()} worker threads`;
  io.out(`${ok} of ${rows.length} instances solved in ${seconds.toFixed(1)} s on ${where}\n`);
  if (args.out) io.out(`wrote the best tours to ${args.out}\n`);
}
