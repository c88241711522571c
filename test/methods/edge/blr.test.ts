import { describe, expect, it } from "vitest";
import { EdgeBlr } from "../../../src/methods/edge/blr.js";
import { edgeSpace, tourEdges, type EdgeSpace } from "../../../src/tsp/edge-space.js";
import { Random } from "../../../src/util/random.js";
import { matrixRank, maxAbs, maxAbsDiff, permutations } from "./helpers.js";

function randomTour(rng: Random, n: number): number[] {
  return rng.shuffle([...Array(n).keys()]);
}

function costOf(space: EdgeSpace, theta: ArrayLike<number>, tour: number[]): number {
  let y = 0;
  for (const e of tourEdges(space, tour)) y += theta[e];
  return y;
}

/** L L^T for a row-major lower-triangular d x d L. */
function llt(l: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += l[i * d + k] * l[j * d + k];
      out[i * d + j] = s;
    }
  return out;
}

describe("EdgeBlr: recovery of an exactly edge-additive cost", () => {
  for (const symmetric of [true, false]) {
    it(`N = 8 ${symmetric ? "symmetric" : "asymmetric"}: once the design matrix has full tour-space rank, fresh tours are predicted exactly`, () => {
      const n = 8;
      const space = edgeSpace(n, { symmetric });
      const rng = new Random(symmetric ? 11 : 12);
      const theta = Float64Array.from({ length: space.d }, () => 5 + 3 * rng.float());
      // rank of the indicator vectors of ALL tours (the identifiable subspace), by enumeration
      const all = permutations(n).filter((p) => p[0] === 0);
      const fullDesign = new Float64Array(all.length * space.d);
      all.forEach((t, r) => {
        for (const e of tourEdges(space, t)) fullDesign[r * space.d + e] = 1;
      });
      const fullRank = matrixRank(fullDesign, all.length, space.d);
      // known dimensions of the TSP polytopes' linear hulls: N(N-3)/2 + 1 and N^2 - 3N + 2
      expect(fullRank).toBe(symmetric ? (n * (n - 3)) / 2 + 1 : n * n - 3 * n + 2);

      const blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: 1e-9 });
      const rows: number[] = [];
      let rank = 0;
      let used = 0;
      while (rank < fullRank) {
        const t = randomTour(rng, n);
        const z = tourEdges(space, t);
        blr.addSample(z, costOf(space, theta, t));
        const row = new Array<number>(space.d).fill(0);
        for (const e of z) row[e] = 1;
        rows.push(...row);
        used++;
        rank = matrixRank(rows, used, space.d);
        expect(used).toBeLessThan(500);
      }
      // every tour of the space, seen or not, is predicted at its true cost
      let worst = 0;
      for (const t of all) worst = Math.max(worst, Math.abs(blr.predict(tourEdges(space, t)) - costOf(space, theta, t)));
      expect(worst).toBeLessThan(1e-5);
      // before full rank some fresh tour is mispredicted (the rank check is what matters)
      const early = new EdgeBlr(space.d, space.edgesPerTour, { lambda: 1e-9 });
      const r2 = new Random(99);
      for (let i = 0; i < 5; i++) {
        const t = randomTour(r2, n);
        early.addSample(tourEdges(space, t), costOf(space, theta, t));
      }
      let worstEarly = 0;
      for (const t of all) worstEarly = Math.max(worstEarly, Math.abs(early.predict(tourEdges(space, t)) - costOf(space, theta, t)));
      expect(worstEarly).toBeGreaterThan(1e-2);
    });
  }

  it("with one sample every tour is predicted at that sample's cost (untried edges look average)", () => {
    const space = edgeSpace(6);
    const blr = new EdgeBlr(space.d, space.edgesPerTour);
    expect(blr.predict(tourEdges(space, [0, 1, 2, 3, 4, 5]))).toBe(0);
    blr.addSample(tourEdges(space, [0, 1, 2, 3, 4, 5]), 42);
    expect(blr.predict(tourEdges(space, [0, 2, 4, 1, 3, 5]))).toBeCloseTo(42, 10);
    expect(blr.priorMean).toBeCloseTo(7, 12);
  });
});

