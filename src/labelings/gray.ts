import { DigitLabeling } from "./digit-code.js";

/**
 * Gray labeling (docs/design.md, Definitions; Koshikawa, Hosaka, Yoshida 2024): Lehmer digits d_j, j = 1..N-2,
 * each as the reflected binary Gray code d ^ (d >> 1) in ceil(log2 r_j) bits, MSB first.
 * Bits: sum_{r=2}^{N-1} ceil(log2 r) (41 at N = 15). Neighbouring digit values differ in one
 * bit, so a valid single-bit flip moves one digit to a Gray-adjacent value.
 *
 * Decoding turns each field back to binary; a digit >= r_j makes the code invalid.
 * Repair rule: each out-of-range digit is clamped to r_j - 1 (the other digits kept).
 */
export class GrayLabeling extends DigitLabeling {
  readonly name = "gray" as const;
  /** @param cities N >= 3. */
  constructor(cities: number) {
    super("gray", cities);
  }
}
