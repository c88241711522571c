import type { LandscapeRecord, TrialRecord } from "./types.js";
import { runLandscape, runTrial, type LandscapeTask, type TrialTask } from "./trial.js";
import { UserError } from "../util/errors.js";

/**
 * Piscina worker of `fmanneal compare` (src/study/compare.ts): the default export runs one
 * trial (src/study/trial.ts) and the named export `landscape` computes the landscape metrics
 * of one instance for several labelings.
 *
 * Failures come back as values (`{ ok: false, message }`) when they are user errors (an
 * error's class does not survive the trip between threads); anything else (a bug) rejects the
 * task, and compare records its message too.
 */

export type TrialReply = { ok: true; record: TrialRecord } | { ok: false; message: string };

export type LandscapeReply = { ok: true; records: LandscapeRecord[] } | { ok: false; message: string };

/** Piscina entry: one trial. */
export default async function trial(task: TrialTask): Promise<TrialReply> {
  try {
    return { ok: true, record: await runTrial(task) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, message: err.message };
    throw err;
  }
}

/** Piscina entry (`name: "landscape"`): the landscape records of one instance. */
export function landscape(task: LandscapeTask): LandscapeReply {
  try {
    return { ok: true, records: runLandscape(task) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, message: err.message };
    throw err;
  }
}
