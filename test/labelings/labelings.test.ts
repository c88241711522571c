import { describe, expect, it } from "vitest";
import { createLabeling, labelingNames } from "../../src/labelings/registry.js";
import { Random } from "../../src/util/random.js";
import { allTours, expectedBits, factorial, isCanonicalTour, randomTour, setCode } from "./helpers.js";

const digitNames = ["natural", "gray", "lehmer"] as const;

describe("registry", () => {
  it("lists the four labelings and builds each with its name, N and (N-1)! valid codes", () => {
    expect([...labelingNames]).toEqual(["natural", "gray", "lehmer", "onehot"]);
    for (const name of labelingNames) {
      for (const n of [3, 7, 19, 25]) {
        const lab = createLabeling(name, n);
        expect(lab.name).toBe(name);
        expect(lab.cities).toBe(n);
        expect(lab.validCodes).toBe(factorial(n - 1));
      }
    }
  });
});

describe("code lengths", () => {
  it("equal the docs/design.md formulas for N = 3..30", () => {
    for (const name of labelingNames) {
      for (let n = 3; n <= 30; n++) expect(createLabeling(name, n).bits, `${name} N=${n}`).toBe(expectedBits(name, n));
    }
  });

  it("at N = 15: natural 37, gray 41, lehmer 41, onehot 196; at N = 3: 1, 1, 1, 4", () => {
    expect(labelingNames.map((n) => createLabeling(n, 15).bits)).toEqual([37, 41, 41, 196]);
    expect(labelingNames.map((n) => createLabeling(n, 3).bits)).toEqual([1, 1, 1, 4]);
  });
});

describe("exhaustive round trips", () => {
  it("decode(encode(t)) = t for every tour, N = 3..9, every labeling; rotations encode alike", () => {
    for (const name of labelingNames) {
      for (let n = 3; n <= 9; n++) {
        const lab = createLabeling(name, n);
        let i = 0;
        for (const t of allTours(n)) {
          const code = lab.encode(t);
          expect(code.length).toBe(lab.bits);
          const back = lab.decode(code);
          if (back === null || back.join() !== t.join()) {
            expect.fail(`${name} N=${n}: tour ${t} decoded to ${back}`);
          }
          if (i++ % 97 === 0) {
            const k = 1 + (i % (n - 1));
            const rotated = t.slice(k).concat(t.slice(0, k));
            expect(Array.from(lab.encode(rotated))).toEqual(Array.from(code));
          }
        }
      }
    }
  });
});

describe("invalid codes and bijection, by enumerating every code", () => {
  function census(name: string, n: number) {
    const lab = createLabeling(name, n);
    const code = new Uint8Array(lab.bits);
    const tours = new Set<string>();
    let invalid = 0;
    const total = 2 ** lab.bits;
    for (let v = 0; v < total; v++) {
      setCode(code, v);
      const t = lab.decode(code);
      if (t === null) {
        invalid++;
        continue;
      }
      if (!isCanonicalTour(t, n)) expect.fail(`${name} N=${n}: code ${v} decoded to non-tour ${t}`);
      tours.add(t.join());
      // the valid code is the code of its tour: decode is injective on valid codes
      const again = lab.encode(t);
      for (let k = 0; k < code.length; k++) {
        if (again[k] !== code[k]) expect.fail(`${name} N=${n}: code ${v} -> ${t} -> other code`);
      }
    }
    return { total, invalid, distinct: tours.size };
  }

  for (const name of digitNames) {
    it(`${name}: 2^bits - (N-1)! invalid codes and (N-1)! distinct tours, N = 3..9`, () => {
      for (let n = 3; n <= 9; n++) {
        const { total, invalid, distinct } = census(name, n);
        const f = Number(factorial(n - 1));
        expect(total).toBe(2 ** expectedBits(name, n));
        expect(invalid, `${name} N=${n}`).toBe(total - f);
        expect(distinct).toBe(f);
      }
    });
  }

  it("onehot: 2^((N-1)^2) - (N-1)! invalid codes and (N-1)! distinct tours, N = 3..5", () => {
    for (let n = 3; n <= 5; n++) {
      const { total, invalid, distinct } = census("onehot", n);
      const f = Number(factorial(n - 1));
      expect(total).toBe(2 ** ((n - 1) * (n - 1)));
      expect(invalid).toBe(total - f);
      expect(distinct).toBe(f);
    }
  });
});

describe("random round trips up to N = 200", () => {
  it("decode(encode(t)) = canonical t for random rotated tours, every labeling", () => {
    const rnd = new Random(77);
    for (const name of labelingNames) {
      for (const n of [10, 18, 19, 20, 21, 32, 33, 34, 50, 100, 150, 200]) {
        const lab = createLabeling(name, n);
        for (let trial = 0; trial < 8; trial++) {
          const t = randomTour(n, rnd);
          const k = rnd.int(n);
          const rotated = t.slice(k).concat(t.slice(0, k));
          const code = lab.encode(rotated);
          expect(code.length).toBe(expectedBits(name, n));
          expect(lab.decode(code), `${name} N=${n}`).toEqual(t);
          expect(lab.repair(code)).toEqual(t);
        }
      }
    }
  });
});
