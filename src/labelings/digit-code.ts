import { badBit, ceilLog2, checkLength } from "./labeling.js";
import { LehmerDigitsLabeling } from "./lehmer-code.js";

/**
 * Shared layout of the `gray` and `lehmer` labelings (docs/design.md, Definitions): the Lehmer digits
 * d_j, j = 1..N-2 (radix r_j = N - j >= 2; d_{N-1} = 0 takes no bits), each written in its own
 * field of w_j = ceil(log2 r_j) bits, most significant bit first, fields in order of j.
 * Total sum_{r=2}^{N-1} ceil(log2 r) bits. `gray` writes each digit as the reflected binary
 * Gray code d ^ (d >> 1); `lehmer` writes d itself. A field whose decoded digit is >= r_j
 * makes the code invalid.
 *
 * Repair rule (both): every out-of-range digit is clamped to r_j - 1; in-range digits are kept.
 */
export abstract class DigitLabeling extends LehmerDigitsLabeling {
  abstract override readonly name: "gray" | "lehmer";
  readonly bits: number;
  /** Field of digit i (0-based, i = j - 1): first bit offset, width, radix. */
  protected readonly offsets: Int32Array;
  protected readonly widths: Int32Array;
  protected readonly radices: Int32Array;
  private readonly gray: boolean;

  protected constructor(name: "gray" | "lehmer", cities: number) {
    super(name, cities);
    this.gray = name === "gray";
    const m = this.m;
    this.offsets = new Int32Array(m - 1);
    this.widths = new Int32Array(m - 1);
    this.radices = new Int32Array(m - 1);
    let offset = 0;
    for (let i = 0; i < m - 1; i++) {
      const r = m - i;
      this.radices[i] = r;
      this.widths[i] = ceilLog2(r);
      this.offsets[i] = offset;
      offset += this.widths[i];
    }
    this.bits = offset;
  }

  encode(tour: ArrayLike<number>): Uint8Array {
    const d = this.digitsOf(tour);
    const out = new Uint8Array(this.bits);
    const gray = this.gray;
    for (let i = 0; i < this.m - 1; i++) {
      const v = gray ? d[i] ^ (d[i] >>> 1) : d[i];
      const w = this.widths[i];
      const o = this.offsets[i];
      for (let b = 0; b < w; b++) out[o + b] = (v >>> (w - 1 - b)) & 1;
    }
    return out;
  }

  /**
   * Read every field into this.digits, clamping out-of-range digits to r_j - 1; returns
   * whether no clamping was needed. Checks the length and that every entry is 0 or 1.
   */
  protected readDigits(bits: ArrayLike<number>): boolean {
    checkLength(this.name, this.cities, this.bits, bits);
    const d = this.digits;
    const gray = this.gray;
    let valid = true;
    let k = 0;
    for (let i = 0; i < this.m - 1; i++) {
      const w = this.widths[i];
      let v = 0;
      for (let end = k + w; k < end; k++) {
        const b = bits[k];
        if (b !== 0 && b !== 1) throw badBit(this.name, k, b);
        v = (v << 1) | b;
      }
      if (gray) {
        // Gray -> binary: b = g ^ (g >> 1) ^ (g >> 2) ^ ...
        for (let s = v >>> 1; s !== 0; s >>>= 1) v ^= s;
      }
      const r = this.radices[i];
      if (v >= r) {
        valid = false;
        v = r - 1;
      }
      d[i] = v;
    }
    d[this.m - 1] = 0;
    return valid;
  }
}
