import { FmTrainer } from "../../fm/trainer.js";
import { CostFunctionError, runLoop, type LoopResult, type RunStats } from "../../loop/loop.js";
import { OptionError } from "../../util/errors.js";
import { journalHeader, loopOptions, withDefaults, type RunOptions } from "../method.js";
import { allBits } from "./bit-domain.js";
import { FmaProposer } from "./fma-proposer.js";
import { FMA_DEFAULTS, fmaSettings } from "./method.js";

/** A black-box objective over bit strings for `minimize`. */
export interface BitObjective {
  bits: number;
  evaluate(x: Uint8Array): number | Promise<number>;
  /** Optional validity test: invalid codes get the penalty and are never passed to `evaluate`. */
  isValid?(x: Uint8Array): boolean;
  /** A name for the journal. */
  name?: string;
}

export interface MinimizeResult extends RunStats {
  best: { x: Uint8Array; value: number } | null;
}

/**
 * Minimise a black-box function of a bit string with FMA (FM surrogate + annealing), with
 * FMA's defaults (src/methods/fma/method.ts).
 *
 * @example
 * ```ts
 * import { minimize } from "fmanneal";
 * const target = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
 * const r = await minimize(
 *   { bits: 8, evaluate: (x) => x.reduce((s, b, i) => s + (b ^ target[i]), 0) },
 *   { maxEvaluations: 60, seed: 3 },
 * );
 * r.best?.value; // 0 once the target is found
 * ```
 */
export async function minimize(objective: BitObjective, options: RunOptions = {}): Promise<MinimizeResult> {
  if (!Number.isInteger(objective.bits) || objective.bits < 1) {
    throw new OptionError("objective.bits", `objective.bits must be an integer >= 1, got ${objective.bits}`);
  }
  const o = withDefaults(FMA_DEFAULTS, options);
  const isValid = objective.isValid?.bind(objective);
  const settings = fmaSettings(o, "penalty");
  const proposer = new FmaProposer(allBits(objective.bits, isValid), new FmTrainer({ threads: o.threads }), settings, "fma:bits");
  const toResult = (result: LoopResult<Uint8Array>): MinimizeResult => {
    const { best, ...stats } = result;
    return { ...stats, best: best ? { x: best.point, value: best.value } : null };
  };
  try {
    const result = await runLoop(
      proposer,
      {
        isValid: isValid ?? (() => true),
        cost: (x) => objective.evaluate(x.slice()),
        describe: (x) => `x = ${Array.from(x).join("")}`,
      },
      loopOptions(o, journalHeader(`${objective.name ?? "objective"}/${objective.bits}`, "fma:bits", o)),
    );
    return toResult(result);
  } catch (err) {
    // The loop's error carries its own result shape ({ point, value }): give the caller a MinimizeResult.
    if (err instanceof CostFunctionError) throw new CostFunctionError<MinimizeResult>(err.message, toResult(err.result as LoopResult<Uint8Array>), err.cause);
    throw err;
  }
}
