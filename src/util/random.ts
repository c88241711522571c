/**
 * Seeded pseudo-random numbers for all library code (DESIGN.md: no `Math.random`).
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
    if (!(n >= 1)) throw new RangeError(`Random.int: n must be >= 1, got ${n}`);
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

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
