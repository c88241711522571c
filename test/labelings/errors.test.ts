import { describe, expect, it } from "vitest";
import { createLabeling, labelingNames } from "../../src/labelings/registry.js";
import { TourError } from "../../src/tsp/tour.js";
import { UserError } from "../../src/util/errors.js";

describe("labeling errors", () => {
  it("unknown name: UserError listing the valid names", () => {
    expect(() => createLabeling("binary", 10)).toThrow(UserError);
    expect(() => createLabeling("binary", 10)).toThrow(/unknown labeling "binary".*natural, gray, lehmer, onehot/);
    expect(() => createLabeling("", 10)).toThrow(UserError);
    expect(() => createLabeling("toString", 10)).toThrow(UserError); // not an inherited key
    expect(() => createLabeling("Gray", 10)).toThrow(UserError);
  });

  it("fewer than 3 cities or a non-integer N: UserError", () => {
    for (const name of labelingNames) {
      for (const n of [2, 1, 0, -4, 3.5, NaN, Infinity]) {
        expect(() => createLabeling(name, n), `${name} ${n}`).toThrow(UserError);
      }
      expect(() => createLabeling(name, 2)).toThrow(/>= 3, got 2/);
    }
    expect(() => createLabeling("onehot", 40000)).toThrow(/at most 32769/);
  });

  it("encode of a non-permutation: TourError", () => {
    for (const name of labelingNames) {
      const lab = createLabeling(name, 5);
      expect(() => lab.encode([0, 1, 2, 3])).toThrow(TourError);
      expect(() => lab.encode([0, 1, 2, 3, 4, 5])).toThrow(/6 cities, expected 5/);
      expect(() => lab.encode([0, 1, 1, 3, 4])).toThrow(/appears twice/);
      expect(() => lab.encode([0, 1, 2, 3, 5])).toThrow(TourError);
      expect(() => lab.encode([0, 1, 2, 3, 1.5])).toThrow(TourError);
      expect(() => lab.encode([1, 2, 3, 4, -1])).toThrow(TourError);
    }
  });

  it("decode/repair of a wrong-length code: UserError naming both lengths", () => {
    for (const name of labelingNames) {
      const lab = createLabeling(name, 6);
      const short = new Array(lab.bits - 1).fill(0);
      const long = new Array(lab.bits + 1).fill(0);
      for (const f of [(b: number[]) => lab.decode(b), (b: number[]) => lab.repair(b)]) {
        expect(() => f(short)).toThrow(UserError);
        expect(() => f(short)).toThrow(new RegExp(`expects ${lab.bits} bits, got a code of length ${lab.bits - 1}`));
        expect(() => f(long)).toThrow(UserError);
        expect(() => f([])).toThrow(UserError);
      }
      expect(() => lab.decode(null as unknown as number[])).toThrow(UserError);
    }
  });

  it("decode/repair of entries other than 0/1: UserError naming the bit, even after an invalid field", () => {
    for (const name of labelingNames) {
      const lab = createLabeling(name, 6);
      for (const bad of [2, -1, 0.5, NaN]) {
        for (const at of [0, lab.bits - 1]) {
          const code = new Array(lab.bits).fill(1); // all ones: invalid for every labeling at N=6
          code[at] = bad;
          expect(() => lab.decode(code), `${name} ${bad}@${at}`).toThrow(UserError);
          expect(() => lab.decode(code)).toThrow(new RegExp(`bit ${at} is ${String(bad)}, expected 0 or 1`));
          expect(() => lab.repair(code)).toThrow(UserError);
        }
      }
      // a correct-length code of 0/1 works after the errors (scratch not left corrupted)
      const t = [0, 5, 4, 3, 2, 1];
      expect(lab.decode(lab.encode(t))).toEqual(t);
    }
  });
});
