import {
  badBit,
  checkCities,
  checkLength,
  factorialBig,
  freePartOf,
  type Labeling,
} from "./labeling.js";
import { LehmerCodec } from "./lehmer-code.js";

/**
 * Natural labeling (DESIGN.md): the lexicographic rank of the free part,
 *   R = sum_{j=1}^{N-1} d_j * (N-1-j)!,
 * in binary, most significant bit first, L = ceil(log2((N-1)!)) bits. Codes with
 * R >= (N-1)! are invalid.
 *
 * Arithmetic. R is a mixed-radix number whose digit d_j has radix N-j, so
 *   encode: Horner, R = (..((d_1)(N-2) + d_2)(N-3) + ..) * 1 + d_{N-1};
 *   decode: d_{N-2} = R mod 2, R /= 2; d_{N-3} = R mod 3, R /= 3; ...; d_1 = R mod (N-1);
 *           the final quotient is floor(R / (N-1)!), zero exactly when the code is valid.
 * While L <= 53 (N <= 19) R is exact in a double and plain numbers are used; above that R
 * lives in 16-bit limbs (little-endian) and each step is a short multiply or divide by a
 * small radix, so no BigInt is allocated. Both paths give identical results (tested).
 */
export class NaturalLabeling implements Labeling {
  readonly name = "natural" as const;
  readonly cities: number;
  readonly bits: number;
  readonly validCodes: bigint;
  private readonly m: number;
  private readonly useNumber: boolean;
  private readonly codec: LehmerCodec;
  private readonly free: Int32Array;
  private readonly digits: Int32Array;
  private readonly limbs: Float64Array;

  /**
   * @param cities N >= 3.
   * @param arithmetic internal/testing: force the limb arithmetic even when numbers would do.
   */
  constructor(cities: number, arithmetic: "auto" | "limbs" = "auto") {
    checkCities("natural", cities);
    this.cities = cities;
    this.m = cities - 1;
    this.validCodes = factorialBig(this.m);
    // ceil(log2 F) = bit length of F - 1 (F >= 2)
    this.bits = (this.validCodes - 1n).toString(2).length;
    this.useNumber = arithmetic === "auto" && this.bits <= 53;
    this.codec = new LehmerCodec(this.m);
    this.free = new Int32Array(this.m);
    this.digits = new Int32Array(this.m);
    this.limbs = new Float64Array(this.useNumber ? 0 : Math.ceil(this.bits / 16));
  }

  encode(tour: ArrayLike<number>): Uint8Array {
    const m = this.m;
    const L = this.bits;
    freePartOf(tour, this.cities, this.free);
    const d = this.digits;
    this.codec.toDigits(this.free, d);
    const out = new Uint8Array(L);
    if (this.useNumber) {
      let r = d[0];
      for (let i = 1; i < m; i++) r = r * (m - i) + d[i];
      for (let k = L - 1; k >= 0; k--) {
        const b = r % 2;
        out[k] = b;
        r = (r - b) / 2;
      }
      return out;
    }
    const limbs = this.limbs;
    limbs.fill(0);
    limbs[0] = d[0];
    for (let i = 1; i < m; i++) {
      let carry = d[i];
      const mult = m - i;
      for (let t = 0; t < limbs.length; t++) {
        const v = limbs[t] * mult + carry; // < 2^16 * N + carry: exact
        const q = Math.floor(v / 65536);
        limbs[t] = v - q * 65536;
        carry = q;
      }
    }
    for (let k = 0; k < L; k++) {
      const p = L - 1 - k; // value bit position of output bit k
      out[k] = (limbs[p >>> 4] >>> (p & 15)) & 1;
    }
    return out;
  }

  /**
   * Mixed-radix digits of R mod (N-1)! into this.digits; returns whether R < (N-1)!.
   * Checks the length and that every entry is 0 or 1.
   */
  private readDigits(bits: ArrayLike<number>): boolean {
    checkLength("natural", this.cities, this.bits, bits);
    const m = this.m;
    const L = this.bits;
    const d = this.digits;
    d[m - 1] = 0;
    if (this.useNumber) {
      let r = 0;
      for (let k = 0; k < L; k++) {
        const b = bits[k];
        if (b !== 0 && b !== 1) throw badBit("natural", k, b);
        r = r * 2 + b;
      }
      for (let radix = 2; radix <= m; radix++) {
        const q = Math.floor(r / radix);
        d[m - radix] = r - q * radix;
        r = q;
      }
      return r === 0;
    }
    const limbs = this.limbs;
    limbs.fill(0);
    for (let k = 0; k < L; k++) {
      const b = bits[k];
      if (b !== 0 && b !== 1) throw badBit("natural", k, b);
      const p = L - 1 - k;
      if (b === 1) limbs[p >>> 4] += 1 << (p & 15);
    }
    let top = limbs.length - 1;
    for (let radix = 2; radix <= m; radix++) {
      while (top > 0 && limbs[top] === 0) top--;
      let rem = 0;
      for (let t = top; t >= 0; t--) {
        const v = rem * 65536 + limbs[t]; // < radix * 2^16: exact
        const q = Math.floor(v / radix);
        limbs[t] = q;
        rem = v - q * radix;
      }
      d[m - radix] = rem;
    }
    for (let t = 0; t <= top; t++) if (limbs[t] !== 0) return false;
    return true;
  }

  private tourFromDigits(): number[] {
    const out = new Array<number>(this.cities);
    out[0] = 0;
    this.codec.fromDigits(this.digits, out, 1);
    return out;
  }

  decode(bits: ArrayLike<number>): number[] | null {
    return this.readDigits(bits) ? this.tourFromDigits() : null;
  }

  /** Repair rule: the tour of rank R mod (N-1)! (the code's value wrapped into range). */
  repair(bits: ArrayLike<number>): number[] {
    this.readDigits(bits);
    return this.tourFromDigits();
  }
}
