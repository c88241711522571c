// Permutation-space search: local search (2-opt + Or-opt, first improvement) from 4 starts,
// and annealing + local search, the wasm kernel (permSearch) side by side with its plain-TS
// reference (permSearchReference, same results bit for bit), N = 15, 30 (and 50).
// Weights: Euclidean distances between uniform random points plus 10% noise (roughly what a
// Thompson sample of the edge model looks like), symmetric.
//   npx tsc -p . && node bench/perm.bench.mjs          (or through bench/run.mjs)
import Benchmark from "benchmark";
import { edgeSpace } from "../dist/tsp/edge-space.js";
import { permBetaSchedule, permSearch } from "../dist/anneal/perm.js";
import { permSearchReference } from "../dist/anneal/perm-reference.js";
import { Random } from "../dist/util/random.js";

const sizes = (process.env.PERM_BENCH_SIZES ?? "15,30,50").split(",").map(Number);
const STARTS = 4;

function instance(n, seed) {
  const r = new Random(seed);
  const xy = Array.from({ length: n }, () => [r.float(), r.float()]);
  const w = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const d = Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]) * (1 + 0.1 * r.normal());
      w[a * n + b] = w[b * n + a] = d;
    }
  return w;
}

/** `count` start sets of STARTS random tours each (cycled through so no call starts from a local optimum). */
function startSets(n, count, seed) {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const t = new Int32Array(STARTS * n);
    for (let s = 0; s < STARTS; s++) t.set(r.shuffle([...Array(n).keys()]), s * n);
    return t;
  });
}

export function permSuite() {
  const suite = new Benchmark.Suite("perm search");
  const meta = new Map();
  for (const n of sizes) {
    const space = edgeSpace(n);
    const problem = { space, weights: instance(n, n) };
    const sets = startSets(n, 64, 7);
    const costs = new Float64Array(STARTS);
    const work = new Int32Array(STARTS * n);
    const betas = permBetaSchedule(problem.weights, n, 16);
    let call = 0;
    const run = (fn, options) => () => {
      work.set(sets[call++ % sets.length]);
      fn(problem, work, costs, { seed: call, ...options });
    };
    suite.add(`local search x${STARTS}, wasm   N=${n}`, run(permSearch, {}));
    suite.add(`local search x${STARTS}, TS ref N=${n}`, run(permSearchReference, {}));
    suite.add(`anneal(16x${8 * n})+LS x${STARTS}, wasm   N=${n}`, run(permSearch, { betas }));
    suite.add(`anneal(16x${8 * n})+LS x${STARTS}, TS ref N=${n}`, run(permSearchReference, { betas }));
    meta.set(n, true);
  }
  suite.on("cycle", (event) => {
    const b = event.target;
    console.log(`${b.name.padEnd(42)} ${(1000 / b.hz).toFixed(3).padStart(9)} ms/call (±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} runs)`);
  });
  return suite;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`permutation-space search, ${STARTS} random starts per call, symmetric noisy Euclidean weights; node ${process.version}`);
  permSuite().run({ async: false, maxTime: 2, minSamples: 5 });
}
