import type { Argv, CommandModule } from "yargs";
import type { LabelingName } from "../../labelings/labeling.js";
import { isLabelingName, labelingNames } from "../../labelings/registry.js";
import {
  DEFAULT_EXACT_LIMIT,
  DEFAULT_SAMPLES,
  landscapes,
  MAX_EXACT_LIMIT,
  type LandscapeResult,
} from "../../study/landscape.js";
import { randomInstance } from "../../tsp/generate.js";
import { HELD_KARP_MAX_N } from "../../tsp/heldKarp.js";
import type { TspInstance } from "../../tsp/instance.js";
import { knownOptimum } from "../../tsp/optima.js";
import { MAX_DIMENSION, readTsplib } from "../../tsp/tsplib.js";
import { UserError } from "../../util/errors.js";
import type { CliIo } from "../io.js";
import { jsonOption, numberFlag } from "../options.js";

interface LandscapeArgs {
  file?: string;
  cities?: number;
  seed: number;
  labelings: string;
  samples: number;
  "exact-limit": number;
  json: boolean;
}

/**
 * `fmanneal landscape <file.tsp | --cities N [--seed S]> [--labelings a,b] [--samples M]
 * [--exact-limit K] [--json]`: local-minimum fraction and trap probability of each labeling
 * (src/study/landscape.ts), exact when (N-1)! <= K (default 2^24, N <= 11), else Monte Carlo
 * with M samples and 95% Wilson intervals. `--seed` names the generated instance (rand{N}-s{S})
 * and seeds the Monte Carlo starting tours.
 *
 * JSON: `{ instance, cities, seed, labelings: [{ labeling, bits, valid, localMinFraction,
 * trapProbability, exact, interval, localMinInterval, samples, optimum }] }`; `interval` (of p)
 * and `localMinInterval` are null when exact; `trapProbability` is null when Monte Carlo has no
 * optimum (N > 20 and no known optimum for the file's instance name).
 */
export function landscapeCommand(io: CliIo): CommandModule<object, LandscapeArgs> {
  return {
    command: "landscape [file]",
    describe: "Local-minimum fraction and trap probability of each labeling's single-bit-flip landscape",
    builder: (y: Argv) =>
      y
        .positional("file", { type: "string", describe: "TSPLIB .tsp file (or give --cities)" })
        .option("cities", numberFlag("--cities", "Use a generated random instance of this many cities instead of a file", { integer: true }))
        .option("seed", numberFlag("--seed", "Seed of the generated instance and of the Monte Carlo samples (a non-negative integer)", { integer: true, min: 0 }, { default: 1 }))
        .option("labelings", { type: "string", default: labelingNames.join(","), describe: `Comma-separated labelings (${labelingNames.join(", ")})` })
        .option("samples", numberFlag("--samples", "Monte Carlo samples (when not exact)", { integer: true, min: 1 }, { default: DEFAULT_SAMPLES }))
        .option("exact-limit", numberFlag("--exact-limit", `Enumerate exactly when (N-1)! is at most this (0 forces Monte Carlo; at most ${MAX_EXACT_LIMIT})`, { integer: true, min: 0, max: MAX_EXACT_LIMIT }, { default: DEFAULT_EXACT_LIMIT }))
        .option("json", jsonOption) as unknown as Argv<LandscapeArgs>,
    handler: (args) => {
      const names = parseLabelings(args.labelings);
      const exactLimit = args["exact-limit"];
      const instance = loadInstance(args);
      // Held-Karp gives the optimum up to N = 20; above it, a shipped instance's known optimum.
      const optimum =
        instance.dimension > HELD_KARP_MAX_N && args.file !== undefined
          ? knownOptimum(instance.name, instance.dimension) ?? undefined
          : undefined;
      const started = performance.now();
      const rows = landscapes(instance, names, { samples: args.samples, seed: args.seed, exactLimit, optimum });
      const seconds = (performance.now() - started) / 1000;
      if (args.json) {
        io.out(
          JSON.stringify({
            instance: instance.name,
            cities: instance.dimension,
            seed: args.seed,
            labelings: rows.map((r) => ({
              labeling: r.labeling,
              bits: r.bits,
              valid: r.valid,
              localMinFraction: r.localMinFraction,
              trapProbability: r.trapProbability,
              exact: r.exact,
              interval: r.interval,
              localMinInterval: r.localMinInterval,
              samples: r.samples,
              optimum: r.optimum,
            })),
          }) + "\n",
        );
        return;
      }
      io.out(formatTable(instance, rows, seconds));
    },
  };
}

