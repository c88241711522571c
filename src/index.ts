/**
 * fmanneal — the public library API. Everything not exported here is internal.
 * @packageDocumentation
 */
export { Random } from "./util/random.js";
export { UserError, InputError, OptionError, ProblemError } from "./util/errors.js";
export type { Qubo, DenseQubo, SparseQubo, FactorizedQubo } from "./qubo/types.js";
export { createLabeling, labelingNames } from "./labelings/registry.js";
export type { Labeling, LabelingName } from "./labelings/labeling.js";

/**
 * TSPLIB instances, tours and exact optima.
 *
 * @example
 * ```ts
 * import { readTsplib, readTour, tourLength, heldKarp, knownOptimum, randomInstance, formatTour } from "fmanneal";
 * const ulysses = readTsplib("node_modules/fmanneal/problems/tsplib/ulysses16.tsp");
 * const opt = readTour("node_modules/fmanneal/problems/tsplib/ulysses16.opt.tour", { dimension: 16 });
 * tourLength(ulysses, opt.tour);           // 6859
 * knownOptimum(ulysses.name);              // 6859 ("ulysses16.tsp" and "ulysses16" both work)
 * heldKarp(randomInstance(12, 1)).length;  // exact optimum of a random 12-city instance
 * formatTour("best", [0, 2, 1]);           // TSPLIB TOUR text, 1-based ids
 * ```
 */
export { readTsplib, parseTsplib, readTour, parseTour, writeTour, formatTour, formatTsplib, TsplibError } from "./tsp/tsplib.js";
export type { TspTour, TourReadOptions } from "./tsp/tsplib.js";
export type { TspInstance } from "./tsp/instance.js";
export { tourLength, canonicalTour, validateTour, TourError } from "./tsp/tour.js";
export type { HasDistances } from "./tsp/tour.js";
export { heldKarp } from "./tsp/heldKarp.js";
export type { ExactSolution } from "./tsp/heldKarp.js";
export { randomInstance } from "./tsp/generate.js";
export { knownOptimum, optimalTourPath } from "./tsp/optima.js";

/**
 * Factorization-machine surrogates over bit vectors, trained in the calling thread or in
 * worker threads, and their QUBO forms.
 *
 * @example
 * ```ts
 * import { trainFm, FmModel, FmTrainer } from "fmanneal";
 * const model = trainFm(samples, costs, { k: 8, seed: 1 });   // samples: Uint8Array[] of 0/1
 * model.predict(samples[0]);
 * const qubo = model.toQubo();                                // FactorizedQubo, E(x) = predict(x)
 * const saved = JSON.stringify(model);                        // FmModel.fromJSON(JSON.parse(saved))
 * const trainer = new FmTrainer({ threads: 1 });              // same result, off the main thread
 * const next = await trainer.train(moreSamples, moreCosts, { seed: 2, warmStart: model });
 * await trainer.close();
 * ```
 */
export { trainFm } from "./fm/train.js";
export { FmModel } from "./fm/model.js";
export type { FmModelJson } from "./fm/model.js";
export { FmTrainer } from "./fm/trainer.js";
export type { FmTrainerOptions } from "./fm/trainer.js";
export type { FmTrainOptions } from "./fm/options.js";
export type { FmTrainReport } from "./fm/core.js";

/**
 * Landscape metrics of labelings: local-minimum fraction and trap probability of steepest
 * descent over single-bit flips (docs/design.md, Definitions), exact when (N-1)! <= 2^24, else Monte Carlo
 * with 95% Wilson intervals.
 *
 * @example
 * ```ts
 * import { landscapes, randomInstance, labelingNames } from "fmanneal";
 * for (const r of landscapes(randomInstance(10, 1), labelingNames)) {
 *   console.log(r.labeling, r.bits, r.localMinFraction, r.trapProbability); // exact at N = 10
 * }
 * ```
 */
export { landscape, landscapes } from "./study/landscape.js";
export type { LandscapeInstance, LandscapeOptions, LandscapeResult } from "./study/landscape.js";
export { wilsonInterval } from "./study/intervals.js";

