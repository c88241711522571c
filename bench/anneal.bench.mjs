// QUBO annealing throughput: flip attempts per second (the attempts the kernel executes, whatever
// the acceptance: reads x sweeps x n, less the frozen sweeps it skips — sweeps that would reject
// every flip without a draw, see native/anneal.c; the table shows the executed share) of the wasm kernel (anneal), the plain-TS reference (kernel: "ts", same results bit
// for bit) and a native gcc -O3 build of the same C (bench/native/anneal_bench.c, compiled into a
// temp dir; skipped without gcc), side by side, on:
//   dense n = 100, 1000, 2000 (upper-triangular N(0,1) couplings and linear terms),
//   sparse: MaxCut on Gset G1 (800 nodes, 19176 edges),
//   factorized n = 1000, k = 8 and 16 (v ~ N(0, 1/k)), and the same k = 8 FM densified, annealed
//   with the factorized row's schedule (so the factorized/dense ratio compares two layouts of ONE
//   problem doing the same work),
//   factorized n = 120, k = 8, 10 reads x 500 sweeps: the FMA hot path, per-call overheads included.
// All three run the same schedule (the problem's default beta range, geometric, one sweep per
// beta), computed once and passed in, with the same seed, so they do the same work; the native
// run's energies are checked against wasm's. The wasm and TS columns time whole anneal() calls
// (validation, conversion to the kernel layout, reads, results); native times the kernel only.
// Because the rows are measured one after the other on a shared machine, the two comparisons
// the targets are about are repeated from interleaved calls (a load change then hits both
// sides alike): factorized vs dense on the same FM (21 call pairs) and wasm vs native per row
// (9 pairs of one native run and one wasm call); medians and ranges of the per-pair ratios.
// A last table gives anneal()'s per-call overheads: a call with 0 sweeps (everything but the
// sweeps) and the default beta range (what a call without betaRange/schedule adds, measured as
// the difference of two medians).
// Then: V8 tier-up. A fresh process times its first anneal call as ONE kernel call (runs in the
// Liftoff baseline tier until V8 swaps in TurboFan code for the per-sweep functions) and chunked
// (the default), plus the steady state, and the baseline tier alone (--liftoff-only) for scale.
//
//   npm run bench -- anneal            (BENCH_MAX_TIME=seconds per measurement, default 2)
//   node bench/anneal.bench.mjs        (after npx tsc -p .)
import Benchmark from "benchmark";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { annealWith, anneal, ATTEMPTS_PER_CALL } from "../dist/anneal/anneal.js";
import { defaultBetaRange, geometricSchedule } from "../dist/anneal/schedule.js";
import { plainAlloc, prepareProblem } from "../dist/anneal/problem.js";
import { wasmKernel } from "../dist/anneal/wasm.js";
import { factorizedToDense } from "../dist/qubo/convert.js";
import { maxCutToQubo, readGset } from "../dist/qubo/gset.js";
import { Random } from "../dist/util/random.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 2);

function denseQubo(n, seed) {
  const r = new Random(seed);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) matrix[i * n + j] = r.normal();
  return { kind: "dense", n, offset: 0, matrix, triangular: true };
}

