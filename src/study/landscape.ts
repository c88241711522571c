import { ceilLog2, factorialBig, type Labeling, type LabelingName } from "../labelings/labeling.js";
import { LehmerCodec } from "../labelings/lehmer-code.js";
import { createLabeling } from "../labelings/registry.js";
import { HELD_KARP_MAX_N, heldKarp } from "../tsp/heldKarp.js";
import type { HasDistances } from "../tsp/tour.js";
import { UserError } from "../util/errors.js";
import { Random } from "../util/random.js";
import { wilsonInterval } from "./intervals.js";

/**
 * Landscape metrics of a labeling (docs/design.md, "Definitions"): over the valid codes of a
 * labeling, with the tour length as cost and single-bit flips as moves,
 *  - the local-minimum fraction: share of valid codes with no valid single-bit-flip neighbour
 *    of strictly lower cost;
 *  - the trap probability p: probability that steepest descent from a uniformly random valid
 *    code stops at a local minimum that is not a global minimum. A step moves to the neighbour
 *    of strictly lowest cost, the lowest bit index among equal best; descent stops when no
 *    valid neighbour is strictly lower than the current code.
 *
 * Two engines:
 *
 * Exact (when (N-1)! <= exactLimit). Every valid code is identified by the lexicographic rank R
 * of its free part (0 <= R < (N-1)!), so the tables are indexed by R, not by the 2^bits code
 * space (onehot at N = 10 has 81 bits but only 9! valid codes). The costs of all tours are
 * computed once per instance (shared by the labelings); each labeling then only needs, for every
 * valid code and every bit, the rank of the flipped code or "invalid", which follows from
 * docs/design.md's definitions without decoding bits (R = sum_j d_j (N-1-j)!, digits d_j from a
 * mixed-radix odometer):
 *  - natural: the code is R in binary, so flipping bit b gives R xor 2^(L-1-b), valid iff
 *    below (N-1)!.
 *  - lehmer / gray: flipping a bit changes one digit's field; the new digit d' (field value, or
 *    its Gray decoding) is valid iff d' < r_j, and the rank moves by (d' - d_j) (N-1-j)!.
 *  - onehot: a valid code has exactly one 1 in every row c; a flip changes the number of ones
 *    in its row to 0 or 2, so no valid code has a valid neighbour: every valid code is a local
 *    minimum and descent never moves.
 * The steepest-descent successor of every code is stored in an Int32Array (itself when the
 * code is a local minimum); since cost strictly decreases along successors there are no
 * cycles, and the end point of every descent is found by following successors with path
 * compression, so each code is visited O(1) times amortised. Memory: 12 bytes per valid code
 * (Float64 cost + Int32 successor), 44 MB at N = 11.
 *
 * Monte Carlo (otherwise). `samples` uniformly random valid codes (uniform random tours,
 * encoded); for each, every single-bit neighbour is decoded with the labeling's own `decode`
 * and costed, and steepest descent runs to its end. The trap test needs the optimum length:
 * `options.optimum` when given, else Held-Karp for N <= 20 (HELD_KARP_MAX_N); beyond that the
 * trap probability is reported as null. Both proportions get a 95% Wilson score interval. The
 * random starting tours depend only on `seed`, so every labeling is measured from the same
 * starting tours (common random numbers make labeling differences less noisy).
 *
 * Costs are closed-tour lengths summed in tour order as `tourLength` does. Comparisons between
 * codes ("strictly lower", "equal best") are exact on those doubles, as the definition says;
 * membership of the global minimum is `cost <= optimum + 1e-9 * max(1, |optimum|)`, because the
 * optimum may come from another summation order (Held-Karp, or the reverse direction of a
 * tour). With integer distances — every TSPLIB distance function and generated instances — all
 * sums are exact and the tolerance never matters.
 */

/** Default number of Monte Carlo samples. */
export const DEFAULT_SAMPLES = 10_000;
/** Default largest number of valid codes, (N-1)!, enumerated exactly: 2^24 (N <= 11). */
export const DEFAULT_EXACT_LIMIT = 2 ** 24;
/** Hard cap on `exactLimit`: 2^26 valid codes take 800 MB of tables (N = 12 needs 480 MB). */
export const MAX_EXACT_LIMIT = 2 ** 26;
/** Relative tolerance of the global-minimum test (see the module comment). */
export const OPTIMUM_TOLERANCE = 1e-9;

/** An instance for `landscape`: a distance matrix, optionally named. */
export interface LandscapeInstance extends HasDistances {
  name?: string;
}

