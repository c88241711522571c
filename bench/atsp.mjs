// Methods on the shipped TSPLIB ATSP instances (issue 14, item 5): median final gap to the
// published optimum, per instance, budget and method, over run seeds 1..K.
//
//   npx tsc -p . && node bench/atsp.mjs                       br17, ftv35; budgets 300, 1500; seeds 1..5
//   node bench/atsp.mjs --instances br17,ftv35,ry48p --json /tmp/atsp.json
//   node bench/atsp.mjs --instances br17 --budgets 300 --seeds 3 --methods sa-2opt,sa-directed
//
// Methods (columns): random; sa-2opt with the old 2-opt (segment reversal) moves ("sa-2opt
// old"); sa-2opt as solveTsp runs it on asymmetric costs, with direction-keeping segment moves
// ("sa-2opt directed"); edge; fma with the gray labeling. Every other option is the method's
// default (src/methods/registry.ts). Each cell: median gap over the seeds, then how many runs
// reached the optimum. The two sa-2opt columns build the same proposer as solveTsp (same seed
// salt, init 20, budget) and differ only in the moves; the directed one is checked to
// reproduce solveTsp's run exactly before the table is printed.
//
// Runs go one after another in this process (the machine is shared). Gaps are deterministic
// (same seeds, same numbers); the seconds column is wall clock on a loaded machine.
import { writeFileSync } from "node:fs";
import { readTsplib, solveTsp, knownOptimum } from "../dist/index.js";
import { TwoOptAnnealing } from "../dist/methods/baselines/sa-2opt.js";
import { loopOptions } from "../dist/methods/method.js";
import { runLoop } from "../dist/loop/loop.js";
import { normalizeProblem } from "../dist/loop/problem.js";
import { deriveSeed, Random, SeedSalt } from "../dist/util/random.js";

const METHODS = {
  random: "random",
  "sa-2opt": "sa-2opt old (2-opt)",
  "sa-directed": "sa-2opt directed",
  edge: "edge",
  fma: "fma gray",
};

function parseArgs(argv) {
  const o = { instances: ["br17", "ftv35"], budgets: [300, 1500], seeds: 5, methods: Object.keys(METHODS), json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const ints = (v) =>
      v.split(",").map((x) => {
        const n = Number(x);
        if (!Number.isInteger(n) || n < 1) throw new Error(`${a}: ${x} is not a positive integer`);
        return n;
      });
    if (a === "--instances") o.instances = next().split(",");
    else if (a === "--budgets") o.budgets = ints(next());
    else if (a === "--seeds") o.seeds = ints(next())[0];
    else if (a === "--methods") {
      o.methods = next().split(",");
      for (const m of o.methods) if (!(m in METHODS)) throw new Error(`--methods: unknown ${m}; expected ${Object.keys(METHODS).join(", ")}`);
    } else if (a === "--json") o.json = next();
    else if (a === "--help" || a === "-h") {
      console.log("node bench/atsp.mjs [--instances br17,ftv35,ry48p,ft53] [--budgets 300,1500] [--seeds K] [--methods random,sa-2opt,sa-directed,edge,fma] [--json file]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** sa-2opt exactly as solveTsp builds it (src/methods/baselines/sa-2opt.ts), with the moves chosen here. */
async function runSa(inst, moves, budget, seed) {
  const p = normalizeProblem(inst);
  const proposer = new TwoOptAnnealing(p.cities, p.symmetric, budget, new Random(deriveSeed(seed, SeedSalt.sa2opt)), moves);
  const header = { type: "header", version: 1, problem: p.fingerprint, method: proposer.method, settings: { seed, cities: p.cities, maxEvaluations: budget, bits: null } };
  const r = await runLoop(proposer, { isValid: () => true, cost: (t) => p.cost(t), describe: (t) => `tour ${t}` }, loopOptions({ maxEvaluations: budget, seed, batch: 1, init: 20 }, header));
  return { cost: r.best.value, history: r.history.best };
}

async function runMethod(inst, method, budget, seed) {
  if (method === "sa-2opt") return runSa(inst, "2-opt", budget, seed);
  if (method === "sa-directed") return runSa(inst, "directed", budget, seed);
  const r = await solveTsp(inst, { method, maxEvaluations: budget, seed, ...(method === "fma" ? { labeling: "gray" } : {}) });
  return { cost: r.best.cost, history: r.history.best };
}

const median = (v) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const opts = parseArgs(process.argv.slice(2));
const seeds = Array.from({ length: opts.seeds }, (_, i) => i + 1);
const log = (...a) => console.error(...a);
const raw = { options: opts, node: process.version, runs: [] };

// The bench's sa-2opt path must be solveTsp's: same run, same history.
{
  const inst = readTsplib(`problems/tsplib/${opts.instances[0]}.atsp`);
  const a = await runSa(inst, "directed", 300, 1);
  const b = await solveTsp(inst, { method: "sa-2opt", maxEvaluations: 300, seed: 1 });
  if (a.cost !== b.best.cost || JSON.stringify(a.history) !== JSON.stringify(b.history.best)) {
    throw new Error("bench/atsp.mjs: the sa-2opt runner here no longer reproduces solveTsp; update runSa");
  }
}

const rows = [];
for (const name of opts.instances) {
  const inst = readTsplib(`problems/tsplib/${name}.atsp`);
  const optimum = knownOptimum(inst.name, inst.dimension);
  if (optimum === null) throw new Error(`${name}: no known optimum`);
  for (const budget of opts.budgets) {
    const cells = [];
    for (const method of opts.methods) {
      const gaps = [];
      const t0 = performance.now();
      for (const seed of seeds) {
        const r = await runMethod(inst, method, budget, seed);
        const gap = (r.cost - optimum) / optimum;
        gaps.push(gap);
        raw.runs.push({ instance: name, optimum, budget, method, seed, cost: r.cost, gap });
        log(`${name} budget ${budget} ${method} seed ${seed}: ${r.cost} (gap ${(gap * 100).toFixed(1)}%)`);
      }
      const seconds = (performance.now() - t0) / 1000 / seeds.length;
      cells.push({ method, median: median(gaps), hits: gaps.filter((g) => g === 0).length, seconds });
    }
    rows.push({ name, n: inst.dimension, optimum, budget, cells });
  }
}

console.log(`\nMedian final gap to the optimum over seeds 1..${opts.seeds} (runs reaching the optimum); s/run = mean seconds per run\n`);
console.log(`| instance (N, optimum) | budget | ${opts.methods.map((m) => METHODS[m]).join(" | ")} |`);
console.log(`| --- | ---: | ${opts.methods.map(() => "---:").join(" | ")} |`);
for (const r of rows) {
  const cells = r.cells.map((c) => `${(c.median * 100).toFixed(1)}% (${c.hits}/${seeds.length}) ${c.seconds.toFixed(1)}s`);
  console.log(`| ${r.name} (${r.n}, ${r.optimum}) | ${r.budget} | ${cells.join(" | ")} |`);
}
if (opts.json) writeFileSync(opts.json, JSON.stringify(raw, null, 1));
