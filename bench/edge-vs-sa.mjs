// The `edge` method against the SA-2opt baseline, side by side, in one run (issue 7 evidence).
//
//   npx tsc -p . && node bench/edge-vs-sa.mjs            full run (5 seeds, N = 15, 20, 30)
//   node bench/edge-vs-sa.mjs --quick                     2 seeds, N = 15 and 30, parts 1, 2 and 4
//   node bench/edge-vs-sa.mjs --parts 2,4 --sizes 30 --seeds 3 --json /tmp/edge-vs-sa.json
//
// Options: --parts 1,2,3,4 (default all); --seeds K (default 5: seeds 1..K); --sizes list
// (default 15,20,30); --budget B (default 1000, every part); --turn-weight w (default 60);
// --ref-kicks K (default 300; kicks of the offline turn-angle reference search, 0 = skip);
// --json file (raw per-run results).
//
// Parts (markdown tables on stdout, progress on stderr):
//  1. burma14 (optimum 3323), run seeds 1..K: evaluations until a tour of cost 3323 was
//     evaluated, or "not reached" within the budget.
//  2. randomInstance(N, s) (= `fmanneal gen --cities N --seed s`), s = 1..K, run seed = s,
//     length cost as a callback (black box for both methods): evaluations to the optimum —
//     Held-Karp for N <= 20, for N > 20 the best tour of a full-information permutation search
//     on the true distance matrix (200 local-search + 200 annealed starts; "best known", not
//     proven optimal) — and the gap at the budget for runs that do not reach it.
//  3. the same instances with turnAngleCost(instance, w) as a callback: the optimum is unknown.
//     Best found after 100 / 300 / B evaluations, as a gap to the best value that any run of
//     this part found on that instance; also how that value compares to an offline
//     full-information iterated local search on the true cost (not a black-box method; a
//     sanity reference only). Methods: edge, edge with interactions 4 (FM over pairs of
//     edges), sa-2opt.
//  4. edge time per proposal (ms) = (timings.train + timings.anneal) / rounds, full-budget runs
//     on the part-2 instances at N = 15 and 30 (after a warm-up run).
//
// Runs go one after another in this process (the machine is shared). Evaluation counts are
// deterministic (same seeds, same numbers); wall-clock figures are upper bounds on a loaded
// machine. Runs of parts 1 and 2 stop once the target is reached (an AbortController on
// onProgress), which does not change the trajectory up to that point.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { solveTsp, readTsplib, randomInstance, heldKarp, lengthCost, turnAngleCost } from "../dist/index.js";
import { permSearch, permBetaSchedule } from "../dist/anneal/perm.js";
import { edgeSpace } from "../dist/tsp/edge-space.js";
import { HELD_KARP_MAX_N } from "../dist/tsp/heldKarp.js";
import { Random } from "../dist/util/random.js";

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { parts: [1, 2, 3, 4], seeds: 5, sizes: [15, 20, 30], budget: 1000, turnWeight: 60, refKicks: 300, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const list = (v) => v.split(",").map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a}: ${x} is not a positive integer`);
      return n;
    });
    if (a === "--quick") Object.assign(o, { parts: [1, 2, 4], seeds: 2, sizes: [15, 30] });
    else if (a === "--parts") o.parts = list(next());
    else if (a === "--seeds") o.seeds = list(next())[0];
    else if (a === "--sizes") o.sizes = list(next());
    else if (a === "--budget") o.budget = list(next())[0];
    else if (a === "--turn-weight") o.turnWeight = Number(next());
    else if (a === "--ref-kicks") o.refKicks = Number(next());
    else if (a === "--json") o.json = next();
    else if (a === "--help" || a === "-h") {
      console.log("node bench/edge-vs-sa.mjs [--quick] [--parts 1,2,3,4] [--seeds K] [--sizes 15,20,30] [--budget B] [--turn-weight w] [--ref-kicks K] [--json file]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const seeds = Array.from({ length: opts.seeds }, (_, i) => i + 1);
const log = (...a) => console.error(...a);
const raw = { options: opts, node: process.version, parts: {} };

/** Evaluations (1-based) until the best-so-far value reaches `target`, or null. */
function evalsToReach(history, target) {
  const tol = 1e-9 * Math.max(1, Math.abs(target));
  const i = history.best.findIndex((v) => v <= target + tol);
  return i < 0 ? null : i + 1;
}

/** Best so far after `k` evaluations (the last value if the run stopped earlier). */
function bestAt(history, k) {
  const h = history.best;
  return h[Math.min(k, h.length) - 1];
}

/** One solveTsp run; with `target`, stop once a tour at or below it was evaluated. */
async function run(problem, method, seed, extra = {}, target = null) {
  const controller = new AbortController();
  const t0 = performance.now();
  const r = await solveTsp(problem, {
    method,
    seed,
    maxEvaluations: opts.budget,
    signal: controller.signal,
    onProgress: target === null ? undefined : (p) => {
      if (p.bestValue !== null && p.bestValue <= target + 1e-9 * Math.max(1, Math.abs(target))) controller.abort();
    },
    ...extra,
  });
  return {
    method: method + (extra.interactions ? `+fm${extra.interactions}` : ""),
    seed,
    evaluations: r.evaluations,
    rounds: r.rounds,
    best: r.best?.cost ?? null,
    reached: target === null ? null : evalsToReach(r.history, target),
    at: [100, 300, opts.budget].map((k) => bestAt(r.history, k)),
    timings: r.timings,
    msPerProposal: r.rounds > 0 ? ((r.timings.train + r.timings.anneal) / r.rounds) * 1000 : null,
    wall: (performance.now() - t0) / 1000,
  };
}

/** Reference optimum of a length cost: Held-Karp (exact) or a full-information permutation search. */
function lengthReference(inst) {
  const n = inst.dimension;
  if (n <= HELD_KARP_MAX_N) return { value: heldKarp(inst).length, kind: "Held-Karp" };
  const space = edgeSpace(n);
  const rng = new Random(0xbe57);
  let best = Infinity;
  let hits = 0;
  const starts = 200;
  for (const betas of [undefined, permBetaSchedule(inst.distances, n, 48)]) {
    const tours = new Int32Array(starts * n);
    const costs = new Float64Array(starts);
    for (let r = 0; r < starts; r++) tours.set(rng.shuffle([...Array(n).keys()]), r * n);
    permSearch({ space, weights: inst.distances }, tours, costs, { seed: rng.seed(), betas, movesPerBeta: 50 * n });
    for (const c of costs) {
      if (c < best - 1e-9) { best = c; hits = 0; }
      if (c <= best + 1e-9) hits++;
    }
  }
  return { value: best, kind: `best known (${hits}/${2 * starts} starts)` };
}

/**
 * Offline full-information reference for a black-box cost: iterated local search (2-opt and
 * Or-opt 1..3, first improvement, the cost recomputed per candidate) from a random tour, then
 * `kicks` double-bridge kicks, keeping the better of each. City 0 stays first.
 */
function ilsReference(cost, n, kicks, rng) {
  const localSearch = (t) => {
    let c = cost(t);
    for (let improved = true; improved; ) {
      improved = false;
      for (let i = 1; i < n - 1; i++)
        for (let j = i + 1; j < n; j++) {
          const u = t.slice();
          for (let a = i, b = j; a < b; a++, b--) [u[a], u[b]] = [u[b], u[a]];
          const cu = cost(u);
          if (cu < c - 1e-12) { t = u; c = cu; improved = true; }
        }
      for (let len = 1; len <= 3; len++)
        for (let i = 1; i + len <= n; i++) {
          const seg = t.slice(i, i + len);
          const rest = [...t.slice(0, i), ...t.slice(i + len)];
          for (let p = 1; p <= rest.length; p++) {
            if (p === i) continue;
            for (const s of [seg, seg.slice().reverse()]) {
              const u = [...rest.slice(0, p), ...s, ...rest.slice(p)];
              const cu = cost(u);
              if (cu < c - 1e-12) { t = u; c = cu; improved = true; break; }
            }
            if (improved) break;
          }
          if (improved) break;
        }
    }
    return { t, c };
  };
  let best = localSearch([0, ...rng.shuffle([...Array(n).keys()].slice(1))]);
  for (let k = 0; k < kicks; k++) {
    const cuts = [1 + rng.int(n - 1), 1 + rng.int(n - 1), 1 + rng.int(n - 1)].sort((a, b) => a - b);
    const [a, b, c] = cuts;
    if (!(a < b && b < c)) continue;
    const t = best.t;
    const kicked = localSearch([...t.slice(0, a), ...t.slice(b, c), ...t.slice(a, b), ...t.slice(c)]);
    if (kicked.c <= best.c) best = kicked;
  }
  return best.c;
}

const fmt = (x, d = 0) => (x === null || x === undefined ? "–" : x.toFixed(d));
const pct = (x, ref) => `${(Math.abs(x - ref) < 5e-5 * Math.abs(ref) ? 0 : (100 * (x - ref)) / ref).toFixed(2)}%`;
const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const table = (head, rows) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
/** A cell for "evaluations to the target": the count, or "not reached" with the gap at the budget. */
const reachCell = (r, target) => (r.reached !== null ? String(r.reached) : `not reached (${fmt(r.best, 0)}, gap ${pct(r.best, target)})`);

async function part1() {
  const inst = readTsplib(join(here, "..", "problems", "tsplib", "burma14.tsp"));
  const target = 3323;
  const rows = [];
  const runs = [];
  for (const method of ["edge", "sa-2opt"]) {
    const cells = [];
    for (const s of seeds) {
      const r = await run(inst, method, s, {}, target);
      log(`part 1 burma14 ${method} seed ${s}: ${r.reached ?? "not reached"} (${r.wall.toFixed(1)} s)`);
      runs.push(r);
      cells.push(reachCell(r, target));
    }
    const ok = runs.filter((r) => r.method === method);
    rows.push([method, ...cells, `${ok.filter((r) => r.reached !== null).length}/${ok.length}`, fmt(median(ok.map((r) => r.reached)))]);
  }
  raw.parts[1] = runs;
  console.log(`\n### 1. burma14 (optimum 3323), budget ${opts.budget}: evaluations to reach 3323\n`);
  console.log(table(["method", ...seeds.map((s) => `seed ${s}`), "reached", "median (reached runs)"], rows));
}