/** Options of `landscape` / `landscapes`. */
export interface LandscapeOptions {
  /** Monte Carlo samples (default 10,000). Ignored when exact. */
  samples?: number;
  /** Seed of the Monte Carlo starting tours (default 1). */
  seed?: number;
  /**
   * Enumerate exactly when the number of valid codes (N-1)! is at most this (default 2^24,
   * at most 2^26). 0 forces Monte Carlo.
   */
  exactLimit?: number;
  /**
   * The optimal tour length, for the Monte Carlo trap test (default: Held-Karp when N <= 20,
   * else unknown and `trapProbability` is null). Ignored when exact (the enumerated minimum is
   * used). A value above a length the descent reaches is refused with a UserError.
   */
  optimum?: number;
}

/** Landscape metrics of one labeling on one instance. */
export interface LandscapeResult {
  labeling: LabelingName;
  cities: number;
  /** Code length in bits. */
  bits: number;
  /** Number of valid codes, (N-1)!: a number while it is a safe integer, else a decimal string. */
  valid: number | string;
  /** Local-minimum fraction in [0, 1] (exact, or the Monte Carlo estimate). */
  localMinFraction: number;
  /** Trap probability in [0, 1], or null when Monte Carlo has no optimum to compare with. */
  trapProbability: number | null;
  /** True when computed by full enumeration. */
  exact: boolean;
  /** 95% Wilson interval of the trap probability (Monte Carlo), null when exact or unknown. */
  interval: [number, number] | null;
  /** 95% Wilson interval of the local-minimum fraction (Monte Carlo), null when exact. */
  localMinInterval: [number, number] | null;
  /** Monte Carlo sample count, null when exact. */
  samples: number | null;
  /** Optimal tour length used for the trap test, or null when unknown. */
  optimum: number | null;
}

/**
 * Landscape metrics (local-minimum fraction and trap probability) of one labeling on one
 * instance: exact by enumeration when (N-1)! <= `exactLimit`, else Monte Carlo with 95%
 * Wilson intervals. See the module comment for the definitions and methods.
 *
 * @throws UserError for an unknown labeling name (the message lists the valid ones), fewer
 *   than 3 cities, a distance matrix of the wrong size or with non-finite entries, or a bad option
 * @example
 * ```ts
 * const inst = randomInstance(8, 1);
 * const r = landscape(inst, "gray");          // exact: 7! = 5040 valid codes
 * r.exact;                                    // true
 * r.localMinFraction;                         // share of the 5040 codes that are local minima
 * const mc = landscape(inst, "natural", { exactLimit: 0, samples: 2000, seed: 3 });
 * mc.interval;                                // [lo, hi], 95% interval of mc.trapProbability
 * ```
 */
export function landscape(
  instance: LandscapeInstance,
  labeling: string,
  options: LandscapeOptions = {},
): LandscapeResult {
  return landscapes(instance, [labeling], options)[0];
}

/**
 * `landscape` for several labelings of one instance, sharing the work that does not depend on
 * the labeling (the cost of every tour when exact, the Held-Karp optimum when Monte Carlo).
 * Results are in the order of `labelings`.
 *
 * @example
 * ```ts
 * const rows = landscapes(randomInstance(9, 1), ["natural", "gray", "lehmer", "onehot"]);
 * rows.map((r) => [r.labeling, r.trapProbability]);
 * ```
 */
