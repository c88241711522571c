import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomInstance } from "../../src/tsp/generate.js";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { knownOptimum, optimalTourPath } from "../../src/tsp/optima.js";
import { tourLength } from "../../src/tsp/tour.js";
import { readTour, readTsplib } from "../../src/tsp/tsplib.js";
import { bruteForce } from "./helpers.js";

const DIR = "problems/random";
const rows = readFileSync(join(DIR, "optima.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((r) => r.split("\t"));

describe("problems/random: the study set (scripts/make-random-problems.mjs)", () => {
  it("lists N = 5..15 x seeds 1..10", () => {
    const names = rows.map((r) => r[0]);
    const expected: string[] = [];
    for (let n = 5; n <= 15; n++) for (let s = 1; s <= 10; s++) expected.push(`rand${n}-s${s}`);
    expect(names).toEqual(expected);
  });

  for (const [name, dim, type, format, optimum, tourFile] of rows) {
    const n = Number(dim);
    const seed = Number(/-s(\d+)$/.exec(name)![1]);
    it(`${name}: file = randomInstance(${n}, ${seed}); optimal tour measures ${optimum}${n <= 10 ? " = brute force" : " = Held-Karp"}`, () => {
      const inst = readTsplib(join(DIR, `${name}.tsp`));
      const gen = randomInstance(n, seed);
      expect(inst.name).toBe(name);
      expect([inst.dimension, inst.edgeWeightType, format]).toEqual([n, type, "-"]);
      expect(Array.from(inst.coords!)).toEqual(Array.from(gen.coords!));
      const opt = Number(optimum);
      expect(knownOptimum(name)).toBe(opt);
      expect(optimalTourPath(name)).toBe(join(process.cwd(), DIR, tourFile));
      expect(tourLength(inst, readTour(join(DIR, tourFile), { dimension: n }).tour)).toBe(opt);
      // Independent truth where it is affordable (9! orders at N = 10), the solver elsewhere.
      expect(n <= 10 ? bruteForce(n, inst.distances) : heldKarp(inst).length).toBe(opt);
    });
  }
});
