import type { TspInstance } from "../tsp/instance.js";
import { UserError } from "../util/errors.js";

/**
 * Example route costs, public (src/index.ts) for docs, tests and benchmarks: a plain length, a
 * non-additive cost, and a slow wrapper. Each returns `cost(tour)` for a closed tour of
 * 0-based cities, the form `solveTsp({ cities, cost })` takes.
 */

/** Plain closed-tour length from the instance's distance matrix (edge-additive). */
export function lengthCost(instance: Pick<TspInstance, "dimension" | "distances">): (tour: number[]) => number {
  const n = instance.dimension;
  const d = instance.distances;
  return (tour) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[tour[i] * n + tour[(i + 1) % n]];
    return s;
  };
}

/**
 * A non-additive cost: tour length + `weight` x the sum over cities of the absolute turning
 * angle (radians, in [0, pi]) between the incoming and the outgoing leg, computed from the
 * planar coordinates. A vehicle that must slow down in turns pays for each, and a turn depends
 * on three consecutive cities, i.e. on a *pair* of edges — which a model over single edges
 * cannot represent, and an FM over pairs of edges can.
 *
 * @example
 * ```ts
 * const inst = randomInstance(15, 1);
 * const r = await solveTsp({ cities: 15, cost: turnAngleCost(inst, 60) }, { method: "edge", interactions: 4 });
 * ```
 */
export function turnAngleCost(instance: Pick<TspInstance, "dimension" | "distances" | "coords" | "coordDims">, weight = 60): (tour: number[]) => number {
  const { coords, coordDims } = instance;
  if (!coords || coordDims !== 2) throw new UserError("turnAngleCost needs an instance with 2-D coordinates");
  const n = instance.dimension;
  const length = lengthCost(instance);
  return (tour) => {
    let turn = 0;
    for (let i = 0; i < n; i++) {
      const a = tour[(i - 1 + n) % n];
      const b = tour[i];
      const c = tour[(i + 1) % n];
      const ux = coords[2 * b] - coords[2 * a];
      const uy = coords[2 * b + 1] - coords[2 * a + 1];
      const vx = coords[2 * c] - coords[2 * b];
      const vy = coords[2 * c + 1] - coords[2 * b + 1];
      turn += Math.abs(Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy));
    }
    return length(tour) + weight * turn;
  };
}

/** Wrap a cost as an async call that takes `ms` milliseconds, like a remote simulator. */
export function slowCost(cost: (tour: number[]) => number, ms: number): (tour: number[]) => Promise<number> {
  return (tour) => new Promise((resolve) => setTimeout(() => resolve(cost(tour)), ms));
}
