import { UserError } from "../util/errors.js";
import { validateTour } from "../tsp/tour.js";

/**
 * Labelings: bijections between tours and (a subset of) bit strings (docs/design.md, "Definitions").
 *
 * A tour of N cities is canonicalised so city 0 comes first; what is encoded is its free part
 * `pi = (pi_1..pi_{N-1})`, a permutation of 1..N-1, so there are (N-1)! tours and each labeling
 * has exactly (N-1)! valid codes. Every other bit string of the right length is an *invalid code*.
 */

/** The CLI names of the labelings. */
export type LabelingName = "natural" | "gray" | "lehmer" | "onehot";

/**
 * One way to turn tours of `cities` cities into bit strings of length `bits`, and back.
 *
 * Bits are numbers 0/1, most significant bit first, bit 0 being the first element of the array.
 * `decode` and `repair` reuse per-instance scratch buffers: an instance is cheap to call in a
 * hot loop but must not be shared between threads (each worker creates its own).
 *
 * @example
 * ```ts
 * import { createLabeling } from "fmanneal";
 * const gray = createLabeling("gray", 5);
 * gray.bits;                          // 5  (digits of radix 4, 3, 2 -> 2 + 2 + 1 bits)
 * const code = gray.encode([2, 0, 3, 1, 4]); // rotated: canonical tour [0, 3, 1, 4, 2]
 * Array.from(code);                   // [1, 1, 0, 0, 1]
 * gray.decode(code);                  // [0, 3, 1, 4, 2]
 * gray.decode([1, 0, 1, 0, 0]);       // null: second digit decodes to 3, radix is 3
 * gray.repair([1, 0, 1, 0, 0]);       // [0, 4, 3, 1, 2]: that digit clamped to 2
 * gray.validCodes;                    // 24n
 * ```
 */
export interface Labeling {
  readonly name: LabelingName;
  /** N, the number of cities (>= 3). */
  readonly cities: number;
  /** Code length in bits. */
  readonly bits: number;
  /**
   * Bits of a tour (any rotation accepted; it is canonicalised, city 0 first).
   * Throws `TourError` (a `UserError`) unless `tour` is a permutation of 0..N-1.
   */
  encode(tour: ArrayLike<number>): Uint8Array;
  /**
   * The canonical tour (city 0 first) of a code, or null if the code is invalid.
   * Throws `UserError` if `bits` has the wrong length or an entry other than 0 or 1.
   */
  decode(bits: ArrayLike<number>): number[] | null;
  /**
   * Deterministic repair for the `repair` invalid-code policy: a valid tour for every code,
   * equal to `decode(bits)` whenever that is not null. The rule is labeling-specific and
   * documented on each implementation. Same argument checks as `decode`.
   */
  repair(bits: ArrayLike<number>): number[];
  /** Number of valid codes, (N-1)!, as a bigint (it passes 2^53 at N = 19). */
  readonly validCodes: bigint;
}

/** Smallest supported N: N = 3 is the first with more than one tour (2 tours, 1-bit codes). */
export const MIN_CITIES = 3;

/** Throw a `UserError` unless `cities` is an integer >= MIN_CITIES. */
export function checkCities(name: LabelingName, cities: number): void {
  if (!Number.isSafeInteger(cities) || cities < MIN_CITIES) {
    throw new UserError(
      `${name} labeling needs an integer number of cities >= ${MIN_CITIES}, got ${cities}`,
    );
  }
}

/** (n)! as a bigint. */
export function factorialBig(n: number): bigint {
  let f = 1n;
  for (let i = 2; i <= n; i++) f *= BigInt(i);
  return f;
}

/** ceil(log2(x)) for an integer x >= 1 (the number of bits to write 0..x-1). */
export function ceilLog2(x: number): number {
  return x <= 1 ? 0 : 32 - Math.clz32(x - 1);
}

/**
 * Validate `tour` and write its free part, canonicalised (city 0 first), into `free`
 * (length N-1): free[j-1] = pi_j. Throws `TourError` on a non-permutation.
 */
export function freePartOf(tour: ArrayLike<number>, n: number, free: Int32Array): void {
  validateTour(tour, n);
  let start = 0;
  while (tour[start] !== 0) start++;
  for (let j = 1; j < n; j++) {
    let k = start + j;
    if (k >= n) k -= n;
    free[j - 1] = tour[k];
  }
}

/** Throw a `UserError` unless `bits` has the expected length. */
export function checkLength(name: LabelingName, n: number, expected: number, bits: ArrayLike<number>): void {
  if (bits == null || typeof bits.length !== "number") {
    throw new UserError(`${name} labeling (N=${n}): expected an array of ${expected} bits, got ${String(bits)}`);
  }
  if (bits.length !== expected) {
    throw new UserError(
      `${name} labeling (N=${n}) expects ${expected} bits, got a code of length ${bits.length}`,
    );
  }
}

/** The error for an entry of a code that is neither 0 nor 1. */
export function badBit(name: LabelingName, index: number, value: unknown): UserError {
  return new UserError(`${name} labeling: bit ${index} is ${String(value)}, expected 0 or 1`);
}
