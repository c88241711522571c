import { describe, expect, it } from "vitest";
import { parseTsplib } from "../../src/tsp/tsplib.js";

/**
 * Every coordinate EDGE_WEIGHT_TYPE against distances worked out by hand from the TSPLIB95
 * formulas (spec section 2; GEO as corrected by the TSPLIB FAQ: degrees truncated).
 * Each case: node 1 at `a`, node 2 at `b`, and the expected d(1,2).
 */
function distance(type: string, a: number[], b: number[]): number {
  const text = [
    "NAME : pair",
    "TYPE : TSP",
    "DIMENSION : 2",
    `EDGE_WEIGHT_TYPE : ${type}`,
    "NODE_COORD_SECTION",
    `1 ${a.join(" ")}`,
    `2 ${b.join(" ")}`,
    "EOF",
  ].join("\n");
  const inst = parseTsplib(text);
  expect(inst.distances[1]).toBe(inst.distances[2]); // symmetric
  expect([inst.distances[0], inst.distances[3]]).toEqual([0, 0]);
  return inst.distances[1];
}

describe("coordinate distance functions", () => {
  it("EUC_2D = nint(sqrt(xd^2 + yd^2)), nint rounding half up", () => {
    expect(distance("EUC_2D", [0, 0], [3, 4])).toBe(5); // sqrt(9 + 16) = 5
    expect(distance("EUC_2D", [0, 0], [1, 1])).toBe(1); // sqrt(2) = 1.414 -> 1
    expect(distance("EUC_2D", [0, 0], [1.5, 2])).toBe(3); // sqrt(2.25 + 4) = 2.5 -> 3 (half up)
    expect(distance("EUC_2D", [10, -2], [7, 2])).toBe(5); // xd = 3, yd = -4 -> 5
  });

  it("EUC_3D = nint(sqrt(xd^2 + yd^2 + zd^2))", () => {
    expect(distance("EUC_3D", [0, 0, 0], [1, 2, 2])).toBe(3); // sqrt(1 + 4 + 4) = 3
    expect(distance("EUC_3D", [0, 0, 0], [1, 1, 1])).toBe(2); // sqrt(3) = 1.732 -> 2
    expect(distance("EUC_3D", [1, 1, 1], [1, 1, 1.4])).toBe(0); // 0.4 -> 0
  });

  it("MAN_2D / MAN_3D = nint(|xd| + |yd| [+ |zd|])", () => {
    expect(distance("MAN_2D", [0, 0], [1.2, 2.2])).toBe(3); // 3.4 -> 3
    expect(distance("MAN_2D", [0, 0], [-1.3, 2.2])).toBe(4); // 1.3 + 2.2 = 3.5 -> 4
    expect(distance("MAN_3D", [0, 0, 0], [1, -2, 3.5])).toBe(7); // 1 + 2 + 3.5 = 6.5 -> 7
    expect(distance("MAN_3D", [1, 1, 1], [2, 2, 2])).toBe(3); // 1 + 1 + 1
  });

  it("MAX_2D / MAX_3D = max(nint|xd|, nint|yd| [, nint|zd|])", () => {
    expect(distance("MAX_2D", [0, 0], [2.5, 1.4])).toBe(3); // max(nint 2.5 = 3, nint 1.4 = 1)
    expect(distance("MAX_2D", [0, 0], [-1, 7.2])).toBe(7); // max(1, 7)
    expect(distance("MAX_3D", [0, 0, 0], [1, 4.4, -2])).toBe(4); // max(1, 4, 2)
    expect(distance("MAX_3D", [0, 0, 0], [1, 1, 9.5])).toBe(10); // max(1, 1, nint 9.5 = 10)
  });

  it("CEIL_2D = ceil(sqrt(xd^2 + yd^2))", () => {
    expect(distance("CEIL_2D", [0, 0], [3, 4])).toBe(5); // exactly 5 stays 5
    expect(distance("CEIL_2D", [0, 0], [1, 1])).toBe(2); // 1.414 -> 2
    expect(distance("CEIL_2D", [0, 0], [3, 4.01])).toBe(6); // sqrt(9 + 16.0801) = 5.008 -> 6
  });

  it("ATT: r = sqrt((xd^2 + yd^2)/10), t = nint(r), d = t < r ? t + 1 : t", () => {
    expect(distance("ATT", [0, 0], [10, 0])).toBe(4); // r = sqrt(10) = 3.162, t = 3 < r -> 4
    expect(distance("ATT", [0, 0], [30, 10])).toBe(10); // r = sqrt(1000/10) = 10 = t -> 10
    expect(distance("ATT", [0, 0], [3, 1])).toBe(1); // r = sqrt(10/10) = 1 -> 1
    expect(distance("ATT", [0, 0], [20, 0])).toBe(7); // r = sqrt(40) = 6.325, t = 6 -> 7
    expect(distance("ATT", [0, 0], [26, 0])).toBe(9); // r = sqrt(67.6) = 8.222, t = 8 -> 9
    expect(distance("ATT", [0, 0], [28, 0])).toBe(9); // r = sqrt(78.4) = 8.854, t = nint = 9, not < r -> 9
  });

  it("GEO: DDD.MM with truncated degrees, PI = 3.141592, RRR = 6378.388, d = (int)(RRR*acos(...) + 1)", () => {
    // Along a meridian (same longitude: q1 = 1), 0.5*((1+1)*q2 - 0) = q2 = cos(dlat), so
    // acos(...) = |dlat| in radians.
    // 0.30 = 0 deg 30 min = 0.5 deg -> 3.141592 * 0.5 / 180 = 0.0087266444 rad;
    // 6378.388 * 0.0087266444 = 55.6619 -> (int)(56.6619) = 56.
    expect(distance("GEO", [0, 0], [0.3, 0])).toBe(56);
    // South: -0.30 -> deg = trunc(-0.30) = 0, min = -0.30 -> -0.5 deg: the same 56.
    expect(distance("GEO", [0, 0], [-0.3, 0])).toBe(56);
    // 0.50 = 0 deg 50 min = 0.8333 deg -> 0.0145444 rad -> 6378.388 * 0.0145444 = 92.770 -> 93.
    // (With deg = nint(0.50) = 1, min = -0.5, the spec's version would give 1 - 0.8333 =
    // 0.1667 deg -> 18.55 -> 19: the reason the FAQ truncates.)
    expect(distance("GEO", [0, 0], [0.5, 0])).toBe(93);
    // Along the equator (both latitudes 0: q2 = q3 = 1), 0.5*((1+q1) - (1-q1)) = q1 = cos(dlon):
    // 1 deg -> 0.01745328 rad -> 6378.388 * 0.01745328 = 111.3238 -> 112.
    expect(distance("GEO", [0, 0], [0, 1.0])).toBe(112);
    // Augsburg (48.23, 10.53) to Munich (48.08, 11.34), the spec's format example:
    // lat 48 + 23/60 = 48.38333 deg, 48 + 8/60 = 48.13333 deg; lon 10.88333, 11.56667 deg
    // -> lat1 = 0.844449, lat2 = 0.840086, dlon = 0.011918 rad
    // q1 = cos(0.011918) = 0.99992898, q2 = cos(0.004363) = 0.99999048, q3 = cos(1.684535) = -0.11355
    // 0.5*((1+q1)*q2 - (1-q1)*q3) = 0.99995921 -> acos = 0.0090601 rad -> 57.789 km -> 58.
    expect(distance("GEO", [48.23, 10.53], [48.08, 11.34])).toBe(58);
  });
});

