import type { Argv, CommandModule } from "yargs";
import type { LabelingName } from "../../labelings/labeling.js";
import { labelingNames } from "../../labelings/registry.js";
import { FMA_DEFAULTS } from "../../methods/fma/method.js";
import { RUN_DEFAULTS, type Method } from "../../methods/method.js";
import { methodDefinition, methodNames } from "../../methods/registry.js";
import { solveTsp, type SolveResult } from "../../methods/solve.js";
import type { TspInstance } from "../../tsp/instance.js";
import { formatTour, readTsplib } from "../../tsp/tsplib.js";
import { formatGap, gapBasis, gapText, gapTo, referenceLine, type GapBasis } from "../gap.js";
import type { CliIo } from "../io.js";
import { jsonOption, methodDefaultText, methodsEpilogue, numberFlag, refuseToReplace, tspFileArg, withFlagNames, writeOutputFile } from "../options.js";
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
  force: boolean;
  optimum?: number;
  json: boolean;
}

/** The CLI's budget when neither --evaluations nor --iterations is given (the library's is 300). */
const CLI_EVALUATIONS = 1000;

/** The flag of each library option `solve` sets, for messages (OptionError, journal differences). */
export const SOLVE_FLAGS: Readonly<Record<string, string>> = {
  method: "--method",
  labeling: "--labeling",
  maxEvaluations: "--evaluations",
  iterations: "--iterations",
  init: "--init",
  seed: "--seed",
  rank: "--rank",
  epochs: "--epochs",
  steps: "--steps",
  flips: "--flips",
  restartAfter: "--restart-after",
  sweeps: "--sweeps",
  reads: "--reads",
  batch: "--batch",
  invalidPolicy: "--policy",
  threads: "--threads",
  timeLimit: "--time-limit",
  journal: "--journal",
  resume: "--resume",
};

/** What the text report's fields mean: the epilogue of `solve --help` (the README has the same). */
const OUTPUT_EPILOGUE = `Output (text):
  <instance>: <method>, seed S      fma shows its labeling and code length in bits
  best length L (...)                the shortest tour evaluated; in parentheses its gap (L - optimum) / optimum to the known
                                     optimum or --optimum, or else its gap to the reference (see below)
  found at evaluation E              the 1-based evaluation at which that tour was first evaluated
  reference R: ...                   when no optimum is known: the engine's own white-box tour on the known distances
                                     (2-opt + Or-opt local search); not an optimum, so the gap to it may be negative
  tour ...                           the best tour, TSPLIB node ids (1-based)
  N evaluations (...)                samples evaluated; "invalid codes": fma proposals that decode to no tour (penalised,
                                     never priced); "from the journal": answered by --journal on --resume; "abandoned":
                                     evaluations cut off by --time-limit or Ctrl-C
  stopped: R                         budget (--evaluations), iterations, time (--time-limit), aborted (Ctrl-C), exhausted
                                     (no unseen tour left)
  time T s: train, anneal, evaluate  wall-clock seconds, and those spent training the model, annealing/searching, evaluating`;

/** `fmanneal solve <file.tsp>`: run an optimiser on a TSPLIB instance and report the best tour. */
export function solveCommand(io: CliIo): CommandModule<object, SolveArgs> {
  return {
    command: "solve <file>",
    describe: "Find a short tour of a TSPLIB instance with FMA (or another method) and report its gap to the known optimum",
    builder: solveOptions,
    handler: async (args) => {
      if (args.out !== undefined) refuseToReplace(args.out, args.force);
      const instance = readTsplib(args.file);
      const basis = gapBasis(instance, args.optimum);
      const result = await runSolve(io, args, instance, basis);
      if (args.out && result.best) {
        writeOutputFile(args.out, formatTour(instance.name, result.best.tour, `length ${result.best.cost}, fmanneal ${result.method}${result.labeling ? ` ${result.labeling}` : ""} seed ${args.seed}`), args.force);
      }
      const report = solveReport(instance, args.seed, result, basis);
      if (args.json) io.out(JSON.stringify(report) + "\n");
      else printSolveReport(io, report, result, basis);
    },
  };
}

