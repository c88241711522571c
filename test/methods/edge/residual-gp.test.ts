import { describe, expect, it } from "vitest";
import { ResidualGp } from "../../../src/methods/edge/residual-gp.js";
import { TourSamples } from "../../../src/methods/edge/samples.js";
import { edgeIndex, edgeSpace, type EdgeSpace } from "../../../src/tsp/edge-space.js";
import { randomSpaceTour } from "../../../src/tsp/tour-space.js";
import { Random } from "../../../src/util/random.js";

/** Solve the dense system M x = b (Gaussian elimination with partial pivoting); M is d x d row-major. */
function solveDense(M: Float64Array, b: Float64Array, d: number): Float64Array {
  const a = M.slice();
  const x = b.slice();
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[p * d + c])) p = r;
    for (let k = 0; k < d; k++) [a[c * d + k], a[p * d + k]] = [a[p * d + k], a[c * d + k]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < d; r++) {
      const f = a[r * d + c] / a[c * d + c];
      for (let k = c; k < d; k++) a[r * d + k] -= f * a[c * d + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let v = x[r];
    for (let k = r + 1; k < d; k++) v -= a[r * d + k] * x[k];
    x[r] = v / a[r * d + r];
  }
  return x;
}

/** Weight-space posterior of edge residuals: mean (A'A + nu I)^-1 A'y and covariance tau^2 nu (A'A + nu I)^-1. */
function weightSpace(space: EdgeSpace, tours: number[][], y: number[], nu: number) {
  const d = space.d;
  const M = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const n = space.n;
  for (let t = 0; t < tours.length; t++) {
    const z = new Float64Array(d);
    for (let i = 0; i < space.edgesPerTour; i++) z[edgeIndex(space, tours[t][i], tours[t][(i + 1) % n])] = 1;
    for (let i = 0; i < d; i++) {
      if (!z[i]) continue;
      rhs[i] += y[t];
      for (let j = 0; j < d; j++) M[i * d + j] += z[j];
    }
  }
  for (let i = 0; i < d; i++) M[i * d + i] += nu;
  const mean = solveDense(M, rhs, d);
  const variance = (e: number) => nu * solveDense(M, Float64Array.from({ length: d }, (_, i) => (i === e ? 1 : 0)), d)[e];
  return { mean, variance };
}

function setup(space: EdgeSpace, m: number, nu: number, seed: number) {
  const rng = new Random(seed);
  const samples = new TourSamples(space);
  const tours: number[][] = [];
  const y: number[] = [];
  for (let t = 0; t < m; t++) {
    const tour = randomSpaceTour(space, rng);
    const cost = 10 + 5 * rng.float();
    tours.push(tour);
    y.push(cost);
    samples.add(tour, cost);
  }
  const gp = new ResidualGp(samples, nu);
  gp.update();
  return { samples, gp, tours, y: Float64Array.from(y), rng };
}

describe("ResidualGp (edge residuals as a GP over tours)", () => {
  for (const space of [edgeSpace(6), edgeSpace(6, { symmetric: false }), edgeSpace(7, { closed: false, start: 2 })]) {
    it(`posterior mean = the weight-space regression (A'A + nu I)^-1 A'y (${space.symmetric ? "sym" : "asym"}, ${space.closed ? "closed" : "path"})`, () => {
      const nu = 0.05;
      const { gp, samples, tours, y, rng } = setup(space, 12, nu, 3);
      const n = space.n;
      const W = new Float64Array(n * n);
      gp.addTo(W, y, 0, rng);
      const { mean } = weightSpace(space, tours, Array.from(y), nu);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) expect(W[a * n + b]).toBeCloseTo(mean[edgeIndex(space, a, b)], 9);
      // predict() of a tour = the sum of its edges' posterior means (an unseen edge: 0)
      const alpha = gp.weights(y);
      const probes = [...tours.slice(0, 3), randomSpaceTour(space, new Random(99))];
      for (const t of probes) {
        let s = 0;
        for (let i = 0; i < space.edgesPerTour; i++) s += mean[edgeIndex(space, t[i], t[(i + 1) % n])];
        expect(gp.predict(samples.tourEdgeIds(t), alpha)).toBeCloseTo(s, 9);
      }
    });
  }

  it("samples have the posterior mean and variance (Monte Carlo, fixed seed)", () => {
    const space = edgeSpace(6);
    const nu = 0.2;
    const tau = 2;
    const { gp, tours, y, rng } = setup(space, 8, nu, 5);
    const { mean, variance } = weightSpace(space, tours, Array.from(y), nu);
    const n = space.n;
    const draws = 3000;
    const sum = new Float64Array(n * n);
    const sum2 = new Float64Array(n * n);
    const W = new Float64Array(n * n);
    for (let k = 0; k < draws; k++) {
      W.fill(0);
      gp.addTo(W, y, tau, rng);
      for (let i = 0; i < n * n; i++) {
        sum[i] += W[i];
        sum2[i] += W[i] * W[i];
      }
    }
    for (const [a, b] of [[0, 1], [1, 3], [2, 5], [0, 4]]) {
      const e = edgeIndex(space, a, b);
      const m = sum[a * n + b] / draws;
      const v = sum2[a * n + b] / draws - m * m;
      const sd = tau * Math.sqrt(variance(e));
      expect(Math.abs(m - mean[e])).toBeLessThan((4 * sd) / Math.sqrt(draws) + 1e-9);
      expect(v / (tau * tau * variance(e))).toBeGreaterThan(0.85);
      expect(v / (tau * tau * variance(e))).toBeLessThan(1.15);
    }
  });

  it("stops adding samples at its capacity", () => {
    const { samples } = setup(edgeSpace(6), 10, 0.1, 1);
    const gp = new ResidualGp(samples, 0.1, 4);
    gp.update();
    expect(gp.size).toBe(4);
  });
});