/**
 * One symmetric 5x5 matrix, d(i,j) = "ij" for i < j (d(1,2) = 12, ..., d(4,5) = 45), written by
 * hand in all nine EDGE_WEIGHT_FORMAT layouts, with line breaks that do not follow rows.
 */
const EXPECTED = [
  [0, 12, 13, 14, 15],
  [12, 0, 23, 24, 25],
  [13, 23, 0, 34, 35],
  [14, 24, 34, 0, 45],
  [15, 25, 35, 45, 0],
];

const LAYOUTS: Record<string, string> = {
  // all rows
  FULL_MATRIX: "0 12 13 14 15 12 0\n23 24 25 13 23 0 34 35\n14 24 34 0 45 15 25 35 45 0",
  // row i: columns j > i
  UPPER_ROW: "12 13 14\n15 23 24 25 34\n35 45",
  // row i: columns j < i
  LOWER_ROW: "12 13\n23 14 24 34 15 25\n35\n45",
  // row i: columns j >= i
  UPPER_DIAG_ROW: "0 12 13 14 15 0 23\n24 25 0 34 35 0 45\n0",
  // row i: columns j <= i
  LOWER_DIAG_ROW: "0 12 0 13\n23 0 14 24 34 0 15 25\n35 45 0",
  // column j: rows i < j  (col 2: 12; col 3: 13 23; col 4: 14 24 34; col 5: 15 25 35 45)
  UPPER_COL: "12 13 23 14\n24 34 15 25 35 45",
  // column j: rows i > j  (col 1: 12 13 14 15; col 2: 23 24 25; col 3: 34 35; col 4: 45)
  LOWER_COL: "12\n13\n14\n15\n23\n24\n25\n34\n35\n45",
  // column j: rows i <= j (col 1: 0; col 2: 12 0; col 3: 13 23 0; col 4: 14 24 34 0; col 5: 15 25 35 45 0)
  UPPER_DIAG_COL: "0 12 0 13 23 0 14 24 34 0 15 25 35 45 0",
  // column j: rows i >= j (col 1: 0 12 13 14 15; col 2: 0 23 24 25; col 3: 0 34 35; col 4: 0 45; col 5: 0)
  LOWER_DIAG_COL: "0 12 13\n14 15 0 23 24 25 0 34 35 0\n45 0",
};

