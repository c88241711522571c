import { OptionError } from "../../util/errors.js";

/**
 * What the caller knows of the costs before any evaluation (option `prior` of the `edge`
 * method): a stale distance matrix, a travel-time table, or the stops' coordinates, while the
 * true cost comes from a routing service or a simulator. The model learns how much to trust it
 * (a fitted weight, src/methods/edge/geometry.ts): a useless prior ends with weight ~0.
 *
 * - `number[][]`: an N x N matrix (row a, column b: the cost of going a -> b; the diagonal is ignored);
 * - `{ dimension, distances }` (e.g. a TSPLIB instance read by `readTsplib`): its row-major matrix;
 * - `{ coordinates }`: N points (2 or 3 numbers each), straight-line distances between them.
 */
export type EdgePrior = number[][] | { dimension: number; distances: Float64Array } | { coordinates: ArrayLike<ArrayLike<number>> };

/**
 * The prior as an n x n row-major matrix; symmetrised ((P + P^T) / 2) when the costs are
 * symmetric. Throws OptionError naming `prior` on a wrong size or a non-finite entry.
 *
 * @example
 * ```ts
 * priorMatrix({ coordinates: [[0, 0], [3, 4], [6, 8]] }, 3, true); // Float64Array [0, 5, 10, 5, 0, 5, 10, 5, 0]
 * ```
 */
export function priorMatrix(prior: EdgePrior, n: number, symmetric: boolean): Float64Array {
  const P = new Float64Array(n * n);
  if (Array.isArray(prior)) {
    if (prior.length !== n) throw new OptionError("prior", `prior matrix has ${prior.length} rows, the problem has ${n} cities`);
    prior.forEach((row, a) => {
      if (!Array.isArray(row) || row.length !== n) throw new OptionError("prior", `prior matrix row ${a} has ${Array.isArray(row) ? row.length : "no"} entries, expected ${n}`);
      for (let b = 0; b < n; b++) P[a * n + b] = a === b ? 0 : finite(row[b], `prior[${a}][${b}]`);
    });
  } else if ("coordinates" in prior) {
    const xy = prior.coordinates;
    if (xy.length !== n) throw new OptionError("prior", `prior has ${xy.length} coordinates, the problem has ${n} cities`);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const pa = xy[a];
        const pb = xy[b];
        if (pa.length !== pb.length || pa.length < 1) throw new OptionError("prior", `prior coordinates ${a} and ${b} have different or no dimensions`);
        let s = 0;
        for (let k = 0; k < pa.length; k++) s += (finite(pa[k], `prior.coordinates[${a}][${k}]`) - finite(pb[k], `prior.coordinates[${b}][${k}]`)) ** 2;
        P[a * n + b] = Math.sqrt(s);
      }
    }
  } else if ("distances" in prior && prior.distances instanceof Float64Array) {
    if (prior.dimension !== n || prior.distances.length !== n * n) throw new OptionError("prior", `prior has ${prior.dimension} cities, the problem has ${n}`);
    for (let i = 0; i < n * n; i++) P[i] = Math.floor(i / n) === i % n ? 0 : finite(prior.distances[i], `prior entry ${i}`);
  } else {
    throw new OptionError("prior", "prior must be an N x N matrix (number[][]), { dimension, distances } or { coordinates }");
  }
  if (symmetric) {
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const v = (P[a * n + b] + P[b * n + a]) / 2;
        P[a * n + b] = v;
        P[b * n + a] = v;
      }
    }
  }
  return P;
}

function finite(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new OptionError("prior", `${what} is ${String(v)}, expected a finite number`);
  return v;
}
