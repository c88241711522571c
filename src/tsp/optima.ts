import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Known optima of the shipped instances, from the `optima.tsv` tables in problems/:
 * problems/tsplib/optima.tsv (published TSPLIB optima, TSP and ATSP instances) and problems/random/optima.tsv (the
 * study's random instances, solved exactly by Held-Karp; see scripts/make-random-problems.mjs).
 * Columns: name, dimension, edge_weight_type, edge_weight_format, optimum, opt_tour
 * ("-" for none). The tables are found relative to this module: `../../problems` is the package
 * root's problems/ both from src/tsp/ (vitest) and from dist/tsp/ (the built package).
 */

/** One row of an optima table. */
export interface OptimumEntry {
  name: string;
  dimension: number;
  edgeWeightType: string;
  edgeWeightFormat: string | null;
  optimum: number;
  /** Absolute path of the optimal tour file, or null. */
  optTourPath: string | null;
  /** Absolute path of the instance file beside the table: `<name>.tsp`, or `<name>.atsp` for an ATSP instance. */
  problemPath: string;
}

/** The problems/ folder shipped with the package. */
export const PROBLEMS_DIR = fileURLToPath(new URL("../../problems/", import.meta.url));

const TABLES = ["tsplib/optima.tsv", "random/optima.tsv"];

let cache: Map<string, OptimumEntry> | null = null;

function load(): Map<string, OptimumEntry> {
  if (cache) return cache;
  const table = new Map<string, OptimumEntry>();
  for (const rel of TABLES) {
    const path = join(PROBLEMS_DIR, rel);
    if (!existsSync(path)) continue;
    const dir = dirname(path);
    const rows = readFileSync(path, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
    const header = rows.shift()?.split("\t") ?? [];
    const col = (c: string) => {
      const k = header.indexOf(c);
      if (k < 0) throw new Error(`${path}: missing column ${c}`);
      return k;
    };
    const [cName, cDim, cType, cFormat, cOpt, cTour] = [
      "name",
      "dimension",
      "edge_weight_type",
      "edge_weight_format",
      "optimum",
      "opt_tour",
    ].map(col);
    for (const row of rows) {
      const f = row.split("\t");
      table.set(f[cName], {
        name: f[cName],
        dimension: Number(f[cDim]),
        edgeWeightType: f[cType],
        edgeWeightFormat: f[cFormat] === "-" ? null : f[cFormat],
        optimum: Number(f[cOpt]),
        optTourPath: f[cTour] === "-" ? null : join(dir, f[cTour]),
        problemPath: problemFile(dir, f[cName]),
      });
    }
  }
  cache = table;
  return table;
}

/** The instance file of a table row: TSPLIB's suffix is `.tsp` for TYPE TSP, `.atsp` for TYPE ATSP. */
function problemFile(dir: string, name: string): string {
  const tsp = join(dir, `${name}.tsp`);
  const atsp = join(dir, `${name}.atsp`);
  return !existsSync(tsp) && existsSync(atsp) ? atsp : tsp;
}

/** "ulysses16.tsp", "problems/tsplib/ulysses16.tsp" and "ulysses16" all name ulysses16 (br17.atsp: br17). */
function key(name: string): string {
  return basename(name.trim()).replace(/\.(opt\.tour|tour|tsp|atsp)$/i, "");
}

/** The table entry for a shipped instance, or null. */
export function optimumEntry(name: string): OptimumEntry | null {
  return load().get(key(name)) ?? null;
}

/** Every shipped instance with a known optimum (TSPLIB, then the random study set). */
export function optimumEntries(): OptimumEntry[] {
  return [...load().values()];
}

/**
 * The known optimal tour length of a shipped instance (TSPLIB or the random study set),
 * or null. Accepts the instance name, its NAME field ("ulysses16.tsp") or a path. With
 * `dimension`, an entry of another size is not a match (a user's own file that happens to be
 * called "berlin52" does not get berlin52's optimum unless it also has 52 cities).
 * @example
 * ```ts
 * knownOptimum("berlin52");      // 7542
 * knownOptimum("berlin52", 51);  // null
 * knownOptimum("rand8-s1");      // the Held-Karp optimum of problems/random/rand8-s1.tsp
 * knownOptimum("mystery");       // null
 * ```
 */
export function knownOptimum(name: string, dimension?: number): number | null {
  const entry = optimumEntry(name);
  if (!entry || (dimension !== undefined && entry.dimension !== dimension)) return null;
  return entry.optimum;
}

/** Absolute path of the shipped optimal tour of `name`, or null when none is shipped. */
export function optimalTourPath(name: string): string | null {
  return optimumEntry(name)?.optTourPath ?? null;
}
