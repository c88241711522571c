import type { Argv, CommandModule } from "yargs";
import type { Method } from "../../methods/method.js";
import { methodNames } from "../../methods/registry.js";
import { solveTsp, type SolveResult } from "../../methods/solve.js";
import type { LabelingName } from "../../labelings/labeling.js";
import { labelingNames } from "../../labelings/registry.js";
import { knownOptimum } from "../../tsp/optima.js";
import { readTsplib, writeTour } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { createProgress } from "../progress.js";

interface SolveArgs {
  file: string;
  method: Method;
  labeling: LabelingName;
  evaluations?: number;
  iterations?: number;
  init?: number;
  seed: number;
  rank?: number;
  epochs?: number;
  steps?: number;
  flips?: boolean;
  restartAfter?: number;
  sweeps?: number;
  reads?: number;
  batch?: number;
  policy: "penalty" | "repair";
  threads?: number;
  "time-limit"?: number;
  journal?: string;
  resume: boolean;
  out?: string;
  json: boolean;
}

/** `fmanneal solve <file.tsp>`: run an optimiser on a TSPLIB instance and report the best tour. */
export function solveCommand(io: CliIo): CommandModule<object, SolveArgs> {
  return {
    command: "solve <file>",
    describe: "Find a short tour of a TSPLIB instance with FMA (or a baseline) and report its gap to the known optimum",
    builder: (y: Argv) =>
      y
        .positional("file", { type: "string", demandOption: true, describe: "TSPLIB .tsp file" })
        .option("method", { choices: methodNames, default: "fma" as Method, describe: "fma: FM surrogate + annealing over a labeling's bits (the paper's method); random, sa-2opt: baselines" })
        .option("labeling", { choices: labelingNames, default: "gray" as LabelingName, describe: "How tours become bits (fma only)" })
        .option("evaluations", { type: "number", describe: "Budget of evaluated samples, invalid codes included (default 1000, or init + iterations)" })
        .option("iterations", { type: "number", describe: "Proposal rounds after the initial samples (each proposes --batch tours)" })
        .option("init", { type: "number", describe: "Random initial samples before the first proposal (default 20)" })
        .option("seed", { type: "number", default: 1, describe: "Seed of every random choice; same seed and options give the same run" })
        .option("rank", { type: "number", describe: "FM rank k (default 8)" })
        .option("steps", { type: "number", describe: "Warm-started Adam steps per round, the newest sample in every batch (default 20; 0: --epochs instead)" })
        .option("epochs", { type: "number", describe: "Warm-started training epochs per round when --steps is 0 (default 10)" })
        .option("flips", { type: "boolean", describe: "Rank the single-bit flips of the reads with the reads by predicted cost (default true; --no-flips: reads only, as in the paper)" })
        .option("restart-after", { type: "number", describe: "Train a fresh FM (new initialisation) after this many evaluations without a new best (default 20; 0: never)" })
        .option("sweeps", { type: "number", describe: "Annealing sweeps per read (default 30; penalty-qubo 300)" })
        .option("reads", { type: "number", describe: "Annealing reads per round (default 10)" })
        .option("batch", { type: "number", describe: "Tours proposed and evaluated per round (default 1)" })
        .option("policy", { choices: ["penalty", "repair"] as const, default: "penalty" as const, describe: "Invalid codes: penalty (cost = worst seen, kept for training) or repair (mapped to a valid code)" })
        .option("threads", { type: "number", describe: "Worker threads for FM training (default 0: train in the main thread)" })
        .option("time-limit", { type: "number", describe: "Stop after this many seconds (the round in progress finishes)" })
        .option("journal", { type: "string", describe: "Append every evaluated sample to this JSON-lines file" })
        .option("resume", { type: "boolean", default: false, describe: "Continue the run in --journal without evaluating anything twice" })
        .option("out", { type: "string", describe: "Write the best tour to this TSPLIB .tour file" })
        .option("json", { type: "boolean", default: false, describe: "Print one JSON object (no progress bar)" }) as unknown as Argv<SolveArgs>,
    handler: async (args) => {
      const instance = readTsplib(args.file);
      const optimum = knownOptimum(instance.name, instance.dimension);
      const init = args.init ?? 20;
      const maxEvaluations = args.evaluations ?? (args.iterations !== undefined ? init + args.iterations * (args.batch ?? 1) : 1000);
      const progress = createProgress(io, args.json, maxEvaluations, "{bar} {value}/{total} evals | best {best}{gap} | {rate} evals/s", { best: "-", gap: "", rate: 0 });
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once("SIGINT", onSigint);
      let result: SolveResult;
      try {
        result = await solveTsp(instance, {
          method: args.method,
          labeling: args.labeling,
          invalidPolicy: args.policy,
          maxEvaluations,
          iterations: args.iterations,
          init,
          seed: args.seed,
          rank: args.rank,
          epochs: args.epochs,
          steps: args.steps,
          flips: args.flips,
          restartAfter: args.restartAfter,
          sweeps: args.sweeps,
          reads: args.reads,
          batch: args.batch,
          threads: args.threads,
          timeLimit: args["time-limit"],
          journal: args.journal,
          resume: args.resume,
          signal: controller.signal,
          onProgress: (p) =>
            progress.update(p.evaluations, {
              best: p.bestValue ?? "-",
              gap: optimum && p.bestValue !== null ? ` (gap ${formatGap((p.bestValue - optimum) / optimum)})` : "",
              rate: p.elapsed > 0 ? Math.round(p.evaluations / p.elapsed) : 0,
            }),
        });
      } finally {
        process.removeListener("SIGINT", onSigint);
        progress.stop();
      }
      if (args.out && result.best) {
        writeTour(args.out, instance.name, result.best.tour, `length ${result.best.cost}, fmanneal ${result.method}${result.labeling ? ` ${result.labeling}` : ""} seed ${args.seed}`);
      }
      const gap = optimum !== null && result.best ? (result.best.cost - optimum) / optimum : null;
      const report = {
        instance: instance.name,
        method: result.method,
        labeling: result.labeling,
        bits: result.bits,
        seed: args.seed,
        evaluations: result.evaluations,
        costCalls: result.costCalls,
        invalid: result.invalid,
        best: result.best ? { length: result.best.cost, tour: result.best.tour.map((c) => c + 1) } : null,
        bestAt: result.bestAt,
        ...(optimum !== null ? { optimum, gap } : {}),
        stopReason: result.stopReason,
        seconds: round(result.timings.total),
        timings: { train: round(result.timings.train), anneal: round(result.timings.anneal), evaluate: round(result.timings.evaluate) },
      };
      if (args.json) {
        io.out(JSON.stringify(report) + "\n");
        return;
      }
      const what = result.method === "fma" ? `fma (${result.labeling}, ${result.bits} bits)` : result.method;
      io.out(`${instance.name}: ${what}, seed ${args.seed}\n`);
      if (!result.best) {
        io.out("no tour evaluated\n");
        return;
      }
      io.out(`best length ${result.best.cost}` + (optimum !== null ? ` (optimum ${optimum}, gap ${formatGap(gap!)})` : "") + `, found at evaluation ${result.bestAt}\n`);
      io.out(`tour ${report.best!.tour.join(" ")}\n`);
      io.out(
        `${result.evaluations} evaluations (${result.invalid} invalid codes` + (result.replayed ? `, ${result.replayed} from the journal` : "") + `), stopped: ${result.stopReason}\n`,
      );
      io.out(`time ${report.seconds} s: train ${report.timings.train} s, anneal ${report.timings.anneal} s, evaluate ${report.timings.evaluate} s\n`);
    },
  };
}

function formatGap(g: number): string {
  return `${(g * 100).toFixed(2)}%`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
