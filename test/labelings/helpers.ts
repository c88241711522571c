/**
 * Independent truth for the labeling tests: written from docs/design.md's definitions, sharing no
 * code with src/labelings/.
 */

/** All permutations of `items` in lexicographic order (items given sorted). */
export function lexPermutations(items: number[]): number[][] {
  if (items.length <= 1) return [items.slice()];
  const out: number[][] = [];
  for (let i = 0; i < items.length; i++) {
    const rest = items.slice(0, i).concat(items.slice(i + 1));
    for (const p of lexPermutations(rest)) out.push([items[i], ...p]);
  }
  return out;
}

/** 1..m */
export function range1(m: number): number[] {
  return Array.from({ length: m }, (_, i) => i + 1);
}

/** All canonical tours of N cities (city 0 first), free parts in lexicographic order. */
export function allTours(n: number): number[][] {
  return lexPermutations(range1(n - 1)).map((p) => [0, ...p]);
}

/** d_j = #{k > j : pi_k < pi_j} straight from the definition (O(m^2)). */
export function bruteLehmer(free: ArrayLike<number>): number[] {
  const d: number[] = [];
  for (let j = 0; j < free.length; j++) {
    let c = 0;
    for (let k = j + 1; k < free.length; k++) if (free[k] < free[j]) c++;
    d.push(c);
  }
  return d;
}

/** Free part with the given Lehmer digits: pick the d-th smallest remaining city. */
export function bruteFromLehmer(d: number[]): number[] {
  const avail = range1(d.length);
  return d.map((x) => avail.splice(x, 1)[0]);
}

export function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(n); i++) f *= i;
  return f;
}

/** Smallest b with 2^b >= x (x >= 1), by BigInt comparison. */
export function bitsFor(x: bigint): number {
  let b = 0;
  while (1n << BigInt(b) < x) b++;
  return b;
}

/** x as `width` bits, MSB first. */
export function toBits(x: bigint | number, width: number): number[] {
  const v = BigInt(x);
  const out: number[] = [];
  for (let k = width - 1; k >= 0; k--) out.push(Number((v >> BigInt(k)) & 1n));
  return out;
}

/** Bits (MSB first) as a bigint. */
export function fromBits(bits: ArrayLike<number>): bigint {
  let v = 0n;
  for (let k = 0; k < bits.length; k++) v = (v << 1n) | BigInt(bits[k]);
  return v;
}

/** Expected code lengths from docs/design.md, computed independently. */
export function expectedBits(name: string, n: number): number {
  switch (name) {
    case "natural":
      return bitsFor(factorial(n - 1));
    case "gray":
    case "lehmer": {
      let s = 0;
      for (let r = 2; r <= n - 1; r++) s += bitsFor(BigInt(r));
      return s;
    }
    case "onehot":
      return (n - 1) * (n - 1);
    default:
      throw new Error(name);
  }
}

/** The code with integer value `v` (MSB first), written into `out`. */
export function setCode(out: Uint8Array, v: number): void {
  const L = out.length;
  for (let k = 0; k < L; k++) out[k] = Math.floor(v / 2 ** (L - 1 - k)) % 2;
}

/** A uniformly random canonical tour. */
export function randomTour(n: number, rnd: { int(n: number): number }): number[] {
  const free = range1(n - 1);
  for (let i = free.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [free[i], free[j]] = [free[j], free[i]];
  }
  return [0, ...free];
}

/** True iff `t` is a canonical tour of n cities. */
export function isCanonicalTour(t: number[], n: number): boolean {
  if (t.length !== n || t[0] !== 0) return false;
  const seen = new Set(t);
  return seen.size === n && t.every((c) => Number.isInteger(c) && c >= 0 && c < n);
}
