// The edge model's layers, per size, each beside its baseline:
// - geometry: one loss+gradient evaluation over m = 4N random tours, and whole fits from random
//   starts (how often a fit recovers the true distances: relative RMS error < 1%, with and
//   without reflection hops);
// - residual layer: adding a sample to the m x m factor, and one Thompson sample of every edge;
// - search: fm_tour_ils in wasm against its plain-TypeScript mirror (same inputs, same result),
//   1000 kicks from a random tour on the true distances.
//   npx tsc -p . && node bench/edge.bench.mjs          (EDGE_BENCH_SIZES=50,100; or via bench/run.mjs)
import { Geometry } from "../dist/methods/edge/geometry.js";
import { ResidualGp } from "../dist/methods/edge/residual-gp.js";
import { TourSamples } from "../dist/methods/edge/samples.js";
import { candidateLists, tourIls } from "../dist/anneal/tour-ils.js";
import { tourIlsReference } from "../dist/anneal/tour-ils-reference.js";
import { edgeSpace } from "../dist/tsp/edge-space.js";
import { randomInstance } from "../dist/tsp/generate.js";
import { randomTour } from "../dist/tsp/tour-space.js";
import { Random } from "../dist/util/random.js";

const sizes = (process.env.EDGE_BENCH_SIZES ?? "50,100,200,300").split(",").map(Number);

function time(fn, reps) {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

function data(n, m, seed) {
  const inst = randomInstance(n, seed);
  const D = inst.distances;
  const rng = new Random(seed);
  const samples = new TourSamples(edgeSpace(n));
  for (let t = 0; t < m; t++) {
    const tour = randomTour(n, rng);
    let c = 0;
    for (let i = 0; i < n; i++) c += D[tour[i] * n + tour[(i + 1) % n]];
    samples.add(tour, c);
  }
  return { inst, D, samples, rng };
}

/** Relative RMS error of the fitted g(a, b) against the true distances over all pairs. */
function distanceError(g, D, n) {
  let se = 0;
  let s2 = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      se += (g.edge(a, b) - D[a * n + b]) ** 2;
      s2 += D[a * n + b] ** 2;
    }
  return Math.sqrt(se / s2);
}

export async function edgeSuite() {
  console.log(`edge model layers; node ${process.version}`);
  console.log("| N | m | geometry loss+grad (ms) | fits recovering distances: plain / with hops (of 4) | fit ms | GP add (ms/sample) | GP Thompson sample (ms) | ILS wasm (ms) | ILS TS mirror (ms) | TS / wasm |");
  console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const n of sizes) {
    const m = 4 * n;
    const { D, samples, rng } = data(n, m, n);
    const g = new Geometry(samples, null, 10 * m);
    g.initialise(rng);
    g.selectFitSet();
    const grad = new Float64Array(g.size);
    const lossMs = time(() => g["lossGrad"](g.params, grad), 20);
    let plain = 0;
    let hopped = 0;
    let fitMs = 0;
    for (let r = 0; r < 4; r++) {
      const t0 = performance.now();
      g.initialise(rng);
      g.selectFitSet();
      g.fit(1000);
      fitMs += (performance.now() - t0) / 4;
      if (distanceError(g, D, n) < 0.01) plain++;
      for (let h = 0; h < 20; h++) g.hop(rng, 100);
      if (distanceError(g, D, n) < 0.01) hopped++;
    }
    const gp = new ResidualGp(samples, 1e-3);
    const t0 = performance.now();
    gp.update();
    const addMs = (performance.now() - t0) / m;
    const W = new Float64Array(n * n);
    const res = Float64Array.from(samples.costs.subarray(0, m));
    const sampleMs = time(() => gp.addTo(W, res, 1, rng), 3);
    const problem = { n, weights: D, symmetric: true };
    const { candidates, k } = candidateLists(problem, 8);
    const start = randomTour(n, new Random(1));
    const opts = { candidates, k, kicks: 1000, seed: 1 };
    const wasmMs = time(() => tourIls(problem, start, opts), 3);
    const tsMs = time(() => tourIlsReference(problem, start, opts), 2);
    console.log(
      `| ${n} | ${m} | ${lossMs.toFixed(3)} | ${plain} / ${hopped} | ${fitMs.toFixed(0)} | ${addMs.toFixed(3)} | ${sampleMs.toFixed(1)} | ${wasmMs.toFixed(1)} | ${tsMs.toFixed(1)} | ${(tsMs / wasmMs).toFixed(2)} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await edgeSuite();
