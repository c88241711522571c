#!/usr/bin/env node
// Regenerates problems/random/: the labeling study's instances and their exact optima.
//
//   npm run build && node scripts/make-random-problems.mjs
//
// For N = 5..15 and seeds 1..10: rand{N}-s{seed}.tsp = randomInstance(N, seed) (EUC_2D, integer
// coordinates in [0, 1000) from Random(seed)), rand{N}-s{seed}.opt.tour = its Held-Karp optimal
// tour, and optima.tsv with the same columns as problems/tsplib/optima.tsv. Runs against dist/,
// so the files are exactly what the built package generates; it is deterministic, and rerunning
// it must leave `git diff problems/random` empty (test/tsp/random-problems.test.ts checks the
// instances and the optima independently).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomInstance } from "../dist/tsp/generate.js";
import { heldKarp } from "../dist/tsp/heldKarp.js";
import { formatTour, formatTsplib } from "../dist/tsp/tsplib.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "problems", "random");
mkdirSync(out, { recursive: true });
const rows = [["name", "dimension", "edge_weight_type", "edge_weight_format", "optimum", "opt_tour"].join("\t")];
for (let n = 5; n <= 15; n++) {
  for (let seed = 1; seed <= 10; seed++) {
    const inst = randomInstance(n, seed);
    const { length, tour } = heldKarp(inst);
    writeFileSync(join(out, `${inst.name}.tsp`), formatTsplib(inst));
    writeFileSync(join(out, `${inst.name}.opt.tour`), formatTour(`${inst.name}.opt.tour`, tour, `Optimal tour for ${inst.name} (${length}), Held-Karp`));
    rows.push([inst.name, n, "EUC_2D", "-", length, `${inst.name}.opt.tour`].join("\t"));
  }
}
writeFileSync(join(out, "optima.tsv"), rows.join("\n") + "\n");
console.log(`wrote ${rows.length - 1} instances to ${out}`);
