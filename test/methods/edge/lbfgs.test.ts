import { describe, expect, it } from "vitest";
import { lbfgs } from "../../../src/methods/edge/lbfgs.js";

describe("lbfgs", () => {
  it("finds the minimum of an ill-conditioned quadratic (known: the origin)", () => {
    const scales = [1, 10, 100, 1000, 0.1];
    const x = Float64Array.from([3, -2, 1, 5, -4]);
    const r = lbfgs((p, g) => {
      let f = 0;
      p.forEach((v, i) => {
        f += scales[i] * v * v;
        g[i] = 2 * scales[i] * v;
      });
      return f;
    }, x, { maxIterations: 200, tolerance: 0 });
    for (const v of x) expect(Math.abs(v)).toBeLessThan(1e-6);
    expect(r.value).toBeLessThan(1e-10);
  });

  it("finds Rosenbrock's minimum (1, 1)", () => {
    const x = Float64Array.from([-1.2, 1]);
    lbfgs((p, g) => {
      const [a, b] = p;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, x, { maxIterations: 500, tolerance: 0 });
    expect(x[0]).toBeCloseTo(1, 5);
    expect(x[1]).toBeCloseTo(1, 5);
  });

  it("never returns a point worse than the start and stops at the iteration cap", () => {
    const x = Float64Array.from([2]);
    let calls = 0;
    const r = lbfgs((p, g) => {
      calls++;
      g[0] = Math.cos(p[0]) * 3;
      return Math.sin(p[0]) * 3 + 0.1 * p[0] * p[0];
    }, x, { maxIterations: 3 });
    expect(r.iterations).toBeLessThanOrEqual(3);
    expect(r.value).toBeLessThanOrEqual(Math.sin(2) * 3 + 0.4);
    expect(calls).toBe(r.calls);
  });
});