/**
 * QUBOs and simulated annealing: energies, qbsolv `.qubo` and Gset/rudy I/O, MaxCut, and the
 * WebAssembly single-flip annealer for dense, sparse and factorized (FM) QUBOs.
 *
 * @example
 * ```ts
 * import { anneal, readGset, maxCutToQubo, cutValue, parseQubo, quboEnergy, writeQubo } from "fmanneal";
 * const graph = readGset("node_modules/fmanneal/problems/gset/G1.txt");
 * const res = anneal(maxCutToQubo(graph), { sweeps: 1000, reads: 10, seed: 1 });
 * cutValue(graph, res.samples[0]);              // about 11600 (best known 11624)
 * const q = parseQubo("p qubo 0 2 2 1\n0 0 -1\n1 1 -1\n0 1 3\n");
 * anneal(q).energies[0];                         // -1 (one of the two variables set)
 * quboEnergy(q, [1, 1]);                         // 1
 * writeQubo(q);                                  // the same text back
 * anneal(fmModel.toQubo(), { sweeps: 500, reads: 10, timeLimit: 0.1 }); // factorized: O(k) per flip
 * ```
 */
export { anneal } from "./anneal/anneal.js";
export type { AnnealOptions, AnnealResult } from "./anneal/anneal.js";
export { defaultBetaRange, geometricSchedule } from "./anneal/schedule.js";
export { quboEnergy } from "./qubo/energy.js";
export { denseToSparse, sparseToDense, factorizedToDense, toDense } from "./qubo/convert.js";
export { readQubo, parseQubo, writeQubo } from "./qubo/qbsolv.js";
export { readGset, parseGset, maxCutToQubo, cutValue } from "./qubo/gset.js";
export type { MaxCutGraph } from "./qubo/gset.js";

/**
 * Comparison statistics and reports: paired Wilcoxon signed-rank test, summaries per N and
 * method, and `writeReport` (trials.csv, summary.json, report.md, vega-lite SVG plots).
 *
 * @example
 * ```ts
 * import { wilcoxonSignedRank, writeReport } from "fmanneal";
 * wilcoxonSignedRank([1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3],
 *   [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29], { alternative: "greater" }).pValue; // 0.01953
 * await writeReport("out/compare", trials, [], { command: "fmanneal compare", budget: 200, seeds: 10, wallSeconds: 60, workers: 2 });
 * ```
 */
export { median, mean, quantile, normalCdf, wilcoxonSignedRank, holm } from "./study/stats.js";
export type { Alternative, WilcoxonOptions, WilcoxonResult } from "./study/stats.js";
export type { TrialRecord, LandscapeRecord } from "./study/types.js";
export { summarize } from "./study/summary.js";
export type { Summary, SummaryOptions, ReportMeta, MethodSummary, CheckpointSummary, PairedComparison, LandscapeSummary } from "./study/summary.js";
export { writeReport, trialsCsv, reportMarkdown } from "./study/report.js";
export type { ReportResult, PlotFile } from "./study/report.js";

/**
 * Comparison runs (`fmanneal compare` as a library): instances, the trial list, and running it
 * in a worker pool; pass the result to `writeReport`.
 *
 * @example
 * ```ts
 * import { compareInstances, runCompare, trialMethods, writeReport } from "fmanneal";
 * const instances = compareInstances({ cities: [8, 9], instances: 3 });
 * const r = await runCompare({ instances, methods: trialMethods("natural,gray", "random"), seeds: 5, evaluations: 100, workers: 2 });
 * await writeReport("out", r.trials, r.landscapes, { command: "my sweep", budget: 100, seeds: 5, wallSeconds: r.wallSeconds, workers: r.workers });
 * ```
 */
export { runCompare, compareInstances, trialMethods, parseCities, buildTrials, baselineNames, LANDSCAPE_MAX_CITIES } from "./study/compare.js";
export type { CompareInstance, CompareOptions, CompareResult, CompareProgress, TaskFailure } from "./study/compare.js";

