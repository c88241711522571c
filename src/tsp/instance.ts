/**
 * A parsed symmetric TSP instance (TSPLIB `TYPE: TSP`), with its full distance matrix.
 *
 * Contract: `distances` is the `dimension * dimension` row-major matrix, symmetric, with a
 * zero diagonal, computed once when the instance is built (from coordinates with the TSPLIB
 * integer distance function of `edgeWeightType`, or read from an `EDGE_WEIGHT_SECTION`).
 * Cities are 0-based here; TSPLIB node ids are 1-based only in files.
 *
 * It satisfies `HasDistances` (src/tsp/tour.ts), so `tourLength(instance, tour)` works.
 */
export interface TspInstance {
  /** `NAME` from the file (as written: ulysses16.tsp names itself "ulysses16.tsp"). */
  name: string;
  /** `COMMENT` from the file, or "" when absent. */
  comment: string;
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
  /** Row-major `dimension * dimension` distances: symmetric, zero diagonal. */
  distances: Float64Array;
  /** The path the instance was read from, or "<input>" for parsed text, "<generated>" for generated ones. */
  source: string;
}
