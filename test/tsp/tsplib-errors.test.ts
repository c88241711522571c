import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, UserError } from "../../src/util/errors.js";
import { parseTsplib, readTsplib, TsplibError } from "../../src/tsp/tsplib.js";

/** The error parseTsplib throws for `lines` (joined with "\n"), checked to be a TsplibError. */
function failure(lines: string[] | string, file = "bad.tsp"): TsplibError {
  const text = Array.isArray(lines) ? lines.join("\n") : lines;
  try {
    parseTsplib(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(TsplibError);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toBeInstanceOf(UserError);
    return err as TsplibError;
  }
  throw new Error("expected parseTsplib to throw");
}

const HEAD = ["NAME : t", "TYPE : TSP", "DIMENSION : 3", "EDGE_WEIGHT_TYPE : EUC_2D"]; // lines 1-4
const NODES = ["NODE_COORD_SECTION", "1 0 0", "2 3 0", "3 3 4"]; // lines 5-8

describe("parseTsplib: well-formed variants", () => {
  it("reads KEY: value, KEY : value and KEY:value mixed, trailing spaces, indented EOF, no EOF", () => {
    const a = parseTsplib(["NAME: t  ", "TYPE :TSP", "DIMENSION:3", "EDGE_WEIGHT_TYPE :  EUC_2D   ", ...NODES, "   EOF  "].join("\n"));
    const b = parseTsplib([...HEAD, ...NODES].join("\r\n"));
    for (const inst of [a, b]) {
      expect(inst.name).toBe("t");
      expect(inst.dimension).toBe(3);
      expect(Array.from(inst.distances)).toEqual([0, 3, 5, 3, 0, 4, 5, 4, 0]);
      expect(Array.from(inst.coords!)).toEqual([0, 0, 3, 0, 3, 4]);
      expect(inst.coordDims).toBe(2);
      expect(inst.source).toBe("<input>");
    }
  });

  it("reads scientific notation, nodes in any order, blank lines, several COMMENT lines", () => {
    const inst = parseTsplib(
      ["COMMENT : one", ...HEAD, "COMMENT : two", "NODE_COORD_SECTION", "3 3.0e+00 4E0", "", "1 0.0e+00 0", "2 .3e1 -0"].join("\n"),
    );
    expect(inst.comment).toBe("one\ntwo");
    expect(Array.from(inst.coords!)).toEqual([0, 0, 3, -0, 3, 4]);
    expect(inst.distances[2]).toBe(5);
  });

  it("skips a DISPLAY_DATA_SECTION and accepts DISPLAY_DATA_TYPE and NODE_COORD_TYPE", () => {
    const inst = parseTsplib(
      [
        "NAME: e",
        "TYPE: TSP (someone)",
        "DIMENSION: 3",
        "EDGE_WEIGHT_TYPE: EXPLICIT",
        "EDGE_WEIGHT_FORMAT: UPPER_ROW",
        "DISPLAY_DATA_TYPE: TWOD_DISPLAY",
        "EDGE_WEIGHT_SECTION",
        "1 2 3",
        "DISPLAY_DATA_SECTION",
        "1 10.0 20.0",
        "2 11.0 21.0",
        "3 12.0 22.0",
        "EOF",
      ].join("\n"),
    );
    expect(Array.from(inst.distances)).toEqual([0, 1, 2, 1, 0, 3, 2, 3, 0]);
    expect(inst.coords).toBeNull();
    expect(inst.coordDims).toBe(0);
    const three = parseTsplib(
      ["NAME: c", "TYPE: TSP", "DIMENSION: 2", "EDGE_WEIGHT_TYPE: EUC_3D", "NODE_COORD_TYPE: THREED_COORDS", "NODE_COORD_SECTION", "1 0 0 0", "2 1 2 2"].join("\n"),
    );
    expect(three.coordDims).toBe(3);
    expect(three.distances[1]).toBe(3);
  });

  it("ignores everything after EOF", () => {
    expect(parseTsplib([...HEAD, ...NODES, "EOF", "garbage 1 2 3", "\u00e9\u00e9"].join("\n")).dimension).toBe(3);
  });

  it("names an instance without NAME after its file", () => {
    expect(parseTsplib(HEAD.slice(1).concat(NODES).join("\n"), "dir/tri.tsp").name).toBe("tri");
  });
});

describe("parseTsplib: bad input names file, line and what was expected", () => {
  // Something missing at the end is reported at the last line read (EOF, or the file's last line).
  const cases: [string, string[] | string, string][] = [
    ["empty file", "", "bad.tsp:1: empty file; expected a TSPLIB problem starting with 'NAME : ...' or 'TYPE : ...'"],
    ["blank lines only", "\n  \n\n", "bad.tsp:1: empty file; expected a TSPLIB problem starting with 'NAME : ...' or 'TYPE : ...'"],
    [
      "missing DIMENSION (before a section)",
      ["NAME : t", "TYPE : TSP", "EDGE_WEIGHT_TYPE : EUC_2D", ...NODES],
      "bad.tsp:4: missing DIMENSION: it must be given before NODE_COORD_SECTION",
    ],
    ["missing DIMENSION (no section)", ["NAME : t", "TYPE : TSP", "", "EOF"], "bad.tsp:4: missing DIMENSION"],
    ["negative DIMENSION", ["NAME : t", "DIMENSION : -5"], "bad.tsp:2: DIMENSION must be a positive integer, found '-5'"],
    ["zero DIMENSION", ["NAME : t", "DIMENSION : 0"], "bad.tsp:2: DIMENSION must be a positive integer, found '0'"],
    ["non-integer DIMENSION", ["NAME : t", "DIMENSION : 3.5"], "bad.tsp:2: DIMENSION must be a positive integer, found '3.5'"],
    ["non-numeric DIMENSION", ["DIMENSION : many"], "bad.tsp:1: DIMENSION must be a positive integer, found 'many'"],
    [
      "fewer nodes than DIMENSION",
      [...HEAD, ...NODES.slice(0, 3), "EOF"],
      "bad.tsp:7: NODE_COORD_SECTION has 2 nodes; expected DIMENSION 3",
    ],
    ["more nodes than DIMENSION", [...HEAD, ...NODES, "3 5 5"], "bad.tsp:9: more nodes than DIMENSION 3 in NODE_COORD_SECTION"],
    ["node id out of range (high)", [...HEAD, ...NODES.slice(0, 3), "4 3 4"], "bad.tsp:8: node id 4 out of range; expected an integer in 1..3 (DIMENSION)"],
    ["node id out of range (zero)", [...HEAD, "NODE_COORD_SECTION", "0 0 0"], "bad.tsp:6: node id 0 out of range; expected an integer in 1..3 (DIMENSION)"],
    ["non-integer node id", [...HEAD, "NODE_COORD_SECTION", "1.5 0 0"], "bad.tsp:6: node id 1.5 out of range; expected an integer in 1..3 (DIMENSION)"],
    ["repeated node id", [...HEAD, ...NODES.slice(0, 3), "2 3 4"], "bad.tsp:8: node 2 given twice (first at line 7)"],
    ["a node line with too few numbers", [...HEAD, "NODE_COORD_SECTION", "1 0 0", "2 3"], "bad.tsp:7: expected a node line 'id x y' (3 numbers), found 2"],
    ["non-numeric coordinate", [...HEAD, "NODE_COORD_SECTION", "1 0 0", "2 3 O"], "bad.tsp:7: non-numeric token 'O' in NODE_COORD_SECTION; expected a number"],
    ["number glued to text", [...HEAD, "NODE_COORD_SECTION", "1 0 0", "2x 3 0"], "bad.tsp:7: non-numeric token '2x' in NODE_COORD_SECTION; expected a number"],
    ["NaN is not a number here", [...HEAD, "NODE_COORD_SECTION", "1 NaN 0"], "bad.tsp:6: non-numeric token 'NaN' in NODE_COORD_SECTION; expected a number"],
    ["numbers outside a section", [...HEAD, "1 0 0"], "bad.tsp:5: expected a 'KEYWORD : value' line or a section keyword, found '1 0 0'"],
    ["keyword without colon", ["NAME t"], "bad.tsp:1: expected a 'KEYWORD : value' line or a section keyword, found 'NAME t'"],
    ["bare keyword that needs a value", ["NAME"], "bad.tsp:1: expected 'NAME : <value>'"],
    [
      "unknown keyword",
      ["NAME : t", "COLOUR : blue"],
      "bad.tsp:2: unknown keyword COLOUR; expected NAME, TYPE, COMMENT, DIMENSION, EDGE_WEIGHT_TYPE, EDGE_WEIGHT_FORMAT, NODE_COORD_TYPE, DISPLAY_DATA_TYPE, a section or EOF",
    ],
    ["unknown section", ["NAME : t", "DIMENSION : 3", "MAGIC_SECTION", "1 2"], "bad.tsp:3: unknown section MAGIC_SECTION"],
    ["keyword given twice", ["NAME : t", "DIMENSION : 3", "DIMENSION : 4"], "bad.tsp:3: DIMENSION given twice (first at line 2)"],
    ["unknown TYPE", ["NAME : t", "TYPE : TPS"], "bad.tsp:2: unknown TYPE 'TPS'; expected TSP or ATSP"],
    ["TYPE HCP", ["TYPE: HCP"], "bad.tsp:1: TYPE HCP: Hamiltonian cycle problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)"],
    ["TYPE CVRP", ["TYPE: CVRP"], "bad.tsp:1: TYPE CVRP: vehicle routing problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)"],
    ["TYPE SOP", ["TYPE: SOP"], "bad.tsp:1: TYPE SOP: sequential ordering problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)"],
    ["TYPE TOUR", ["TYPE: TOUR"], "bad.tsp:1: TYPE TOUR is a tour file; expected a problem file with TYPE TSP or ATSP"],
    [
      "FIXED_EDGES_SECTION",
      [...HEAD, ...NODES, "FIXED_EDGES_SECTION", "1 2", "-1"],
      "bad.tsp:9: FIXED_EDGES_SECTION is not supported (fixed edges would change the problem)",
    ],
    ["CVRP keyword", ["NAME : t", "CAPACITY : 100"], "bad.tsp:2: CAPACITY belongs to CVRP files, which are not supported"],
    [
      "EDGE_WEIGHT_TYPE XRAY1",
      ["NAME : t", "EDGE_WEIGHT_TYPE : XRAY1"],
      "bad.tsp:2: EDGE_WEIGHT_TYPE XRAY1 is not supported (supported: EXPLICIT, EUC_2D, EUC_3D, MAN_2D, MAN_3D, MAX_2D, MAX_3D, CEIL_2D, GEO, ATT)",
    ],
    [
      "EDGE_WEIGHT_TYPE XRAY2",
      ["EDGE_WEIGHT_TYPE: XRAY2"],
      "bad.tsp:1: EDGE_WEIGHT_TYPE XRAY2 is not supported (supported: EXPLICIT, EUC_2D, EUC_3D, MAN_2D, MAN_3D, MAX_2D, MAX_3D, CEIL_2D, GEO, ATT)",
    ],
    [
      "EDGE_WEIGHT_TYPE SPECIAL",
      ["EDGE_WEIGHT_TYPE: SPECIAL"],
      "bad.tsp:1: EDGE_WEIGHT_TYPE SPECIAL is not supported (supported: EXPLICIT, EUC_2D, EUC_3D, MAN_2D, MAN_3D, MAX_2D, MAX_3D, CEIL_2D, GEO, ATT)",
    ],
    [
      "unknown EDGE_WEIGHT_TYPE",
      ["EDGE_WEIGHT_TYPE: EUC_4D"],
      "bad.tsp:1: unknown EDGE_WEIGHT_TYPE 'EUC_4D'; expected one of EXPLICIT, EUC_2D, EUC_3D, MAN_2D, MAN_3D, MAX_2D, MAX_3D, CEIL_2D, GEO, ATT",
    ],
    [
      "unknown EDGE_WEIGHT_FORMAT",
      ["EDGE_WEIGHT_FORMAT: UPPER_TRIANGLE"],
      "bad.tsp:1: unknown EDGE_WEIGHT_FORMAT 'UPPER_TRIANGLE'; expected FUNCTION or one of FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW, UPPER_COL, LOWER_COL, UPPER_DIAG_COL, LOWER_DIAG_COL",
    ],
    [
      "unknown DISPLAY_DATA_TYPE",
      ["DISPLAY_DATA_TYPE: THREED_DISPLAY"],
      "bad.tsp:1: unknown DISPLAY_DATA_TYPE 'THREED_DISPLAY'; expected COORD_DISPLAY, TWOD_DISPLAY, NO_DISPLAY",
    ],
    ["missing EDGE_WEIGHT_TYPE", ["NAME : t", "DIMENSION : 3", "EOF"], "bad.tsp:3: missing EDGE_WEIGHT_TYPE"],
    ["missing NODE_COORD_SECTION", [...HEAD, "EOF"], "bad.tsp:5: missing NODE_COORD_SECTION for EDGE_WEIGHT_TYPE EUC_2D"],
    [
      "matrix format with a coordinate type",
      [...HEAD, "EDGE_WEIGHT_FORMAT : FULL_MATRIX", ...NODES],
      "bad.tsp:5: EDGE_WEIGHT_FORMAT FULL_MATRIX does not fit EDGE_WEIGHT_TYPE EUC_2D; expected FUNCTION or no format",
    ],
    [
      "EDGE_WEIGHT_SECTION without EXPLICIT",
      [...HEAD, "EDGE_WEIGHT_SECTION", "1 2 3"],
      "bad.tsp:5: EDGE_WEIGHT_SECTION needs EDGE_WEIGHT_TYPE EXPLICIT, found EUC_2D (line 4)",
    ],
    [
      "EXPLICIT without a format",
      ["DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_SECTION", "1 2 3"],
      "bad.tsp:3: EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_FORMAT before EDGE_WEIGHT_SECTION, one of FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW, UPPER_COL, LOWER_COL, UPPER_DIAG_COL, LOWER_DIAG_COL",
    ],
    [
      "EXPLICIT without a section",
      ["DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : UPPER_ROW", "EOF"],
      "bad.tsp:4: missing EDGE_WEIGHT_SECTION for EDGE_WEIGHT_TYPE EXPLICIT",
    ],
    [
      "truncated matrix",
      ["DIMENSION : 4", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : UPPER_ROW", "EDGE_WEIGHT_SECTION", "1 2 3", "4 5", "EOF"],
      "bad.tsp:6: EDGE_WEIGHT_SECTION (line 4) ends after 5 numbers; UPPER_ROW for DIMENSION 4 needs 6",
    ],
    [
      "extra numbers in a matrix",
      ["DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : LOWER_DIAG_ROW", "EDGE_WEIGHT_SECTION", "0 1 0", "2 3 0 7", "EOF"],
      "bad.tsp:6: extra number 7 in EDGE_WEIGHT_SECTION: LOWER_DIAG_ROW for DIMENSION 3 has exactly 6 numbers",
    ],
    [
      "non-numeric matrix entry",
      ["DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : UPPER_ROW", "EDGE_WEIGHT_SECTION", "1 2,5 3"],
      "bad.tsp:5: non-numeric token '2,5' in EDGE_WEIGHT_SECTION; expected a number",
    ],
    [
      "asymmetric FULL_MATRIX",
      ["DIMENSION : 2", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION", "0 5", "6 0"],
      "bad.tsp:6: FULL_MATRIX is not symmetric: d(1,2) = 5 but d(2,1) = 6; expected a symmetric TSP matrix",
    ],
    [
      "DIMENSION far larger than the coordinates",
      ["NAME : t", "DIMENSION : 1000000000000", "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION", "1 0 0", "2 1 1", "EOF"],
      "bad.tsp:6: NODE_COORD_SECTION has 2 nodes; expected DIMENSION 1000000000000",
    ],
    [
      "DIMENSION far larger than the matrix",
      ["DIMENSION : 2000000000", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION", "0 1", "1 0"],
      "bad.tsp:6: EDGE_WEIGHT_SECTION (line 4) ends after 4 numbers; FULL_MATRIX for DIMENSION 2000000000 needs 4000000000000000000",
    ],
    [
      "DIMENSION beyond the supported maximum, with matching data",
      ["DIMENSION : 5001", "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION", ...Array.from({ length: 5001 }, (_, i) => `${i + 1} ${i} 0`)],
      "bad.tsp:4: DIMENSION 5001 is larger than the supported maximum 5000 (the full distance matrix is kept in memory)",
    ],
    ["NUL bytes", "NAME : t\nTYPE : TSP\n\u0000\u0000\u0001garbage", "bad.tsp:3: binary data (byte 0x00); expected a TSPLIB problem text file"],
    ["other control bytes", "NAME : t\r\nDIM\u0007ENSION : 3", "bad.tsp:2: binary data (byte 0x07); expected a TSPLIB problem text file"],
    [
      "data after a section keyword on its line",
      [...HEAD, "NODE_COORD_SECTION : 1 0 0"],
      "bad.tsp:5: unexpected '1 0 0' after NODE_COORD_SECTION; data starts on the next line",
    ],
    ["section given twice", [...HEAD, ...NODES, ...NODES], "bad.tsp:9: NODE_COORD_SECTION given twice (first at line 5)"],
    [
      "3-D coordinates for a 2-D type",
      [...HEAD, "NODE_COORD_SECTION", "1 0 0 0"],
      "bad.tsp:6: expected a node line 'id x y' (3 numbers), found 4",
    ],
    [
      "NODE_COORD_TYPE contradicting EDGE_WEIGHT_TYPE",
      [...HEAD, "NODE_COORD_TYPE : THREED_COORDS", ...NODES],
      "bad.tsp:5: NODE_COORD_TYPE THREED_COORDS contradicts EDGE_WEIGHT_TYPE EUC_2D (2-D coordinates)",
    ],
    ["TOUR_SECTION in a TSP file", [...HEAD, ...NODES, "TOUR_SECTION", "1 2 3 -1"], "bad.tsp:9: TOUR_SECTION in a TSP file; expected it only in a TYPE TOUR file"],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      const err = failure(input);
      expect(err.message).toBe(message);
      expect(err.file).toBe("bad.tsp");
      expect(message.startsWith(`bad.tsp:${err.line}: `)).toBe(true);
    });
  }

  it("readTsplib: a missing file, a directory, and binary garbage on disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "fmanneal-tsplib-"));
    expect(() => readTsplib(join(dir, "none.tsp"))).toThrow(`${join(dir, "none.tsp")}: cannot read file: no such file`);
    expect(() => readTsplib(dir)).toThrow(`${dir}: cannot read file: is a directory`);
    const bin = join(dir, "random.tsp");
    // A deterministic byte soup with NUL bytes, like a misnamed binary file.
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 73 + 41) % 256));
    writeFileSync(bin, bytes);
    expect(() => readTsplib(bin)).toThrow(TsplibError);
    expect(() => readTsplib(bin)).toThrow(/^.*random\.tsp:1: binary data \(byte 0x[0-9a-f]{2}\); expected a TSPLIB problem text file$/);
  });
});

