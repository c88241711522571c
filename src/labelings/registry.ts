import { UserError } from "../util/errors.js";
import { GrayLabeling } from "./gray.js";
import type { Labeling, LabelingName } from "./labeling.js";
import { LehmerLabeling } from "./lehmer.js";
import { NaturalLabeling } from "./natural.js";
import { OneHotLabeling } from "./onehot.js";

/** Labeling factories by CLI name: the single place a new labeling is registered. */
const factories: Readonly<Record<LabelingName, (cities: number) => Labeling>> = {
  natural: (cities) => new NaturalLabeling(cities),
  gray: (cities) => new GrayLabeling(cities),
  lehmer: (cities) => new LehmerLabeling(cities),
  onehot: (cities) => new OneHotLabeling(cities),
};

/** The labeling names, in a fixed order (for CLI choices, sweeps and reports). */
export const labelingNames: readonly LabelingName[] = Object.freeze(
  Object.keys(factories) as LabelingName[],
);

/** Whether `name` is one of `labelingNames`. */
export function isLabelingName(name: string): name is LabelingName {
  return Object.prototype.hasOwnProperty.call(factories, name);
}

/**
 * The labeling called `name` for tours of `cities` cities.
 *
 * Throws `UserError` for an unknown name (the message lists the valid ones), for `cities`
 * not an integer >= 3 (N = 3 is the smallest N with more than one tour; it gets 1-bit
 * natural/gray/lehmer codes and 4-bit onehot codes), and for onehot with N > 32769.
 *
 * @example
 * ```ts
 * import { createLabeling, labelingNames } from "fmanneal";
 * labelingNames;                                  // ["natural", "gray", "lehmer", "onehot"]
 * const natural = createLabeling("natural", 15);
 * natural.bits;                                   // 37 = ceil(log2(14!))
 * createLabeling("gray", 15).bits;                // 41
 * const tour = natural.decode(natural.encode([0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
 * createLabeling("binary", 15);                   // throws UserError: unknown labeling "binary" ...
 * ```
 */
export function createLabeling(name: string, cities: number): Labeling {
  if (!isLabelingName(name)) {
    throw new UserError(
      `unknown labeling "${name}": expected one of ${labelingNames.join(", ")}`,
    );
  }
  return factories[name](cities);
}
