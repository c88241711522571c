// Solution quality on Gset G1 (MaxCut, 800 nodes, 19176 unit edges, best known cut 11624):
// 10 reads of 1,000 and of 10,000 sweeps with the default schedule, for a few seeds; the best
// and mean cut over the reads, and the seconds of the anneal() call.
//   npm run bench -- anneal-g1        (G1_SEEDS=1,2,3 to choose the seeds)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { anneal } from "../dist/anneal/anneal.js";
import { cutValue, maxCutToQubo, readGset } from "../dist/qubo/gset.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BEST_KNOWN = 11624;

export async function annealG1Suite() {
  const graph = readGset(join(root, "problems/gset/G1.txt"));
  const qubo = maxCutToQubo(graph);
  const seeds = (process.env.G1_SEEDS ?? "1,2,3").split(",").map(Number);
  anneal(qubo, { sweeps: 100, reads: 2 }); // warm-up
  console.log(`G1: n = ${graph.n}, m = ${graph.from.length}, best known cut ${BEST_KNOWN}; 10 reads per run`);
  console.log("| sweeps | seed | best cut | mean cut | worst cut | reads at 11624 | seconds |");
  console.log("|-------:|-----:|---------:|---------:|----------:|---------------:|--------:|");
  for (const sweeps of [1000, 10000]) {
    for (const seed of seeds) {
      const res = anneal(qubo, { sweeps, reads: 10, seed });
      const cuts = res.samples.map((s) => cutValue(graph, s));
      const mean = cuts.reduce((a, b) => a + b, 0) / cuts.length;
      const hits = cuts.filter((c) => c === BEST_KNOWN).length;
      console.log(
        `| ${String(sweeps).padStart(6)} | ${String(seed).padStart(4)} | ${String(Math.max(...cuts)).padStart(8)} | ${mean.toFixed(1).padStart(8)} | ` +
          `${String(Math.min(...cuts)).padStart(9)} | ${String(hits).padStart(14)} | ${res.seconds.toFixed(2).padStart(7)} |`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await annealG1Suite();
