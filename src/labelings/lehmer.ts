import { DigitLabeling } from "./digit-code.js";

/**
 * Lehmer labeling (docs/design.md, Definitions): the layout of `gray` with each Lehmer digit d_j, j = 1..N-2,
 * in plain binary, ceil(log2 r_j) bits, MSB first — isolates the effect of the Gray coding.
 * A digit >= r_j makes the code invalid.
 * Repair rule: each out-of-range digit is clamped to r_j - 1 (the other digits kept).
 */
export class LehmerLabeling extends DigitLabeling {
  readonly name = "lehmer" as const;
  /** @param cities N >= 3. */
  constructor(cities: number) {
    super("lehmer", cities);
  }
}