function explicitFile(format: string, n: number, section: string): string {
  return [
    `NAME: m${n}`,
    "TYPE: TSP",
    `DIMENSION: ${n}`,
    "EDGE_WEIGHT_TYPE: EXPLICIT",
    `EDGE_WEIGHT_FORMAT: ${format}`,
    "EDGE_WEIGHT_SECTION",
    section,
    "EOF",
    "",
  ].join("\n");
}

function matrixOf(distances: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(distances.subarray(i * n, (i + 1) * n)));
}

describe("explicit matrix layouts", () => {
  for (const [format, stream] of Object.entries(LAYOUTS)) {
    it(`${format} (written by hand) gives the 5x5 matrix`, () => {
      const inst = parseTsplib(explicitFile(format, 5, stream));
      expect(inst.edgeWeightFormat).toBe(format);
      expect(matrixOf(inst.distances, 5)).toEqual(EXPECTED);
    });
  }

  it("all nine layouts of a random 7x7 matrix, streams made by filtering and sorting index pairs", () => {
    const n = 7;
    const m: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    let v = 1;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = (v = (v * 37 + 11) % 997);
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pairs.push([i, j]);
    // keep(i, j) selects the triangle; rowMajor sorts by (row, col), else by (col, row).
    const spec: Record<string, [(i: number, j: number) => boolean, boolean]> = {
      FULL_MATRIX: [() => true, true],
      UPPER_ROW: [(i, j) => i < j, true],
      LOWER_ROW: [(i, j) => i > j, true],
      UPPER_DIAG_ROW: [(i, j) => i <= j, true],
      LOWER_DIAG_ROW: [(i, j) => i >= j, true],
      UPPER_COL: [(i, j) => i < j, false],
      LOWER_COL: [(i, j) => i > j, false],
      UPPER_DIAG_COL: [(i, j) => i <= j, false],
      LOWER_DIAG_COL: [(i, j) => i >= j, false],
    };
    for (const [format, [keep, rowMajor]] of Object.entries(spec)) {
      const entries = pairs
        .filter(([i, j]) => keep(i, j))
        .sort((a, b) => (rowMajor ? a[0] - b[0] || a[1] - b[1] : a[1] - b[1] || a[0] - b[0]))
        .map(([i, j]) => m[i][j]);
      // 4 numbers per line: never aligned with the 7-wide rows.
      const lines: string[] = [];
      for (let k = 0; k < entries.length; k += 4) lines.push(entries.slice(k, k + 4).join(" "));
      const inst = parseTsplib(explicitFile(format, n, lines.join("\n")));
      expect(matrixOf(inst.distances, n), format).toEqual(m);
    }
  });

  it("diagonal entries given in the file are replaced by 0 (the instance contract)", () => {
    const inst = parseTsplib(explicitFile("LOWER_DIAG_ROW", 3, "9 1 9\n2 3 9"));
    expect(matrixOf(inst.distances, 3)).toEqual([
      [0, 1, 2],
      [1, 0, 3],
      [2, 3, 0],
    ]);
  });
});