/** The options of `solve`; defaults and method help come from the method registry. */
function solveOptions(y: Argv): Argv<SolveArgs> {
  const fmaOnly = ["fma"];
  const count = (min: number) => ({ integer: true, min });
  return y
    .positional("file", tspFileArg)
    .option("method", { choices: methodNames, default: "fma" as Method, describe: "The optimiser (see Methods below)" })
    .option("labeling", { choices: labelingNames, default: FMA_DEFAULTS.labeling, describe: "How tours become bits (fma only)" })
    .option("evaluations", numberFlag("--evaluations", `Budget of evaluated samples, invalid codes included, at least 1 (default ${CLI_EVALUATIONS}, or init + iterations)`, count(1)))
    .option("iterations", numberFlag("--iterations", "Proposal rounds after the initial samples (each proposes --batch tours)", count(0)))
    .option("init", numberFlag("--init", `Random initial samples before the first proposal (${methodDefaultText("init")})`, count(0)))
    .option("seed", numberFlag("--seed", "Seed of every random choice, an integer; same seed and options give the same run", { integer: true }, { default: RUN_DEFAULTS.seed }))
    .option("rank", numberFlag("--rank", `FM rank k (${methodDefaultText("rank", fmaOnly)})`, count(1)))
    .option("steps", numberFlag("--steps", `Warm-started Adam steps per round, the newest sample in every batch (${methodDefaultText("steps", fmaOnly)}; 0: --epochs instead)`, count(0)))
    .option("epochs", numberFlag("--epochs", `Warm-started training epochs per round when --steps is 0 (${methodDefaultText("epochs", fmaOnly)})`, count(1)))
    .option("flips", { type: "boolean", describe: `Rank the single-bit flips of the reads with the reads by predicted cost (${methodDefaultText("flips", fmaOnly)}; --no-flips: reads only, as in the paper)` })
    .option("restart-after", numberFlag("--restart-after", `Train a fresh FM (new initialisation) after this many evaluations without a new best (${methodDefaultText("restartAfter", fmaOnly)}; 0: never)`, count(0)))
    .option("sweeps", numberFlag("--sweeps", `Annealing sweeps per read (${methodDefaultText("sweeps")})`, count(1)))
    .option("reads", numberFlag("--reads", `Annealing reads per round (${methodDefaultText("reads")})`, count(1)))
    .option("batch", numberFlag("--batch", `Tours proposed and evaluated per round (default ${RUN_DEFAULTS.batch})`, count(1)))
    .option("policy", { choices: ["penalty", "repair"] as const, default: FMA_DEFAULTS.invalidPolicy, describe: "Invalid codes: penalty (cost = worst seen, kept for training) or repair (mapped to a valid code)" })
    .option("threads", numberFlag("--threads", `Worker threads for FM training (${methodDefaultText("threads")}: train in the main thread)`, count(0)))
    .option("time-limit", numberFlag("--time-limit", "Stop after this many seconds, the initial samples included (a proposal or evaluation in progress at the limit is dropped)", { min: 0, noun: "a number of seconds" }))
    .option("journal", { type: "string", describe: "Append every evaluated sample to this JSON-lines file (locked while the run uses it)" })
    .option("resume", { type: "boolean", default: false, describe: "Continue the run in --journal without evaluating anything twice (same seed and options; the budget may differ)" })
    .option("out", { type: "string", describe: "Write the best tour to this TSPLIB .tour file (an existing file only with --force)" })
    .option("force", { type: "boolean", default: false, describe: "Let --out replace an existing file" })
    .option("optimum", numberFlag("--optimum", "The optimum (or best known) tour length, for the gap; without it a shipped instance's known optimum is used, or else a reference tour", { min: 0, aboveMin: true }))
    .option("json", { ...jsonOption, describe: "Print one JSON object (no progress bar)" })
    .epilogue(`${methodsEpilogue()}\n\n${OUTPUT_EPILOGUE}`) as unknown as Argv<SolveArgs>;
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

/** Run solveTsp with a progress bar (on a terminal) and Ctrl-C stopping the run; library errors name the CLI's flags. */
async function runSolve(io: CliIo, args: SolveArgs, instance: TspInstance, basis: GapBasis | null): Promise<SolveResult> {
  const maxEvaluations = evaluationBudget(args);
  const progress = createProgress(io, args.json, maxEvaluations, "{bar} {value}/{total} evals | best {best}{gap} | {rate} evals/s", { best: "-", gap: "", rate: 0 });
  try {
    return await interruptible(progress, (signal) =>
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
            gap: basis && p.bestValue !== null ? ` (gap ${formatGap(gapTo(basis, p.bestValue))}${basis.kind === "reference" ? " to ref." : ""})` : "",
            rate: p.elapsed > 0 ? Math.round(p.evaluations / p.elapsed) : 0,
          }),
      }),
    );
  } catch (err) {
    throw withFlagNames(err, SOLVE_FLAGS);
  }
}

