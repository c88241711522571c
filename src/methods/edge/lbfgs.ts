/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", algorithm 7.4/7.5) with a
 * backtracking Armijo line search: the optimiser of the edge model's geometry fit
 * (src/methods/edge/geometry.ts). Deterministic: a fixed sequence of floating-point operations
 * for the same objective and start.
 */

/** Objective: returns f(x) and writes the gradient into `g` (same length as x). */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Iterations at most (each costs one objective call, more when the line search backtracks). */
  maxIterations: number;
  /** Correction pairs kept (default 8). */
  memory?: number;
  /** Stop when an iteration lowers f by less than tolerance * max(1, |f|) (default 1e-9). */
  tolerance?: number;
}

/** Result of {@link lbfgs}: the final value, iterations run, objective calls made. */
export interface LbfgsResult {
  value: number;
  iterations: number;
  calls: number;
}

/**
 * Minimise `f` from `x` (overwritten with the result).
 *
 * Two-loop recursion for the search direction d = -H g, H the L-BFGS inverse-Hessian estimate
 * scaled by gamma = s'y / y'y of the newest pair (the steepest-descent step is normalised to
 * unit length when no pair exists yet); a pair is kept only when s'y > 1e-12 (curvature
 * condition), and the memory is reset when d is not a descent direction. Line search: step 1,
 * halved until f(x + t d) <= f(x) + 1e-4 t g'd (at most 30 halvings; then the last point is
 * taken, and the next tolerance test ends the run if it did not descend).
 *
 * @example
 * ```ts
 * const x = Float64Array.from([3, -2]);
 * lbfgs((p, g) => { g[0] = 2 * p[0]; g[1] = 4 * p[1]; return p[0] ** 2 + 2 * p[1] ** 2; }, x, { maxIterations: 50 });
 * // x is now ~[0, 0]
 * ```
 */
export function lbfgs(f: Objective, x: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x.length;
  const memory = options.memory ?? 8;
  const tol = options.tolerance ?? 1e-9;
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const xNew = new Float64Array(n);
  const d = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let fx = f(x, g);
  let calls = 1;
  let it = 0;
  for (; it < options.maxIterations; it++) {
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j] * dot(S[j], d);
      alpha[j] = a;
      axpy(-a, Y[j], d);
    }
    if (k > 0) {
      const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const norm = Math.sqrt(dot(g, g));
      const scale = 1 / Math.max(1e-12, norm);
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j] * dot(Y[j], d);
      axpy(alpha[j] - b, S[j], d);
    }
    let gd = dot(g, d);
    if (!(gd < 0)) {
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = -dot(g, g);
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      if (!(gd < 0)) break; // zero gradient: a stationary point
    }
    let step = 1;
    let fNew = fx;
    for (let ls = 0; ; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      calls++;
      if (fNew <= fx + 1e-4 * step * gd || ls >= 30) break;
      step *= 0.5;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    const drop = fx - fNew;
    if (!(fNew <= fx)) break; // the line search failed to descend: keep x
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    if (drop <= tol * Math.max(1, Math.abs(fx))) {
      it++;
      break;
    }
  }
  return { value: fx, iterations: it, calls };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}
