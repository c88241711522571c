import { UserError } from "../util/errors.js";
import { Random } from "../util/random.js";
import { coordinateDistances } from "./distance.js";
import type { TspInstance } from "./instance.js";
import { MAX_DIMENSION } from "./tsplib.js";

/** Coordinates are integers in [0, COORDINATE_RANGE). */
export const COORDINATE_RANGE = 1000;

/**
 * A random EUC_2D instance: `cities` points with integer coordinates drawn uniformly from
 * [0, 1000) by `new Random(seed)`, x then y for city 1, then city 2, ... (so the stream, and the
 * instance, is the same on every platform for the same seed). Named `rand{N}-s{seed}`.
 * Points may coincide (distance 0); nothing is redrawn.
 *
 * @throws UserError unless 1 <= cities <= 5000 and seed is a non-negative safe integer
 * @example
 * ```ts
 * const inst = randomInstance(10, 3);
 * inst.name;      // "rand10-s3"
 * inst.dimension; // 10
 * formatTsplib(inst) === formatTsplib(randomInstance(10, 3)); // true
 * ```
 */
export function randomInstance(cities: number, seed: number): TspInstance {
  if (!Number.isInteger(cities) || cities < 1 || cities > MAX_DIMENSION) {
    throw new UserError(`cities must be an integer in 1..${MAX_DIMENSION}, got ${cities}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UserError(`seed must be a non-negative integer, got ${seed}`);
  }
  const rng = new Random(seed);
  const coords = new Float64Array(cities * 2);
  for (let i = 0; i < coords.length; i++) coords[i] = rng.int(COORDINATE_RANGE);
  return {
    name: `rand${cities}-s${seed}`,
    type: "TSP",
    comment: `${cities} random cities, integer coordinates in [0,${COORDINATE_RANGE}), seed ${seed} (fmanneal gen)`,
    dimension: cities,
    edgeWeightType: "EUC_2D",
    edgeWeightFormat: null,
    coords,
    coordDims: 2,
    distances: coordinateDistances("EUC_2D", coords, cities, 2),
    source: "<generated>",
  };
}
