import type { Labeling } from "../../labelings/labeling.js";
import { randomTour } from "../../tsp/tour-space.js";
import type { Random } from "../../util/random.js";

/**
 * The space the `fma` method searches: bit strings of a fixed length, some of which may be
 * invalid (labelings whose code space is larger than the set of tours).
 */
export interface BitDomain {
  readonly bits: number;
  /** A uniformly random valid code. */
  randomCode(rng: Random): Uint8Array;
  isValid(code: Uint8Array): boolean;
  /** A valid code for any code, deterministic (the `repair` policy); absent when every code is valid. */
  repair?(code: Uint8Array): Uint8Array;
}

/** Every bit string is valid: the domain of `minimize`. */
export function allBits(bits: number, isValid?: (code: Uint8Array) => boolean): BitDomain {
  return {
    bits,
    randomCode(rng) {
      const c = new Uint8Array(bits);
      for (let i = 0; i < bits; i++) c[i] = rng.u32() >>> 31;
      return c;
    },
    isValid: isValid ?? (() => true),
  };
}

/** Codes of a labeling: random valid codes are codes of uniformly random tours. */
export function labelingDomain(labeling: Labeling): BitDomain {
  const n = labeling.cities;
  return {
    bits: labeling.bits,
    randomCode: (rng) => labeling.encode(randomTour(n, rng)),
    isValid: (code) => labeling.decode(code) !== null,
    repair: (code) => labeling.encode(labeling.repair(code)),
  };
}

/** The key of a code in the loop's "seen" set: its bits as a 0/1 string. */
export function bitKey(code: Uint8Array): string {
  let s = "";
  for (let i = 0; i < code.length; i++) s += code[i] ? "1" : "0";
  return s;
}

/** Inverse of `bitKey` (also the journal's form of a code). */
export function bitsFromKey(key: string): Uint8Array {
  const c = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) c[i] = key.charCodeAt(i) === 49 ? 1 : 0;
  return c;
}
