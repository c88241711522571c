import { describe, expect, it } from "vitest";
import { createLabeling } from "../../src/labelings/registry.js";
import { Random } from "../../src/util/random.js";
import { bruteLehmer, randomTour } from "./helpers.js";

/** Field offsets/widths of the digit layout, from docs/design.md: digit j = 1..N-2, width ceil(log2(N-j)). */
function fields(n: number): { offset: number; width: number; radix: number }[] {
  const out = [];
  let offset = 0;
  for (let j = 1; j <= n - 2; j++) {
    const radix = n - j;
    let width = 0;
    while (2 ** width < radix) width++;
    out.push({ offset, width, radix });
    offset += width;
  }
  return out;
}

const gray = (d: number) => d ^ (d >> 1);
const popcount = (x: number) => x.toString(2).split("").filter((c) => c === "1").length;

describe("hand-worked example, N = 5, tour 0 3 1 4 2", () => {
  // free part (3,1,4,2); d_1 = #{1,2} = 2, d_2 = 0, d_3 = #{2} = 1, d_4 = 0
  // radices 4, 3, 2 -> widths 2, 2, 1
  const tour = [0, 3, 1, 4, 2];
  it("gray: digits 2,0,1 -> Gray 11, 00, 1", () => {
    const lab = createLabeling("gray", 5);
    expect(Array.from(lab.encode(tour))).toEqual([1, 1, 0, 0, 1]);
    expect(Array.from(lab.encode([4, 2, 0, 3, 1]))).toEqual([1, 1, 0, 0, 1]);
    expect(lab.decode([1, 1, 0, 0, 1])).toEqual(tour);
  });
  it("lehmer: digits 2,0,1 -> 10, 00, 1", () => {
    const lab = createLabeling("lehmer", 5);
    expect(Array.from(lab.encode(tour))).toEqual([1, 0, 0, 0, 1]);
    expect(lab.decode([1, 0, 0, 0, 1])).toEqual(tour);
  });
  it("natural: R = 2*3! + 0*2! + 1*1! = 13 -> 01101", () => {
    const lab = createLabeling("natural", 5);
    expect(Array.from(lab.encode(tour))).toEqual([0, 1, 1, 0, 1]);
  });
  it("onehot: (c,p) = (3,1), (1,2), (4,3), (2,4) -> bits 8, 1, 14, 7", () => {
    const lab = createLabeling("onehot", 5);
    const code = lab.encode(tour);
    expect([...code.keys()].filter((k) => code[k] === 1)).toEqual([1, 7, 8, 14]);
  });
  it("gray: second field 10 is Gray for 3 >= radix 3, so invalid; repair clamps it to 2", () => {
    const lab = createLabeling("gray", 5);
    // fields: 10 -> 3 (radix 4, ok), 10 -> 3 (radix 3, invalid), 0 -> 0
    expect(lab.decode([1, 0, 1, 0, 0])).toBeNull();
    // digits 3, 2, 0: free part = 4th of {1,2,3,4}, 3rd of {1,2,3}, 1st of {1,2}
    expect(lab.repair([1, 0, 1, 0, 0])).toEqual([0, 4, 3, 1, 2]);
  });
});

describe("single-bit flips", () => {
  for (const name of ["gray", "lehmer"] as const) {
    it(`${name}: a valid flip changes exactly one Lehmer digit, the one whose field holds the bit (N = 5..12)`, () => {
      const rnd = new Random(1234);
      let validFlips = 0;
      for (let n = 5; n <= 12; n++) {
        const lab = createLabeling(name, n);
        const layout = fields(n);
        for (let trial = 0; trial < 40; trial++) {
          const t = randomTour(n, rnd);
          const code = lab.encode(t);
          const before = bruteLehmer(t.slice(1));
          for (let k = 0; k < lab.bits; k++) {
            const flipped = Array.from(code);
            flipped[k] ^= 1;
            const u = lab.decode(flipped);
            if (u === null) continue;
            validFlips++;
            const after = bruteLehmer(u.slice(1));
            const changed = before.map((d, i) => (d !== after[i] ? i : -1)).filter((i) => i >= 0);
            expect(changed.length).toBe(1);
            const i = changed[0];
            const f = layout[i];
            expect(k >= f.offset && k < f.offset + f.width).toBe(true);
            expect(after[i]).toBeLessThan(f.radix);
            const delta = name === "gray" ? gray(before[i]) ^ gray(after[i]) : before[i] ^ after[i];
            // the two digits' codes differ in exactly the flipped bit of that field
            expect(popcount(delta)).toBe(1);
            expect(delta).toBe(1 << (f.offset + f.width - 1 - k));
          }
        }
      }
      expect(validFlips).toBeGreaterThan(1000);
    });
  }

  it("gray: consecutive digit values of every field differ in one bit of the code", () => {
    const lab = createLabeling("gray", 12);
    const layout = fields(12);
    const base = [0, ...Array.from({ length: 11 }, (_, i) => i + 1)]; // all digits 0
    const zero = Array.from(lab.encode(base));
    expect(zero.every((b) => b === 0)).toBe(true);
    // walk digit i through 0..r-1 by decoding Gray codes written in field i
    layout.forEach((f, i) => {
      let prev: number[] | null = null;
      for (let d = 0; d < f.radix; d++) {
        const bits = zero.slice();
        const g = gray(d);
        for (let b = 0; b < f.width; b++) bits[f.offset + b] = (g >> (f.width - 1 - b)) & 1;
        const t = lab.decode(bits);
        expect(t).not.toBeNull();
        expect(bruteLehmer(t!.slice(1))[i]).toBe(d);
        if (prev) expect(prev.filter((x, k) => x !== bits[k]).length).toBe(1);
        prev = bits;
      }
    });
  });
});
