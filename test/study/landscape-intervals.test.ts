import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/study/intervals.js";
import { UserError } from "../../src/util/errors.js";

describe("wilsonInterval", () => {
  it("matches published 95% Wilson intervals", () => {
    // Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score, no continuity
    // correction): 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611; 1/29 -> 0.0061-0.1718.
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, lo, hi] of cases) {
      const [a, b] = wilsonInterval(k, n);
      expect(a).toBeCloseTo(lo, 4);
      expect(b).toBeCloseTo(hi, 4);
    }
  });
  it("is symmetric under k -> n - k and reaches 0 and 1 at the ends", () => {
    const [a, b] = wilsonInterval(3, 17);
    const [c, d] = wilsonInterval(14, 17);
    expect(a).toBeCloseTo(1 - d, 12);
    expect(b).toBeCloseTo(1 - c, 12);
    expect(wilsonInterval(0, 5)[0]).toBe(0);
    expect(wilsonInterval(5, 5)[1]).toBe(1);
  });
  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(1, 0)).toThrow(UserError);
    expect(() => wilsonInterval(6, 5)).toThrow(/0\.\.5/);
    expect(() => wilsonInterval(-1, 5)).toThrow(UserError);
    expect(() => wilsonInterval(1, 5, 0)).toThrow(/z/);
  });
});
