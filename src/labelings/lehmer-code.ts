/**
 * Free part <-> inversion vector (Lehmer code), docs/design.md, Definitions:
 *   d_j = #{k > j : pi_k < pi_j},  j = 1..m,  radix r_j = m + 1 - j  (m = N - 1).
 * Arrays here are 0-based: free[i] = pi_{i+1} holds a permutation of the cities 1..m and
 * digits[i] = d_{i+1} lies in [0, m - i). The last digit is always 0.
 *
 * Two implementations with identical results, chosen by size:
 *  - m <= 31: the set of cities seen so far (or still available) is a 31-bit mask, so each
 *    digit is a popcount (encode) or a "select the d-th set bit" (decode): O(m) words of work.
 *  - m > 31: a Fenwick tree over cities 1..m; encode counts smaller cities to the right,
 *    decode finds the (d+1)-th still-available city by binary lifting: O(m log m).
 * A `LehmerCodec` owns its scratch, so the conversions allocate nothing.
 */

import { checkCities, factorialBig, freePartOf, type Labeling, type LabelingName } from "./labeling.js";

const MASK_LIMIT = 31;

/** Number of set bits of a 32-bit integer. */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Conversions for free parts of one length m = N - 1, with preallocated scratch. */
export class LehmerCodec {
  /** m: the length of the free part (N - 1). */
  readonly size: number;
  private readonly tree: Int32Array;
  private readonly highBit: number;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`LehmerCodec: size must be >= 1, got ${size}`);
    this.size = size;
    this.tree = new Int32Array(size > MASK_LIMIT ? size + 1 : 0);
    let h = 1;
    while (h * 2 <= size) h *= 2;
    this.highBit = h;
  }

  /**
   * digits[i] = #{k > i : free[k] < free[i]} for a permutation `free` of 1..m (not checked:
   * callers validate the tour first).
   */
  toDigits(free: ArrayLike<number>, digits: Int32Array): void {
    const m = this.size;
    if (m <= MASK_LIMIT) {
      // bit (c-1) set <=> city c occurs to the right of the current position
      let seen = 0;
      for (let i = m - 1; i >= 0; i--) {
        const b = free[i] - 1;
        digits[i] = popcount32(seen & ((1 << b) - 1));
        seen |= 1 << b;
      }
      return;
    }
    const t = this.tree;
    t.fill(0);
    for (let i = m - 1; i >= 0; i--) {
      const c = free[i];
      let s = 0;
      for (let x = c - 1; x > 0; x -= x & -x) s += t[x];
      digits[i] = s;
      for (let x = c; x <= m; x += x & -x) t[x]++;
    }
  }

  /** The canonical tour (city 0 first, then the free part) whose free part has these digits (checked as for `fromDigits`). */
  tourOf(digits: ArrayLike<number>): number[] {
    const out = new Array<number>(this.size + 1);
    out[0] = 0;
    this.fromDigits(digits, out, 1);
    return out;
  }

  /**
   * Inverse of `toDigits`: out[offset + i] = free[i], where free[i] is the (digits[i]+1)-th
   * smallest city not used by free[0..i-1]. Every digit must satisfy 0 <= digits[i] < m - i
   * (callers check or clamp first).
   */
  fromDigits(digits: ArrayLike<number>, out: { [i: number]: number }, offset: number): void {
    const m = this.size;
    if (m <= MASK_LIMIT) {
      // bit (c-1) set <=> city c still available
      let avail = m === 31 ? 0x7fffffff : (1 << m) - 1;
      for (let i = 0; i < m; i++) {
        let x = avail;
        for (let d = digits[i]; d > 0; d--) x &= x - 1; // drop the d lowest available
        const low = x & -x;
        avail ^= low;
        out[offset + i] = 32 - Math.clz32(low); // bit index + 1 = city
      }
      return;
    }
    const t = this.tree;
    // all cities available: a Fenwick tree of ones has t[x] = lowbit(x)
    for (let x = 1; x <= m; x++) t[x] = x & -x;
    for (let i = 0; i < m; i++) {
      // smallest c with prefix(c) >= digits[i] + 1, by binary lifting
      let rank = digits[i] + 1;
      let pos = 0;
      for (let step = this.highBit; step > 0; step >>= 1) {
        const next = pos + step;
        if (next <= m && t[next] < rank) {
          pos = next;
          rank -= t[next];
        }
      }
      const c = pos + 1;
      out[offset + i] = c;
      for (let x = c; x <= m; x += x & -x) t[x]--;
    }
  }
}

