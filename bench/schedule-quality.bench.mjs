// Quality of the default beta range (issue 13): dwave-neal's rule on the Ising form (the default
// since issue 13, src/anneal/schedule.ts) against the previous QUBO-form rule, over many seeds,
// same sweeps, reads and kernel, on:
//   G1                   problems/gset/G1.txt (800 nodes, 19176 unit edges, best known cut 11624);
//   G22-like             random graph, n = 2000, 19990 distinct unit edges (gsetLikeRandom);
//   torus 60x50 (G48-like)  toroidal grid, unit weights; bipartite, so the optimum is all 6000 edges;
//   torus 120x25 (G50-like) toroidal grid with odd rows: each of the 120 row cycles is odd and loses
//                        an edge, and (i + j) mod 2 loses exactly one per row: optimum 6000 - 120 = 5880;
//   torus 70x100 +-1 (G62-like) toroidal grid, weights +-1 at random (optimum unknown);
//   planar-like          800 nodes, 4694 edges of a random geometric graph (G14-like size; nearest
//                        neighbours of points in the unit square; optimum unknown);
//   dense n = 200, 1000  random QUBOs, Q_ij, lin_i ~ N(0, 1).
// For each problem and seed, anneal() runs 10 reads of SQ_SWEEPS sweeps (default 1000) with each
// range; the table gives the mean over all reads (seeds x 10) of the reads' best energies (cuts for
// graphs), the mean over seeds of each run's best, and the overall best.
//
// Then (heldOutCutsSuite) the cuts at 10,000 sweeps x 10 reads of G1 and the two tori.
//
//   npm run bench -- schedule-quality      (SQ_SEEDS=20, SQ_SWEEPS=1000; CUT_SWEEPS=10000)
//   node bench/schedule-quality.bench.mjs --cuts-only
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { anneal } from "../dist/anneal/anneal.js";
import { defaultBetaRange, quboFormBetaRange } from "../dist/anneal/schedule.js";
import { cutValue, maxCutToQubo, readGset } from "../dist/qubo/gset.js";
import { Random } from "../dist/util/random.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = Number(process.env.SQ_SEEDS ?? 20);
const SWEEPS = Number(process.env.SQ_SWEEPS ?? 1000);

function graph(n, edges) {
  return {
    n,
    from: Int32Array.from(edges, (e) => e[0]),
    to: Int32Array.from(edges, (e) => e[1]),
    weight: Float64Array.from(edges, (e) => e[2] ?? 1),
  };
}

/** G-set-style random graph (rudy's "random graph" kind): m distinct edges drawn uniformly, unit weights. */
export function gsetLikeRandom(n, m, seed) {
  const r = new Random(seed);
  const seen = new Set();
  const edges = [];
  while (edges.length < m) {
    const i = r.int(n);
    const j = r.int(n);
    if (i === j) continue;
    const key = i < j ? i * n + j : j * n + i;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([i, j]);
  }
  return graph(n, edges);
}

/** rows x cols toroidal grid (rudy's "toroidal grid" kind), unit weights or +-1 at random. */
export function torus(rows, cols, signed = false, seed = 1) {
  const r = new Random(seed);
  const edges = [];
  const id = (i, j) => ((i + rows) % rows) * cols + ((j + cols) % cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      edges.push([id(i, j), id(i, j + 1), signed ? (r.float() < 0.5 ? -1 : 1) : 1]);
      edges.push([id(i, j), id(i + 1, j), signed ? (r.float() < 0.5 ? -1 : 1) : 1]);
    }
  }
  return graph(rows * cols, edges);
}

/** Planar-like graph: n random points in the unit square, each joined to its nearest neighbours until m distinct edges. */
export function planarLike(n, m, seed) {
  const r = new Random(seed);
  const x = Float64Array.from({ length: n }, () => r.float());
  const y = Float64Array.from({ length: n }, () => r.float());
  const pairs = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([(x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2, i, j]);
  pairs.sort((a, b) => a[0] - b[0]);
  return graph(n, pairs.slice(0, m).map(([, i, j]) => [i, j]));
}

export function denseQubo(n, seed) {
  const r = new Random(seed);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) matrix[i * n + j] = r.normal();
  return { kind: "dense", n, offset: 0, matrix, triangular: true };
}