async function part2() {
  console.log(`\n### 2. randomInstance(N, s), s = ${seeds.join(", ")} (run seed = s), length cost, budget ${opts.budget}: evaluations to the optimum\n`);
  raw.parts[2] = [];
  for (const n of opts.sizes) {
    const rows = [];
    for (const s of seeds) {
      const inst = randomInstance(n, s);
      const ref = lengthReference(inst);
      const problem = { cities: n, cost: lengthCost(inst), name: inst.name };
      const cells = [];
      for (const method of ["edge", "sa-2opt"]) {
        const r = await run(problem, method, s, {}, ref.value);
        log(`part 2 ${inst.name} ${method}: ${r.reached ?? "not reached"} (${r.wall.toFixed(1)} s)`);
        raw.parts[2].push({ instance: inst.name, n, reference: ref, ...r });
        cells.push(reachCell(r, ref.value));
      }
      rows.push([inst.name, `${fmt(ref.value)} (${ref.kind})`, ...cells]);
    }
    const mine = raw.parts[2].filter((r) => r.n === n);
    const summary = (m) => {
      const rs = mine.filter((r) => r.method === m);
      const hit = rs.map((r) => r.reached).filter((x) => x !== null);
      return `${hit.length}/${rs.length} reached` + (hit.length ? `; reached runs: median ${fmt(median(hit))}, max ${Math.max(...hit)}` : "");
    };
    rows.push([`**N = ${n}**`, "", summary("edge"), summary("sa-2opt")]);
    console.log(`\nN = ${n}\n`);
    console.log(table(["instance", "optimum", "edge", "sa-2opt"], rows));
  }
}

