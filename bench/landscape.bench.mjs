// Landscape metrics (src/study/landscape.ts): the exact engine (rank-indexed successor table +
// path compression) per labeling at N = 9 and 10, against a plain baseline that scans the
// 2^bits code space with the labeling's decode and runs every descent without memoisation
// (the method of test/study/landscape.test.ts), at N = 8 where the baseline is still quick.
// Monte Carlo throughput at N = 12 (1000 samples per call).
//   npx tsc -p . && node bench/landscape.bench.mjs
import Benchmark from "benchmark";
import { landscape } from "../dist/study/landscape.js";
import { createLabeling } from "../dist/labelings/registry.js";
import { randomInstance } from "../dist/tsp/generate.js";
import { tourLength } from "../dist/tsp/tour.js";

const names = ["natural", "gray", "lehmer", "onehot"];

/** Plain baseline: whole code space, decode per code, descent per start without memoisation. */
function baseline(problem, name) {
  const lab = createLabeling(name, problem.dimension);
  const L = lab.bits;
  const cost = new Float64Array(2 ** L).fill(NaN);
  const bits = new Uint8Array(L);
  for (let x = 0; x < 2 ** L; x++) {
    for (let b = 0; b < L; b++) bits[b] = Math.floor(x / 2 ** (L - 1 - b)) % 2;
    const t = lab.decode(bits);
    if (t) cost[x] = tourLength(problem, t);
  }
  let min = Infinity;
  for (const c of cost) if (c < min) min = c;
  let valid = 0, localMin = 0, trapped = 0;
  for (let x = 0; x < 2 ** L; x++) {
    if (Number.isNaN(cost[x])) continue;
    valid++;
    let cur = x;
    for (let step = 0; ; step++) {
      let best = -1;
      for (let b = 0; b < L; b++) {
        const y = cur ^ (2 ** (L - 1 - b));
        if (cost[y] < cost[cur] && (best < 0 || cost[y] < cost[best])) best = y;
      }
      if (best < 0) {
        if (step === 0) localMin++;
        break;
      }
      cur = best;
    }
    if (cost[cur] > min) trapped++;
  }
  return { localMinFraction: localMin / valid, trapProbability: trapped / valid };
}

export function landscapeSuite() {
  const suite = new Benchmark.Suite("landscape");
  const p8 = randomInstance(8, 1);
  for (const name of ["natural", "gray"]) {
    suite.add(`exact      N=8  ${name.padEnd(7)}`, () => landscape(p8, name));
    suite.add(`baseline   N=8  ${name.padEnd(7)}`, () => baseline(p8, name));
  }
  for (const n of [9, 10]) {
    const p = randomInstance(n, 1);
    for (const name of names) suite.add(`exact      N=${String(n).padEnd(3)}${name.padEnd(7)}`, () => landscape(p, name));
  }
  const p12 = randomInstance(12, 1);
  for (const name of names) {
    suite.add(`MC 1000    N=12 ${name.padEnd(7)}`, () => landscape(p12, name, { samples: 1000, seed: 1, optimum: 1 }));
  }
  suite.on("cycle", (e) => {
    const b = e.target;
    console.log(`${b.name}  ${(1000 / b.hz).toFixed(1).padStart(8)} ms/call (±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} runs)`);
  });
  return suite;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`landscape metrics, random EUC_2D instances seed 1; node ${process.version}`);
  landscapeSuite().run({ async: false, maxTime: 2, minSamples: 3 });
}
