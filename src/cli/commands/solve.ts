import type { Argv, CommandModule } from "yargs";
import type { LabelingName } from "../../labelings/labeling.js";
import { labelingNames } from "../../labelings/registry.js";
import { FMA_DEFAULTS } from "../../methods/fma/method.js";
import { RUN_DEFAULTS, type Method } from "../../methods/method.js";
import { methodDefinition, methodNames } from "../../methods/registry.js";
import { solveTsp, type SolveResult } from "../../methods/solve.js";
import type { TspInstance } from "../../tsp/instance.js";
import { knownOptimum } from "../../tsp/optima.js";
import { readTsplib, writeTour } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { jsonOption, methodDefaultText, methodsEpilogue, tspFileArg } from "../options.js";
import { createProgress, interruptible } from "../progress.js";

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

/** The CLI's budget when neither --evaluations nor --iterations is given (the library's is 300). */
const CLI_EVALUATIONS = 1000;

/** `fmanneal solve <file.tsp>`: run an optimiser on a TSPLIB instance and report the best tour. */
export function solveCommand(io: CliIo): CommandModule<object, SolveArgs> {
  return {
    command: "solve <file>",
    describe: "Find a short tour of a TSPLIB instance with FMA (or another method) and report its gap to the known optimum",
    builder: solveOptions,
    handler: async (args) => {
      const instance = readTsplib(args.file);
      const optimum = knownOptimum(instance.name, instance.dimension);
      const result = await runSolve(io, args, instance, optimum);
      if (args.out && result.best) {
        writeTour(args.out, instance.name, result.best.tour, `length ${result.best.cost}, fmanneal ${result.method}${result.labeling ? ` ${result.labeling}` : ""} seed ${args.seed}`);
      }
      const report = solveReport(instance, args.seed, result, optimum);
      if (args.json) io.out(JSON.stringify(report) + "\n");
      else printSolveReport(io, report, result);
    },
  };
}

/** The options of `solve`; defaults and method help come from the method registry. */
function solveOptions(y: Argv): Argv<SolveArgs> {
  const fmaOnly = ["fma"];
  return y
    .positional("file", tspFileArg)
    .option("method", { choices: methodNames, default: "fma" as Method, describe: "The optimiser (see Methods below)" })
    .option("labeling", { choices: labelingNames, default: FMA_DEFAULTS.labeling, describe: "How tours become bits (fma only)" })
    .option("evaluations", { type: "number", describe: `Budget of evaluated samples, invalid codes included (default ${CLI_EVALUATIONS}, or init + iterations)` })
    .option("iterations", { type: "number", describe: "Proposal rounds after the initial samples (each proposes --batch tours)" })
    .option("init", { type: "number", describe: `Random initial samples before the first proposal (${methodDefaultText("init")})` })
    .option("seed", { type: "number", default: RUN_DEFAULTS.seed, describe: "Seed of every random choice; same seed and options give the same run" })
    .option("rank", { type: "number", describe: `FM rank k (${methodDefaultText("rank", fmaOnly)})` })
    .option("steps", { type: "number", describe: `Warm-started Adam steps per round, the newest sample in every batch (${methodDefaultText("steps", fmaOnly)}; 0: --epochs instead)` })
    .option("epochs", { type: "number", describe: `Warm-started training epochs per round when --steps is 0 (${methodDefaultText("epochs", fmaOnly)})` })
    .option("flips", { type: "boolean", describe: `Rank the single-bit flips of the reads with the reads by predicted cost (${methodDefaultText("flips", fmaOnly)}; --no-flips: reads only, as in the paper)` })
    .option("restart-after", { type: "number", describe: `Train a fresh FM (new initialisation) after this many evaluations without a new best (${methodDefaultText("restartAfter", fmaOnly)}; 0: never)` })
    .option("sweeps", { type: "number", describe: `Annealing sweeps per read (${methodDefaultText("sweeps")})` })
    .option("reads", { type: "number", describe: `Annealing reads per round (${methodDefaultText("reads")})` })
    .option("batch", { type: "number", describe: `Tours proposed and evaluated per round (default ${RUN_DEFAULTS.batch})` })
    .option("policy", { choices: ["penalty", "repair"] as const, default: FMA_DEFAULTS.invalidPolicy, describe: "Invalid codes: penalty (cost = worst seen, kept for training) or repair (mapped to a valid code)" })
    .option("threads", { type: "number", describe: `Worker threads for FM training (${methodDefaultText("threads")}: train in the main thread)` })
    .option("time-limit", { type: "number", describe: "Stop after this many seconds (the round in progress finishes)" })
    .option("journal", { type: "string", describe: "Append every evaluated sample to this JSON-lines file" })
    .option("resume", { type: "boolean", default: false, describe: "Continue the run in --journal without evaluating anything twice" })
    .option("out", { type: "string", describe: "Write the best tour to this TSPLIB .tour file" })
    .option("json", { ...jsonOption, describe: "Print one JSON object (no progress bar)" })
    .epilogue(methodsEpilogue()) as unknown as Argv<SolveArgs>;
}

