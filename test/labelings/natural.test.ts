import { describe, expect, it } from "vitest";
import { NaturalLabeling } from "../../src/labelings/natural.js";
import { createLabeling } from "../../src/labelings/registry.js";
import { Random } from "../../src/util/random.js";
import { allTours, bruteLehmer, expectedBits, factorial, fromBits, randomTour, setCode, toBits } from "./helpers.js";

/** R = sum_j d_j (N-1-j)! in BigInt, from the brute-force Lehmer digits. */
function rankOf(tour: number[]): bigint {
  const d = bruteLehmer(tour.slice(1));
  const m = d.length;
  let r = 0n;
  d.forEach((x, i) => (r += BigInt(x) * factorial(m - 1 - i)));
  return r;
}

describe("natural labeling", () => {
  it("the code is the lexicographic index of the free part in MSB-first binary, N = 3..8", () => {
    for (let n = 3; n <= 8; n++) {
      const lab = createLabeling("natural", n);
      const L = expectedBits("natural", n);
      allTours(n).forEach((t, index) => {
        const bits = toBits(index, L);
        expect(Array.from(lab.encode(t))).toEqual(bits);
        expect(lab.decode(bits)).toEqual(t);
      });
      // every value from (N-1)! up is invalid
      const f = Number(factorial(n - 1));
      for (let v = f; v < 2 ** L; v++) expect(lab.decode(toBits(v, L))).toBeNull();
    }
  });

  it("matches a BigInt rank on random tours for N up to 200, on both sides of 2^53", () => {
    const rnd = new Random(4242);
    for (const n of [12, 15, 18, 19, 20, 21, 22, 30, 64, 120, 200]) {
      const lab = createLabeling("natural", n);
      const L = expectedBits("natural", n);
      for (let trial = 0; trial < 10; trial++) {
        const t = randomTour(n, rnd);
        const r = rankOf(t);
        expect(Array.from(lab.encode(t)), `N=${n}`).toEqual(toBits(r, L));
      }
      // the largest valid rank (reversed free part) and the first invalid value
      const f = factorial(n - 1);
      const last = [0, ...Array.from({ length: n - 1 }, (_, i) => n - 1 - i)];
      expect(lab.decode(toBits(f - 1n, L))).toEqual(last);
      expect(lab.decode(toBits(f, L))).toBeNull();
      expect(lab.decode(toBits((1n << BigInt(L)) - 1n, L))).toBeNull();
    }
  });

  it("repair gives the tour of rank R mod (N-1)!, for random codes up to N = 200", () => {
    const rnd = new Random(99);
    for (const n of [5, 9, 19, 20, 40, 200]) {
      const lab = createLabeling("natural", n);
      const f = factorial(n - 1);
      for (let trial = 0; trial < 20; trial++) {
        const bits = Array.from({ length: lab.bits }, () => rnd.int(2));
        const r = fromBits(bits);
        const fixed = lab.repair(bits);
        expect(rankOf(fixed)).toBe(r % f);
        expect(lab.decode(bits) === null).toBe(r >= f);
      }
    }
  });

  it("number and limb arithmetic agree: every code for N <= 8, random codes and tours up to N = 19", () => {
    for (let n = 3; n <= 8; n++) {
      const fast = new NaturalLabeling(n);
      const slow = new NaturalLabeling(n, "limbs");
      const code = new Uint8Array(fast.bits);
      for (let v = 0; v < 2 ** fast.bits; v++) {
        setCode(code, v);
        expect(slow.decode(code)).toEqual(fast.decode(code));
        expect(slow.repair(code)).toEqual(fast.repair(code));
      }
    }
    const rnd = new Random(5);
    for (let n = 9; n <= 19; n++) {
      const fast = new NaturalLabeling(n);
      const slow = new NaturalLabeling(n, "limbs");
      for (let trial = 0; trial < 50; trial++) {
        const t = randomTour(n, rnd);
        expect(Array.from(slow.encode(t))).toEqual(Array.from(fast.encode(t)));
        const bits = Array.from({ length: fast.bits }, () => rnd.int(2));
        expect(slow.decode(bits)).toEqual(fast.decode(bits));
        expect(slow.repair(bits)).toEqual(fast.repair(bits));
      }
    }
  });
});