export function landscapes(
  instance: LandscapeInstance,
  labelings: readonly string[],
  options: LandscapeOptions = {},
): LandscapeResult[] {
  const n = checkInstance(instance);
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const seed = options.seed ?? 1;
  const exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
  if (!Number.isSafeInteger(samples) || samples < 1) {
    throw new UserError(`samples must be a positive integer, got ${samples}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UserError(`seed must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(exactLimit) || exactLimit < 0 || exactLimit > MAX_EXACT_LIMIT) {
    throw new UserError(`exactLimit must be an integer in 0..${MAX_EXACT_LIMIT} (2^26), got ${exactLimit}`);
  }
  if (options.optimum !== undefined && !Number.isFinite(options.optimum)) {
    throw new UserError(`optimum must be a finite number, got ${options.optimum}`);
  }
  // Validate every name before any heavy work.
  const labs = labelings.map((name) => createLabeling(name, n));

  const m = n - 1;
  const validBig = factorialBig(m);
  const valid = validBig <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(validBig) : validBig.toString();

  if (validBig <= BigInt(exactLimit)) {
    const table = rankCosts(instance, m);
    return labs.map((lab) => {
      const next = successors(lab, table);
      const r = resolve(next, table);
      return {
        labeling: lab.name,
        cities: n,
        bits: lab.bits,
        valid,
        localMinFraction: r.localMinima / table.size,
        trapProbability: r.trapped / table.size,
        exact: true,
        interval: null,
        localMinInterval: null,
        samples: null,
        optimum: table.min,
      };
    });
  }

  const optimum = options.optimum ?? (n <= HELD_KARP_MAX_N ? heldKarp(instance).length : null);
  return labs.map((lab) => {
    const r = monteCarlo(instance, lab, samples, seed, optimum);
    return {
      labeling: lab.name,
      cities: n,
      bits: lab.bits,
      valid,
      localMinFraction: r.localMinima / samples,
      trapProbability: optimum === null ? null : r.trapped / samples,
      exact: false,
      interval: optimum === null ? null : wilsonInterval(r.trapped, samples),
      localMinInterval: wilsonInterval(r.localMinima, samples),
      samples,
      optimum,
    };
  });
}

/** Check the instance; returns N. */
function checkInstance(instance: LandscapeInstance): number {
  const n = instance?.dimension;
  if (!Number.isSafeInteger(n) || n < 3) {
    throw new UserError(`landscape needs an instance of at least 3 cities, got ${n}`);
  }
  const d = instance.distances;
  if (!d || d.length !== n * n) {
    throw new UserError(`landscape: expected ${n * n} distances for ${n} cities, got ${d?.length}`);
  }
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new UserError(`landscape: distance ${Math.floor(i / n)}-${i % n} is ${d[i]}, expected a finite number`);
    }
  }
  return n;
}

function isGlobal(cost: number, optimum: number): boolean {
  return cost <= optimum + OPTIMUM_TOLERANCE * Math.max(1, Math.abs(optimum));
}

/** The cost of every tour, indexed by the lexicographic rank of its free part. */
interface RankTable {
  m: number;
  /** (N-1)! */
  size: number;
  cost: Float64Array;
  min: number;
  /** fact[k] = k! for k <= m. */
  fact: Float64Array;
}

function rankCosts(problem: HasDistances, m: number): RankTable {
  const n = m + 1;
  const d = problem.distances;
  const fact = new Float64Array(m + 1);
  fact[0] = 1;
  for (let k = 1; k <= m; k++) fact[k] = fact[k - 1] * k;
  const size = fact[m];
  const cost = new Float64Array(size);
  const digits = new Int32Array(m);
  const tour = new Int32Array(n); // tour[0] = city 0
  const codec = new LehmerCodec(m);
  let min = Infinity;
  for (let rank = 0; rank < size; rank++) {
    codec.fromDigits(digits, tour, 1);
    let sum = 0;
    for (let i = 0; i < n - 1; i++) sum += d[tour[i] * n + tour[i + 1]];
    sum += d[tour[n - 1] * n];
    cost[rank] = sum;
    if (sum < min) min = sum;
    // Odometer: digit i has radix m - i and weight (m-1-i)!, so incrementing the mixed-radix
    // number from its last non-trivial digit (i = m-2; d_{m-1} is always 0) adds 1 to the rank.
    for (let i = m - 2; i >= 0; i--) {
      if (++digits[i] < m - i) break;
      digits[i] = 0;
    }
  }
  return { m, size, cost, min, fact };
}

/**
 * next[R] = the rank of the steepest-descent successor of the code of rank R under `lab`
 * (R itself at a local minimum). Bits are scanned in increasing index and only a strictly
 * lower cost replaces the best so far, which is the lowest-index tie rule.
 */
