import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { knownOptimum, optimalTourPath, optimumEntries, optimumEntry } from "../../src/tsp/optima.js";
import { tourLength } from "../../src/tsp/tour.js";
import { readTour, readTsplib } from "../../src/tsp/tsplib.js";

const DIR = "problems/tsplib";

/** The published table, read here independently of src/tsp/optima.ts. */
const published = readFileSync(join(DIR, "optima.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((row) => {
    const [name, dimension, type, format, optimum, tour] = row.split("\t");
    return { name, dimension: Number(dimension), type, format, optimum: Number(optimum), tour };
  });

/** The four ATSP instances of the table, shipped as `<name>.atsp` (TSPLIB's suffix for TYPE ATSP). */
const ATSP = ["br17", "ftv35", "ry48p", "ft53"];
const fileOf = (name: string) => join(DIR, `${name}.${ATSP.includes(name) ? "atsp" : "tsp"}`);

describe("shipped TSPLIB instances", () => {
  it("the table lists the 19 shipped instances (15 TSP, 4 ATSP), each with its .tsp or .atsp file", () => {
    expect(published).toHaveLength(19);
    expect(published.filter((p) => ATSP.includes(p.name))).toHaveLength(4);
    for (const p of published) expect(existsSync(fileOf(p.name))).toBe(true);
  });

  for (const p of published) {
    it(`${p.name}: header matches the table${p.tour !== "-" ? ", optimal tour measures " + p.optimum : ""}`, () => {
      const inst = readTsplib(fileOf(p.name));
      expect(inst.type).toBe(ATSP.includes(p.name) ? "ATSP" : "TSP");
      expect(optimumEntry(p.name)?.problemPath).toBe(join(process.cwd(), fileOf(p.name)));
      expect(inst.dimension).toBe(p.dimension);
      expect(inst.edgeWeightType).toBe(p.type);
      expect(inst.edgeWeightFormat).toBe(p.format === "-" ? null : p.format);
      expect(inst.distances).toHaveLength(p.dimension * p.dimension);
      expect(knownOptimum(p.name)).toBe(p.optimum);
      if (p.tour !== "-") {
        const tour = readTour(join(DIR, p.tour), { dimension: p.dimension });
        expect(tourLength(inst, tour.tour)).toBe(p.optimum);
        expect(optimalTourPath(p.name)).toBe(join(process.cwd(), DIR, p.tour));
      } else {
        expect(optimalTourPath(p.name)).toBeNull();
      }
    });
  }

  it("pcb442: the canonical tour 1, 2, ..., n measures 221440 (spec 2.7)", () => {
    const inst = readTsplib(join(DIR, "pcb442.tsp"));
    expect(tourLength(inst, Array.from({ length: 442 }, (_, i) => i))).toBe(221440);
  });

  it("burma14 (no tour shipped): the Held-Karp optimum is the published 3323", () => {
    const { length, tour } = heldKarp(readTsplib(join(DIR, "burma14.tsp")));
    expect(length).toBe(3323);
    expect(tourLength(readTsplib(join(DIR, "burma14.tsp")), tour)).toBe(3323);
  });

  it("si175 (no tour shipped) is read as a symmetric UPPER_DIAG_ROW matrix", () => {
    const inst = readTsplib(join(DIR, "si175.tsp"));
    const n = inst.dimension;
    // First row of the file: " 0 113 189 299 ..." is d(1,1), d(1,2), d(1,3), d(1,4).
    expect([inst.distances[1], inst.distances[2], inst.distances[3]]).toEqual([113, 189, 299]);
    expect([inst.distances[n], inst.distances[2 * n], inst.distances[3 * n]]).toEqual([113, 189, 299]);
  });

  it("ulysses16's NAME carries '.tsp', and knownOptimum still finds it", () => {
    const inst = readTsplib(join(DIR, "ulysses16.tsp"));
    expect(inst.name).toBe("ulysses16.tsp");
    expect(knownOptimum(inst.name)).toBe(6859);
    expect(knownOptimum("problems/tsplib/ulysses16.tsp")).toBe(6859);
    expect(knownOptimum("nosuchproblem")).toBeNull();
    expect(knownOptimum("ulysses16", 16)).toBe(6859);
    expect(knownOptimum("ulysses16", 15)).toBeNull();
  });

  it("optimumEntries covers the TSPLIB table", () => {
    const names = new Set(optimumEntries().map((e) => e.name));
    for (const p of published) expect(names.has(p.name)).toBe(true);
  });
});
