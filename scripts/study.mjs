#!/usr/bin/env node
// The labeling study (`npm run study`): FMA with the natural against the Gray labeling, plus
// every baseline solveTsp offers (random, sa-2opt, penalty-qubo, edge — whatever methodNames
// lists besides fma), on the random instances of problems/random: N = 5..15, rand{N}-s1..s5,
// run seeds 1..10 per (instance, method), a fixed evaluation budget per trial. It runs
// `fmanneal compare`'s orchestration (dist/study/compare.js) and writes
//
//   docs/study/            trials.csv, summary.json, report.md and the SVG plots (writeReport)
//   docs/labeling-study.md an introduction (setting, budget, wall time, machine), findings
//                          generated from summary.json, then report.md with links into study/
//
//   npm run study                           # the full study (build first: npm run study builds)
//   npm run study -- --pilot                # a small pilot that projects the full study's wall time
//   node scripts/study.mjs --evaluations 300 --workers 4 --docs /tmp/docs
//
// Options: --evaluations E (budget per trial, default BUDGET below), --workers W (default 2),
// --cities a..b, --instances K, --seeds S (defaults: the paper's setting), --docs DIR (default
// docs/), --pilot [--pilot-seeds S]. Exit status 2 when a trial failed (the report of the others is written).
import { spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { baselineNames, compareInstances, LANDSCAPE_MAX_CITIES, parseCities, runCompare, trialMethods } from "../dist/study/compare.js";
import { holm } from "../dist/study/stats.js";
import { writeReport } from "../dist/study/report.js";
import { runLandscape } from "../dist/study/trial.js";

/**
 * Evaluations per trial: 200, the budget of the committed study (docs/labeling-study.md), which
 * takes about 2.5 min on 2 workers. (The first pilot, before the sa-2opt baseline stopped
 * counting free moves as cooling steps, projected 56 min for 200 and led to 100.) Rerun the
 * pilot (`--pilot`) before raising the budget.
 */
const BUDGET = 200;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opt } = parseArgs({
  options: {
    evaluations: { type: "string", default: String(BUDGET) },
    workers: { type: "string", default: "2" },
    cities: { type: "string", default: "5..15" },
    instances: { type: "string", default: "5" },
    seeds: { type: "string", default: "10" },
    docs: { type: "string", default: join(root, "docs") },
    pilot: { type: "boolean", default: false },
    "pilot-seeds": { type: "string", default: "2" },
  },
});
const int = (name) => {
  const v = Number(opt[name]);
  if (!Number.isSafeInteger(v) || v < 1) {
    console.error(`study: --${name} must be a positive integer, got ${opt[name]}`);
    process.exit(2);
  }
  return v;
};
const budget = int("evaluations");
const workers = int("workers");
const fullCities = parseCities(opt.cities);
const fullInstances = int("instances");
const fullSeeds = int("seeds");
const methods = trialMethods("natural,gray", baselineNames().join(","));
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${process.platform}`;

/** Progress lines on stderr (also in logs): every 5% and at most every 30 s otherwise. */
function progressLogger(total) {
  const t0 = performance.now();
  let lastPct = -1;
  let lastAt = 0;
  return (p) => {
    const pct = Math.floor((100 * p.trialsDone) / total);
    const now = performance.now();
    if (p.trialsDone < total && Math.floor(pct / 5) === Math.floor(lastPct / 5) && now - lastAt < 30_000) return;
    lastPct = pct;
    lastAt = now;
    const elapsed = (now - t0) / 1000;
    const eta = p.trialsDone > 0 ? (elapsed * (total - p.trialsDone)) / p.trialsDone : NaN;
    console.error(
      `[study] ${p.trialsDone}/${total} trials (${pct}%), landscapes ${p.landscapesDone}/${p.landscapesTotal}, failed ${p.failed}, ` +
        `${elapsed.toFixed(0)} s elapsed` + (Number.isFinite(eta) ? `, ~${eta.toFixed(0)} s left` : ""),
    );
  };
}

async function study() {
  const started = performance.now();
  const instances = compareInstances({ cities: fullCities, instances: fullInstances });
  const total = instances.length * methods.length * fullSeeds;
  console.error(`[study] ${total} trials: ${instances.length} instances × ${methods.length} methods (${methods.join(", ")}) × ${fullSeeds} seeds, ${budget} evaluations each, ${workers} workers`);
  const result = await runCompare({ instances, methods, seeds: fullSeeds, evaluations: budget, workers, onProgress: progressLogger(total) });
  const command =
    `node scripts/study.mjs --cities ${opt.cities} --instances ${fullInstances} --seeds ${fullSeeds} --evaluations ${budget} --workers ${workers}` +
    ` (= fmanneal compare --cities ${opt.cities} --instances ${fullInstances} --labelings natural,gray --methods ${baselineNames().join(",")} --seeds ${fullSeeds} --evaluations ${budget})`;
  const meta = {
    command,
    budget,
    seeds: fullSeeds,
    wallSeconds: Math.round(result.wallSeconds * 10) / 10,
    workers: result.workers,
    instances: `${instances.length}: rand{N}-s1..s${fullInstances} for N = ${fullCities.join(", ")} (problems/random)`,
    landscapes: `exact, for N <= ${LANDSCAPE_MAX_CITIES}`,
    machine,
    ...(result.failures.length > 0 ? { failed: result.failures.map(describeFailure).join("; ") } : {}),
  };
  const studyDir = join(opt.docs, "study");
  const report = await writeReport(studyDir, result.trials, result.landscapes, meta);
  const wall = (performance.now() - started) / 1000;
  const reportMd = readFileSync(join(studyDir, "report.md"), "utf8");
  const rel = relative(opt.docs, studyDir).split("\\").join("/");
  const doc = [
    "# Labeling study: Gray against natural labeling in FMA",
    "",
    introduction(instances.length, result, wall),
    "",
    "## Findings",
    "",
    "_Generated from study/summary.json by scripts/study.mjs: each statement is a count, a median or a test result of this run._",
    "",
    findings(report.summary),
    "",
    "---",
    "",
    // The report's own title becomes a section; its links point into the study folder.
    reportMd
      .replace(/^# .*\n/, "## Full report\n")
      .replace(/^(#{2,5}) /gm, (m, h, offset) => (offset === 0 ? m : `#${h} `))
      .replace(/\]\(([\w.-]+\.svg)\)/g, `](${rel}/$1)`),
  ].join("\n");
  mkdirSync(opt.docs, { recursive: true });
  writeFileSync(join(opt.docs, "labeling-study.md"), doc);
  console.error(`[study] wrote ${join(opt.docs, "labeling-study.md")} and ${report.files.map((f) => relative(root, f)).join(", ")} in ${wall.toFixed(0)} s`);
  for (const f of result.failures) console.error(`[study] failed: ${describeFailure(f)}`);
  if (result.failures.length > 0) process.exitCode = 2;
}

