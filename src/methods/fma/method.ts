import { FmTrainer } from "../../fm/trainer.js";
import type { LabelingName } from "../../labelings/labeling.js";
import { createLabeling } from "../../labelings/registry.js";
import { OptionError } from "../../util/errors.js";
import type { MethodDefinition, ResolvedOptions, RunOptions } from "../method.js";
import { labelingDomain } from "./bit-domain.js";
import { FmaProposer, type FmaSettings } from "./fma-proposer.js";

/*
 * Defaults of the fma loop, chosen by bench/fma-reference.mjs (issue 5; numbers in the commit
 * that set them): 20 warm-started Adam steps per round with the newest sample in every batch
 * beat 10 epochs over everything (N = 8 gray hit rate 52% vs 39-45% over 100 instances, and a
 * round's training stays ~1 ms at 1000 samples instead of growing with them); ranking the reads'
 * single-bit flips with the reads lifted it to 67% (54% without, same sweeps); 30 sweeps were
 * as good as 100-1000 (better at N = 8) at a tenth of the annealing time; rank 4/12/16, lr
 * 0.005/0.02, l2 1e-4/1e-2, init 10/50, batch 32/128 and firstEpochs 30/300 were no better.
 * restartAfter 20 (a fresh model after 20 evaluations without a new best): on burma14 with gray
 * labeling and 1000 evaluations, 17/40 runs reached the optimum against 5/40 without
 * (validation seeds 7919·(1..40); mean gap 3.5% against 6.3%); 10 and 30 were less clear
 * (24/70 and 14/70 against 27/70 over tuning and validation seeds); N = 8 unchanged (26 vs 28
 * of 40 hits). More reads (20-80), fewer or more sweeps, ranking the incumbents' flips, and
 * annealing only within the valid codes (worse: 0/10) did not help as much.
 */
/** Defaults of FMA, for `solveTsp` with `method: "fma"` and for `minimize`. */
export const FMA_DEFAULTS = {
  init: 20,
  labeling: "gray" as LabelingName,
  invalidPolicy: "penalty" as "penalty" | "repair",
  rank: 8,
  steps: 20,
  epochs: 10,
  firstEpochs: 100,
  flips: true,
  restartAfter: 20,
  learningRate: 0.01,
  l2: 1e-3,
  sweeps: 30,
  reads: 10,
  threads: 0,
};

export type FmaDefaults = typeof FMA_DEFAULTS;

/** The FMA proposer's settings from resolved options; checks restartAfter. */
export function fmaSettings(o: RunOptions & Omit<FmaDefaults, "labeling" | "invalidPolicy">, invalidPolicy: "penalty" | "repair"): FmaSettings {
  if (!Number.isInteger(o.restartAfter) || o.restartAfter < 0) {
    throw new OptionError("restartAfter", `restartAfter must be an integer >= 0, got ${o.restartAfter}`);
  }
  return {
    rank: o.rank,
    epochs: o.epochs,
    firstEpochs: o.firstEpochs,
    steps: o.steps,
    learningRate: o.learningRate,
    l2: o.l2,
    sweeps: o.sweeps,
    reads: o.reads,
    betaRange: o.betaRange,
    flips: o.flips,
    restartAfter: o.restartAfter,
    invalidPolicy,
    fm: o.fm ?? {},
  };
}

/** `fma`: the paper's method over a labeling's bits (src/methods/fma/fma-proposer.ts). */
export const fmaMethod: MethodDefinition<FmaDefaults, Uint8Array> = {
  name: "fma",
  description: "FM surrogate + annealing over a labeling's bits (the paper's method)",
  defaults: FMA_DEFAULTS,
  needs: { distances: false, symmetric: false },
  paths: false,
  create(problem, o: ResolvedOptions<FmaDefaults>) {
    const labeling = createLabeling(o.labeling, problem.cities);
    const policy = o.invalidPolicy;
    if (policy !== "penalty" && policy !== "repair") throw new OptionError("invalidPolicy", `invalidPolicy must be penalty or repair, got ${policy}`);
    const settings = fmaSettings(o, policy);
    const proposer = new FmaProposer(labelingDomain(labeling), new FmTrainer({ threads: o.threads }), settings, `fma:${o.labeling}:${policy}`);
    return {
      proposer,
      decode: (code) => labeling.decode(code),
      initialPoints: o.initialTours?.map((t) => labeling.encode(t)),
      labeling: o.labeling,
      bits: labeling.bits,
    };
  },
};