type SolveReport = ReturnType<typeof solveReport>;

/** The JSON report of a run (tour as 1-based TSPLIB ids; times rounded to ms). */
function solveReport(instance: TspInstance, seed: number, result: SolveResult, basis: GapBasis | null) {
  const gap = basis && result.best ? gapTo(basis, result.best.cost) : null;
  return {
    instance: instance.name,
    method: result.method,
    labeling: result.labeling,
    bits: result.bits,
    seed,
    evaluations: result.evaluations,
    costCalls: result.costCalls,
    invalid: result.invalid,
    abandoned: result.abandoned,
    best: result.best ? { length: result.best.cost, tour: result.best.tour.map((c) => c + 1) } : null,
    bestAt: result.bestAt,
    ...(basis?.kind === "optimum" ? { optimum: basis.length, optimumSource: basis.source, gap } : {}),
    ...(basis?.kind === "reference" ? { reference: { length: basis.length, how: basis.how, note: "not an optimum" }, referenceGap: gap } : {}),
    stopReason: result.stopReason,
    seconds: round(result.timings.total),
    timings: { train: round(result.timings.train), anneal: round(result.timings.anneal), evaluate: round(result.timings.evaluate) },
  };
}

/** The report as text; its fields are explained in OUTPUT_EPILOGUE and the README. */
function printSolveReport(io: CliIo, report: SolveReport, result: SolveResult, basis: GapBasis | null): void {
  const what = result.method === "fma" ? `fma (${result.labeling}, ${result.bits} bits)` : result.method;
  io.out(`${report.instance}: ${what}, seed ${report.seed}\n`);
  if (!report.best) {
    io.out(`no tour evaluated, stopped: ${result.stopReason}\n`);
    return;
  }
  io.out(`best length ${report.best.length}` + (basis ? ` (${gapText(basis, report.best.length)})` : "") + `, found at evaluation ${report.bestAt}\n`);
  if (basis?.kind === "reference") io.out(referenceLine(basis) + "\n");
  io.out(`tour ${report.best.tour.join(" ")}\n`);
  const parts = [`${result.invalid} invalid codes`];
  if (result.replayed) parts.push(`${result.replayed} from the journal`);
  if (result.abandoned) parts.push(`${result.abandoned} abandoned`);
  io.out(`${result.evaluations} evaluations (${parts.join(", ")}), stopped: ${result.stopReason}\n`);
  io.out(`time ${report.seconds} s: train ${report.timings.train} s, anneal ${report.timings.anneal} s, evaluate ${report.timings.evaluate} s\n`);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