/**
 * The budget: --evaluations, else init + iterations x batch with --iterations (init being the
 * method's own default unless given), else CLI_EVALUATIONS.
 */
function evaluationBudget(args: SolveArgs): number {
  if (args.evaluations !== undefined) return args.evaluations;
  if (args.iterations === undefined) return CLI_EVALUATIONS;
  const init = args.init ?? methodDefinition(args.method).defaults.init;
  return init + args.iterations * (args.batch ?? RUN_DEFAULTS.batch);
}

/** Run solveTsp with a progress bar (on a terminal) and Ctrl-C stopping after the round in progress. */
async function runSolve(io: CliIo, args: SolveArgs, instance: TspInstance, optimum: number | null): Promise<SolveResult> {
  const maxEvaluations = evaluationBudget(args);
  const progress = createProgress(io, args.json, maxEvaluations, "{bar} {value}/{total} evals | best {best}{gap} | {rate} evals/s", { best: "-", gap: "", rate: 0 });
  return interruptible(progress, (signal) =>
    solveTsp(instance, {
      method: args.method,
      labeling: args.labeling,
      invalidPolicy: args.policy,
      maxEvaluations,
      iterations: args.iterations,
      init: args.init,
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
      signal,
      onProgress: (p) =>
        progress.update(p.evaluations, {
          best: p.bestValue ?? "-",
          gap: optimum && p.bestValue !== null ? ` (gap ${formatGap((p.bestValue - optimum) / optimum)})` : "",
          rate: p.elapsed > 0 ? Math.round(p.evaluations / p.elapsed) : 0,
        }),
    }),
  );
}

type SolveReport = ReturnType<typeof solveReport>;

/** The JSON report of a run (tour as 1-based TSPLIB ids; times rounded to ms). */
function solveReport(instance: TspInstance, seed: number, result: SolveResult, optimum: number | null) {
  const gap = optimum !== null && result.best ? (result.best.cost - optimum) / optimum : null;
  return {
    instance: instance.name,
    method: result.method,
    labeling: result.labeling,
    bits: result.bits,
    seed,
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
}

/** The report as text. */
function printSolveReport(io: CliIo, report: SolveReport, result: SolveResult): void {
  const what = result.method === "fma" ? `fma (${result.labeling}, ${result.bits} bits)` : result.method;
  io.out(`${report.instance}: ${what}, seed ${report.seed}\n`);
  if (!report.best) {
    io.out("no tour evaluated\n");
    return;
  }
  const optimum = report.optimum ?? null;
  io.out(`best length ${report.best.length}` + (optimum !== null ? ` (optimum ${optimum}, gap ${formatGap(report.gap!)})` : "") + `, found at evaluation ${report.bestAt}\n`);
  io.out(`tour ${report.best.tour.join(" ")}\n`);
  io.out(
    `${result.evaluations} evaluations (${result.invalid} invalid codes` + (result.replayed ? `, ${result.replayed} from the journal` : "") + `), stopped: ${result.stopReason}\n`,
  );
  io.out(`time ${report.seconds} s: train ${report.timings.train} s, anneal ${report.timings.anneal} s, evaluate ${report.timings.evaluate} s\n`);
}

function formatGap(g: number): string {
  return `${(g * 100).toFixed(2)}%`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
