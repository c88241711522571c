/**
 * A parsed TSP instance: symmetric (TSPLIB `TYPE: TSP`) or asymmetric (`TYPE: ATSP`), with its
 * full distance matrix.
 *
 * Contract: `distances` is the `dimension * dimension` row-major matrix with a zero diagonal,
 * computed once when the instance is built (from coordinates with the TSPLIB integer distance
 * function of `edgeWeightType`, or read from an `EDGE_WEIGHT_SECTION`). It is symmetric when
 * `type` is "TSP"; when `type` is "ATSP", `distances[a*n+b]` is the cost of going from a to b
 * and need not equal `distances[b*n+a]`.
 * Cities are 0-based here; TSPLIB node ids are 1-based only in files.
 *
 * It satisfies `HasDistances` (src/tsp/tour.ts), so `tourLength(instance, tour)` works.
 */
export interface TspInstance {
  /** `NAME` from the file (as written: ulysses16.tsp names itself "ulysses16.tsp"). */
  name: string;
  /** `COMMENT` from the file, or "" when absent. */
  comment: string;
  /**
   * `TYPE`: "TSP" (symmetric distances) or "ATSP" (directed distances, an EXPLICIT FULL_MATRIX;
   * a tour is followed in the order given, and its reverse is another tour of another length).
   */
  type: "TSP" | "ATSP";
  /** Number of cities. */
  dimension: number;
  /** `EDGE_WEIGHT_TYPE`: "EUC_2D", "GEO", "ATT", "EXPLICIT", ... */
  edgeWeightType: string;
  /** `EDGE_WEIGHT_FORMAT` ("FULL_MATRIX", ..., "FUNCTION"), or null when the file has none. */
  edgeWeightFormat: string | null;
  /** Node coordinates, node-major (`coords[i*coordDims + k]`), when the file has a NODE_COORD_SECTION. */
  coords: Float64Array | null;
  /** Coordinates per node: 2 or 3, or 0 when `coords` is null. */
  coordDims: 0 | 2 | 3;
  /** Row-major `dimension * dimension` distances, zero diagonal; symmetric unless `type` is "ATSP". */
  distances: Float64Array;
  /** The path the instance was read from, or "<input>" for parsed text, "<generated>" for generated ones. */
  source: string;
}
