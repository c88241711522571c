import { TourError, validateTour } from "./tour.js";
import { OptionError } from "../util/errors.js";

/**
 * The edges of tours, indexed: the feature space of the `edge` method's surrogate and the
 * weight matrix of the permutation-search kernel (src/anneal/perm.ts), both of which describe
 * a tour by the edges it uses (docs/design.md, "Two ways to propose" and "Definitions").
 *
 * The feature vector of a tour is the 0/1 indicator vector z over all possible edges. Indexing:
 *
 * - symmetric (an edge is an unordered pair {a,b}, a < b): d = N(N-1)/2,
 *   index(a,b) = a(2N-a-1)/2 + (b-a-1)  — row-major over the strict upper triangle;
 * - asymmetric (an edge is an ordered pair a -> b, a != b): d = N(N-1),
 *   index(a,b) = a(N-1) + (b < a ? b : b-1)  — row-major over the off-diagonal.
 *
 * A closed tour uses N edges (t_i -> t_{i+1} and the closing t_{N-1} -> t_0); an open path uses
 * the N-1 edges t_i -> t_{i+1}. Open paths may fix their first and/or last city; that only
 * restricts which orders are valid, not the feature indexing (edges a path with a fixed start
 * can never use, such as x -> start, simply stay at their prior in the regression).
 *
 * Every tour of one space uses exactly `edgesPerTour` distinct edges, so sum_e z_e is constant:
 * an intercept is collinear with the edge weights (see src/methods/edge/blr.ts).
 */
export interface EdgeSpace {
  /** Number of cities N. */
  readonly n: number;
  /** true: W(a,b) = W(b,a), one feature per unordered pair. */
  readonly symmetric: boolean;
  /** true: closed tour (N edges); false: open path (N-1 edges). */
  readonly closed: boolean;
  /** Open paths only: the city every path starts at, or null. */
  readonly start: number | null;
  /** Open paths only: the city every path ends at, or null. */
  readonly end: number | null;
  /** Number of features d. */
  readonly d: number;
  /** Number of edges of every tour: N (closed) or N-1 (open). */
  readonly edgesPerTour: number;
}

/** Options of {@link edgeSpace}. */
export interface EdgeSpaceOptions {
  /** Symmetric costs (default true). */
  symmetric?: boolean;
  /** Closed tours (default true) or open paths. */
  closed?: boolean;
  /** Open paths: fixed first city. */
  start?: number | null;
  /** Open paths: fixed last city. */
  end?: number | null;
}

/**
 * Describe the edge-feature space of tours over `n` cities.
 *
 * Closed tours need N >= 3 (for N = 2 both edges of the cycle are the same undirected edge, so
 * the indicators would not be 0/1); open paths need N >= 2. A fixed start/end is only allowed
 * for open paths, and start and end must differ.
 *
 * @example
 * ```ts
 * const space = edgeSpace(5); // symmetric closed tours: d = 10, 5 edges per tour
 * tourEdges(space, [0, 1, 2, 3, 4]); // Int32Array [0, 4, 7, 9, 3]
 * ```
 */
export function edgeSpace(n: number, options: EdgeSpaceOptions = {}): EdgeSpace {
  const symmetric = options.symmetric ?? true;
  const closed = options.closed ?? true;
  const start = options.start ?? null;
  const end = options.end ?? null;
  if (!Number.isInteger(n) || n < 2) throw new OptionError("n", `edgeSpace: n must be an integer >= 2, got ${n}`);
  if (closed && n < 3) throw new OptionError("n", `edgeSpace: closed tours need n >= 3, got ${n}`);
  if (closed && (start !== null || end !== null)) {
    throw new OptionError("closed", "edgeSpace: a fixed start or end city needs an open path (closed: false)");
  }
  for (const [name, c] of [["start", start], ["end", end]] as const) {
    if (c !== null && (!Number.isInteger(c) || c < 0 || c >= n)) {
      throw new OptionError(name, `edgeSpace: ${name} must be a city in 0..${n - 1}, got ${c}`);
    }
  }
  if (start !== null && start === end) throw new OptionError("end", `edgeSpace: start and end are both city ${start}`);
  const d = symmetric ? (n * (n - 1)) / 2 : n * (n - 1);
  return { n, symmetric, closed, start, end, d, edgesPerTour: closed ? n : n - 1 };
}

/** Feature index of the edge a -> b (a != b; for symmetric spaces the order does not matter). */
export function edgeIndex(space: EdgeSpace, a: number, b: number): number {
  const n = space.n;
  if (space.symmetric) {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    return (a * (2 * n - a - 1)) / 2 + (b - a - 1);
  }
  return a * (n - 1) + (b < a ? b : b - 1);
}

