import { describe, expect, it } from "vitest";
import { freePartFromDigits, lehmerDigits, LehmerCodec } from "../../src/labelings/lehmer-code.js";
import { Random } from "../../src/util/random.js";
import { bruteFromLehmer, bruteLehmer, lexPermutations, randomTour, range1 } from "./helpers.js";

describe("Lehmer code of a free part", () => {
  it("matches the definition on every permutation of 1..m, m <= 7, both ways", () => {
    for (let m = 1; m <= 7; m++) {
      const seen = new Set<string>();
      for (const p of lexPermutations(range1(m))) {
        const d = lehmerDigits(p);
        expect(d).toEqual(bruteLehmer(p));
        d.forEach((x, i) => expect(x).toBeLessThan(m - i));
        expect(freePartFromDigits(d)).toEqual(p);
        seen.add(d.join(","));
      }
      // m! distinct digit vectors in a space of size m!: a bijection
      expect(seen.size).toBe(lexPermutations(range1(m)).length);
    }
  });

  it("matches the definition on random permutations across the mask/Fenwick boundary and up to m = 500", () => {
    const rnd = new Random(20240601);
    for (const m of [8, 16, 30, 31, 32, 33, 63, 64, 65, 100, 199, 500]) {
      const codec = new LehmerCodec(m);
      const digits = new Int32Array(m);
      for (let trial = 0; trial < 10; trial++) {
        const back = new Array<number>(m + 2).fill(-1);
        const free = randomTour(m + 1, rnd).slice(1);
        codec.toDigits(free, digits);
        expect(Array.from(digits)).toEqual(bruteLehmer(free));
        codec.fromDigits(digits, back, 2); // writes at an offset, leaves the rest alone
        expect(back.slice(2)).toEqual(free);
        expect(back.slice(0, 2)).toEqual([-1, -1]);
        // and from random digit vectors
        const d = range1(m).map((_, i) => rnd.int(m - i));
        codec.fromDigits(d, back, 0);
        expect(back.slice(0, m)).toEqual(bruteFromLehmer(d));
      }
    }
  });

  it("identity and reversal have digits all zero and m-1, m-2, ..., 0", () => {
    for (const m of [5, 31, 40]) {
      expect(lehmerDigits(range1(m))).toEqual(new Array(m).fill(0));
      expect(lehmerDigits(range1(m).reverse())).toEqual(range1(m).map((i) => m - i));
    }
  });

  it("rejects out-of-range digits", () => {
    expect(() => freePartFromDigits([3, 0, 0])).toThrow(/digit 0 is 3/);
    expect(() => freePartFromDigits([0, 0, 1])).toThrow(/digit 2 is 1/);
    expect(() => freePartFromDigits([0.5, 0])).toThrow(RangeError);
    expect(() => new LehmerCodec(0)).toThrow(RangeError);
  });
});
