import { UserError } from "../util/errors.js";

/** z for a two-sided 95% normal interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion: `successes` out of `trials`.
 *
 * With p = k/n and z the normal quantile, the interval is the set of proportions q whose
 * score test |p - q| / sqrt(q(1-q)/n) <= z accepts, i.e. the roots of a quadratic in q:
 *   centre = (p + z^2/(2n)) / (1 + z^2/n),
 *   half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2)).
 * Unlike the Wald interval p ± z sqrt(p(1-p)/n) it never collapses to a point at k = 0 or
 * k = n and stays inside [0, 1] (the bounds are clamped only against rounding).
 *
 * @param z normal quantile; the default `Z95` gives a 95% interval.
 * @throws UserError unless 0 <= successes <= trials, both integers, trials >= 1
 * @example
 * ```ts
 * wilsonInterval(5, 10);  // [0.2366, 0.7634] (rounded)
 * wilsonInterval(0, 10);  // [0, 0.2775]
 * ```
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z95): [number, number] {
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new UserError(`wilsonInterval: trials must be a positive integer, got ${trials}`);
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new UserError(`wilsonInterval: successes must be an integer in 0..${trials}, got ${successes}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new UserError(`wilsonInterval: z must be a positive number, got ${z}`);
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}