/** The code the study ran: commit, and whether src/ had uncommitted changes. */
function revision() {
  const git = (...a) => spawnSync("git", a, { cwd: root, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return "an unknown revision (not a git checkout)";
  const dirty = git("status", "--porcelain", "--", "src", "native").stdout.trim() !== "";
  return `commit ${head.stdout.trim()}` + (dirty ? " plus uncommitted changes in src/ or native/" : "");
}

function describeFailure(f) {
  return f.kind === "trial" ? `${f.instance} ${f.method} seed ${f.seed}: ${f.message}` : `landscape of ${f.instance} (${f.method}): ${f.message}`;
}

function introduction(instanceCount, result, wall) {
  const minutes = (s) => `${s.toFixed(0)} s (${(s / 60).toFixed(1)} min)`;
  return [
    "This study reruns the setting of Koshikawa, Hosaka and Yoshida, \"Efficient Bit Labeling in Factorization Machines with Annealing for Traveling Salesman Problem\" (2024) with fmanneal:",
    "does FMA find shorter tours with the Gray labeling (inversion vector, each digit in reflected Gray code) than with the natural labeling (lexicographic rank in binary), and from which N?",
    "",
    `- **Instances**: the ${instanceCount} random EUC_2D instances rand{N}-s1..s${fullInstances} (${fullInstances} per N) of problems/random for N = ${fullCities[0]}..${fullCities[fullCities.length - 1]} (integer coordinates in [0, 1000), optima by Held-Karp).`,
    `- **Methods**: ${methods.map((m) => `\`${m}\``).join(", ")}. Every method runs with solveTsp's default settings (each method's defaults in src/methods/, listed by src/methods/registry.ts) at ${revision()}.`,
    `- **Runs**: run seeds 1..${fullSeeds} for every (instance, method); the same seed for every method on an instance, so the tests are paired by (instance, seed).`,
    `- **Budget**: ${budget} evaluated tours (invalid codes included) per run, ${result.planned} runs.`,
    `- **Wall time**: ${minutes(wall)} in total, ${minutes(result.wallSeconds)} for the runs, on ${result.workers} worker threads.`,
    `- **Machine**: ${machine}; load average ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (1 / 5 / 15 min) when the study ended. Times depend on the machine and on what else ran on it; the results do not.`,
    `- **Reproduce**: \`npm run study\` (writes this file and ${"`docs/study/`"}); every run is deterministic, only the times change.`,
  ].join("\n");
}

