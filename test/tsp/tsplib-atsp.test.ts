import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { knownOptimum } from "../../src/tsp/optima.js";
import { tourLength } from "../../src/tsp/tour.js";
import { formatTsplib, parseTsplib, readTsplib, TsplibError } from "../../src/tsp/tsplib.js";
import { Random } from "../../src/util/random.js";

/**
 * TYPE: ATSP files (src/tsp/tsplib.ts, "Asymmetric matrices"). The truth here is the raw text:
 * the numbers after EDGE_WEIGHT_SECTION, read by a split on whitespace, row i = d(i, 1..n).
 */

const SHIPPED = [
  { name: "br17", n: 17, optimum: 39 },
  { name: "ftv35", n: 36, optimum: 1473 },
  { name: "ry48p", n: 48, optimum: 14422 },
  { name: "ft53", n: 53, optimum: 6905 },
];

/** The raw n*n numbers of a FULL_MATRIX file, diagonal included, straight from the text. */
function rawMatrix(text: string): { n: number; raw: number[] } {
  const n = Number(/DIMENSION\s*:\s*(\d+)/.exec(text)![1]);
  const body = text.split("EDGE_WEIGHT_SECTION")[1].split("EOF")[0];
  const raw = body.trim().split(/\s+/).map(Number);
  expect(raw).toHaveLength(n * n);
  return { n, raw };
}

/** Tour length summed over the raw matrix: raw[a][b] for consecutive a -> b, closing edge included. */
function rawLength(raw: number[], n: number, tour: number[]): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += raw[tour[i] * n + tour[(i + 1) % n]];
  return s;
}

function shuffled(n: number, rng: Random): number[] {
  const t = Array.from({ length: n }, (_, i) => i);
  rng.shuffle(t);
  return t;
}

