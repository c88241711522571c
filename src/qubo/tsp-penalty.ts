import type { HasDistances } from "../tsp/tour.js";
import { sparseFromCouplings } from "./convert.js";
import type { SparseQubo } from "./types.js";

/**
 * The conventional penalty QUBO of a TSP (Lucas 2014, with city 0 fixed at position 0), over the
 * `onehot` labeling's variables: x[c][p] = 1 iff free city c (1..N-1) is at free position p
 * (1..N-1), bit (c-1)*(N-1) + (p-1) — so a state is decoded with `createLabeling("onehot", N)`.
 *
 *   E(x) = A * sum_c (1 - sum_p x_cp)^2 + A * sum_p (1 - sum_c x_cp)^2
 *        + sum_p sum_{c != c'} d(c, c') x_{c,p} x_{c',p+1}          (consecutive free positions)
 *        + sum_c d(0, c) x_{c,1} + sum_c d(c, 0) x_{c,N-1}           (edges at the fixed city 0)
 *
 * Expanding (1 - sum_i x_i)^2 = 1 - sum_i x_i + 2 sum_{i<j} x_i x_j (x_i^2 = x_i): each variable
 * gets linear -2A (one row, one column constraint), each pair in a row or a column a coupling 2A,
 * and the offset is 2A(N-1). On a permutation matrix the penalties vanish and E is the tour
 * length. A must exceed what breaking a constraint can save in distance: a city removed from
 * the tour saves at most 2 max d, so the default A = 2 max d makes every valid tour cheaper than
 * any state with one constraint broken by one variable.
 */
export function tspPenaltyQubo(problem: HasDistances, penalty?: number): SparseQubo {
  const N = problem.dimension;
  const d = problem.distances;
  const m = N - 1;
  let maxD = 0;
  for (let i = 0; i < d.length; i++) if (d[i] > maxD) maxD = d[i];
  const A = penalty ?? 2 * Math.max(maxD, 1);
  const v = (c: number, p: number) => (c - 1) * m + (p - 1);
  const linear = new Float64Array(m * m).fill(-2 * A);
  for (let c = 1; c <= m; c++) {
    linear[v(c, 1)] += d[0 * N + c];
    linear[v(c, m)] += d[c * N + 0];
  }
  const from: number[] = [];
  const to: number[] = [];
  const w: number[] = [];
  const add = (i: number, j: number, x: number) => {
    from.push(i);
    to.push(j);
    w.push(x);
  };
  for (let c = 1; c <= m; c++) {
    for (let p = 1; p <= m; p++) {
      for (let p2 = p + 1; p2 <= m; p2++) add(v(c, p), v(c, p2), 2 * A); // city c at two positions
      for (let c2 = c + 1; c2 <= m; c2++) add(v(c, p), v(c2, p), 2 * A); // two cities at position p
    }
  }
  for (let p = 1; p < m; p++) {
    for (let c = 1; c <= m; c++) {
      for (let c2 = 1; c2 <= m; c2++) {
        if (c2 === c) continue;
        add(v(c, p), v(c2, p + 1), d[c * N + c2]);
      }
    }
  }
  return sparseFromCouplings(m * m, linear, from, to, w, 2 * A * m);
}
