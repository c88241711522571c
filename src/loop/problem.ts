import type { HasDistances } from "../tsp/tour.js";
import { ProblemError } from "../util/errors.js";

/**
 * What `solveTsp` accepts as a problem:
 * - a parsed TSPLIB instance (or anything with `dimension` and a row-major `distances` matrix);
 * - a distance matrix as `number[][]` (need not be symmetric);
 * - a cost callback: `{ cities, cost(tour) }`, e.g. a route simulator or a pricing service.
 *   Tours passed to `cost` are 0-based city arrays starting at city 0 (or at the fixed start).
 */
export type TspProblem = (HasDistances & { name?: string }) | number[][] | CostProblem;

/** A black-box routing cost supplied by the caller. */
export interface CostProblem {
  cities: number;
  cost(tour: number[]): number | Promise<number>;
  /** Whether cost(tour) == cost(reversed tour); default true. Declare false for one-way streets, time windows... */
  symmetric?: boolean;
  /** A name for journals and reports (a journal of another name is refused on resume). */
  name?: string;
}

/** The problem after normalisation: one cost function and what is known about it. */
export interface NormalizedProblem {
  cities: number;
  name: string;
  /** The distance matrix when known (enables gaps, the penalty-QUBO baseline...), else null. */
  distances: Float64Array | null;
  symmetric: boolean;
  cost(tour: number[]): number | Promise<number>;
  /** Identity of the problem in a journal header. */
  fingerprint: string;
}

/**
 * @param closed false: tours are open paths, and a matrix's cost leaves out the closing edge
 *   (a callback gets the path and computes what it computes).
 */
export function normalizeProblem(problem: TspProblem, closed = true): NormalizedProblem {
  if (Array.isArray(problem)) {
    const n = problem.length;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = problem[i];
      if (!Array.isArray(row) || row.length !== n) {
        throw new ProblemError(`distance matrix row ${i} has ${Array.isArray(row) ? row.length : "no"} entries, expected ${n}`);
      }
      for (let j = 0; j < n; j++) {
        const v = row[j];
        if (typeof v !== "number" || !Number.isFinite(v)) throw new ProblemError(`distance matrix entry [${i}][${j}] is ${v}, expected a finite number`);
        d[i * n + j] = v;
      }
    }
    return fromMatrix("matrix", n, d, closed);
  }
  if ("distances" in problem && problem.distances instanceof Float64Array) {
    const n = problem.dimension;
    if (problem.distances.length !== n * n) throw new ProblemError(`distances has ${problem.distances.length} entries, expected ${n}*${n}`);
    const bad = problem.distances.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ProblemError(`distances[${bad}] (cities ${Math.floor(bad / n)} and ${bad % n}) is ${problem.distances[bad]}, expected a finite number`);
    return fromMatrix(problem.name ?? "matrix", n, problem.distances, closed);
  }
  const p = problem as CostProblem;
  if (typeof p.cost !== "function") throw new ProblemError("problem must be a TSPLIB instance, a distance matrix (number[][]) or { cities, cost(tour) }");
  checkCities(p.cities);
  const name = p.name ?? "callback";
  return {
    cities: p.cities,
    name,
    distances: null,
    symmetric: p.symmetric ?? true,
    cost: (tour) => p.cost(tour),
    fingerprint: `${name}/${p.cities}`,
  };
}

function fromMatrix(name: string, n: number, d: Float64Array, closed: boolean): NormalizedProblem {
  checkCities(n);
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++) for (let j = i + 1; j < n; j++) if (d[i * n + j] !== d[j * n + i]) { symmetric = false; break; }
  return {
    cities: n,
    name,
    distances: d,
    symmetric,
    cost(tour) {
      let s = 0;
      for (let i = 0; i < n - 1; i++) s += d[tour[i] * n + tour[i + 1]];
      return closed ? s + d[tour[n - 1] * n + tour[0]] : s;
    },
    fingerprint: `${name}/${n}/${fnv(d)}${closed ? "" : "/path"}`,
  };
}

function checkCities(n: number): void {
  if (!Number.isInteger(n) || n < 3) throw new ProblemError(`a TSP needs an integer number of cities >= 3, got ${n}`);
}

/** FNV-1a over the matrix bytes: a short fingerprint that changes with any distance. */
function fnv(d: Float64Array): string {
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
