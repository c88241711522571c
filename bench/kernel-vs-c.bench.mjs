// fmanneal against a plain C program of the same algorithm (issue 13), side by side in one run.
//
// The C program is bench/native/plain_sa.c: an independent C99 simulated annealer (NOT built from
// native/anneal.c), gcc -O3 -march=native, double precision, sequential sweeps, Metropolis, cached
// local fields, geometric schedule over dwave-neal's default beta range, best state at sweep
// boundaries; see its header. It is compiled here into a temp dir (no binary is committed).
//
// Both sides anneal the same files with 1000 sweeps x 10 reads, their own default schedule and
// layout choice, seed 1:
//   dense n = 200, 1000, 2000  random QUBOs, every Q_ij and lin_i ~ N(0, 1), written in qbsolv
//                              format at full precision (writeQubo) and read back by both sides;
//   G1                         problems/gset/G1.txt (MaxCut, n = 800, 19176 edges);
//   factorized n = 1000, k = 8 lin ~ N(0, 1), v_if ~ N(0, 1/k) (the C program reads the factors);
// and the whole process `fmanneal qubo FILE` (node dist/cli/bin.js; reading, compiling the
// kernel, annealing and printing included) against the C program reading the same dense
// n = 1000 qbsolv file.
//
// Annealing time: fmanneal's is the whole anneal() call (AnnealResult.seconds: validation,
// conversion to the kernel layout, the schedule, all reads) in a warm process; the C program's
// is its schedule and all reads (file reading excluded). Pairs are interleaved — one C run (a
// fresh process), then one anneal() call — so a change of load on the shared machine hits both
// alike; the ratio is C seconds / fmanneal seconds (> 1: fmanneal faster), median of the pairs.
// The energies (best over the 10 reads, and the mean of the reads' bests) show that both do
// equal work of equal quality.
//
// Last, the CLI start-up: `fmanneal --help` against bare `node -e 0` (and against another build's
// bin.js given as KVC_BASELINE_BIN), 11 interleaved runs, median.
//
// The factorized row gives fmanneal the C program's (neal's) range: fmanneal's own default for
// FM QUBOs is the QUBO-form rule (src/anneal/schedule.ts), which would make the work differ.
//
//   npm run bench -- kernel-vs-c          (KVC_PAIRS=5 for more pairs; default 3)
//   node bench/kernel-vs-c.bench.mjs      (after npx tsc -p .)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { anneal } from "../dist/anneal/anneal.js";
import { defaultBetaRange } from "../dist/anneal/schedule.js";
import { wasmKernel } from "../dist/anneal/wasm.js";
import { cutValue, maxCutToQubo, readGset } from "../dist/qubo/gset.js";
import { readQubo, writeQubo } from "../dist/qubo/qbsolv.js";
import { Random } from "../dist/util/random.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PAIRS = Number(process.env.KVC_PAIRS ?? 3);
const SWEEPS = 1000;
const READS = 10;
const SEED = 1;

export function denseQubo(n, seed) {
  const r = new Random(seed);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) matrix[i * n + j] = r.normal();
  return { kind: "dense", n, offset: 0, matrix, triangular: true };
}

export function factorizedQubo(n, k, seed) {
  const r = new Random(seed);
  const s = 1 / Math.sqrt(k);
  return {
    kind: "factorized",
    n,
    k,
    offset: 0,
    linear: Float64Array.from({ length: n }, () => r.normal()),
    factors: Float64Array.from({ length: n * k }, () => s * r.normal()),
  };
}

/** The factorized text the C program reads: 'fm n k', then 'lin_i v_i1 .. v_ik' (shortest round-trip numbers). */
function fmText(q) {
  const lines = [`fm ${q.n} ${q.k}`];
  for (let i = 0; i < q.n; i++) lines.push([q.linear[i], ...q.factors.subarray(i * q.k, (i + 1) * q.k)].join(" "));
  return lines.join("\n") + "\n";
}