/**
 * The Lehmer code of a free part (a permutation of 1..m): d_j = #{k > j : pi_k < pi_j}.
 * Allocating convenience wrapper around `LehmerCodec.toDigits`.
 */
export function lehmerDigits(free: ArrayLike<number>): number[] {
  const m = free.length;
  if (m === 0) return [];
  const digits = new Int32Array(m);
  new LehmerCodec(m).toDigits(free, digits);
  return Array.from(digits);
}

/**
 * The free part (a permutation of 1..m) with Lehmer code `digits` (0 <= digits[i] < m - i).
 * Allocating convenience wrapper around `LehmerCodec.fromDigits`.
 */
export function freePartFromDigits(digits: ArrayLike<number>): number[] {
  const m = digits.length;
  if (m === 0) return [];
  for (let i = 0; i < m; i++) {
    const d = digits[i];
    if (!Number.isInteger(d) || d < 0 || d >= m - i) {
      throw new RangeError(`Lehmer digit ${i} is ${d}, expected an integer in 0..${m - i - 1}`);
    }
  }
  const out = new Array<number>(m);
  new LehmerCodec(m).fromDigits(digits, out, 0);
  return out;
}

/**
 * Base of the labelings whose codes write the Lehmer digits of the free part (`natural` as a
 * mixed-radix rank, `gray` and `lehmer` digit by digit): encoding starts from `digitsOf(tour)`,
 * and decoding and repair share the labeling's `readDigits`, which reads a code into
 * `this.digits`, replacing out-of-range values by the labeling's repair rule, and says whether
 * the code was valid. `decode` is then the tour of a valid code's digits, `repair` the tour of
 * the repaired digits.
 */
export abstract class LehmerDigitsLabeling implements Labeling {
  abstract readonly name: LabelingName;
  abstract readonly bits: number;
  readonly cities: number;
  readonly validCodes: bigint;
  /** m = N - 1, the length of the free part. */
  protected readonly m: number;
  /** d_j of the last tour encoded or code read (digits[i] = d_{i+1}). */
  protected readonly digits: Int32Array;
  private readonly codec: LehmerCodec;
  private readonly free: Int32Array;

  /** Checks `cities` (>= 3) for the labeling `name`. */
  protected constructor(name: LabelingName, cities: number) {
    checkCities(name, cities);
    this.cities = cities;
    this.m = cities - 1;
    this.validCodes = factorialBig(this.m);
    this.codec = new LehmerCodec(this.m);
    this.free = new Int32Array(this.m);
    this.digits = new Int32Array(this.m);
  }

  abstract encode(tour: ArrayLike<number>): Uint8Array;

  /**
   * Read `bits` into `this.digits`, out-of-range values replaced by the repair rule; returns
   * whether the code is valid. Checks the length and that every entry is 0 or 1.
   */
  protected abstract readDigits(bits: ArrayLike<number>): boolean;

  /** The Lehmer digits of a tour (validated, canonicalised), in `this.digits`. */
  protected digitsOf(tour: ArrayLike<number>): Int32Array {
    freePartOf(tour, this.cities, this.free);
    this.codec.toDigits(this.free, this.digits);
    return this.digits;
  }

  decode(bits: ArrayLike<number>): number[] | null {
    return this.readDigits(bits) ? this.codec.tourOf(this.digits) : null;
  }

  /** The tour of the code's digits after the labeling's repair rule (see `readDigits`). */
  repair(bits: ArrayLike<number>): number[] {
    this.readDigits(bits);
    return this.codec.tourOf(this.digits);
  }
}
