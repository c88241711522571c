/**
 * Records exchanged between `fmanneal compare` (which runs the trials) and the report writer
 * (src/study/report.ts, which turns them into CSV, JSON, Markdown and plots).
 */

/** One optimisation run: one (instance, method, seed). */
export interface TrialRecord {
  /** Instance name, e.g. "rand8-s3" or "burma14". */
  instance: string;
  /** Number of cities N. */
  cities: number;
  /** "fma:gray", "fma:natural", "fma:lehmer", "fma:onehot", "random", "sa-2opt", "penalty-qubo", "edge". */
  method: string;
  /** The labeling ("gray" etc.) for fma methods, else null. */
  labeling: string | null;
  seed: number;
  /** Samples evaluated (budget used). */
  evaluations: number;
  /** Best cost found (null if none). */
  best: number | null;
  /** Known optimum (Held-Karp or published). */
  optimum: number | null;
  /** (best - optimum) / optimum. */
  gap: number | null;
  /** 1-based evaluation index at which the optimum was first reached; null if never. */
  evalsToOptimum: number | null;
  seconds: number;
  /** Best cost after each evaluation (length = evaluations; NaN before the first valid). */
  bestSoFar: number[];
}

/** Landscape metrics of one labeling on one instance (see docs/design.md, "Definitions"). */
export interface LandscapeRecord {
  instance: string;
  cities: number;
  labeling: string;
  trapProbability: number;
  localMinFraction: number;
  exact: boolean;
}
