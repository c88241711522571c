// FMA reference figures (issue 5): how often FMA reaches the optimum, and how fast one round is.
//
//   npx tsc -p . && node bench/fma-reference.mjs n8 ['[{config}, ...]'] [cities=8] [evaluations=300] [instances=20]
//   npx tsc -p . && node bench/fma-reference.mjs burma14 ['[{config}, ...]'] [seeds=10] [evaluations=1000] [seedStride=1]
//
// Each config is a JSON object of solveTsp options ({"labeling": "gray"}, {"method": "sa-2opt"},
// {"steps": 20, "sweeps": 100}, ...) merged over the library defaults; without a list, the
// reference set runs: fma gray, fma natural, random, sa-2opt, edge.
//
// n8: random Euclidean instances randomInstance(cities, 1000 + i), i = 1..instances, optimum by
// Held-Karp; run i uses seed i. A hit is a best length equal to the optimum.
// burma14: problems/tsplib/burma14.tsp (optimum 3323), seeds seedStride * (1..seeds).
//
// Seeds: the loop draws round r's randomness from deriveSeed(seed, r), and deriveSeed (at the time
// of writing) folds base and part by XOR before mixing, so seeds s and s' share streams at rounds
// r and r ^ s ^ s'. Methods whose proposals ignore the history (random search) then repeat the
// same tours across seeds 1..10 on one instance; seedStride 4096 keeps the seeds' streams apart
// for runs under 4096 rounds.
//
// Configs are interleaved per instance/seed (config A, B, ... on instance 1, then instance 2, ...)
// so load changes on a shared machine hit all configs alike. Times per round are each run's
// phase total / rounds (wall clock: train, anneal, evaluate, and the whole run incl. the initial
// samples and the loop's overhead), then the median over runs; "cpu" is the process's CPU time
// per round (user + system), which a loaded machine inflates less than wall-clock time.
import { solveTsp } from "../dist/methods/solve.js";
import { randomInstance } from "../dist/tsp/generate.js";
import { heldKarp } from "../dist/tsp/heldKarp.js";
import { readTsplib } from "../dist/tsp/tsplib.js";

const REFERENCE = [
  { labeling: "gray" },
  { labeling: "natural" },
  { method: "random" },
  { method: "sa-2opt" },
  { method: "edge" },
];

const mode = process.argv[2];
const configs = process.argv[3] ? JSON.parse(process.argv[3]) : REFERENCE;
let cases; // [{ problem, optimum, seed }]
let evaluations;
if (mode === "n8") {
  const cities = Number(process.argv[4] ?? 8);
  evaluations = Number(process.argv[5] ?? 300);
  const count = Number(process.argv[6] ?? 20);
  cases = [];
  for (let i = 1; i <= count; i++) {
    const problem = randomInstance(cities, 1000 + i);
    cases.push({ problem, optimum: heldKarp(problem).length, seed: i });
  }
  console.log(`${count} random instances, N = ${cities}, ${evaluations} evaluations, optimum by Held-Karp`);
} else if (mode === "burma14") {
  const seeds = Number(process.argv[4] ?? 10);
  evaluations = Number(process.argv[5] ?? 1000);
  const stride = Number(process.argv[6] ?? 1);
  const problem = readTsplib(new URL("../problems/tsplib/burma14.tsp", import.meta.url).pathname);
  cases = [];
  for (let s = 1; s <= seeds; s++) cases.push({ problem, optimum: 3323, seed: stride * s });
  console.log(`burma14 (optimum 3323), seeds ${stride}·(1..${seeds}), ${evaluations} evaluations`);
} else {
  console.error("usage: node bench/fma-reference.mjs n8|burma14 ['[{config}, ...]'] [...]  (see the file's header)");
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const stats = configs.map(() => ({ costs: [], gaps: [], halfGaps: [], hits: 0, train: [], anneal: [], evaluate: [], round: [], cpu: [], invalid: [], bestAt: [], seconds: 0 }));
for (const c of cases) {
  for (let j = 0; j < configs.length; j++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await solveTsp(c.problem, { maxEvaluations: evaluations, seed: c.seed, ...configs[j] });
    const st = stats[j];
    st.seconds += (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cost = r.best.cost;
    const gap = (cost - c.optimum) / c.optimum;
    st.costs.push(cost);
    st.gaps.push(gap);
    const half = r.history.best[(evaluations >> 1) - 1];
    st.halfGaps.push((half - c.optimum) / c.optimum);
    if (gap < 1e-9) st.hits++;
    st.bestAt.push(r.bestAt);
    st.invalid.push(r.invalid);
    const per = (x) => (1000 * x) / Math.max(1, r.rounds);
    st.train.push(per(r.timings.train));
    st.anneal.push(per(r.timings.anneal));
    st.evaluate.push(per(r.timings.evaluate));
    st.round.push(per(r.timings.total));
    st.cpu.push(per((cpu.user + cpu.system) / 1e6));
  }
}
const ms = (x) => x.toFixed(2);
const meanSe = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1);
  return `${(100 * m).toFixed(2)} ± ${(100 * Math.sqrt(v / xs.length)).toFixed(2)}`;
};
console.log("config | hits | median gap % | mean gap % ± s.e. | median gap % at half budget | median length | best | median invalid | ms/round: train anneal evaluate total cpu | run s");
for (let j = 0; j < configs.length; j++) {
  const st = stats[j];
  console.log(
    [
      JSON.stringify(configs[j]),
      `${st.hits}/${cases.length}`,
      (100 * median(st.gaps)).toFixed(2),
      meanSe(st.gaps),
      (100 * median(st.halfGaps)).toFixed(2),
      median(st.costs),
      Math.min(...st.costs),
      median(st.invalid),
      `${ms(median(st.train))} ${ms(median(st.anneal))} ${ms(median(st.evaluate))} ${ms(median(st.round))} ${ms(median(st.cpu))}`,
      st.seconds.toFixed(1),
    ].join(" | "),
  );
}
