// Benchmark runner: a tiny registry of the suites in bench/.
//
//   npm run bench                  every suite
//   npm run bench -- anneal fm     only suite files whose name contains "anneal" or "fm"
//   npm run bench -- --list        list the suites
//
// Contract for a suite: a file bench/<name>.bench.mjs that exports one or more functions whose
// names end in "Suite". Each is called without arguments and returns either a Benchmark.Suite
// (run here synchronously with maxTime BENCH_MAX_TIME seconds, default 2, and minSamples 5; the
// suite prints its own results from its "cycle" handler) or a Promise (awaited; the suite runs
// and prints itself). Suites import the compiled library from dist/, so this runner first runs
// `tsc -p .` (set BENCH_NO_BUILD=1 to skip; type errors elsewhere are reported, not fatal).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .sort();
const suiteName = (f) => f.slice(0, -".bench.mjs".length);

if (args.includes("--list")) {
  for (const f of files) console.log(suiteName(f));
  process.exit(0);
}
const filters = args.filter((a) => !a.startsWith("--"));
const selected = files.filter((f) => filters.length === 0 || filters.some((q) => suiteName(f).includes(q)));
if (selected.length === 0) {
  console.error(`bench: no suite matches ${filters.join(", ")}; suites: ${files.map(suiteName).join(", ")}`);
  process.exit(2);
}

if (!process.env.BENCH_NO_BUILD) {
  try {
    execFileSync(process.execPath, [join(here, "..", "node_modules", "typescript", "bin", "tsc"), "-p", join(here, "..")], { stdio: "pipe" });
  } catch (err) {
    console.error(`bench: tsc reported errors (dist/ was still emitted):\n${String(err.stdout ?? "").split("\n").slice(0, 10).join("\n")}`);
  }
}

const maxTime = Number(process.env.BENCH_MAX_TIME ?? 2);
console.log(`node ${process.version}, ${process.arch}; suites: ${selected.map(suiteName).join(", ")}`);
for (const f of selected) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  for (const [name, factory] of Object.entries(mod)) {
    if (!name.endsWith("Suite") || typeof factory !== "function") continue;
    console.log(`\n== ${suiteName(f)}: ${name} ==`);
    const result = factory();
    if (result && typeof result.then === "function") {
      await result;
    } else if (result && typeof result.run === "function") {
      result.run({ async: false, maxTime, minSamples: 5 });
    }
  }
}