const HEAD = ["NAME : a4", "TYPE : ATSP", "DIMENSION : 4", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION"]; // lines 1-6
/** d(i,j) = 10 i + j (1-based), diagonal 9999: every pair differs in its two directions. */
const A4 = [
  [9999, 12, 13, 14],
  [21, 9999, 23, 24],
  [31, 32, 9999, 34],
  [41, 42, 43, 9999],
];
const A4_DISTANCES = [0, 12, 13, 14, 21, 0, 23, 24, 31, 32, 0, 34, 41, 42, 43, 0];

function failure(lines: string[], file = "bad.atsp"): TsplibError {
  try {
    parseTsplib(lines.join("\n"), file);
  } catch (err) {
    expect(err).toBeInstanceOf(TsplibError);
    return err as TsplibError;
  }
  throw new Error("expected parseTsplib to throw");
}

describe("parseTsplib: TYPE ATSP", () => {
  for (const { name, n } of SHIPPED) {
    it(`${name}.atsp: ${n} nodes, directed distances = the raw matrix off the diagonal, diagonal 0`, () => {
      const path = `problems/tsplib/${name}.atsp`;
      const { raw } = rawMatrix(readFileSync(path, "utf8"));
      const inst = readTsplib(path);
      expect(inst).toMatchObject({ name, type: "ATSP", dimension: n, edgeWeightType: "EXPLICIT", edgeWeightFormat: "FULL_MATRIX", coords: null });
      let asymmetricPairs = 0;
      // TSPLIB's diagonal is a "never use this" number (ftv35's last node has 0): ignored, set to 0.
      expect(raw[0]).toBeGreaterThanOrEqual(9999);
      for (let i = 0; i < n; i++) {
        expect(inst.distances[i * n + i]).toBe(0);
        for (let j = 0; j < n; j++) if (i !== j) expect(inst.distances[i * n + j]).toBe(raw[i * n + j]);
        for (let j = i + 1; j < n; j++) if (raw[i * n + j] !== raw[j * n + i]) asymmetricPairs++;
      }
      expect(asymmetricPairs).toBeGreaterThan(0);
    });
  }

  it("numbers may wrap across lines anywhere: one per line, all on one line, rows broken mid-way", () => {
    const flat = A4.flat().map(String);
    const layouts = [
      flat,
      [flat.join(" ")],
      ["9999 12 13", "14 21", "9999 23 24 31 32 9999", "34", "41 42 43 9999"],
      A4.map((r) => "   " + r.join("\t") + "  "),
    ];
    for (const body of layouts) {
      const inst = parseTsplib([...HEAD, ...body, "EOF"].join("\n"));
      expect(inst.type).toBe("ATSP");
      expect(Array.from(inst.distances)).toEqual(A4_DISTANCES);
    }
  });

  it("TYPE may come anywhere before the matrix, with or without a space before the colon", () => {
    const inst = parseTsplib(["DIMENSION: 4", "EDGE_WEIGHT_FORMAT: FULL_MATRIX", "TYPE: ATSP", "EDGE_WEIGHT_TYPE: EXPLICIT", "EDGE_WEIGHT_SECTION", ...A4.map((r) => r.join(" "))].join("\n"));
    expect(inst.type).toBe("ATSP");
    expect(Array.from(inst.distances)).toEqual(A4_DISTANCES);
  });

  it("a symmetric matrix under TYPE ATSP is read as given; TYPE TSP files keep type TSP", () => {
    const sym = parseTsplib([...HEAD, "0 1 2 3", "1 0 4 5", "2 4 0 6", "3 5 6 0"].join("\n"));
    expect(sym.type).toBe("ATSP");
    expect(sym.distances[1 * 4 + 2]).toBe(4);
    expect(readTsplib("problems/tsplib/bays29.tsp").type).toBe("TSP");
    expect(readTsplib("problems/tsplib/burma14.tsp").type).toBe("TSP");
  });

  const TRIANGLES = ["UPPER_ROW", "LOWER_ROW", "UPPER_DIAG_ROW", "LOWER_DIAG_ROW", "UPPER_COL", "LOWER_COL", "UPPER_DIAG_COL", "LOWER_DIAG_COL"];
  const cases: [string, string[], string][] = [
    [
      "too few numbers",
      [...HEAD, "9999 12 13 14", "21 9999 23 24", "31 32 9999 34", "41 42 43", "EOF"],
      "bad.atsp:10: EDGE_WEIGHT_SECTION (line 6) ends after 15 numbers; FULL_MATRIX for DIMENSION 4 needs 16",
    ],
    [
      "too many numbers",
      [...HEAD, "9999 12 13 14", "21 9999 23 24", "31 32 9999 34", "41 42 43 9999", "7", "EOF"],
      "bad.atsp:11: extra number 7 in EDGE_WEIGHT_SECTION: FULL_MATRIX for DIMENSION 4 has exactly 16 numbers",
    ],
    [
      "a non-numeric entry",
      [...HEAD, "9999 12 13 14", "21 9999 x 24"],
      "bad.atsp:8: non-numeric token 'x' in EDGE_WEIGHT_SECTION; expected a number",
    ],
    [
      "EDGE_WEIGHT_TYPE with coordinates",
      ["NAME : c", "TYPE : ATSP", "DIMENSION : 3", "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION", "1 0 0", "2 3 0", "3 3 4", "EOF"],
      "bad.atsp:4: EDGE_WEIGHT_TYPE EUC_2D gives symmetric distances; TYPE ATSP needs EDGE_WEIGHT_TYPE EXPLICIT with a FULL_MATRIX (a symmetric problem is TYPE TSP)",
    ],
    [
      "TYPE ATSP after the matrix",
      ["DIMENSION : 2", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION", "0 5", "5 0", "TYPE : ATSP"],
      "bad.atsp:7: TYPE ATSP must be given before EDGE_WEIGHT_SECTION",
    ],
    [
      "an asymmetric matrix without TYPE ATSP is still refused",
      ["DIMENSION : 2", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION", "0 5", "6 0"],
      "bad.atsp:6: FULL_MATRIX is not symmetric: d(1,2) = 5 but d(2,1) = 6; expected a symmetric TSP matrix",
    ],
    ...TRIANGLES.map((format): [string, string[], string] => [
      `${format} for ATSP`,
      ["NAME : t", "TYPE : ATSP", "DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", `EDGE_WEIGHT_FORMAT : ${format}`, "EDGE_WEIGHT_SECTION", "1 2 3 4 5 6", "EOF"],
      `bad.atsp:5: EDGE_WEIGHT_FORMAT ${format} cannot hold an asymmetric matrix (a triangle gives one weight per pair of nodes); TYPE ATSP needs FULL_MATRIX`,
    ]),
  ];
  for (const [what, lines, message] of cases) {
    it(`bad input names file and line: ${what}`, () => {
      const err = failure(lines);
      expect(err.message).toBe(message);
      expect(message.startsWith(`bad.atsp:${err.line}: `)).toBe(true);
    });
  }

  it("bad input names file and line: a number too large to be finite", () => {
    const err = failure([...HEAD, "9999 12 13 14", "21 9999 23 24", "31 32 1e999 34", "41 42 43 9999"]);
    expect(err.line).toBe(9);
    expect(err.message).toMatch(/^bad\.atsp:9: .*finite/);
  });
});

describe("formatTsplib: ATSP round trip", () => {
  it("br17 and a random asymmetric instance come back with the same type and distances", () => {
    const rng = new Random(14);
    const n = 7;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i * n + j] = rng.int(1000) - 100;
    const made = { ...readTsplib("problems/tsplib/br17.atsp"), name: "r7", dimension: n, distances: d, comment: "random\ndirected" };
    for (const inst of [readTsplib("problems/tsplib/br17.atsp"), made]) {
      const text = formatTsplib(inst);
      expect(text).toContain("\nTYPE : ATSP\n");
      expect(text).toContain("\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\n");
      const back = parseTsplib(text);
      expect(back).toMatchObject({ name: inst.name, type: "ATSP", dimension: inst.dimension, comment: inst.comment, edgeWeightFormat: "FULL_MATRIX" });
      expect(Array.from(back.distances)).toEqual(Array.from(inst.distances));
    }
    // A symmetric TSP instance stays TYPE TSP.
    expect(formatTsplib(readTsplib("problems/tsplib/bays29.tsp"))).toContain("\nTYPE : TSP\n");
  });
});

describe("tourLength on ATSP instances: the directed length", () => {
  for (const { name, n } of SHIPPED) {
    it(`${name}: equals the brute-force sum over the raw matrix text, in the tour's direction`, () => {
      const path = `problems/tsplib/${name}.atsp`;
      const { raw } = rawMatrix(readFileSync(path, "utf8"));
      const inst = readTsplib(path);
      const rng = new Random(n);
      let directionMatters = false;
      for (let trial = 0; trial < 20; trial++) {
        const tour = shuffled(n, rng);
        const reverse = tour.slice().reverse();
        expect(tourLength(inst, tour)).toBe(rawLength(raw, n, tour));
        expect(tourLength(inst, reverse)).toBe(rawLength(raw, n, reverse));
        if (rawLength(raw, n, tour) !== rawLength(raw, n, reverse)) directionMatters = true;
      }
      expect(directionMatters).toBe(true);
    });
  }

  it("br17: Held-Karp on the directed matrix finds the published optimum 39, measured on the raw text", () => {
    const inst = readTsplib("problems/tsplib/br17.atsp");
    const { raw } = rawMatrix(readFileSync("problems/tsplib/br17.atsp", "utf8"));
    const { length, tour } = heldKarp(inst);
    expect(length).toBe(39);
    expect(rawLength(raw, 17, tour)).toBe(39);
    expect(knownOptimum(inst.name, inst.dimension)).toBe(39);
    expect(knownOptimum("problems/tsplib/ftv35.atsp", 36)).toBe(1473);
  });
});
