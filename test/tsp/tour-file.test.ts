import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TourError } from "../../src/tsp/tour.js";
import { formatTour, parseTour, readTour, TsplibError, writeTour } from "../../src/tsp/tsplib.js";

const HEAD = ["NAME : t.tour", "TYPE : TOUR", "DIMENSION : 5", "TOUR_SECTION"]; // lines 1-4

describe("parseTour: the variants that occur", () => {
  const variants: [string, string[]][] = [
    ["one id per line, -1, EOF", [...HEAD, "1", "3", "5", "2", "4", "-1", "EOF"]],
    ["several ids per line", [...HEAD, "1 3 5", "2 4 -1", "EOF"]],
    ["all on one line, no EOF", [...HEAD, "1 3 5 2 4 -1"]],
    ["no -1, ending at EOF", [...HEAD, "1 3", "5 2 4", "EOF"]],
    ["no -1, no EOF", [...HEAD, "1", "3", "5", "2", "4"]],
    ["the section's extra -1 (spec 1.2.7)", [...HEAD, "1 3 5 2 4", "-1", "-1", "EOF", ""]],
    ["KEY: value without space, COMMENT, indented EOF", ["NAME: t.tour", "COMMENT: Length 9", "TYPE: TOUR", "DIMENSION: 5", "TOUR_SECTION", "1 3 5 2 4 -1", "  EOF"]],
  ];
  for (const [what, lines] of variants) {
    it(what, () => {
      const t = parseTour(lines.join("\n"), "t.tour");
      expect(t.tour).toEqual([0, 2, 4, 1, 3]);
      expect(t.dimension).toBe(5);
      expect(t.name).toBe("t.tour");
      expect(t.source).toBe("t.tour");
    });
  }

  it("keeps a tour that does not start at node 1 in file order (0-based)", () => {
    const t = parseTour([...HEAD, "4 2 5", "1 3", "-1", "EOF"].join("\r\n"));
    expect(t.tour).toEqual([3, 1, 4, 0, 2]);
  });

  it("takes the dimension from the tour when DIMENSION is absent, and defaults NAME to the file name", () => {
    const t = parseTour(["TYPE : TOUR", "TOUR_SECTION", "2 3 1 -1"].join("\n"), "dir/x.tour");
    expect(t).toMatchObject({ name: "x", dimension: 3, tour: [1, 2, 0], comment: "" });
  });

  it("reads the shipped gr24 tour (24 ids on one line, ending at node 1)", () => {
    const t = readTour("problems/tsplib/gr24.opt.tour");
    expect(t.tour.slice(0, 3)).toEqual([15, 10, 2]);
    expect(t.tour[23]).toBe(0);
  });
});

describe("formatTour / writeTour", () => {
  it("writes the TSPLIB TOUR layout", () => {
    expect(formatTour("tri.opt", [0, 2, 1], "length 12")).toBe(
      "NAME : tri.opt\nCOMMENT : length 12\nTYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n3\n2\n-1\nEOF\n",
    );
    expect(formatTour("x", [1, 0])).toBe("NAME : x\nTYPE : TOUR\nDIMENSION : 2\nTOUR_SECTION\n2\n1\n-1\nEOF\n");
  });

  it("round-trips through a file: name, comment, tour (not rotated)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fmanneal-tour-"));
    const path = join(dir, "a.tour");
    const tour = [4, 0, 6, 2, 5, 1, 3];
    writeTour(path, "seven", tour, "found by a test\nsecond line");
    const back = readTour(path, { dimension: 7 });
    expect(back.tour).toEqual(tour);
    expect(back.name).toBe("seven");
    expect(back.comment).toBe("found by a test\nsecond line");
    expect(readFileSync(path, "utf8").split("\n").filter((l) => l.startsWith("COMMENT"))).toHaveLength(2);
  });

  it("refuses a non-permutation and reports an unwritable path", () => {
    expect(() => formatTour("x", [0, 1, 1])).toThrow(TourError);
    expect(() => writeTour("/nonexistent-dir/x.tour", "x", [0, 1])).toThrow(/^cannot write \/nonexistent-dir\/x\.tour: /);
  });
});