const pct = (g) => (g === null || g === undefined || !Number.isFinite(g) ? "—" : `${(g * 100).toFixed(2)}%`);
const pp = (d) => (d === null || d === undefined ? "—" : `${d > 0 ? "+" : ""}${(d * 100).toFixed(2)} pp`);
const pv = (p) => (p === null || p === undefined ? "—" : p >= 0.001 ? p.toFixed(3) : p.toExponential(1));
const list = (ns) => (ns.length === 0 ? "none" : ns.join(", "));
const atN = (ns) => (ns.length === 0 ? "at no N" : `at N = ${ns.join(", ")}`);

/**
 * Findings written from the numbers only: every sentence states a count, a median or a test
 * result from the summary, at the 5% level with Holm's adjustment across N where several N are
 * tested; nothing is claimed that the summary does not show.
 */
function findings(summary) {
  const out = [];
  const perN = summary.grayVsNatural.filter((c) => c.cities !== null);
  const pooled = summary.grayVsNatural.find((c) => c.cities === null);
  if (perN.length === 0) return "No N has runs of both fma:gray and fma:natural: nothing to compare.";
  const lowerHolm = holm(perN.map((c) => c.lower?.pValue ?? null));
  const grayWinsN = perN.filter((c, i) => lowerHolm[i] !== null && lowerHolm[i] < 0.05).map((c) => c.cities);
  const twoHolm = holm(perN.map((c) => c.twoSided?.pValue ?? null));
  const grayLosesN = perN.filter((c, i) => twoHolm[i] !== null && twoHolm[i] < 0.05 && c.medianDifference !== null && c.worse > c.better).map((c) => c.cities);
  const ns = perN.map((c) => c.cities);
  // From which N on does gray win at every larger N tested?
  let from = null;
  for (let i = ns.length - 1; i >= 0 && grayWinsN.includes(ns[i]); i--) from = ns[i];

  if (pooled && pooled.pairs > 0) {
    out.push(
      `**Gray vs natural, all N pooled.** Over ${pooled.pairs} paired runs, fma:gray ended with a lower final gap than fma:natural in ${pooled.better}, a higher one in ${pooled.worse}, ` +
        `and the same in ${pooled.tied}; the median paired difference is ${pp(pooled.medianDifference)} (two-sided Wilcoxon p = ${pv(pooled.twoSided?.pValue)}, one-sided "gray lower" p = ${pv(pooled.lower?.pValue)}).`,
    );
  }
  out.push(
    `**Per N** (paired Wilcoxon on the final gaps, Holm-adjusted over the ${perN.length} N, 5% level): gray is significantly better (one-sided, H1: gray lower) ${atN(grayWinsN)}, ` +
      `significantly worse (two-sided, gray worse in more pairs) ${atN(grayLosesN)}, and not significantly different at the other N. ` +
      (from !== null
        ? `Gray's advantage holds at every N from ${from} to ${ns[ns.length - 1]}.`
        : grayWinsN.length > 0
          ? "The significant N do not form a run up to the largest N, so no threshold N is claimed."
          : "So these runs show no N from which Gray wins."),
  );
  const rows = perN.map((c, i) => `| ${c.cities} | ${c.pairs} | ${c.better} / ${c.worse} / ${c.tied} | ${pp(c.medianDifference)} | ${pv(c.lower?.pValue)} | ${pv(lowerHolm[i])} |`);
  out.push(["| N | pairs | gray better / worse / tied | median Δgap (gray − natural) | p (gray lower) | Holm |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n"));

  const med = (n, m) => summary.byMethod.find((x) => x.cities === n && x.method === m);
  const gapRows = ns.map((n) => {
    const g = med(n, "fma:gray");
    const nat = med(n, "fma:natural");
    return `N = ${n}: ${pct(g?.finalGap.median)} vs ${pct(nat?.finalGap.median)}`;
  });
  out.push(`**Median final gap, gray vs natural**: ${gapRows.join("; ")}.`);
  const succ = (m) => {
    let s = 0;
    let t = 0;
    for (const x of summary.byMethod) if (x.method === m && x.success) { s += x.success.successes; t += x.success.trials; }
    return t === 0 ? "—" : `${s}/${t} (${((100 * s) / t).toFixed(0)}%)`;
  };
  out.push(`**Optimum reached within the budget** (all N): ${summary.methods.map((m) => `${m} ${succ(m)}`).join(", ")}.`);

  const land = (n, l) => summary.landscapes.find((x) => x.cities === n && x.labeling === l);
  const landNs = [...new Set(summary.landscapes.map((x) => x.cities))].sort((a, b) => a - b);
  if (landNs.length > 0) {
    const lower = landNs.filter((n) => {
      const g = land(n, "gray");
      const nat = land(n, "natural");
      return g && nat && g.trapProbability !== null && nat.trapProbability !== null && g.trapProbability < nat.trapProbability;
    });
    const trapText = landNs.map((n) => `N = ${n}: ${land(n, "gray")?.trapProbability?.toFixed(3) ?? "—"} vs ${land(n, "natural")?.trapProbability?.toFixed(3) ?? "—"}`).join("; ");
    out.push(
      `**Landscapes** (exact, mean over the instances): the trap probability of Gray is lower than natural's at ${lower.length} of ${landNs.length} N (${list(lower)}); gray vs natural: ${trapText}.`,
    );
  }

  const others = summary.versusGray.filter((c) => c.cities !== null);
  if (others.length > 0) {
    const methodsVs = [...new Set(others.map((c) => c.method))];
    const parts = methodsVs.map((m) => {
      const rowsM = others.filter((c) => c.method === m);
      const better = rowsM.filter((c) => c.pHolm !== null && c.pHolm < 0.05 && c.better > c.worse).map((c) => c.cities);
      const worse = rowsM.filter((c) => c.pHolm !== null && c.pHolm < 0.05 && c.worse > c.better).map((c) => c.cities);
      return better.length === 0 && worse.length === 0
        ? `${m} does not differ significantly from fma:gray at any N`
        : `${m} is significantly better than fma:gray ${atN(better)} and significantly worse ${atN(worse)}`;
    });
    out.push(`**Other methods vs fma:gray** (paired two-sided Wilcoxon, Holm within each N, 5% level): ${parts.join("; ")}.`);
  }
  return out.join("\n\n");
}

