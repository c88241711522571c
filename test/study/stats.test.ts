import { describe, expect, it } from "vitest";
import { holm, mean, median, normalCdf, quantile, wilcoxonSignedRank, wilsonInterval } from "../../src/study/stats.js";
import { UserError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";

/**
 * Brute-force signed-rank p-values: enumerate all 2^n sign patterns of the given ranks
 * (average ranks for ties, computed here independently by counting) and count how often W+
 * is <= or >= the observed value. Independent of the dynamic programme under test.
 */
function bruteForce(d: number[]): { wPlus: number; lower: number; upper: number } {
  const nz = d.filter((v) => v !== 0);
  const abs = nz.map(Math.abs);
  const ranks = abs.map((a) => {
    const below = abs.filter((b) => b < a).length;
    const equal = abs.filter((b) => b === a).length;
    return below + (equal + 1) / 2;
  });
  const wPlus = nz.reduce((s, v, i) => s + (v > 0 ? ranks[i]! : 0), 0);
  const n = nz.length;
  let lower = 0;
  let upper = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let w = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) w += ranks[i]!;
    if (w <= wPlus + 1e-9) lower++;
    if (w >= wPlus - 1e-9) upper++;
  }
  return { wPlus, lower: lower / 2 ** n, upper: upper / 2 ** n };
}

describe("median, mean, quantile", () => {
  it("match hand-computed values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([Infinity, 1, 2])).toBe(2);
    expect(mean([1, 2, 6])).toBe(3);
    // Type 7: h = (n-1)p; [1,2,3,4] at p = 0.25 -> h = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75
    expect(quantile([4, 3, 2, 1], 0.25)).toBeCloseTo(1.75, 12);
    // [10, 20, 30, 40, 50] at p = 0.9 -> h = 3.6 -> 40 + 0.6 * 10 = 46
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 12);
    expect(quantile([7], 0.3)).toBe(7);
  });
  it("refuse empty samples, NaN and bad orders", () => {
    expect(() => median([])).toThrow(UserError);
    expect(() => mean([1, NaN])).toThrow(UserError);
    expect(() => quantile([1, 2], 1.5)).toThrow(UserError);
  });
  it("does not reorder the caller's array", () => {
    const a = [3, 1, 2];
    median(a);
    quantile(a, 0.5);
    expect(a).toEqual([3, 1, 2]);
  });
});

describe("normalCdf", () => {
  it("matches the standard normal table", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.158655253931457, 12);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
  });
});

describe("wilsonInterval", () => {
  it("matches a hand computation and a published interval", () => {
    // 5/10, z = 1.96: centre = 0.5; half = 1.96 / (1 + 1.96^2/10) * sqrt(0.25/10 + 1.96^2/400)
    //   = 1.416020 * 0.186021 = 0.263410 -> [0.236590, 0.763410]
    const [lo, hi] = wilsonInterval(5, 10, 1.96);
    expect(lo).toBeCloseTo(0.23659, 5);
    expect(hi).toBeCloseTo(0.76341, 5);
    // Newcombe (1998), Stat. Med. 17:857, Table I, method 3: 81/263 -> 0.2553 to 0.3662
    const [a, b] = wilsonInterval(81, 263);
    expect(a).toBeCloseTo(0.2553, 4);
    expect(b).toBeCloseTo(0.3662, 4);
  });
});