describe("parseTour: bad input", () => {
  const cases: [string, string[] | string, string, number?][] = [
    ["empty file", "", "bad.tour:1: empty file; expected a TSPLIB tour starting with 'NAME : ...' or 'TYPE : ...'"],
    ["a problem file", ["NAME : x", "TYPE : TSP"], "bad.tour:2: TYPE 'TSP' is not a tour; expected TYPE TOUR"],
    ["missing TOUR_SECTION", ["NAME : x", "TYPE : TOUR", "DIMENSION : 3", "EOF"], "bad.tour:4: missing TOUR_SECTION"],
    ["empty TOUR_SECTION", [...HEAD, "EOF"], "bad.tour:4: empty TOUR_SECTION; expected node ids ending with -1"],
    ["-1 first", [...HEAD, "-1"], "bad.tour:5: empty tour: -1 before any node id"],
    ["repeated node", [...HEAD, "1 3 5", "3 4 -1"], "bad.tour:6: node 3 appears twice in the tour (first at line 5)"],
    ["node id above DIMENSION", [...HEAD, "1 3 6 2 4 -1"], "bad.tour:5: node id 6 out of range; expected 1..5 (DIMENSION)"],
    ["node id 0", [...HEAD, "0 1 2 3 4 -1"], "bad.tour:5: node id 0 out of range; expected a positive integer or -1"],
    ["negative node id", [...HEAD, "1 2 -3 4 5 -1"], "bad.tour:5: node id -3 out of range; expected a positive integer or -1"],
    ["fractional node id", [...HEAD, "1 2 3.5 4 5 -1"], "bad.tour:5: node id 3.5 out of range; expected a positive integer or -1"],
    ["non-numeric token", [...HEAD, "1 2 three 4 5 -1"], "bad.tour:5: non-numeric token 'three' in TOUR_SECTION; expected a number"],
    ["fewer nodes than DIMENSION", [...HEAD, "1 2 3", "4 -1", "EOF"], "bad.tour:6: tour lists 4 nodes; expected DIMENSION 5"],
    ["more nodes than DIMENSION", [...HEAD, "1 2 3 4 5", "6 -1"], "bad.tour:6: node id 6 out of range; expected 1..5 (DIMENSION)"],
    ["more nodes than DIMENSION (repeat)", [...HEAD, "1 2 3 4 5", "1 -1"], "bad.tour:6: more than DIMENSION 5 nodes in the tour; expected -1"],
    ["without DIMENSION, an id beyond the tour's length", ["TYPE : TOUR", "TOUR_SECTION", "1 2 4 -1"], "bad.tour:3: node id 4 out of range; expected 1..3"],
    ["a second tour", [...HEAD, "1 2 3 4 5 -1", "5 4 3 2 1 -1", "-1"], "bad.tour:6: a second tour starts here; expected one tour per file (TOUR_SECTION at line 4)"],
    ["three -1", [...HEAD, "1 2 3 4 5 -1 -1 -1"], "bad.tour:5: unexpected -1; the tour and the section are already closed"],
    ["DIMENSION after the tour", ["TYPE : TOUR", "TOUR_SECTION", "1 2 3 -1", "DIMENSION : 3"], "bad.tour:4: DIMENSION must come before TOUR_SECTION (line 2)"],
    ["bad DIMENSION", ["TYPE : TOUR", "DIMENSION : -3"], "bad.tour:2: DIMENSION must be a positive integer, found '-3'"],
    ["another section", [...HEAD.slice(0, 3), "NODE_COORD_SECTION"], "bad.tour:4: NODE_COORD_SECTION in a tour file; expected TOUR_SECTION"],
    ["unknown keyword", ["NAME : x", "LENGTH : 12"], "bad.tour:2: unknown keyword LENGTH in a tour file; expected NAME, TYPE, COMMENT, DIMENSION, TOUR_SECTION or EOF"],
    ["binary data", "NAME : x\n\u0000\u00ff\u0003", "bad.tour:2: binary data (byte 0x00); expected a TSPLIB tour text file"],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      const text = Array.isArray(input) ? input.join("\n") : input;
      expect(() => parseTour(text, "bad.tour")).toThrow(TsplibError);
      expect(() => parseTour(text, "bad.tour")).toThrow(message);
      try {
        parseTour(text, "bad.tour");
      } catch (err) {
        expect((err as TsplibError).message).toBe(message);
      }
    });
  }

  it("a DIMENSION different from the instance's is refused at the DIMENSION line", () => {
    expect(() => parseTour([...HEAD, "1 2 3 4 5 -1"].join("\n"), "bad.tour", { dimension: 6 })).toThrow(
      /^bad\.tour:3: tour DIMENSION 5 does not match the instance's DIMENSION 6$/,
    );
    expect(() => parseTour(["TYPE : TOUR", "TOUR_SECTION", "1 2 3 -1"].join("\n"), "bad.tour", { dimension: 4 })).toThrow(
      /^bad\.tour:2: tour has 3 nodes; the instance has DIMENSION 4$/,
    );
  });

  it("readTour of a missing file", () => {
    expect(() => readTour("/nonexistent-dir/x.tour")).toThrow("/nonexistent-dir/x.tour: cannot read file: no such file");
  });
});

describe("parseTour: non-finite ids and declared sizes (issue 17, item 2)", () => {
  it("refuses an id beyond the doubles at its line, and a DIMENSION larger than the ids given", () => {
    expect(() => parseTour("TYPE : TOUR\nTOUR_SECTION\n1 2 1e309\n-1\n", "t.tour")).toThrow(
      /^t\.tour:3: number '1e309' in TOUR_SECTION is too large \(not a finite double\)/,
    );
    expect(() => parseTour("TYPE : TOUR\nDIMENSION : 2147483647\nTOUR_SECTION\n1 2 3\n-1\n", "t.tour")).toThrow(/^t\.tour:4: tour lists 3 nodes; expected DIMENSION 2147483647$/);
  });
});
