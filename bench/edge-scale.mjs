// The edge method at the sizes users have, against the plain 2-opt annealer, side by side:
// evaluations to 5%, 1% and 0% above the optimum (or the reference), the final gap, ms per
// proposal and the peak memory of the process, for N = 50..300.
//
//   npx tsc -p . && node bench/edge-scale.mjs
//   EDGE_SCALE_CASES=eil51,kroA100 EDGE_SCALE_SEEDS=1,2 EDGE_SCALE_METHODS=edge,sa-2opt node bench/edge-scale.mjs
//
// Cases: TSPLIB instances with published optima (problems/tsplib), random uniform instances
// `randN` (randomInstance(N, 7)) whose reference is the best of 4 white-box iterated local
// searches on the true distances (labelled "ref"), asymmetric `detourN` (straight-line distance
// x a per-direction factor in [1, 1.6], integer), and `detourN+prior` (the same, edge given the
// coordinates as its prior; sa-2opt started from the prior's own best tour), `clustN` (8 clusters,
// rounded distances; reference as for randN). Each run is a fresh
// child process, so the peak resident memory is that run's. Budgets: EDGE_SCALE_BUDGET or
// max(500, 10 N) (a280: 3000).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

async function one(spec) {
  const { solveTsp } = await import("../dist/methods/solve.js");
  const { readTsplib } = await import("../dist/tsp/tsplib.js");
  const { knownOptimum } = await import("../dist/tsp/optima.js");
  const { randomInstance } = await import("../dist/tsp/generate.js");
  const { candidateLists, tourIls } = await import("../dist/anneal/tour-ils.js");
  const { randomTour } = await import("../dist/tsp/tour-space.js");
  const { Random } = await import("../dist/util/random.js");
  const whiteBox = (W, n, symmetric, kicks) => {
    const problem = { n, weights: W, symmetric };
    const { candidates, k } = candidateLists(problem, 10);
    let best = null;
    for (let s = 1; s <= 4; s++) {
      const r = tourIls(problem, randomTour(n, new Random(s)), { candidates, k, kicks, seed: s });
      if (!best || r.costs[0] < best.cost) best = { cost: r.costs[0], tour: r.tours[0] };
    }
    return best;
  };
  let problem;
  let optimum;
  let label = "opt";
  const extra = {};
  const m = /^(rand|detour|clust)(\d+)(\+prior)?$/.exec(spec.name);
  if (!m) {
    problem = readTsplib(join(root, "problems/tsplib", `${spec.name}.tsp`));
    optimum = knownOptimum(problem.name, problem.dimension);
  } else if (m[1] === "rand") {
    problem = randomInstance(Number(m[2]), 7);
    optimum = whiteBox(problem.distances, problem.dimension, true, 20000).cost;
    label = "ref";
  } else if (m[1] === "clust") {
    // Clustered stops (like TSPLIB's pr/rl instances): 8 centres, normal spread 30, rounded distances.
    const n = Number(m[2]);
    const rng = new Random(n * 31 + 5);
    const centres = Array.from({ length: 8 }, () => [rng.int(1000), rng.int(1000)]);
    const xy = Array.from({ length: n }, () => {
      const c = centres[rng.int(8)];
      return [c[0] + 30 * rng.normal(), c[1] + 30 * rng.normal()];
    });
    problem = xy.map((a) => xy.map((b) => Math.round(Math.hypot(a[0] - b[0], a[1] - b[1]))));
    optimum = whiteBox(Float64Array.from(problem.flat()), n, true, 20000).cost;
    label = "ref";
  } else {
    const n = Number(m[2]);
    const rng = new Random(n * 104729 + 7);
    const xy = Array.from({ length: n }, () => [rng.int(1000), rng.int(1000)]);
    const M = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) M[a][b] = Math.round(Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]) * (1 + 0.6 * rng.float()));
    problem = M;
    optimum = whiteBox(Float64Array.from(M.flat()), n, false, 20000).cost;
    label = "ref";
    if (m[3]) {
      if (spec.method === "edge") extra.prior = { coordinates: xy };
      else {
        const P = Float64Array.from(xy.flatMap((a) => xy.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1]))));
        extra.initialTours = [whiteBox(P, n, true, 5000).tour];
      }
    }
  }
  const t0 = performance.now();
  const r = await solveTsp(problem, { method: spec.method, maxEvaluations: spec.budget, seed: spec.seed, timeLimit: spec.timeLimit, ...extra });
  const seconds = (performance.now() - t0) / 1000;
  const h = r.history.best;
  const first = (f) => {
    const i = h.findIndex((v) => v <= optimum * (1 + f) + 1e-9);
    return i < 0 ? null : i + 1;
  };
  const proposals = Math.max(1, r.rounds);
  return {
    ...spec,
    label,
    optimum,
    to5: first(0.05),
    to1: first(0.01),
    to0: first(0),
    final: r.best.cost,
    gap: (r.best.cost - optimum) / optimum,
    msPerProposal: ((r.timings.train + r.timings.anneal) * 1000) / proposals,
    seconds,
    evaluations: r.evaluations,
    peakMB: process.resourceUsage().maxRSS / 1024,
  };
}

const defaultBudget = (n) => (n >= 280 ? 3000 : Math.max(500, 10 * n));
const sizeOf = (name) => ({ eil51: 51, st70: 70, kroA100: 100, ch150: 150, a280: 280 })[name] ?? Number(/\d+/.exec(name)[0]);

if (process.argv[2] === "--one") {
  console.log(JSON.stringify(await one(JSON.parse(process.argv[3]))));
} else {
  const cases = (process.env.EDGE_SCALE_CASES ?? "eil51,st70,kroA100,rand100,detour100,detour100+prior,ch150,rand200,a280,rand300").split(",");
  const seeds = (process.env.EDGE_SCALE_SEEDS ?? "1").split(",").map(Number);
  const methods = (process.env.EDGE_SCALE_METHODS ?? "edge,sa-2opt").split(",");
  console.log(`edge vs sa-2opt at scale; node ${process.version}; one child process per run (peak RSS is the run's)`);
  console.log("| case | N | method | seed | budget | evals to 5% | to 1% | to opt/ref | final (gap) | ms/proposal | peak MB |");
  console.log("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const name of cases) {
    const n = sizeOf(name);
    const budget = Number(process.env.EDGE_SCALE_BUDGET ?? defaultBudget(n));
    for (const seed of seeds) {
      for (const method of methods) {
        const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--one", JSON.stringify({ name, method, seed, budget })], { encoding: "utf8", maxBuffer: 1 << 26 });
        const r = JSON.parse(out.trim().split("\n").pop());
        const f = (v) => (v === null ? "-" : String(v));
        console.log(
          `| ${name} | ${n} | ${method} | ${seed} | ${budget} | ${f(r.to5)} | ${f(r.to1)} | ${f(r.to0)} (${r.label} ${r.optimum}) | ${r.final} (${(100 * r.gap).toFixed(2)}%) | ${r.msPerProposal.toFixed(1)} | ${r.peakMB.toFixed(0)} |`,
        );
      }
    }
  }
}
