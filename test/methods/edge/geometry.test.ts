import { describe, expect, it } from "vitest";
import { Geometry } from "../../../src/methods/edge/geometry.js";
import { TourSamples } from "../../../src/methods/edge/samples.js";
import { edgeSpace } from "../../../src/tsp/edge-space.js";
import { randomSpaceTour } from "../../../src/tsp/tour-space.js";
import { Random } from "../../../src/util/random.js";

/** Random planar points, their distance matrix, and `m` random tours priced exactly by it. */
function planar(n: number, m: number, seed: number) {
  const rng = new Random(seed);
  const xy = Array.from({ length: n }, () => [rng.float() * 100, rng.float() * 100]);
  const D = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) D[a * n + b] = Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]);
  const space = edgeSpace(n);
  const samples = new TourSamples(space);
  for (let t = 0; t < m; t++) {
    const tour = randomSpaceTour(space, rng);
    let c = 0;
    for (let i = 0; i < n; i++) c += D[tour[i] * n + tour[(i + 1) % n]];
    samples.add(tour, c);
  }
  return { D, samples, rng };
}

describe("Geometry (learned positions)", () => {
  it("recovers every pairwise distance of planar points from the costs of random tours alone", () => {
    const n = 10;
    const { D, samples, rng } = planar(n, 60, 4);
    const g = new Geometry(samples, null, 1000);
    g.initialise(rng);
    g.selectFitSet();
    g.fit(2000);
    for (let k = 0; k < 30 && g.loss > 1e-8; k++) {
      g.hop(rng, 200);
      g.restart(rng, 1000);
    }
    expect(g.loss).toBeLessThan(1e-6);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) expect(Math.abs(g.edge(a, b) - D[a * n + b])).toBeLessThan(1e-2 * D[a * n + b] + 1e-3);
  });

  it("hops and restarts never raise the loss", () => {
    const { samples, rng } = planar(12, 40, 9);
    const g = new Geometry(samples, null, 1000);
    g.initialise(rng);
    g.selectFitSet();
    let loss = g.fit(20);
    for (let k = 0; k < 10; k++) {
      g.hop(rng, 20);
      expect(g.loss).toBeLessThanOrEqual(loss);
      loss = g.loss;
      g.restart(rng, 50);
      expect(g.loss).toBeLessThanOrEqual(loss);
      loss = g.loss;
    }
  });

  it("with the true matrix as prior, explains the costs through the prior (to 0.1% of a tour's cost)", () => {
    const n = 12;
    const { D, samples, rng } = planar(n, 30, 2);
    const g = new Geometry(samples, D, 1000);
    g.initialise(rng);
    g.selectFitSet();
    g.fit(500);
    const meanCost = Array.from(samples.costs.subarray(0, samples.count)).reduce((a, b) => a + b) / samples.count;
    expect(Math.sqrt(g.loss) / meanCost).toBeLessThan(1e-3);
    for (let b = 1; b < n; b++) expect(Math.abs(g.edge(0, b) - D[b])).toBeLessThan(1e-2 * D[b]);
  });

  it("fits the newest half and the cheapest half of the rest when there are more samples than its budget", () => {
    const { samples } = planar(8, 50, 1);
    const g = new Geometry(samples, null, 20);
    g.selectFitSet();
    const set = Array.from((g as unknown as { fitSet: Int32Array }).fitSet);
    expect(set.length).toBe(20);
    for (let t = 40; t < 50; t++) expect(set).toContain(t);
    const rest = Array.from({ length: 40 }, (_, i) => i).sort((a, b) => samples.costs[a] - samples.costs[b]).slice(0, 10);
    for (const t of rest) expect(set).toContain(t);
  });
});
