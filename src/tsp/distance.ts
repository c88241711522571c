/**
 * TSPLIB95 distance functions (spec section 2), as integer-valued doubles.
 *
 * All computations are in double precision, as in the spec's C code. `nint(x)` is
 * `(int)(x + 0.5)`, which for the non-negative arguments used here equals `floor(x + 0.5)`.
 *
 * GEO follows the TSPLIB FAQ, which corrects the spec: the degrees are *truncated*
 * (`deg = (int) x`), not rounded; with `nint` the published optimal tour of ulysses16
 * measures 7030 instead of 6859.
 */

/** Edge weight types computed from node coordinates, with their number of coordinates per node. */
export const COORDINATE_TYPES: Readonly<Record<string, 2 | 3>> = {
  EUC_2D: 2,
  EUC_3D: 3,
  MAN_2D: 2,
  MAN_3D: 3,
  MAX_2D: 2,
  MAX_3D: 3,
  CEIL_2D: 2,
  GEO: 2,
  ATT: 2,
};

/** `nint` of the spec: round half up, for non-negative arguments. */
export function nint(x: number): number {
  return Math.floor(x + 0.5);
}

/** The spec's PI for GEO (deliberately not Math.PI: the published optima use 3.141592). */
export const GEO_PI = 3.141592;
/** Earth radius of the idealised sphere, in km (spec 2.4). */
export const GEO_RRR = 6378.388;

/** A GEO coordinate DDD.MM (degrees, minutes) in radians, degrees truncated toward zero. */
export function geoRadians(x: number): number {
  const deg = Math.trunc(x);
  const min = x - deg;
  return (GEO_PI * (deg + (5.0 * min) / 3.0)) / 180.0;
}

/**
 * Fill the row-major `n*n` distance matrix for a coordinate edge weight type.
 * `coords` is node-major with `dims` entries per node. The diagonal is 0.
 * Throws a plain Error for a type that is not in COORDINATE_TYPES (callers check first).
 */
export function coordinateDistances(type: string, coords: Float64Array, n: number, dims: 2 | 3): Float64Array {
  const d = new Float64Array(n * n);
  const f = pairFunction(type, coords, n, dims);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = f(i, j);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

function pairFunction(type: string, c: Float64Array, n: number, dims: 2 | 3): (i: number, j: number) => number {
  const x = (i: number) => c[i * dims];
  const y = (i: number) => c[i * dims + 1];
  const z = (i: number) => c[i * dims + 2];
  switch (type) {
    case "EUC_2D":
      return (i, j) => {
        const xd = x(i) - x(j);
        const yd = y(i) - y(j);
        return nint(Math.sqrt(xd * xd + yd * yd));
      };
    case "EUC_3D":
      return (i, j) => {
        const xd = x(i) - x(j);
        const yd = y(i) - y(j);
        const zd = z(i) - z(j);
        return nint(Math.sqrt(xd * xd + yd * yd + zd * zd));
      };
    case "MAN_2D":
      return (i, j) => nint(Math.abs(x(i) - x(j)) + Math.abs(y(i) - y(j)));
    case "MAN_3D":
      return (i, j) => nint(Math.abs(x(i) - x(j)) + Math.abs(y(i) - y(j)) + Math.abs(z(i) - z(j)));
    case "MAX_2D":
      return (i, j) => Math.max(nint(Math.abs(x(i) - x(j))), nint(Math.abs(y(i) - y(j))));
    case "MAX_3D":
      return (i, j) =>
        Math.max(nint(Math.abs(x(i) - x(j))), nint(Math.abs(y(i) - y(j))), nint(Math.abs(z(i) - z(j))));
    case "CEIL_2D":
      return (i, j) => {
        const xd = x(i) - x(j);
        const yd = y(i) - y(j);
        return Math.ceil(Math.sqrt(xd * xd + yd * yd));
      };
    case "ATT":
      return (i, j) => {
        const xd = x(i) - x(j);
        const yd = y(i) - y(j);
        const r = Math.sqrt((xd * xd + yd * yd) / 10.0);
        const t = nint(r);
        return t < r ? t + 1 : t;
      };
    case "GEO": {
      // x = latitude, y = longitude, both DDD.MM; converted once per node.
      const lat = new Float64Array(n);
      const lon = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        lat[i] = geoRadians(x(i));
        lon[i] = geoRadians(y(i));
      }
      return (i, j) => {
        const q1 = Math.cos(lon[i] - lon[j]);
        const q2 = Math.cos(lat[i] - lat[j]);
        const q3 = Math.cos(lat[i] + lat[j]);
        // Clamped: rounding can push the argument a hair past +-1 for (nearly) coincident points,
        // where the C reference would take acos of an out-of-domain value.
        const a = Math.min(1, Math.max(-1, 0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)));
        return Math.trunc(GEO_RRR * Math.acos(a) + 1.0);
      };
    }
    default:
      throw new Error(`no distance function for EDGE_WEIGHT_TYPE ${type}`);
  }
}