/**
 * Pilot: every N of the study, one instance (rand{N}-s1), `--pilot-seeds` seeds (default 2), at
 * the study's budget. Trial times are not monotone in N (sa-2opt is slowest at N = 7..9, where
 * it soon runs out of unseen 2-opt neighbours), so every N is measured rather than
 * interpolated. The mean trial time per (N, method) times the study's runs per (N, method),
 * plus the exact landscapes timed in this thread, divided by the workers, is the projected
 * wall time of the full study.
 */
async function pilot() {
  const seeds = int("pilot-seeds");
  const instances = compareInstances({ cities: fullCities, instances: 1 });
  const total = instances.length * methods.length * seeds;
  console.error(`[pilot] N = ${opt.cities}, 1 instance, ${seeds} seeds, ${budget} evaluations, ${methods.length} methods, ${workers} workers: ${total} trials`);
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-pilot-"));
  const r = await runCompare({ instances, methods, seeds, evaluations: budget, workers, landscape: false, onProgress: progressLogger(total) });
  await writeReport(dir, r.trials, [], { command: "study pilot", budget, seeds, wallSeconds: r.wallSeconds, workers });
  const mean = (m, n) => {
    const ts = r.trials.filter((t) => t.method === m && t.cities === n).map((t) => t.seconds);
    return ts.reduce((a, b) => a + b, 0) / Math.max(1, ts.length);
  };
  const runsPer = fullInstances * fullSeeds;
  console.log(`pilot: ${r.trials.length} trials in ${r.wallSeconds.toFixed(1)} s on ${workers} workers (${r.failures.length} failed); report in ${dir}`);
  console.log(`mean seconds per trial at ${budget} evaluations:`);
  console.log(["N", ...methods].map((s) => s.padStart(14)).join(""));
  for (const n of fullCities) console.log([String(n), ...methods.map((m) => mean(m, n).toFixed(3))].map((s) => s.padStart(14)).join(""));
  let cpuSeconds = 0;
  const byMethod = {};
  for (const m of methods) {
    byMethod[m] = 0;
    for (const n of fullCities) byMethod[m] += mean(m, n) * runsPer;
    cpuSeconds += byMethod[m];
  }
  // Landscapes: exact, one task per instance with N <= 11, both labelings.
  let landscapeSeconds = 0;
  for (const inst of instances.filter((i) => i.dimension <= LANDSCAPE_MAX_CITIES)) {
    const t = performance.now();
    runLandscape({ instance: inst, labelings: ["natural", "gray"] });
    landscapeSeconds += ((performance.now() - t) / 1000) * fullInstances;
  }
  const projected = (cpuSeconds + landscapeSeconds) / workers;
  console.log(`projected full study (N = ${opt.cities}, ${fullInstances} instances × ${fullSeeds} seeds, ${budget} evaluations):`);
  for (const m of methods) console.log(`  ${m.padEnd(14)} ${byMethod[m].toFixed(0)} s of trial time`);
  console.log(`  landscapes     ${landscapeSeconds.toFixed(0)} s`);
  console.log(`  (load average now ${loadavg().map((x) => x.toFixed(1)).join(" / ")} on ${cpu.length} cores: trial times include waiting for a core)`);
  console.log(`  total ${(cpuSeconds + landscapeSeconds).toFixed(0)} s / ${workers} workers ≈ ${projected.toFixed(0)} s (${(projected / 60).toFixed(1)} min) if the workers stay busy`);
}

// Last, so every helper above is initialised before it runs.
if (opt.pilot) await pilot();
else await study();