function successors(lab: Labeling, table: RankTable): Int32Array {
  const { m, size, cost, fact } = table;
  const next = new Int32Array(size);
  if (lab.name === "onehot") {
    // No valid code has a valid single-flip neighbour (module comment).
    for (let r = 0; r < size; r++) next[r] = r;
    return next;
  }
  if (lab.name === "natural") {
    const L = lab.bits;
    if (2 ** L < size || 2 ** (L - 1) >= size) throw new Error(`internal: natural code length ${L} for ${size} codes`);
    for (let r = 0; r < size; r++) {
      let best = cost[r];
      let arg = r;
      for (let b = 0; b < L; b++) {
        const r2 = r ^ (1 << (L - 1 - b));
        if (r2 < size) {
          const c = cost[r2];
          if (c < best) {
            best = c;
            arg = r2;
          }
        }
      }
      next[r] = arg;
    }
    return next;
  }
  // lehmer / gray: fields of digits i = 0..m-2 (radix m-i, width ceil(log2(m-i)), weight (m-1-i)!)
  const gray = lab.name === "gray";
  const fields = m - 1;
  const radix = new Int32Array(fields);
  const width = new Int32Array(fields);
  const weight = new Float64Array(fields);
  let total = 0;
  for (let i = 0; i < fields; i++) {
    radix[i] = m - i;
    width[i] = ceilLog2(m - i);
    weight[i] = fact[m - 1 - i];
    total += width[i];
  }
  if (total !== lab.bits) throw new Error(`internal: ${lab.name} fields sum to ${total} bits, labeling has ${lab.bits}`);
  const digits = new Int32Array(m);
  for (let r = 0; r < size; r++) {
    let best = cost[r];
    let arg = r;
    for (let i = 0; i < fields; i++) {
      const di = digits[i];
      const w = width[i];
      const g = gray ? di ^ (di >>> 1) : di;
      for (let t = 0; t < w; t++) {
        let d2 = g ^ (1 << (w - 1 - t));
        if (gray) for (let s = d2 >>> 1; s !== 0; s >>>= 1) d2 ^= s; // Gray -> binary
        if (d2 < radix[i]) {
          const r2 = r + (d2 - di) * weight[i];
          const c = cost[r2];
          if (c < best) {
            best = c;
            arg = r2;
          }
        }
      }
    }
    next[r] = arg;
    for (let i = m - 2; i >= 0; i--) {
      if (++digits[i] < m - i) break;
      digits[i] = 0;
    }
  }
  return next;
}

/**
 * Count local minima (fixed points of `next`) and codes whose descent ends above the global
 * minimum. Overwrites `next` with the end point of every descent (path compression).
 */
function resolve(next: Int32Array, table: RankTable): { localMinima: number; trapped: number } {
  const { size, cost, min } = table;
  let localMinima = 0;
  for (let r = 0; r < size; r++) if (next[r] === r) localMinima++;
  let trapped = 0;
  for (let r = 0; r < size; r++) {
    let end = r;
    while (next[end] !== end) end = next[end];
    for (let y = r; next[y] !== end && y !== end; ) {
      const z = next[y];
      next[y] = end;
      y = z;
    }
    if (!isGlobal(cost[end], min)) trapped++;
  }
  return { localMinima, trapped };
}

/** Closed-tour length of a canonical tour, summed in the order `tourLength` uses. */
function closedLength(d: Float64Array, n: number, tour: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < n - 1; i++) sum += d[tour[i] * n + tour[i + 1]];
  return sum + d[tour[n - 1] * n + tour[0]];
}

function monteCarlo(
  problem: HasDistances,
  lab: Labeling,
  samples: number,
  seed: number,
  optimum: number | null,
): { localMinima: number; trapped: number } {
  const n = problem.dimension;
  const d = problem.distances;
  const m = n - 1;
  const rng = new Random(seed);
  const free = new Int32Array(m);
  const tour = new Array<number>(n);
  const bits = lab.bits;
  // onehot: no valid neighbours exist (module comment), so the scan is skipped.
  const scan = lab.name !== "onehot";
  let localMinima = 0;
  let trapped = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < m; i++) free[i] = i + 1;
    rng.shuffle(free);
    tour[0] = 0;
    for (let i = 0; i < m; i++) tour[i + 1] = free[i];
    const code = lab.encode(tour);
    let cur = closedLength(d, n, tour);
    for (let step = 0; ; step++) {
      let best = cur;
      let arg = -1;
      if (scan) {
        for (let b = 0; b < bits; b++) {
          code[b] ^= 1;
          const t = lab.decode(code);
          code[b] ^= 1;
          if (t !== null) {
            const c = closedLength(d, n, t);
            if (c < best) {
              best = c;
              arg = b;
            }
          }
        }
      }
      if (arg < 0) {
        if (step === 0) localMinima++;
        break;
      }
      code[arg] ^= 1;
      cur = best;
    }
    if (optimum !== null) {
      if (cur < optimum - OPTIMUM_TOLERANCE * Math.max(1, Math.abs(optimum))) {
        throw new UserError(`optimum ${optimum} is not optimal: steepest descent reached a tour of length ${cur}`);
      }
      if (!isGlobal(cur, optimum)) trapped++;
    }
  }
  return { localMinima, trapped };
}
