import { existsSync, statSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { labelingNames } from "../../labelings/registry.js";
import { baselineNames, compareInstances, LANDSCAPE_MAX_CITIES, parseCities, runCompare, trialMethods, type CompareResult, type TaskFailure } from "../../study/compare.js";
import type { QueueRunner } from "../../study/runner/queue-runner.js";
import type { Summary } from "../../study/summary.js";
import { OptionError, UserError } from "../../util/errors.js";
import type { CliIo } from "../io.js";
import { connectQueue, methodsEpilogue, numberFlag, queueOptions } from "../options.js";
import { createProgress, interruptible } from "../progress.js";

interface CompareArgs {
  files?: string[];
  cities?: string;
  instances: number;
  labelings: string;
  methods: string;
  seeds: number;
  evaluations: number;
  workers?: number;
  out: string;
  force: boolean;
  landscape: boolean;
  json: boolean;
  queue?: string;
  study?: string;
}

/** Default of `--out`. */
export const DEFAULT_COMPARE_OUT = "compare-out";

/**
 * `fmanneal compare [files... | --cities 5..15 --instances K] [--labelings natural,gray]
 * [--methods random,sa-2opt,...] [--seeds S] [--evaluations E] [--workers W] [--out DIR]
 * [--no-landscape] [--json] [--queue redis://HOST:PORT [--study NAME]]`: run every (instance,
 * method, seed) as one trial in a pool of W worker threads (src/study/compare.ts) — or, with
 * `--queue`, as jobs of a BullMQ queue that `fmanneal worker` processes run on any machine
 * (src/study/runner/) — and write the report (trials.csv, summary.json, report.md, SVG plots)
 * into DIR. Prints the files written and a table of the median final gap and success rate per N
 * and method; `--json` prints summary.json's object instead. A DIR that already holds report
 * files is refused before any trial runs, unless --force.
 *
 * With `--queue`, the same command run again after the coordinator died re-attaches to its jobs
 * (no finished trial runs again); once the report is written the study's jobs are removed from
 * Redis. Exit status 2 with one line when Redis cannot be reached.
 *
 * Exit status 2, after the report of the other trials is written, when a trial failed (each
 * failure on stderr, the count in the last line) or when interrupted (SIGINT).
 */
export function compareCommand(io: CliIo): CommandModule<object, CompareArgs> {
  const baselines = baselineNames();
  return {
    command: "compare [files..]",
    describe: "Compare labelings and methods over instances and seeds in worker threads, with paired tests, a Markdown report and plots",
    builder: (y: Argv) =>
      y
        .positional("files", { type: "string", array: true, describe: "TSPLIB .tsp files (or give --cities)" })
        .option("cities", { type: "string", describe: "Random instances of these N instead of files: 5..15, 8, or 5,7,9 (problems/random when shipped)" })
        .option("instances", numberFlag("--instances", "Random instances per N (rand{N}-s1 .. rand{N}-s{K}), with --cities", { integer: true, min: 1 }, { default: 5 }))
        .option("labelings", { type: "string", default: "natural,gray", describe: `fma runs, one per labeling (${labelingNames.join(", ")}); "" for none` })
        .option("methods", { type: "string", default: baselines.join(","), describe: `Methods besides fma (${baselines.join(", ")}; see Methods below); "" for none` })
        .option("seeds", numberFlag("--seeds", "Run seeds 1..S per (instance, method); the same seeds for every method (paired tests)", { integer: true, min: 1 }, { default: 10 }))
        .option("evaluations", numberFlag("--evaluations", "Evaluation budget per trial", { integer: true, min: 1 }, { default: 200 }))
        .option("workers", numberFlag("--workers", "Worker threads (default: available cores)", { integer: true, min: 1 }))
        .option("out", { type: "string", default: DEFAULT_COMPARE_OUT, describe: "Report directory (one that already holds a report only with --force)" })
        .option("force", { type: "boolean", default: false, describe: "Let --out replace the report files of an earlier run" })
        .option("landscape", { type: "boolean", default: true, describe: `Landscape metrics of the labelings for N <= ${LANDSCAPE_MAX_CITIES} (exact); --no-landscape skips them` })
        .option("json", { type: "boolean", default: false, describe: "Print the summary as JSON (no progress bar)" })
        .options(queueOptions("trials"))
        .epilogue(methodsEpilogue()) as unknown as Argv<CompareArgs>,
    handler: async (args) => {
      const methods = trialMethods(args.labelings, args.methods);
      // Loaded here, not at start-up: the report's statistics (mathjs) and plots (vega) take a
      // second or more to import, and every other command would pay for it.
      const { REPORT_FILES, writeReport } = await import("../../study/report.js");
      refuseToReplaceReport(args.out, Object.values(REPORT_FILES), args.force);
      const workers = args.workers ?? availableParallelism();
      const cities = args.cities === undefined ? undefined : parseCities(args.cities);
      const instances = compareInstances({ files: args.files, cities, instances: args.instances });
      const total = instances.length * methods.length * args.seeds;
      // Loaded only with --queue: bullmq and ioredis cost every other run ~1 s of start-up.
      const runner: QueueRunner | undefined = await connectQueue(io, args);
      try {
        await compareWith(io, args, methods, cities, instances, total, workers, writeReport, runner);
      } finally {
        await runner?.close();
      }
    },
  };
}

/** Run the trials (locally, or through `runner`), write the report, print the table. */
async function compareWith(
  io: CliIo,
  args: CompareArgs,
  methods: string[],
  cities: number[] | undefined,
  instances: ReturnType<typeof compareInstances>,
  total: number,
  workers: number,
  writeReport: typeof import("../../study/report.js").writeReport,
  runner: QueueRunner | undefined,
): Promise<void> {
  const progress = createProgress(io, args.json, total, "{bar} {value}/{total} trials | landscapes {landscapes} | failed {failed} | ETA {eta_formatted}", { landscapes: 0, failed: 0 });
  const landscapeTotal = args.landscape && methods.some((m) => m.startsWith("fma:")) ? instances.filter((i) => i.dimension <= LANDSCAPE_MAX_CITIES).length : 0;
  progress.update(0, { landscapes: `0/${landscapeTotal}`, failed: 0 });
  const result: CompareResult = await interruptible(progress, (signal) =>
    runCompare({
      instances,
      methods,
      seeds: args.seeds,
      evaluations: args.evaluations,
      workers,
      ...(runner ? { runner } : {}),
      landscape: args.landscape,
      signal,
      onProgress: (p) => progress.update(p.trialsDone, { landscapes: `${p.landscapesDone}/${p.landscapesTotal}`, failed: p.failed }),
    }),
  );

  const command = [
    "fmanneal compare",
    ...(args.files && args.files.length > 0 ? args.files : ["--cities", args.cities!, "--instances", String(args.instances)]),
    "--labelings", args.labelings === "" ? '""' : args.labelings,
    "--methods", args.methods === "" ? '""' : args.methods,
    "--seeds", String(args.seeds),
    "--evaluations", String(args.evaluations),
    ...(args.landscape ? [] : ["--no-landscape"]),
  ].join(" ");
  const cpu = cpus();
  const meta = {
    command,
    budget: args.evaluations,
    seeds: args.seeds,
    wallSeconds: Math.round(result.wallSeconds * 10) / 10,
    workers: result.workers,
    instances:
      cities === undefined
        ? `${instances.length}: ${instances.map((i) => i.name).join(", ")}`
        : `${instances.length}: rand{N}-s1..s${args.instances} for N = ${cities.join(", ")}`,
    landscapes: !args.landscape ? "off" : `exact, for N <= ${LANDSCAPE_MAX_CITIES}`,
    machine: runner ? runner.machines.join("; ") || "none reported" : `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}`,
    ...(runner ? { queue: `${runner.describe()}, ${plural(result.workers, "worker process", "worker processes")}` } : {}),
    ...(result.failures.length > 0 ? { failed: result.failures.map(describeFailure).join("; ") } : {}),
    ...(result.cancelled > 0 ? { cancelled: `${result.cancelled} tasks (interrupted)` } : {}),
  };
  const report = await writeReport(args.out, result.trials, result.landscapes, meta);
  if (args.json) {
    io.out(JSON.stringify({ ...report.summary, plots: report.plots }) + "\n");
  } else {
    io.out(
      `${result.trials.length} of ${total} trials (${plural(instances.length, "instance")} × ${plural(methods.length, "method")} × ${plural(args.seeds, "seed")})` +
        ` in ${result.wallSeconds.toFixed(1)} s on ${runner ? plural(result.workers, "worker process", "worker processes") : plural(result.workers, "worker")}\n`,
    );
    if (runner) {
      const s = runner.stats;
      io.out(`queue ${runner.describe()}: ${s.added} jobs added, ${s.attached} already there (${s.finishedBefore} of them finished before this run)\n`);
    }
    io.out(`wrote ${report.files.join(", ")}\n\n`);
    io.out(gapTable(report.summary));
  }
  for (const f of result.failures) io.err(`failed: ${describeFailure(f)}\n`);
  if (result.cancelled > 0) {
    const queued = runner ? "; the other jobs stay in the queue: run the same command again to pick up their results" : "";
    throw new UserError(`interrupted: ${result.trials.length} of ${result.planned} trials finished; the report in ${args.out} covers them${queued}`);
  }
  // The records are on disk now: the study's jobs can go (a rerun of the command runs them again).
  await runner?.forget();
  if (result.failures.length > 0) {
    const trials = result.failures.filter((f) => f.kind === "trial").length;
    const lands = result.failures.length - trials;
    throw new UserError(
      `${trials} of ${result.planned} trials` + (lands > 0 ? ` and ${lands} landscape tasks` : "") +
        ` failed (first: ${describeFailure(result.failures[0]!)}); the report in ${args.out} covers the rest`,
    );
  }
}

/**
 * Refuse a report directory that already holds report files (or is a file) unless `force`, so
 * that an earlier comparison is never replaced without a word; checked before any trial runs.
 */
function refuseToReplaceReport(dir: string, files: readonly string[], force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new OptionError("--out", `--out ${dir} is a file, not a directory`);
  const present = files.filter((f) => existsSync(join(dir, f)));
  if (present.length > 0 && !force) {
    throw new OptionError("--out", `--out ${dir} already holds a report (${present.join(", ")}); pass --force to replace it, or choose another directory`);
  }
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

function describeFailure(f: TaskFailure): string {
  return f.kind === "trial" ? `${f.instance} ${f.method} seed ${f.seed}: ${f.message}` : `landscape of ${f.instance} (${f.method}): ${f.message}`;
}

/** Rows N, columns methods; cell "median final gap / success rate". */
function gapTable(summary: Summary): string {
  const methods = summary.methods;
  const rows: string[][] = [["N", ...methods]];
  for (const n of summary.cities) {
    rows.push([
      String(n),
      ...methods.map((m) => {
        const s = summary.byMethod.find((x) => x.cities === n && x.method === m);
        if (!s) return "—";
        const g = s.finalGap.median;
        const gap = s.withOptimum === 0 ? "—" : g === null ? "none" : `${(g * 100).toFixed(2)}%`;
        const succ = s.success === null ? "—" : `${Math.round(s.success.rate * 100)}%`;
        return `${gap} / ${succ}`;
      }),
    ]);
  }
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  const lines = rows.map((r) => r.map((c, k) => c.padStart(widths[k]!)).join("  "));
  return "median final gap / success rate\n" + lines.join("\n") + "\n";
}