describe("EdgeBlr: rank-one updates equal a full refit", () => {
  const cases = [
    { symmetric: true, closed: true, lambda: 0.5, noise: 0.3 },
    { symmetric: false, closed: true, lambda: 0.05, noise: 0 },
    { symmetric: true, closed: false, lambda: 0.01, noise: 1 },
  ];
  for (const c of cases) {
    it(`mean, covariance, noise and L L^T = Sigma (${JSON.stringify(c)})`, () => {
      const n = 8;
      const space = edgeSpace(n, { symmetric: c.symmetric, closed: c.closed });
      const rng = new Random(7);
      const theta = Float64Array.from({ length: space.d }, () => 10 * rng.float());
      const blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: c.lambda, capacity: 2 });
      for (let s = 1; s <= 300; s++) {
        const t = randomTour(rng, n);
        blr.addSample(tourEdges(space, t), costOf(space, theta, t) + c.noise * rng.normal());
        if (s === 3 || s === 20 || s === 300) {
          const fit = blr.refit();
          const mu = blr.mean();
          expect(maxAbsDiff(mu, fit.mean)).toBeLessThan(1e-8 * Math.max(1, maxAbs(fit.mean)));
          expect(Math.abs(blr.noiseVariance() - fit.noiseVariance)).toBeLessThan(1e-8 * Math.max(fit.noiseVariance, 1e-6));
          const cov = blr.covariance();
          const scale = maxAbs(fit.covariance);
          expect(maxAbsDiff(cov, fit.covariance)).toBeLessThan(1e-8 * scale);
          const l = blr.covarianceFactor();
          for (let i = 0; i < space.d; i++) for (let j = i + 1; j < space.d; j++) expect(l[i * space.d + j]).toBe(0);
          expect(maxAbsDiff(llt(l, space.d), cov)).toBeLessThan(1e-9 * scale);
        }
      }
    });
  }

  it("the Cholesky factor survives thousands of downdates with a tiny lambda", () => {
    const n = 7;
    const space = edgeSpace(n);
    const rng = new Random(5);
    const theta = Float64Array.from({ length: space.d }, () => rng.float());
    const blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: 1e-6 });
    for (let s = 0; s < 2000; s++) {
      const t = randomTour(rng, n);
      blr.addSample(tourEdges(space, t), costOf(space, theta, t) + 0.01 * rng.normal());
    }
    expect(blr.rebuilds).toBe(0); // the downdates themselves stayed positive definite
    const cov = blr.covariance();
    const fit = blr.refit();
    const scale = maxAbs(fit.covariance);
    expect(maxAbsDiff(cov, fit.covariance)).toBeLessThan(1e-6 * scale);
    expect(maxAbsDiff(llt(blr.covarianceFactor(), space.d), cov)).toBeLessThan(1e-6 * scale);
    expect(maxAbsDiff(blr.mean(), fit.mean)).toBeLessThan(1e-6 * maxAbs(fit.mean));
  });

  it("the rebuild fallback (used when a downdate breaks down) reproduces the state", () => {
    const n = 6;
    const space = edgeSpace(n, { symmetric: false });
    const rng = new Random(2);
    const blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: 0.1 });
    for (let s = 0; s < 40; s++) blr.addSample(tourEdges(space, randomTour(rng, n)), 5 + rng.normal());
    const mean = Float64Array.from(blr.mean());
    const cov = blr.covariance();
    (blr as unknown as { rebuild(): void }).rebuild();
    expect(blr.rebuilds).toBe(1);
    expect(maxAbsDiff(blr.mean(), mean)).toBeLessThan(1e-9 * maxAbs(mean));
    expect(maxAbsDiff(blr.covariance(), cov)).toBeLessThan(1e-9 * maxAbs(cov));
    // and updates go on from the rebuilt state
    for (let s = 0; s < 10; s++) blr.addSample(tourEdges(space, randomTour(rng, n)), 5 + rng.normal());
    const fit = blr.refit();
    expect(maxAbsDiff(blr.mean(), fit.mean)).toBeLessThan(1e-8 * maxAbs(fit.mean));
  });

  it("predictVariance is sigma2 z^T A z (+ sigma2 with noise)", () => {
    const space = edgeSpace(6);
    const rng = new Random(1);
    const blr = new EdgeBlr(space.d, space.edgesPerTour, { lambda: 0.3 });
    for (let s = 0; s < 10; s++) blr.addSample(tourEdges(space, randomTour(rng, 6)), 10 + rng.normal());
    const z = tourEdges(space, randomTour(rng, 6));
    const cov = blr.refit().covariance;
    let q = 0;
    for (const a of z) for (const b of z) q += cov[a * space.d + b];
    expect(blr.predictVariance(z)).toBeCloseTo(q, 10);
    expect(blr.predictVariance(z, true)).toBeCloseTo(q + blr.noiseVariance(), 10);
  });
});