describe("non-finite numbers and declared sizes (issue 17, item 2)", () => {
  const EXPLICIT = ["NAME : t", "TYPE : TSP", "DIMENSION : 3", "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : UPPER_ROW", "EDGE_WEIGHT_SECTION"]; // lines 1-6

  it("refuses a coordinate or a weight beyond the doubles (1e309 reads as Infinity) at its line", () => {
    expect(failure([...HEAD, "NODE_COORD_SECTION", "1 0 0", "2 1e309 0", "3 3 4"]).message).toBe(
      "bad.tsp:7: number '1e309' in NODE_COORD_SECTION is too large (not a finite double); expected at most about 1.8e308 in magnitude",
    );
    expect(failure([...HEAD, "NODE_COORD_SECTION", "1 0 0", "2 3 0", "3 3 -1E+400"]).message).toMatch(/^bad\.tsp:8: number '-1E\+400' in NODE_COORD_SECTION is too large/);
    expect(failure([...EXPLICIT, "1 1e309", "2"]).message).toMatch(/^bad\.tsp:7: number '1e309' in EDGE_WEIGHT_SECTION is too large/);
  });

  it("refuses finite coordinates whose distance overflows, at the line of the node", () => {
    // 1e200 squared is beyond the doubles: the EUC_2D distance of nodes 1 and 2 would be Infinity.
    expect(failure([...HEAD, "NODE_COORD_SECTION", "1 0 0", "2 3 1e200", "3 3 4"]).message).toBe(
      "bad.tsp:7: the distance between nodes 1 and 2 is Infinity (EUC_2D from the NODE_COORD_SECTION coordinates); expected numbers small enough for finite distances",
    );
  });

  it("refuses weights so large that a tour's length overflows (1e308 x 3 nodes)", () => {
    expect(failure([...EXPLICIT, "1 1e308", "2"]).message).toMatch(/^bad\.tsp:6: distances up to 1e\+308 \(EDGE_WEIGHT_SECTION\) make a tour of 3 nodes longer than the largest double/);
    // The largest weights whose tours stay finite are fine.
    const ok = parseTsplib([...EXPLICIT, "1 5e307", "2"].join("\n"));
    expect(ok.distances[1]).toBe(1);
    expect(Number.isFinite(ok.distances[2] * 3)).toBe(true);
  });

  it("a DIMENSION larger than the data present is refused by counting, before any n x n allocation", () => {
    for (const dim of ["1000000000", "2147483647", "5000"]) {
      const head = ["NAME : t", "TYPE : TSP", `DIMENSION : ${dim}`, "EDGE_WEIGHT_TYPE : EUC_2D"];
      expect(failure([...head, ...NODES.slice(0, 3)]).message).toBe(`bad.tsp:7: NODE_COORD_SECTION has 2 nodes; expected DIMENSION ${dim}`);
      const explicit = ["NAME : t", "TYPE : TSP", `DIMENSION : ${dim}`, "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION", "0 1 2"];
      expect(failure(explicit).message).toMatch(new RegExp(`^bad\\.tsp:7: EDGE_WEIGHT_SECTION \\(line 6\\) ends after 3 numbers; FULL_MATRIX for DIMENSION ${dim} needs `));
    }
  });
});
