/**
 * fmanneal — the public library API. Everything not exported here is internal.
 * @packageDocumentation
 */
export { Random } from "./util/random.js";
export { UserError, InputError } from "./util/errors.js";
export type { Qubo, DenseQubo, SparseQubo, FactorizedQubo } from "./qubo/types.js";
export { createLabeling, labelingNames } from "./labelings/registry.js";
export type { Labeling, LabelingName } from "./labelings/labeling.js";

/**
 * TSPLIB instances, tours and exact optima.
 *
 * @example
 * ```ts
 * import { readTsplib, readTour, tourLength, heldKarp, knownOptimum, randomInstance, formatTour } from "fmanneal";
 * const ulysses = readTsplib("node_modules/fmanneal/problems/tsplib/ulysses16.tsp");
 * const opt = readTour("node_modules/fmanneal/problems/tsplib/ulysses16.opt.tour", { dimension: 16 });
 * tourLength(ulysses, opt.tour);           // 6859
 * knownOptimum(ulysses.name);              // 6859 ("ulysses16.tsp" and "ulysses16" both work)
 * heldKarp(randomInstance(12, 1)).length;  // exact optimum of a random 12-city instance
 * formatTour("best", [0, 2, 1]);           // TSPLIB TOUR text, 1-based ids
 * ```
 */
export { readTsplib, parseTsplib, readTour, parseTour, writeTour, formatTour, formatTsplib, TsplibError } from "./tsp/tsplib.js";
export type { TspTour, TourReadOptions } from "./tsp/tsplib.js";
export type { TspInstance } from "./tsp/instance.js";
export { tourLength, canonicalTour, validateTour, TourError } from "./tsp/tour.js";
export type { HasDistances } from "./tsp/tour.js";
export { heldKarp } from "./tsp/heldKarp.js";
export type { ExactSolution } from "./tsp/heldKarp.js";
export { randomInstance } from "./tsp/generate.js";
export { knownOptimum, optimalTourPath } from "./tsp/optima.js";