describe("EdgeBlr: Thompson samples", () => {
  it("have the posterior mean and covariance (Monte Carlo, fixed seed)", () => {
    const n = 5;
    const space = edgeSpace(n);
    const d = space.d;
    const rng = new Random(21);
    const blr = new EdgeBlr(d, space.edgesPerTour, { lambda: 0.2 });
    for (let s = 0; s < 6; s++) blr.addSample(tourEdges(space, randomTour(rng, n)), 20 + 3 * rng.normal());
    const mu = Float64Array.from(blr.mean());
    const cov = blr.covariance();
    const K = 40000;
    for (const scale of [1, 2]) {
      const sum = new Float64Array(d);
      const sum2 = new Float64Array(d * d);
      const r = new Random(1000 + scale);
      for (let k = 0; k < K; k++) {
        const th = blr.sample(r, scale);
        for (let i = 0; i < d; i++) {
          const di = th[i] - mu[i];
          sum[i] += di;
          for (let j = 0; j < d; j++) sum2[i * d + j] += di * (th[j] - mu[j]);
        }
      }
      for (let i = 0; i < d; i++) {
        const sd = scale * Math.sqrt(cov[i * d + i]);
        // mean: 5 standard errors
        expect(Math.abs(sum[i] / K)).toBeLessThan((5 * sd) / Math.sqrt(K));
        for (let j = 0; j < d; j++) {
          const sdj = scale * Math.sqrt(cov[j * d + j]);
          const emp = sum2[i * d + j] / K;
          expect(Math.abs(emp - scale * scale * cov[i * d + j])).toBeLessThan(0.04 * sd * sdj);
        }
      }
    }
    // scale 0 is the mean itself
    expect(maxAbsDiff(blr.sample(new Random(1), 0), mu)).toBeLessThan(1e-12 * maxAbs(mu));
    // same seed, same sample
    const a = Float64Array.from(blr.sample(new Random(77)));
    expect(Array.from(blr.sample(new Random(77)))).toEqual(Array.from(a));
  });
});

describe("EdgeBlr: unhappy paths", () => {
  it("rejects bad options and bad samples, and keeps its state on rejection", () => {
    expect(() => new EdgeBlr(0, 1)).toThrow(/d must be/);
    expect(() => new EdgeBlr(10, 11)).toThrow(/edgesPerTour/);
    expect(() => new EdgeBlr(10, 5, { lambda: 0 })).toThrow(/lambda/);
    expect(() => new EdgeBlr(10, 5, { minNoiseVariance: -1 })).toThrow(/minNoiseVariance/);
    const space = edgeSpace(5);
    const blr = new EdgeBlr(space.d, space.edgesPerTour);
    const z = tourEdges(space, [0, 1, 2, 3, 4]);
    expect(() => blr.addSample(z.subarray(0, 4), 1)).toThrow(/expected 5 edges/);
    expect(() => blr.addSample(Int32Array.from([0, 1, 2, 3, 3]), 1)).toThrow(/repeated/);
    expect(() => blr.addSample(Int32Array.from([0, 1, 2, 3, 10]), 1)).toThrow(/out of range/);
    expect(() => blr.addSample(z, Number.NaN)).toThrow(/finite/);
    expect(() => blr.sample(new Random(1), -1)).toThrow(/scale/);
    expect(blr.n).toBe(0);
    blr.addSample(z, 3);
    expect(blr.n).toBe(1);
    expect(blr.refit().mean[0]).toBeCloseTo(0.6, 12);
  });
});