export function buildPlainSa(dir) {
  const exe = join(dir, "plain_sa");
  execFileSync("gcc", ["-O3", "-march=native", "-std=c99", "-D_POSIX_C_SOURCE=199309L", "-o", exe, join(root, "bench/native/plain_sa.c"), "-lm"], { stdio: "pipe" });
  return exe;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runC(exe, file, state = 0) {
  return JSON.parse(execFileSync(exe, [file, String(SWEEPS), String(READS), String(SEED), "auto", String(state)], { maxBuffer: 1 << 26 }).toString());
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x) => (Math.abs(x) >= 1e4 ? x.toFixed(0) : x.toFixed(2));

export async function kernelVsCSuite() {
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-kvc-"));
  let exe;
  try {
    exe = buildPlainSa(dir);
  } catch (err) {
    console.log(`kernel-vs-c: gcc failed or is missing (${String(err.message).split("\n")[0]}); skipped`);
    return;
  }
  wasmKernel();
  const problems = [];
  for (const n of [200, 1000, 2000]) {
    const file = join(dir, `dense${n}.qubo`);
    writeFileSync(file, writeQubo(denseQubo(n, n)));
    problems.push({ name: `dense n=${n}`, file, load: () => readQubo(file) });
  }
  const g1 = join(root, "problems/gset/G1.txt");
  problems.push({ name: "G1 (MaxCut)", file: g1, load: () => maxCutToQubo(readGset(g1)), graph: readGset(g1) });
  const fm = factorizedQubo(1000, 8, 3);
  const fmFile = join(dir, "fm1000.txt");
  writeFileSync(fmFile, fmText(fm));
  problems.push({ name: "factorized n=1000 k=8", file: fmFile, load: () => fm });

  console.log(`plain C (gcc -O3 -march=native, f64) vs fmanneal (wasm), ${SWEEPS} sweeps x ${READS} reads, seed ${SEED}, ${PAIRS} interleaved pairs each`);
  const rows = [];
  for (const p of problems) {
    const qubo = p.load();
    anneal(qubo, { sweeps: 100, reads: 2, seed: SEED }); // warm-up: instantiate, let V8 tier up
    const ratios = [];
    let c;
    let f;
    const cs = [];
    const fs = [];
    for (let i = 0; i < PAIRS; i++) {
      c = runC(exe, p.file);
      // factorized: fmanneal's default keeps the QUBO-form range for FM QUBOs (schedule.ts); give
      // it the C program's (neal's) range so both do the same work
      f = anneal(qubo, { sweeps: SWEEPS, reads: READS, seed: SEED, ...(qubo.kind === "factorized" ? { betaRange: [c.hot, c.cold] } : {}) });
      cs.push(c.anneal_s);
      fs.push(f.seconds);
      ratios.push(c.anneal_s / f.seconds);
    }
    const [hot, cold] = qubo.kind === "factorized" ? [c.hot, c.cold] : defaultBetaRange(qubo);
    const sign = p.graph ? -1 : 1; // report cuts for the graph
    rows.push({
      name: p.name,
      layout: c.layout,
      c: median(cs),
      f: median(fs),
      ratio: median(ratios),
      range: [Math.min(...ratios), Math.max(...ratios)],
      cBest: sign * c.energy,
      cMean: sign * mean(c.best),
      fBest: sign * f.energies[0],
      fMean: sign * mean(f.energies),
      betas: `C [${c.hot.toPrecision(3)}, ${c.cold.toPrecision(3)}] fm [${hot.toPrecision(3)}, ${cold.toPrecision(3)}]`,
    });
    const x = rows[rows.length - 1];
    console.log(`  ${x.name}: C ${x.c.toFixed(3)} s, fmanneal ${x.f.toFixed(3)} s, ratio ${x.ratio.toFixed(2)}`);
  }

  console.log("\nannealing time, C seconds / fmanneal seconds (> 1: fmanneal faster); energies (cuts for G1): best of the 10 reads, mean of the reads");
  console.log("| problem | C layout | C s | fmanneal s | ratio (median) | range | C best | fm best | C mean | fm mean | beta range |");
  console.log("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
  for (const x of rows) {
    console.log(
      `| ${x.name} | ${x.layout} | ${x.c.toFixed(3)} | ${x.f.toFixed(3)} | ${x.ratio.toFixed(2)} | ${x.range[0].toFixed(2)}-${x.range[1].toFixed(2)} | ` +
        `${fmt(x.cBest)} | ${fmt(x.fBest)} | ${fmt(x.cMean)} | ${fmt(x.fMean)} | ${x.betas} |`,
    );
  }

  // whole process on the dense n = 1000 qbsolv file
  const file = problems.find((p) => p.name === "dense n=1000").file;
  const bin = join(root, "dist/cli/bin.js");
  const wall = (cmd, args) => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 26 });
    const s = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    return { s, out: r.stdout.toString() };
  };
  const ratios = [];
  const cw = [];
  const fw = [];
  let cOut;
  let fOut;
  for (let i = 0; i < PAIRS; i++) {
    const c = wall(exe, [file, String(SWEEPS), String(READS), String(SEED), "auto", "1"]);
    const f = wall(process.execPath, [bin, "qubo", file, "--sweeps", String(SWEEPS), "--reads", String(READS), "--seed", String(SEED), "--json"]);
    cw.push(c.s);
    fw.push(f.s);
    ratios.push(c.s / f.s);
    cOut = JSON.parse(c.out);
    fOut = JSON.parse(f.out);
  }
  console.log(
    `\nwhole process, dense n=1000 qbsolv file (${SWEEPS} sweeps x ${READS} reads): C ${median(cw).toFixed(3)} s (reading ${cOut.read_s.toFixed(3)} s), ` +
      `fmanneal qubo ${median(fw).toFixed(3)} s; ratio ${median(ratios).toFixed(2)} (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); ` +
      `energies C ${fmt(cOut.energy)}, fmanneal ${fmt(fOut.energy)}`,
  );
  rmSync(dir, { recursive: true, force: true });

  // CLI start-up: `fmanneal --help` against bare node (and a baseline build, when given)
  const baseline = process.env.KVC_BASELINE_BIN;
  const starts = { node: [], help: [], baseline: [] };
  for (let i = 0; i < 11; i++) {
    starts.node.push(wall(process.execPath, ["-e", "0"]).s);
    starts.help.push(wall(process.execPath, [bin, "--help"]).s);
    if (baseline) starts.baseline.push(wall(process.execPath, [baseline, "--help"]).s);
  }
  console.log(
    `CLI start-up, median of 11 interleaved runs: bare node ${median(starts.node).toFixed(3)} s, fmanneal --help ${median(starts.help).toFixed(3)} s` +
      (baseline ? `, baseline ${baseline} --help ${median(starts.baseline).toFixed(3)} s` : ""),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await kernelVsCSuite();