/**
 * Batches of independent solves, and where tasks run. `solveMany` solves many distance-matrix
 * problems (hundreds of depots, one route each), each with `solveTsp`, in worker threads here or
 * through a `TaskRunner`; `connectQueueRunner` gives the runner of a BullMQ queue on Redis that
 * `fmanneal worker --queue URL` processes serve on any number of machines (`runCompare` takes
 * it too, as `runner`). bullmq and ioredis are loaded only when a queue runner or worker starts.
 *
 * @example
 * ```ts
 * import { solveMany, connectQueueRunner, readTsplib } from "fmanneal";
 * const depots = files.map((f) => ({ name: f, problem: readTsplib(f) }));     // or number[][] matrices
 * const local = await solveMany(depots, { method: "edge", maxEvaluations: 300, threads: 4 });
 * local[0].ok ? local[0].result.best : local[0].message;
 *
 * const runner = await connectQueueRunner({ url: "redis://10.0.0.5:6379", study: "monday" });
 * try {
 *   const remote = await solveMany(depots, { method: "edge", maxEvaluations: 300, runner }); // same tours
 *   await runner.forget();                       // the results are here: drop the jobs from Redis
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export { solveMany } from "./study/solve-many.js";
export type { BatchProblem, BatchSolveOptions, SolveManyOptions, SolveManyOutcome } from "./study/solve-many.js";
export { PiscinaRunner } from "./study/runner/task-runner.js";
export type { TaskRunner, TaskKind, PiscinaRunnerOptions } from "./study/runner/task-runner.js";
export { connectQueueRunner } from "./study/runner/queue-runner.js";
export type { QueueRunner, QueueRunnerOptions, QueueRunnerStats } from "./study/runner/queue-runner.js";
export { startQueueWorker } from "./study/runner/queue-worker.js";
export type { QueueWorker, QueueWorkerOptions, QueueWorkerEvent } from "./study/runner/queue-worker.js";

/**
 * The optimisers. `solveTsp` takes a TSPLIB instance, a distance matrix or a cost callback
 * `{ cities, cost(tour) }`; `minimize` takes any black-box function of a bit string.
 *
 * @example
 * ```ts
 * import { solveTsp } from "fmanneal";
 * const controller = new AbortController();
 * const result = await solveTsp(
 *   { cities: 12, cost: async (tour) => await priceRoute(tour), name: "depot-7" },
 *   { method: "edge", maxEvaluations: 150, timeLimit: 600, signal: controller.signal, journal: "depot-7.jsonl", onCostError: "skip" },
 * );
 * result.best;      // { tour: [0, 5, 3, ...], cost: 1234.5 }
 * result.abandoned; // cost calls still pending at the time limit or the abort (never awaited forever)
 * result.failed;    // cost calls that failed and were skipped
 * ```
 */
export { solveTsp } from "./methods/solve.js";
export type { SolveResult } from "./methods/solve.js";
export { minimize } from "./methods/fma/minimize.js";
export type { BitObjective, MinimizeResult } from "./methods/fma/minimize.js";
export { methodNames } from "./methods/registry.js";
export type { SolveOptions, RunOptions, Method } from "./methods/method.js";
export type { EdgePrior } from "./methods/edge/prior.js";
export type { TspProblem, CostProblem } from "./loop/problem.js";
export { CostFunctionError } from "./loop/loop.js";
export type { CostErrorPolicy, LoopProgress, RunStats, StopReason } from "./loop/loop.js";
export type { Timings } from "./loop/proposer.js";
export { JournalError } from "./loop/journal.js";
export type { JournalDifference } from "./loop/journal.js";
export { tspPenaltyQubo } from "./qubo/tsp-penalty.js";

/**
 * Example route costs, public so that docs, tests and benchmarks can show `solveTsp` on a
 * callback: the plain closed-tour length of an instance, a non-additive cost (length + a
 * weight x the turning angles, which depends on pairs of edges), and a wrapper that makes a
 * cost slow, like a remote simulator.
 *
 * @example
 * ```ts
 * import { solveTsp, randomInstance, turnAngleCost, slowCost } from "fmanneal";
 * const inst = randomInstance(15, 1);
 * const r = await solveTsp({ cities: 15, cost: slowCost(turnAngleCost(inst, 60), 5) }, { method: "edge", interactions: 4, batch: 4 });
 * ```
 */
export { lengthCost, turnAngleCost, slowCost } from "./tsp/example-costs.js";
