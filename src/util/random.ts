import { OptionError } from "./errors.js";

/**
 * Seeded pseudo-random numbers for all library code (docs/design.md, Conventions: no `Math.random`).
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128-bit state in 32-bit words, seeded by
 * splitmix32 from an integer seed. Same seed -> same stream on every platform, because
 * every step is exact 32-bit integer arithmetic (`Math.imul`, `>>> 0`).
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** @param seed any finite number; non-integers are truncated, negatives are wrapped to 32 bits. */
  constructor(seed: number) {
    let x = (Math.trunc(seed) >>> 0) ^ Math.trunc(seed / 4294967296);
    const next = () => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection), for 1 <= n <= 2^32. */
  int(n: number): number {
    if (!(n >= 1)) throw new OptionError("n", `Random.int: n must be >= 1, got ${n}`);
    if (n <= 1) return 0;
    if (n > 4294967296) return Math.floor(this.float() * n);
    const limit = 4294967296 - (4294967296 % n);
    let r = this.u32();
    while (r >= limit) r = this.u32();
    return r % n;
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Fisher-Yates shuffle in place; returns its argument. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A 32-bit seed for a sub-stream (e.g. a wasm kernel call or a worker task). */
  seed(): number {
    return this.u32();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Derive a stable 32-bit seed from a base seed and a list of integers (task ids, seeds, indices).
 * Each value is absorbed through a full avalanche mix (murmur3 finaliser) before the next, so
 * (base, r) and (base', r') give unrelated seeds unless the pairs are equal — no XOR relation
 * between base and parts can make two streams coincide.
 */
export function deriveSeed(base: number, ...parts: number[]): number {
  let h = mix32((Math.trunc(base) >>> 0) ^ 0x811c9dc5);
  for (const p of parts) h = mix32((h + 0x9e3779b9 + (Math.trunc(p) >>> 0)) >>> 0);
  return h;
}

/**
 * Salts of the streams a run derives from its seed besides the proposal rounds'
 * (docs/design.md, "Seeds"). Round r = 1, 2, 3, ... draws from `roundSeed(seed, r)`; a salted
 * stream from `deriveSeed(seed, salt)`. A salt must never be a round number, or that round
 * would replay the salted stream (0x5a, sa-2opt's salt until this table, was round 90's
 * seed): new salts are >= 2^31, more rounds than a run has evaluations to spend.
 */
export const SeedSalt = {
  /**
   * The loop's random initial points. 0x1a17 (= 6679) predates the rule above; it is kept so
   * that every run reproduces, and `roundSeed` moves round 6679 out of its way.
   */
  init: 0x1a17,
  /** sa-2opt's Metropolis acceptance draws (was 0x5a, round 90's seed). */
  sa2opt: 0x8000_005a,
} as const;

/** Salt of the rounds that `roundSeed` moves off a salt's value (>= 2^31, like the salts). */
const ROUND_REMAP = 0x8000_0001;

/**
 * The seed of proposal round `round` (1, 2, 3, ...) of a run: `deriveSeed(seed, round)`, except
 * for a round number that equals a salt of `SeedSalt` (only 0x1a17, round 6679), which draws
 * from `deriveSeed(seed, ROUND_REMAP, round)` instead. So no round shares a stream with a
 * salted one, and every other round keeps the seed it always had.
 */
export function roundSeed(seed: number, round: number): number {
  return round === SeedSalt.init ? deriveSeed(seed, ROUND_REMAP, round) : deriveSeed(seed, round);
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
