import { badBit, checkLength } from "./labeling.js";
import { LehmerDigitsLabeling } from "./lehmer-code.js";

const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
/** Largest product of a radix group, so that rem * LIMB + limb and limb * P + carry stay < 2^53. */
const MAX_GROUP_PRODUCT = 2 ** 29;

/**
 * Natural labeling (docs/design.md, Definitions): the lexicographic rank of the free part,
 *   R = sum_{j=1}^{N-1} d_j * (N-1-j)!,
 * in binary, most significant bit first, L = ceil(log2((N-1)!)) bits. Codes with
 * R >= (N-1)! are invalid.
 *
 * Arithmetic. R is a mixed-radix number whose digit d_j has radix N-j, so
 *   encode: Horner, R = (..((d_1)(N-2) + d_2)(N-3) + ..) * 1 + d_{N-1};
 *   decode: d_{N-2} = R mod 2, R /= 2; d_{N-3} = R mod 3, R /= 3; ...; d_1 = R mod (N-1);
 *           the final quotient is floor(R / (N-1)!), zero exactly when the code is valid.
 * While L <= 53 (N <= 19) R is exact in a double and plain numbers are used. Above that R
 * lives in 24-bit limbs (little-endian, in a Float64Array) and no BigInt is allocated:
 * consecutive radices are grouped so that each group's product P is < 2^29, and one pass over
 * the limbs multiplies by P (encode) or divides by P (decode); every intermediate is then
 * < 2^24 * 2^29 = 2^53, exact in a double. Within a group, the combined digit value (encode)
 * or the remainder (decode) is split with plain numbers. Both paths give identical results
 * (tested).
 */
export class NaturalLabeling extends LehmerDigitsLabeling {
  readonly name = "natural" as const;
  readonly bits: number;
  private readonly useNumber: boolean;
  private readonly limbs: Float64Array;
  /**
   * Radix groups for the limb path: group g covers the digits i = groupStart[g] ..
   * groupStart[g+1]-1 (radices m-i, descending), with product groupProduct[g] < 2^29.
   */
  private readonly groupStart: Int32Array;
  private readonly groupProduct: Float64Array;

  /**
   * @param cities N >= 3.
   * @param arithmetic internal/testing: force the limb arithmetic even when numbers would do.
   */
  constructor(cities: number, arithmetic: "auto" | "limbs" = "auto") {
    super("natural", cities);
    // ceil(log2 F) = bit length of F - 1 (F >= 2)
    this.bits = (this.validCodes - 1n).toString(2).length;
    this.useNumber = arithmetic === "auto" && this.bits <= 53;
    this.limbs = new Float64Array(this.useNumber ? 0 : Math.ceil(this.bits / LIMB_BITS) + 1);
    const starts: number[] = [];
    const products: number[] = [];
    if (!this.useNumber) {
      // digit i has radix m - i; group greedily from i = 0 (radix m) down to radix 1
      for (let i = 0; i < this.m; ) {
        starts.push(i);
        let p = this.m - i;
        i++;
        while (i < this.m && p * (this.m - i) < MAX_GROUP_PRODUCT) p *= this.m - i++;
        products.push(p);
      }
      starts.push(this.m);
    }
    this.groupStart = Int32Array.from(starts);
    this.groupProduct = Float64Array.from(products);
  }

  encode(tour: ArrayLike<number>): Uint8Array {
    const m = this.m;
    const L = this.bits;
    const d = this.digitsOf(tour);
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
    // Horner over radix groups: R = R * P_g + (digits of group g in mixed radix)
    const limbs = this.limbs;
    limbs.fill(0);
    let top = 0; // limbs above top are zero
    const starts = this.groupStart;
    for (let g = 0; g < this.groupProduct.length; g++) {
      const mult = this.groupProduct[g];
      let carry = 0;
      for (let i = starts[g]; i < starts[g + 1]; i++) carry = carry * (m - i) + d[i];
      for (let t = 0; t <= top || carry !== 0; t++) {
        const v = limbs[t] * mult + carry; // < 2^24 * 2^29: exact
        const q = Math.floor(v / LIMB);
        limbs[t] = v - q * LIMB;
        carry = q;
        if (t > top) top = t;
      }
    }
    for (let k = 0; k < L; k++) {
      const p = L - 1 - k; // value bit position of output bit k
      out[k] = (limbs[(p / LIMB_BITS) | 0] >>> p % LIMB_BITS) & 1;
    }
    return out;
  }

  /**
   * Mixed-radix digits of R mod (N-1)! into this.digits; returns whether R < (N-1)!.
   * Repair rule: the tour of rank R mod (N-1)! (the code's value wrapped into range).
   * Checks the length and that every entry is 0 or 1.
   */
  protected readDigits(bits: ArrayLike<number>): boolean {
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
      if (b === 1) limbs[(p / LIMB_BITS) | 0] += 1 << p % LIMB_BITS;
    }
    // divide by the groups' products, least significant radices (last group) first
    let top = limbs.length - 1;
    const starts = this.groupStart;
    for (let g = this.groupProduct.length - 1; g >= 0; g--) {
      const div = this.groupProduct[g];
      while (top > 0 && limbs[top] === 0) top--;
      let rem = 0;
      for (let t = top; t >= 0; t--) {
        const v = rem * LIMB + limbs[t]; // < 2^29 * 2^24: exact
        const q = Math.floor(v / div);
        limbs[t] = q;
        rem = v - q * div;
      }
      for (let i = starts[g + 1] - 1; i >= starts[g]; i--) {
        const r = m - i;
        const q = Math.floor(rem / r);
        d[i] = rem - q * r;
        rem = q;
      }
    }
    for (let t = 0; t <= top; t++) if (limbs[t] !== 0) return false;
    return true;
  }
}