function parseLabelings(list: string): LabelingName[] {
  const names = String(list)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw new UserError(`--labelings is empty: expected some of ${labelingNames.join(", ")}`);
  for (const name of names) {
    if (!isLabelingName(name)) {
      throw new UserError(`--labelings: unknown labeling "${name}": expected one of ${labelingNames.join(", ")}`);
    }
  }
  return names as LabelingName[];
}

function loadInstance(args: LandscapeArgs): TspInstance {
  if (args.file !== undefined && args.cities !== undefined) {
    throw new UserError(`give either a .tsp file or --cities, not both`);
  }
  if (args.file === undefined && args.cities === undefined) {
    throw new UserError(`give a .tsp file or --cities N (with --seed S) for a random instance`);
  }
  if (args.file !== undefined) {
    const inst = readTsplib(args.file);
    if (inst.dimension < 3) throw new UserError(`${args.file}: landscape needs at least 3 cities, the file has ${inst.dimension}`);
    return inst;
  }
  const n = args.cities!;
  if (!Number.isInteger(n) || n < 3 || n > MAX_DIMENSION) {
    throw new UserError(`--cities must be an integer in 3..${MAX_DIMENSION} (landscape needs at least 3 cities), got ${String(n)}`);
  }
  return randomInstance(n, args.seed);
}

/**
 * A fraction for the table: 4 decimals, but 3 significant digits below 0.01, and just below 1
 * enough decimals to show 1 - x to 2-3 significant digits (so 1 - 2/9! is not printed as 1.0000).
 */
function fmt(x: number | null): string {
  if (x === null) return "-";
  if (x > 0 && x < 0.01) return x.toPrecision(3);
  if (x > 0.99 && x < 1) return x.toFixed(Math.min(12, Math.max(4, Math.ceil(-Math.log10(1 - x)) + 2)));
  return x.toFixed(4);
}

function withInterval(x: number | null, iv: [number, number] | null): string {
  return iv === null ? fmt(x) : `${fmt(x)} [${fmt(iv[0])}, ${fmt(iv[1])}]`;
}

function formatTable(instance: TspInstance, rows: LandscapeResult[], seconds: number): string {
  const exact = rows.every((r) => r.exact);
  const how = exact
    ? "exact enumeration"
    : `Monte Carlo, ${rows[0].samples} samples, 95% Wilson intervals`;
  const valid = rows[0].valid;
  const optimum = rows[0].optimum;
  const lines: string[] = [
    `${instance.name}: ${instance.dimension} cities, ${valid} valid codes per labeling, ${how}` +
      (optimum === null ? ", optimum unknown (trap probability not computed)" : `, optimum ${optimum}`),
  ];
  const table = [
    ["labeling", "bits", "local-min fraction", "trap probability p"],
    ...rows.map((r) => [r.labeling, String(r.bits), withInterval(r.localMinFraction, r.localMinInterval), withInterval(r.trapProbability, r.interval)]),
  ];
  const widths = table[0].map((_, k) => Math.max(...table.map((row) => row[k].length)));
  for (const row of table) {
    lines.push(row.map((cell, k) => (k === 1 ? cell.padStart(widths[k]) : cell.padEnd(widths[k]))).join("  ").trimEnd());
  }
  lines.push(`time ${seconds.toFixed(2)} s`);
  return lines.join("\n") + "\n";
}