async function part3() {
  const w = opts.turnWeight;
  const checkpoints = [100, 300, opts.budget];
  console.log(
    `\n### 3. turn-angle cost (length + ${w} x sum |turn| in radians), callback, instances as in 2, budget ${opts.budget}\n\n` +
      `Optimum unknown. Gap = (best found after k evaluations - R) / R, with R = the best value any run of this part found on the instance; ` +
      `median [min, max] over the ${seeds.length} instances. "ILS" = an offline full-information iterated local search on the true cost ` +
      `(${opts.refKicks} kicks, not a black-box method), shown as the gap of R to it (negative: the runs beat it).\n`,
  );
  raw.parts[3] = [];
  const methods = [["edge", {}], ["edge", { interactions: 4 }], ["sa-2opt", {}]];
  for (const n of opts.sizes) {
    const perInstance = [];
    for (const s of seeds) {
      const inst = randomInstance(n, s);
      const cost = turnAngleCost(inst, w);
      const runs = [];
      for (const [method, extra] of methods) {
        const r = await run({ cities: n, cost, name: `${inst.name}-turn${w}` }, method, s, extra);
        log(`part 3 ${inst.name} ${r.method}: ${checkpoints.map((k, i) => `${k}: ${fmt(r.at[i], 1)}`).join(", ")} (${r.wall.toFixed(1)} s)`);
        runs.push(r);
      }
      const best = Math.min(...runs.map((r) => r.best));
      const ils = opts.refKicks > 0 ? ilsReference(cost, n, opts.refKicks, new Random(0x11 + s)) : null;
      if (ils !== null) log(`part 3 ${inst.name} offline ILS ${fmt(ils, 1)}, best of runs ${fmt(best, 1)}`);
      perInstance.push({ instance: inst.name, best, ils, runs });
      raw.parts[3].push({ instance: inst.name, n, bestOfRuns: best, ils, runs });
    }
    const rows = methods.map(([method, extra], mi) => {
      const name = perInstance[0].runs[mi].method;
      return [
        name,
        ...checkpoints.map((k, ci) => {
          const gaps = perInstance.map((p) => (100 * (p.runs[mi].at[ci] - p.best)) / p.best);
          return `${median(gaps).toFixed(2)}% [${Math.min(...gaps).toFixed(2)}, ${Math.max(...gaps).toFixed(2)}]`;
        }),
        `${perInstance.filter((p) => p.runs[mi].best <= p.best + 1e-9).length}/${perInstance.length}`,
        method === "edge" ? fmt(median(perInstance.map((p) => p.runs[mi].msPerProposal)), 2) : "–",
      ];
    });
    console.log(`\nN = ${n}\n`);
    console.log(table(["method", ...checkpoints.map((k) => `gap @${k}`), "found R", "edge ms/proposal (median)"], rows));
    console.log("");
    console.log(
      table(
        ["instance", "R (best of runs)", "offline ILS", "R vs ILS"],
        perInstance.map((p) => [p.instance, fmt(p.best, 1), fmt(p.ils, 1), p.ils === null ? "–" : pct(p.best, p.ils)]),
      ),
    );
  }
}

