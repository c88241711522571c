// Edge surrogate: BLR update (addSample, O(d^2): Sherman-Morrison + Cholesky downdate) and
// Thompson sample (O(d^2)) at N = 15, 30, 50 (d = 105, 435, 1225), and a whole `edge`
// proposal: sample theta, weight matrix, local search from 4 starts (best tour so far,
// previous proposal, 2 random tours) in the wasm kernel and in the TS reference.
//   npx tsc -p . && node bench/edge.bench.mjs          (or through bench/run.mjs)
import Benchmark from "benchmark";
import { EdgeBlr } from "../dist/methods/edge/blr.js";
import { edgeCost, edgeSpace, tourEdges, weightMatrix } from "../dist/tsp/edge-space.js";
import { permSearch } from "../dist/anneal/perm.js";
import { permSearchReference } from "../dist/anneal/perm-reference.js";
import { Random } from "../dist/util/random.js";

const sizes = (process.env.EDGE_BENCH_SIZES ?? "15,30,50").split(",").map(Number);

function setup(n) {
  const space = edgeSpace(n);
  const r = new Random(n);
  const xy = Array.from({ length: n }, () => [r.float(), r.float()]);
  const theta = new Float64Array(space.d);
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) theta[(a * (2 * n - a - 1)) / 2 + (b - a - 1)] = Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]);
  const tours = Array.from({ length: 256 }, () => r.shuffle([...Array(n).keys()]));
  const edges = tours.map((t) => tourEdges(space, t));
  const costs = tours.map((t) => edgeCost(space, theta, t));
  return { space, edges, costs, tours, r };
}

export function edgeSuite() {
  const suite = new Benchmark.Suite("edge surrogate");
  for (const n of sizes) {
    const { space, edges, costs, tours, r } = setup(n);
    // update: keep adding (cost per update does not depend on how many came before)
    const upd = new EdgeBlr(space.d, space.edgesPerTour);
    let i = 0;
    suite.add(`BLR addSample N=${n} (d=${space.d})`, () => {
      const k = i++ % edges.length;
      upd.addSample(edges[k], costs[k]);
    });
    // sample: a model with ~d/2 samples
    const blr = new EdgeBlr(space.d, space.edgesPerTour);
    for (let s = 0; s < Math.min(edges.length, space.d / 2); s++) blr.addSample(edges[s], costs[s]);
    const rng = new Random(1);
    suite.add(`BLR sample    N=${n} (d=${space.d})`, () => blr.sample(rng));
    if (n > 30) continue;
    // a whole proposal: sample + W + local search from 4 starts
    const w = new Float64Array(n * n);
    const starts = new Int32Array(4 * n);
    const out = new Float64Array(4);
    let best = tours[0];
    let prev = tours[1];
    for (const [name, search] of [
      ["wasm  ", permSearch],
      ["TS ref", permSearchReference],
    ]) {
      suite.add(`proposal (sample+W+LS x4) ${name} N=${n}`, () => {
        const theta = blr.sample(rng);
        weightMatrix(theta, n, true, w);
        starts.set(best, 0);
        starts.set(prev, n);
        starts.set(r.shuffle([...Array(n).keys()]), 2 * n);
        starts.set(r.shuffle([...Array(n).keys()]), 3 * n);
        search({ space, weights: w }, starts, out, { seed: rng.seed() });
        let b = 0;
        for (let s = 1; s < 4; s++) if (out[s] < out[b]) b = s;
        prev = Array.from(starts.subarray(b * n, (b + 1) * n));
        if (b === 0) best = prev;
      });
    }
  }
  suite.on("cycle", (event) => {
    const b = event.target;
    console.log(`${b.name.padEnd(40)} ${(1000 / b.hz).toFixed(3).padStart(9)} ms/call (±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} runs)`);
  });
  return suite;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`edge surrogate (symmetric closed tours); node ${process.version}`);
  edgeSuite().run({ async: false, maxTime: 2, minSamples: 5 });
}