/** Inverse of {@link edgeIndex}: the endpoints [a, b] of feature `e` (a < b when symmetric). */
export function edgeEndpoints(space: EdgeSpace, e: number): [number, number] {
  const n = space.n;
  if (!Number.isInteger(e) || e < 0 || e >= space.d) throw new OptionError("e", `edgeEndpoints: no edge ${e}`);
  if (space.symmetric) {
    let a = 0;
    let rowStart = 0;
    while (rowStart + (n - a - 1) <= e) {
      rowStart += n - a - 1;
      a++;
    }
    return [a, a + 1 + (e - rowStart)];
  }
  const a = Math.floor(e / (n - 1));
  const r = e - a * (n - 1);
  return [a, r < a ? r : r + 1];
}

/**
 * Throw a `TourError` unless `tour` is a valid tour of the space: a permutation of 0..N-1 and,
 * for open paths, starting/ending at the fixed cities.
 */
export function validateSpaceTour(space: EdgeSpace, tour: ArrayLike<number>): void {
  validateTour(tour, space.n);
  if (space.start !== null && tour[0] !== space.start) {
    throw new TourError(`path starts at city ${tour[0]}, expected the fixed start ${space.start}`);
  }
  if (space.end !== null && tour[space.n - 1] !== space.end) {
    throw new TourError(`path ends at city ${tour[space.n - 1]}, expected the fixed end ${space.end}`);
  }
}

/**
 * The feature indices of the edges a tour uses, in visiting order (closed tours end with the
 * closing edge t_{N-1} -> t_0). Validates the tour unless `validate` is false.
 * @param out reusable output of length `space.edgesPerTour` (allocated if omitted).
 *
 * @example
 * ```ts
 * const path = edgeSpace(4, { closed: false, symmetric: false, start: 2 });
 * tourEdges(path, [2, 0, 3, 1]); // Int32Array [6, 2, 10]: edges 2->0, 0->3, 3->1
 * ```
 */
export function tourEdges(
  space: EdgeSpace,
  tour: ArrayLike<number>,
  out?: Int32Array,
  validate = true,
): Int32Array {
  if (validate) validateSpaceTour(space, tour);
  const m = space.edgesPerTour;
  const res = out ?? new Int32Array(m);
  if (res.length < m) throw new OptionError("out", `tourEdges: out has length ${res.length}, need ${m}`);
  const n = space.n;
  for (let i = 0; i < n - 1; i++) res[i] = edgeIndex(space, tour[i], tour[i + 1]);
  if (space.closed) res[n - 1] = edgeIndex(space, tour[n - 1], tour[0]);
  return res;
}

/**
 * The cost of a tour under per-edge weights `theta` (length d): sum of theta over its edges.
 * No validation (hot path of tests and baselines).
 */
export function edgeCost(space: EdgeSpace, theta: ArrayLike<number>, tour: ArrayLike<number>): number {
  const n = space.n;
  let s = 0;
  for (let i = 0; i < n - 1; i++) s += theta[edgeIndex(space, tour[i], tour[i + 1])];
  if (space.closed) s += theta[edgeIndex(space, tour[n - 1], tour[0])];
  return s;
}

/**
 * The N x N row-major weight matrix W[a*N+b] = theta(edge a -> b) that the permutation-space
 * search kernel minimises over; the diagonal is 0. Symmetric spaces give a symmetric W.
 * @param out reusable output of length N*N (allocated if omitted).
 *
 * @example
 * ```ts
 * weightMatrix([1, 2, 3], 3, true); // Float64Array [0, 1, 2, 1, 0, 3, 2, 3, 0]
 * ```
 */
export function weightMatrix(
  theta: ArrayLike<number>,
  n: number,
  symmetric: boolean,
  out?: Float64Array,
): Float64Array {
  const d = symmetric ? (n * (n - 1)) / 2 : n * (n - 1);
  if (theta.length < d) throw new OptionError("theta", `weightMatrix: theta has length ${theta.length}, need ${d}`);
  const w = out ?? new Float64Array(n * n);
  if (w.length < n * n) throw new OptionError("out", `weightMatrix: out has length ${w.length}, need ${n * n}`);
  if (symmetric) {
    let e = 0;
    for (let a = 0; a < n; a++) {
      w[a * n + a] = 0;
      for (let b = a + 1; b < n; b++, e++) {
        w[a * n + b] = theta[e];
        w[b * n + a] = theta[e];
      }
    }
  } else {
    let e = 0;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) w[a * n + b] = 0;
        else w[a * n + b] = theta[e++];
      }
    }
  }
  return w;
}