describe("wilcoxonSignedRank", () => {
  // R, ?wilcox.test: Hollander & Wolfe (1973), p. 29 — Hamilton depression scale factor IV
  // before (x) and after (y) tranquilizer therapy, nine patients.
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

  it("reproduces R's wilcox.test(x, y, paired = TRUE, alternative = 'greater'): V = 40, p = 0.01953", () => {
    const r = wilcoxonSignedRank(x, y, { alternative: "greater" });
    expect(r.method).toBe("exact");
    expect(r.n).toBe(9);
    expect(r.statistic).toBe(40);
    expect(r.wPlus).toBe(40);
    expect(r.wMinus).toBe(5);
    // P(W+ >= 40) = P(W+ <= 5) = #{subsets of 1..9 with sum <= 5} / 2^9 = (1+1+1+2+2+3)/512
    expect(r.pValue).toBeCloseTo(10 / 512, 12);
    expect(r.pValue.toFixed(5)).toBe("0.01953");
  });

  it("gives the other alternatives of the same data", () => {
    expect(wilcoxonSignedRank(x, y).pValue).toBeCloseTo(20 / 512, 12);
    // P(W+ <= 40) = 1 - P(W+ >= 41) = 1 - P(W+ <= 4) = 1 - 7/512
    expect(wilcoxonSignedRank(x, y, { alternative: "less" }).pValue).toBeCloseTo(505 / 512, 12);
    // Swapping the samples swaps W+ and W-.
    const s = wilcoxonSignedRank(y, x, { alternative: "less" });
    expect(s.wPlus).toBe(5);
    expect(s.pValue).toBeCloseTo(10 / 512, 12);
  });

  it("reproduces R's normal approximation (exact = FALSE, correct = TRUE) on the same data", () => {
    // z = (40 - 22.5 - 0.5) / sqrt(9*10*19/24) = 17 / 8.440971 = 2.013986; 1 - Phi(z) = 0.02201
    const r = wilcoxonSignedRank(x, y, { alternative: "greater", method: "normal" });
    expect(r.method).toBe("normal");
    expect(r.z).toBeCloseTo(17 / Math.sqrt((9 * 10 * 19) / 24), 12);
    expect(r.pValue).toBeCloseTo(0.02201, 5);
  });

  it("has the exact null distribution for n = 5: P(W+ <= 0) = 1/32, P(W+ <= 3) = 5/32", () => {
    const zeros = [0, 0, 0, 0, 0];
    const r0 = wilcoxonSignedRank(zeros, [1, 2, 3, 4, 5], { alternative: "less" });
    expect(r0.statistic).toBe(0);
    expect(r0.pValue).toBeCloseTo(1 / 32, 14);
    expect(wilcoxonSignedRank(zeros, [1, 2, 3, 4, 5]).pValue).toBeCloseTo(2 / 32, 14);
    // d = (-1, -2, +3, -4, -5): W+ = 3; subsets of {1..5} with sum <= 3: {}, {1}, {2}, {3}, {1,2}
    const r3 = wilcoxonSignedRank([-1, -2, 3, -4, -5], zeros, { alternative: "less" });
    expect(r3.statistic).toBe(3);
    expect(r3.pValue).toBeCloseTo(5 / 32, 14);
  });

  it("drops zero differences (Wilcoxon's method) and counts them", () => {
    const r = wilcoxonSignedRank([...x, 1, 2], [...y, 1, 2], { alternative: "greater" });
    expect(r.n).toBe(9);
    expect(r.zeros).toBe(2);
    expect(r.pValue).toBeCloseTo(10 / 512, 12);
    const none = wilcoxonSignedRank([1, 2, 3], [1, 2, 3]);
    expect(none).toMatchObject({ n: 0, zeros: 3, statistic: 0, pValue: 1 });
    expect(wilcoxonSignedRank([], []).pValue).toBe(1);
  });

  it("uses the normal approximation with tie and continuity correction, worked by hand", () => {
    // d = (1, -1, 2, 2, 2, 3, -4, 5, 0): the zero is dropped, n = 8.
    // |d| sorted: 1 1 2 2 2 3 4 5 -> ranks 1.5 1.5 4 4 4 6 7 8.
    // W+ = 1.5 + 4 + 4 + 4 + 6 + 8 = 27.5, W- = 1.5 + 7 = 8.5 (sum 36 = 8*9/2).
    // E = 8*9/4 = 18; Var = 8*9*17/24 - ((2^3-2) + (3^3-3))/48 = 51 - 30/48 = 50.375.
    // Two-sided: z = (27.5 - 18 - 0.5)/sqrt(50.375) = 9/7.097535 = 1.268046.
    // p = 2 (1 - Phi(1.268046)) = 2 * 0.102391 = 0.204782 (normal table: Phi(1.268) = 0.89760).
    const d = [1, -1, 2, 2, 2, 3, -4, 5, 0];
    const r = wilcoxonSignedRank(d, d.map(() => 0), { method: "normal" });
    expect(r).toMatchObject({ n: 8, zeros: 1, wPlus: 27.5, wMinus: 8.5, method: "normal", ties: true });
    expect(r.z).toBeCloseTo(9 / Math.sqrt(50.375), 12);
    expect(r.pValue).toBeCloseTo(0.204782, 5);
    // One-sided "greater": z = (27.5 - 18 - 0.5)/sigma, same z, p = 1 - Phi(z)
    const g = wilcoxonSignedRank(d, d.map(() => 0), { method: "normal", alternative: "greater" });
    expect(g.pValue).toBeCloseTo(0.102391, 5);
    // "less": z = (27.5 - 18 + 0.5)/sigma = 10/7.097535 = 1.408940, p = Phi(z) = 0.920574
    const l = wilcoxonSignedRank(d, d.map(() => 0), { method: "normal", alternative: "less" });
    expect(l.z).toBeCloseTo(10 / Math.sqrt(50.375), 12);
    expect(l.pValue).toBeCloseTo(0.920574, 5);
    // Without continuity correction: z = 9.5/sigma = 1.338493, p = 2 (1 - Phi) = 0.180736
    const nc = wilcoxonSignedRank(d, d.map(() => 0), { method: "normal", correct: false });
    expect(nc.pValue).toBeCloseTo(0.180736, 5);
  });

  it("is exact with ties: the conditional distribution over average ranks, checked by enumerating all sign patterns", () => {
    const d = [1, -1, 2, 2, 2, 3, -4, 5, 0];
    const bf = bruteForce(d);
    const r = wilcoxonSignedRank(d, d.map(() => 0));
    expect(r.method).toBe("exact");
    expect(r.ties).toBe(true);
    expect(r.wPlus).toBe(bf.wPlus);
    expect(r.pValue).toBeCloseTo(Math.min(1, 2 * Math.min(bf.lower, bf.upper)), 14);
    expect(wilcoxonSignedRank(d, d.map(() => 0), { alternative: "less" }).pValue).toBeCloseTo(bf.lower, 14);
    expect(wilcoxonSignedRank(d, d.map(() => 0), { alternative: "greater" }).pValue).toBeCloseTo(bf.upper, 14);
  });

  it("agrees with brute-force enumeration on random samples, with and without ties", () => {
    const rng = new Random(20240607);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(13);
      // Integer differences in -4..4 give zeros and ties; continuous ones give neither.
      const d = Array.from({ length: n }, () => (trial % 2 === 0 ? rng.int(9) - 4 : rng.normal()));
      const bf = bruteForce(d);
      const zeros = d.map(() => 0);
      expect(wilcoxonSignedRank(d, zeros, { alternative: "less" }).pValue).toBeCloseTo(bf.lower, 12);
      expect(wilcoxonSignedRank(d, zeros, { alternative: "greater" }).pValue).toBeCloseTo(bf.upper, 12);
      expect(wilcoxonSignedRank(d, zeros).pValue).toBeCloseTo(Math.min(1, 2 * Math.min(bf.lower, bf.upper)), 12);
    }
  });

  it("switches to the normal approximation above exactMaxN (default 30) and agrees with the exact test there", () => {
    const rng = new Random(7);
    const d = Array.from({ length: 40 }, () => rng.normal() + 0.3);
    const zeros = d.map(() => 0);
    const auto = wilcoxonSignedRank(d, zeros);
    expect(auto.method).toBe("normal");
    expect(auto.n).toBe(40);
    const exact = wilcoxonSignedRank(d, zeros, { method: "exact" });
    expect(exact.method).toBe("exact");
    expect(Math.abs(exact.pValue - auto.pValue)).toBeLessThan(0.005);
    expect(wilcoxonSignedRank(d.slice(0, 30), zeros.slice(0, 30)).method).toBe("exact");
    expect(wilcoxonSignedRank(d.slice(0, 30), zeros.slice(0, 30), { exactMaxN: 20 }).method).toBe("normal");
  });

  it("matches the classical critical value table: n = 20, two-sided 5% critical W = 52", () => {
    // Tables of the signed-rank statistic (e.g. Wilcoxon, Katti & Wilcox 1970): for n = 20,
    // P(W <= 52) <= 0.025 < P(W <= 53).
    const dAt = (w: number): number[] => {
      // Signs chosen so that W+ = w: greedy subset of {20..1} with sum w.
      const d: number[] = [];
      let rest = w;
      for (let r = 20; r >= 1; r--) {
        if (r <= rest) {
          d.push(r);
          rest -= r;
        } else d.push(-r);
      }
      return d;
    };
    const p52 = wilcoxonSignedRank(dAt(52), new Array(20).fill(0), { alternative: "less" });
    const p53 = wilcoxonSignedRank(dAt(53), new Array(20).fill(0), { alternative: "less" });
    expect(p52.statistic).toBe(52);
    expect(p52.pValue).toBeLessThanOrEqual(0.025);
    expect(p53.pValue).toBeGreaterThan(0.025);
  });

  it("refuses unequal lengths, non-finite values and unknown options", () => {
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(UserError);
    expect(() => wilcoxonSignedRank([1, NaN], [1, 2])).toThrow(/pair 1/);
    expect(() => wilcoxonSignedRank([1], [Infinity])).toThrow(UserError);
    // @ts-expect-error testing a bad runtime value
    expect(() => wilcoxonSignedRank([1], [2], { alternative: "bigger" })).toThrow(/alternative/);
  });
});

describe("holm", () => {
  it("adjusts a family by hand", () => {
    // sorted 0.01, 0.03, 0.04 -> 3*0.01 = 0.03, 2*0.03 = 0.06, 1*0.04 -> max(0.06, 0.04) = 0.06
    const r = holm([0.01, 0.04, 0.03]);
    expect(r[0]).toBeCloseTo(0.03, 14);
    expect(r[1]).toBeCloseTo(0.06, 14);
    expect(r[2]).toBeCloseTo(0.06, 14);
    expect(holm([0.5, null, 0.9])).toEqual([1, null, 1]);
    expect(holm([])).toEqual([]);
    expect(() => holm([1.2])).toThrow(UserError);
  });
});
