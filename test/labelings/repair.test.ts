import { describe, expect, it } from "vitest";
import { OneHotLabeling } from "../../src/labelings/onehot.js";
import { createLabeling, labelingNames } from "../../src/labelings/registry.js";
import { Random } from "../../src/util/random.js";
import { bruteLehmer, expectedBits, isCanonicalTour, randomTour, setCode } from "./helpers.js";

/** Check the repair contract on one code: valid tour, = decode when valid, deterministic. */
function checkRepair(name: string, n: number, code: ArrayLike<number>, fresh: ReturnType<typeof createLabeling>) {
  const lab = createLabeling(name, n);
  const fixed = lab.repair(code);
  if (!isCanonicalTour(fixed, n)) expect.fail(`${name} N=${n}: repair gave ${fixed}`);
  const t = lab.decode(code);
  if (t !== null && t.join() !== fixed.join()) expect.fail(`${name} N=${n}: repair ${fixed} != decode ${t}`);
  // deterministic: again on the same instance (after other calls) and on another instance
  if (lab.repair(code).join() !== fixed.join() || fresh.repair(code).join() !== fixed.join()) {
    expect.fail(`${name} N=${n}: repair not deterministic`);
  }
  return { fixed, valid: t !== null };
}

describe("repair", () => {
  it("natural, gray, lehmer: every code of N = 3..7 repairs to a valid tour, = decode on valid codes", () => {
    for (const name of ["natural", "gray", "lehmer"]) {
      for (let n = 3; n <= 7; n++) {
        const fresh = createLabeling(name, n);
        const code = new Uint8Array(expectedBits(name, n));
        let repaired = 0;
        for (let v = 0; v < 2 ** code.length; v++) {
          setCode(code, v);
          if (!checkRepair(name, n, code, fresh).valid) repaired++;
        }
        expect(repaired).toBe(2 ** code.length - Number(fresh.validCodes));
      }
    }
  });

  it("onehot: every code of N = 3..5, and random and perturbed codes of N = 6, 7", () => {
    for (let n = 3; n <= 5; n++) {
      const fresh = createLabeling("onehot", n);
      const code = new Uint8Array((n - 1) ** 2);
      for (let v = 0; v < 2 ** code.length; v++) {
        setCode(code, v);
        checkRepair("onehot", n, code, fresh);
      }
    }
    const rnd = new Random(8);
    for (const n of [6, 7]) {
      const fresh = createLabeling("onehot", n);
      for (let trial = 0; trial < 3000; trial++) {
        const dense = Array.from({ length: (n - 1) ** 2 }, () => rnd.int(2));
        checkRepair("onehot", n, dense, fresh);
        const perturbed = Array.from(fresh.encode(randomTour(n, rnd)));
        for (let f = rnd.int(3); f >= 0; f--) perturbed[rnd.int(perturbed.length)] ^= 1;
        checkRepair("onehot", n, perturbed, fresh);
      }
    }
  });

  it("gray and lehmer repair clamp each out-of-range digit to r_j - 1 and keep the others", () => {
    const rnd = new Random(31);
    for (const name of ["gray", "lehmer"]) {
      for (const n of [6, 9, 13, 40]) {
        const lab = createLabeling(name, n);
        for (let trial = 0; trial < 50; trial++) {
          const bits = Array.from({ length: lab.bits }, () => rnd.int(2));
          // read the fields independently
          const expected: number[] = [];
          let k = 0;
          for (let j = 1; j <= n - 2; j++) {
            const r = n - j;
            let w = 0;
            while (2 ** w < r) w++;
            let v = 0;
            for (let b = 0; b < w; b++) v = v * 2 + bits[k++];
            if (name === "gray") for (let s = v >> 1; s; s >>= 1) v ^= s;
            expected.push(Math.min(v, r - 1));
          }
          expected.push(0);
          expect(bruteLehmer(lab.repair(bits).slice(1))).toEqual(expected);
        }
      }
    }
  });

  it("onehot repair follows the documented greedy rule on hand-worked codes", () => {
    const lab = new OneHotLabeling(4); // rows = cities 1..3, columns = positions 1..3
    // city 1 -> p1; city 2 wants p1 (taken) -> unplaced; city 3 has no 1 -> unplaced;
    // unplaced 2, 3 fill positions 2, 3
    expect(lab.repair([1, 1, 0, 1, 0, 0, 0, 0, 0])).toEqual([0, 1, 2, 3]);
    // city 2 -> p3; cities 1 and 3 unplaced fill p1, p2
    expect(lab.repair([0, 0, 0, 0, 0, 1, 0, 0, 1])).toEqual([0, 1, 3, 2]);
    // all ones: city c takes the lowest free position
    expect(lab.repair(new Array(9).fill(1))).toEqual([0, 1, 2, 3]);
    // all zeros: identity
    expect(lab.repair(new Array(9).fill(0))).toEqual([0, 1, 2, 3]);
    // cities in order: city 1 -> p1 (its lowest 1), city 2 -> p3, city 3 wants p1 (taken) and
    // has no other 1 -> unplaced, fills p2
    expect(lab.repair([1, 1, 0, 0, 0, 1, 1, 0, 0])).toEqual([0, 1, 3, 2]);
  });

  it("valid codes at N = 60 repair to themselves for every labeling", () => {
    const rnd = new Random(60);
    for (const name of labelingNames) {
      const lab = createLabeling(name, 60);
      const t = randomTour(60, rnd);
      expect(lab.repair(lab.encode(t))).toEqual(t);
    }
  });
});
