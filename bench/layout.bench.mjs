// Where the dense kernel overtakes the sparse one (issue 13; sets DENSE_SHARE in
// src/anneal/problem.ts, the threshold of anneal()'s layout "auto").
//
// Random sparse QUBOs with m = share * n^2 couplings (distinct pairs, Q_ij and lin_i ~ N(0, 1)),
// n = 200, 1000, 2000, annealed with the default (neal) schedule, LAYOUT_SWEEPS sweeps (default
// 300) x 3 reads, seed 1, with layout "sparse" and "dense" alternately (3 pairs, median); the
// table gives sparse seconds / dense seconds (> 1: dense faster). Conversion to the kernel
// layout is inside the timed anneal() call, as in real use.
//
//   npm run bench -- layout
import { anneal } from "../dist/anneal/anneal.js";
import { sparseFromCouplings } from "../dist/qubo/convert.js";
import { Random } from "../dist/util/random.js";

const SWEEPS = Number(process.env.LAYOUT_SWEEPS ?? 300);

function randomSparse(n, m, seed) {
  const r = new Random(seed);
  const seen = new Set();
  const from = [];
  const to = [];
  const w = [];
  while (from.length < m) {
    const i = r.int(n);
    const j = r.int(n);
    if (i === j) continue;
    const key = i < j ? i * n + j : j * n + i;
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(i);
    to.push(j);
    w.push(r.normal());
  }
  return sparseFromCouplings(n, Float64Array.from({ length: n }, () => r.normal()), from, to, w, 0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function layoutSuite() {
  const shares = [1 / 128, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 0.45];
  console.log(`sparse / dense kernel time (> 1: dense faster), ${SWEEPS} sweeps x 3 reads, m = share * n^2 couplings`);
  console.log(`| n | ${shares.map((s) => `m = n^2/${(1 / s).toFixed(s < 0.3 ? 0 : 2)}`).join(" | ")} |`);
  console.log(`|--:|${shares.map(() => "--:").join("|")}|`);
  for (const n of [200, 1000, 2000]) {
    const cells = [];
    for (const share of shares) {
      const m = Math.min(Math.round(share * n * n), (n * (n - 1)) / 2);
      const q = randomSparse(n, m, n + m);
      const opts = { sweeps: SWEEPS, reads: 3, seed: 1 };
      anneal(q, { ...opts, sweeps: 20, layout: "sparse" });
      anneal(q, { ...opts, sweeps: 20, layout: "dense" });
      const ratios = [];
      for (let i = 0; i < 3; i++) {
        const s = anneal(q, { ...opts, layout: "sparse" }).seconds;
        const d = anneal(q, { ...opts, layout: "dense" }).seconds;
        ratios.push(s / d);
      }
      cells.push(median(ratios).toFixed(2));
    }
    console.log(`| ${n} | ${cells.join(" | ")} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await layoutSuite();