function factorizedQubo(n, k, seed) {
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

/** name, qubo, sweeps and reads per call (calls of roughly 10-300 ms in wasm, long enough that
    the per-call conversion of a dense matrix is a few percent, as in real use). */
export function annealProblems() {
  const fm8 = factorizedQubo(1000, 8, 3);
  return [
    { name: "dense n=100", qubo: denseQubo(100, 1), sweeps: 2000, reads: 2 },
    { name: "dense n=1000", qubo: denseQubo(1000, 2), sweeps: 1000, reads: 1 },
    { name: "dense n=2000", qubo: denseQubo(2000, 4), sweeps: 250, reads: 1 },
    { name: "sparse G1 (MaxCut)", qubo: maxCutToQubo(readGset(join(root, "problems/gset/G1.txt"))), sweeps: 1000, reads: 2 },
    { name: "factorized n=1000 k=8", qubo: fm8, sweeps: 1000, reads: 2 },
    { name: "factorized n=1000 k=16", qubo: factorizedQubo(1000, 16, 5), sweeps: 1000, reads: 2 },
    // the same problem and the same schedule as the factorized k=8 row, in the dense layout
    { name: "dense = FM n=1000 k=8", qubo: factorizedToDense(fm8), sweeps: 1000, reads: 2, betaRange: defaultBetaRange(fm8) },
    { name: "factorized n=120 k=8 (FMA call)", qubo: factorizedQubo(120, 8, 6), sweeps: 500, reads: 10 },
  ];
}

/** Median milliseconds of fn over 9 calls (after 3 warm-up calls). */
function medianMs(fn) {
  for (let i = 0; i < 3; i++) fn();
  const ts = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds per call of fn, measured by benchmark.js: median and best (minimum) of the runs. */
function measure(name, fn, time) {
  const b = new Benchmark(name, fn, { maxTime: time, minSamples: 5 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return { seconds: median(b.stats.sample), best: Math.min(...b.stats.sample), rme: b.stats.rme, runs: b.stats.sample.length };
}

/** Build the native harness; null when gcc is missing or fails. */
function buildNative(dir) {
  const exe = join(dir, "anneal_bench");
  try {
    execFileSync("gcc", ["-O3", "-ffp-contract=off", "-o", exe, join(root, "native/anneal.c"), join(root, "bench/native/anneal_bench.c")], { stdio: "pipe" });
    return exe;
  } catch (err) {
    console.log(`(native: gcc unavailable or failed: ${String(err.message).split("\n")[0]})`);
    return null;
  }
}

/** Write the problem in the harness format, run it `repeats` times; median seconds and best energies. */
function runNative(exe, dir, p, seed, repeats) {
  const q = p.qubo;
  const k = prepareProblem(q, plainAlloc);
  const betas = p.schedule;
  const header = Int32Array.from([k.form, k.n, k.k ?? 0, k.col ? k.col.length : 0, betas.length, 1, p.sweeps, p.reads, seed, 0]);
  const parts = [header, k.lin];
  if (k.form === 0) parts.push(k.J);
  else if (k.form === 1) parts.push(k.rowPtr, k.col, k.val);
  else parts.push(k.V);
  parts.push(betas);
  const file = join(dir, "problem.bin");
  writeFileSync(file, Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  const out = JSON.parse(execFileSync(exe, [file, String(repeats)]).toString());
  return { seconds: median(out.seconds), fastest: Math.min(...out.seconds), best: out.best, executed: out.executed, file };
}

/**
 * wasm/native once more, from interleaved runs: one native kernel run (a fresh process, kernel
 * time only), then one wasm anneal() call (whole call), `pairs` times, so a change of load hits
 * both alike; returns the median and range of native seconds / wasm seconds.
 */
function pairedNative(exe, file, qubo, opts, pairs) {
  const ratios = [];
  for (let i = 0; i < pairs; i++) {
    const native = JSON.parse(execFileSync(exe, [file, "1"]).toString()).seconds[0];
    const t = performance.now();
    anneal(qubo, opts);
    ratios.push(native / ((performance.now() - t) / 1000));
  }
  ratios.sort((a, b) => a - b);
  return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
}

export async function annealSuite() {
  const seed = 1;
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-bench-"));
  const exe = buildNative(dir);
  const rows = [];
  wasmKernel();
  for (const p of annealProblems()) {
    const nominal = p.reads * p.sweeps * p.qubo.n;
    p.schedule = geometricSchedule(...(p.betaRange ?? defaultBetaRange(p.qubo)), p.sweeps);
    const opts = { sweeps: p.sweeps, reads: p.reads, seed, schedule: p.schedule };
    // warm-up (instantiate, let V8 tier up); wasm and TS execute the same attempts (bit-identical runs)
    const attempts = anneal(p.qubo, opts).attempts;
    const wasm = measure(`${p.name} wasm`, () => anneal(p.qubo, opts), maxTime);
    const ts = measure(`${p.name} ts`, () => anneal(p.qubo, { ...opts, kernel: "ts" }), maxTime);
    let native = null;
    let same = "-";
    if (exe) {
      native = runNative(exe, dir, p, seed, 15);
      if (native.executed !== attempts) throw new Error(`${p.name}: native executed ${native.executed} attempts, wasm ${attempts}`);
      native.paired = pairedNative(exe, native.file, p.qubo, opts, 9);
      const mine = anneal(p.qubo, opts).energies;
      same = JSON.stringify([...native.best].sort((a, b) => a - b)) === JSON.stringify(mine) ? "yes" : "NO";
    }
    const zeroSweeps = medianMs(() => anneal(p.qubo, { sweeps: 0, reads: p.reads, seed }));
    // what a call without betaRange/schedule adds: the same 1-sweep call with and without a range
    const range = Math.max(0, medianMs(() => anneal(p.qubo, { sweeps: 1, reads: 1, seed })) - medianMs(() => anneal(p.qubo, { sweeps: 1, reads: 1, seed, betaRange: [1, 2] })));
    const row = {
      problem: p.name,
      overhead: { zeroSweeps, range },
      attempts,
      executed: attempts / nominal,
      median: { wasm: attempts / wasm.seconds, ts: attempts / ts.seconds, native: native ? attempts / native.seconds : null },
      best: { wasm: attempts / wasm.best, ts: attempts / ts.best, native: native ? attempts / native.fastest : null },
      wasmMs: wasm.seconds * 1e3,
      same,
      paired: native ? native.paired : null,
    };
    rows.push(row);
    console.log(
      `${p.name}: median wasm ${(row.median.wasm / 1e6).toFixed(1)}e6/s (±${wasm.rme.toFixed(1)}%, ${wasm.runs} runs), ` +
        `ts ${(row.median.ts / 1e6).toFixed(1)}e6/s (${ts.runs} runs), native ${native ? (row.median.native / 1e6).toFixed(1) + "e6/s (15 runs)" : "-"}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });

  const f = (x) => (x === null ? "-" : (x / 1e6).toFixed(1));
  const r = (a, b) => (a === null || b === null ? "-" : (a / b).toFixed(2));
  for (const stat of ["best", "median"]) {
    console.log(
      `\nflip attempts per second (1e6/s), ${stat === "best" ? "fastest call of each (least disturbed by other load)" : "median call"}; ` +
        "same schedule, seed and result for all three:",
    );
    const head = ["problem", "attempts/call", "executed", "ms/call wasm", "wasm", "TS", "native gcc", "wasm/native", "wasm/TS", "native==wasm"];
    const table = rows.map((x) => {
      const v = x[stat];
      return [x.problem, String(x.attempts), `${(100 * x.executed).toFixed(0)}%`, x.wasmMs.toFixed(1), f(v.wasm), f(v.ts), f(v.native), r(v.wasm, v.native), r(v.wasm, v.ts), x.same];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cells) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
    console.log(line(head));
    console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 1) + "-" : "-".repeat(w + 1) + ":")).join("|") + "|");
    for (const t of table) console.log(line(t));
    const fm = rows.find((x) => x.problem === "factorized n=1000 k=8")[stat];
    const dn = rows.find((x) => x.problem === "dense = FM n=1000 k=8")[stat];
    const fmRow = rows.find((x) => x.problem === "factorized n=1000 k=8");
    const dnRow = rows.find((x) => x.problem === "dense = FM n=1000 k=8");
    console.log(
      `factorized / dense kernel on the same FM (n=1000, k=8, same schedule): ${r(fm.wasm, dn.wasm)}x executed attempts/s, ` +
        `${r(fm.wasm / fmRow.attempts, dn.wasm / dnRow.attempts)}x anneals/s`,
    );
  }

  pairedRatio(annealProblems(), seed);
  if (exe) {
    console.log("\nwasm/native from 9 interleaved runs (native kernel time / wasm whole-call time; median [range]):");
    for (const x of rows) console.log(`  ${x.problem.padEnd(32)} ${x.paired.median.toFixed(2)} [${x.paired.min.toFixed(2)}-${x.paired.max.toFixed(2)}]`);
  }

  console.log("\nanneal() per-call overheads (median ms), next to the median call above:");
  console.log("| problem                         | call (ms) | 0-sweep call (ms) | default beta range (ms) |");
  console.log("|---------------------------------|----------:|------------------:|------------------------:|");
  for (const x of rows) {
    console.log(`| ${x.problem.padEnd(31)} | ${x.wasmMs.toFixed(1).padStart(9)} | ${x.overhead.zeroSweeps.toFixed(3).padStart(17)} | ${x.overhead.range.toFixed(3).padStart(23)} |`);
  }

  await tierUp();
}

/**
 * The factorized/dense ratio once more, from interleaved calls: the two layouts of the same FM
 * alternate, call by call, so a change of load on the shared machine hits both alike; each pair
 * gives one ratio (dense ms / factorized ms), and the median and quartiles of those are printed.
 */
export function pairedRatio(problems, seed) {
  const fm = problems.find((x) => x.name === "factorized n=1000 k=8");
  const dn = problems.find((x) => x.name === "dense = FM n=1000 k=8");
  const schedule = geometricSchedule(...defaultBetaRange(fm.qubo), fm.sweeps);
  const opts = { sweeps: fm.sweeps, reads: fm.reads, seed, schedule };
  anneal(fm.qubo, opts);
  anneal(dn.qubo, opts);
  const ratios = [];
  for (let i = 0; i < 21; i++) {
    let t = performance.now();
    anneal(fm.qubo, opts);
    const tf = performance.now() - t;
    t = performance.now();
    anneal(dn.qubo, opts);
    ratios.push((performance.now() - t) / tf);
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `factorized / dense on the same FM, 21 interleaved call pairs: median ${ratios[10].toFixed(2)}x ` +
      `(quartiles ${ratios[5].toFixed(2)}-${ratios[15].toFixed(2)}, range ${ratios[0].toFixed(2)}-${ratios[20].toFixed(2)})`,
  );
}

/** Fresh-process measurements of V8's tiers (see the file comment). */
async function tierUp() {
  console.log(`\nV8 tier-up, fresh process per line, G1 MaxCut, 2 reads x 1000 sweeps (1.6e6 attempts), chunks of ${ATTEMPTS_PER_CALL} attempts:`);
  const self = fileURLToPath(import.meta.url);
  const runs = [
    ["one kernel call per anneal()", [], "single"],
    ["chunked (default)", [], "chunked"],
    ["Liftoff only (--liftoff-only)", ["--liftoff-only"], "chunked"],
  ];
  for (const [label, flags, mode] of runs) {
    try {
      const out = JSON.parse(execFileSync(process.execPath, [...flags, self, "--tierup", mode]).toString());
      console.log(`  ${label.padEnd(32)} first call ${(out.first / 1e6).toFixed(1).padStart(5)}e6/s, steady state ${(out.steady / 1e6).toFixed(1).padStart(5)}e6/s`);
    } catch (err) {
      console.log(`  ${label}: failed (${String(err.message).split("\n")[0]})`);
    }
  }
}

function tierUpChild(mode) {
  const q = maxCutToQubo(readGset(join(root, "problems/gset/G1.txt")));
  const opts = { sweeps: 1000, reads: 2, seed: 1 };
  const chunk = mode === "single" ? Infinity : ATTEMPTS_PER_CALL;
  wasmKernel(); // compile + instantiate outside the timing
  const { seconds: first, attempts } = annealWith(q, opts, chunk);
  const later = [];
  for (let i = 0; i < 7; i++) later.push(annealWith(q, opts, chunk).seconds);
  console.log(JSON.stringify({ first: attempts / first, steady: attempts / median(later) }));
}

if (process.argv[2] === "--tierup") {
  tierUpChild(process.argv[3]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await annealSuite();
}