async function part4() {
  const sizes = [15, 30];
  raw.parts[4] = [];
  // Warm-up: V8 tiers the BLR and kernel calls up during the first run.
  await run({ cities: 15, cost: lengthCost(randomInstance(15, 99)) }, "edge", 1, { maxEvaluations: 300 });
  const rows = [];
  for (const n of sizes) {
    const target = n <= 15 ? 1 : 5;
    const ms = [];
    for (const s of seeds) {
      const inst = randomInstance(n, s);
      const r = await run({ cities: n, cost: lengthCost(inst), name: inst.name }, "edge", s);
      log(`part 4 ${inst.name} edge: ${fmt(r.msPerProposal, 3)} ms/proposal over ${r.rounds} rounds (train ${fmt(r.timings.train, 2)} s, anneal ${fmt(r.timings.anneal, 2)} s)`);
      raw.parts[4].push({ instance: inst.name, n, ...r });
      ms.push(r.msPerProposal);
    }
    rows.push([String(n), String(opts.budget), fmt(median(ms), 3), `${fmt(Math.min(...ms), 3)} – ${fmt(Math.max(...ms), 3)}`, `≤ ${target}`, Math.max(...ms) <= target ? "met" : "missed"]);
  }
  console.log(`\n### 4. edge: time per proposal, (train + anneal) / rounds, length cost, instances as in 2 (upper bounds: shared 2-core machine)\n`);
  console.log(table(["N", "budget", "median ms/proposal", "min – max", "target", "all runs"], rows));
}

// Provenance: dist/ is built from the working tree, which may hold uncommitted changes.
const git = (...a) => {
  try {
    return execFileSync("git", a, { cwd: join(here, ".."), encoding: "utf8" }).replace(/\s+$/, "");
  } catch {
    return "?";
  }
};
raw.commit = git("rev-parse", "--short", "HEAD");
raw.dirty = git("status", "--short", "--untracked-files=no", "--", "src", "native").split("\n").filter(Boolean);
console.log(`edge vs sa-2opt, commit ${raw.commit}${raw.dirty.length ? ` + uncommitted changes in ${raw.dirty.map((l) => l.slice(3)).join(", ")}` : ""}; node ${process.version}; options ${JSON.stringify(opts)}`);
log(`edge vs sa-2opt: ${JSON.stringify(opts)}; node ${process.version}`);
const t0 = performance.now();
for (const p of opts.parts) await [part1, part2, part3, part4][p - 1]();
console.log(`\n(total ${((performance.now() - t0) / 1000).toFixed(0)} s wall clock)`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(raw, null, 1));