export function qualityProblems() {
  const g = (name, gr, optimum) => ({ name, qubo: maxCutToQubo(gr), graph: gr, optimum });
  return [
    g("G1", readGset(join(root, "problems/gset/G1.txt")), 11624),
    g("G22-like (n=2000, m=19990)", gsetLikeRandom(2000, 19990, 22)),
    g("torus 60x50 (G48-like)", torus(60, 50), 6000),
    g("torus 120x25 (G50-like)", torus(120, 25), 5880),
    g("torus 70x100 +-1 (G62-like)", torus(70, 100, true, 62)),
    g("planar-like (n=800, m=4694)", planarLike(800, 4694, 14)),
    { name: "dense n=200", qubo: denseQubo(200, 200) },
    { name: "dense n=1000", qubo: denseQubo(1000, 1000) },
  ];
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function scheduleQualitySuite() {
  console.log(`default beta range: neal's rule (Ising form) vs the previous QUBO-form rule; ${SEEDS} seeds x 10 reads x ${SWEEPS} sweeps each`);
  console.log("| problem | optimum | rule | beta range | mean of reads | mean of run bests | best | runs at optimum | s/run |");
  console.log("|---|--:|---|---|--:|--:|--:|--:|--:|");
  for (const p of qualityProblems()) {
    const rules = [
      ["previous (QUBO form)", quboFormBetaRange(p.qubo)],
      ["neal (Ising form)", defaultBetaRange(p.qubo)],
    ];
    const stats = rules.map(() => ({ reads: [], bests: [], seconds: 0 }));
    for (let seed = 1; seed <= SEEDS; seed++) {
      rules.forEach(([, betaRange], k) => {
        const res = anneal(p.qubo, { sweeps: SWEEPS, reads: 10, seed, betaRange });
        const vals = p.graph ? res.samples.map((s) => cutValue(p.graph, s)) : res.energies;
        stats[k].reads.push(...vals);
        stats[k].bests.push(p.graph ? Math.max(...vals) : Math.min(...vals));
        stats[k].seconds += res.seconds;
      });
    }
    rules.forEach(([name, range], k) => {
      const st = stats[k];
      const best = p.graph ? Math.max(...st.bests) : Math.min(...st.bests);
      const f = (v) => (p.graph ? v.toFixed(1) : v.toFixed(3));
      const hits = p.optimum ? String(st.bests.filter((b) => b === p.optimum).length) : "-";
      console.log(
        `| ${p.name} | ${p.optimum ?? "?"} | ${name} | [${range[0].toPrecision(3)}, ${range[1].toPrecision(3)}] | ${f(mean(st.reads))} | ${f(mean(st.bests))} | ` +
          `${p.graph ? best : best.toFixed(3)} | ${hits} | ${(st.seconds / SEEDS).toFixed(2)} |`,
      );
    });
  }
}

/**
 * Cuts at 10,000 sweeps x 10 reads with the default schedule: G1 (best known 11624) and the
 * held-out generated graphs whose optimum is known by construction (the two tori), 3 seeds each;
 * the gap of the best cut of each run to the optimum.
 */
export async function heldOutCutsSuite() {
  const sweeps = Number(process.env.CUT_SWEEPS ?? 10000);
  console.log(`\ncuts at ${sweeps} sweeps x 10 reads, default schedule (gap = 1 - cut / optimum)`);
  console.log("| graph | optimum | seed | best cut | gap | mean of reads | s |");
  console.log("|---|--:|--:|--:|--:|--:|--:|");
  for (const p of qualityProblems().filter((x) => x.optimum)) {
    for (const seed of [1, 2, 3]) {
      const res = anneal(p.qubo, { sweeps, reads: 10, seed });
      const cuts = res.samples.map((s) => cutValue(p.graph, s));
      const best = Math.max(...cuts);
      console.log(`| ${p.name} | ${p.optimum} | ${seed} | ${best} | ${(100 * (1 - best / p.optimum)).toFixed(3)}% | ${mean(cuts).toFixed(1)} | ${res.seconds.toFixed(2)} |`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv.includes("--cuts-only")) await scheduleQualitySuite();
  await heldOutCutsSuite();
}
