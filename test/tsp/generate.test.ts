import { describe, expect, it } from "vitest";
import { UserError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { formatTsplib, parseTsplib } from "../../src/tsp/tsplib.js";

describe("randomInstance", () => {
  it("draws x, y per city from Random(seed).int(1000), EUC_2D, named rand{N}-s{seed}", () => {
    const inst = randomInstance(12, 7);
    const rng = new Random(7);
    const expected = Array.from({ length: 24 }, () => rng.int(1000));
    expect(Array.from(inst.coords!)).toEqual(expected);
    expect(inst).toMatchObject({ name: "rand12-s7", dimension: 12, edgeWeightType: "EUC_2D", edgeWeightFormat: null, coordDims: 2 });
    for (const v of expected) expect(Number.isInteger(v) && v >= 0 && v < 1000).toBe(true);
    // EUC_2D distance of cities 0 and 1, by the formula.
    const [x0, y0, x1, y1] = expected;
    expect(inst.distances[1]).toBe(Math.floor(Math.sqrt((x0 - x1) ** 2 + (y0 - y1) ** 2) + 0.5));
  });

  it("is identical for the same seed and differs for another", () => {
    expect(formatTsplib(randomInstance(15, 3))).toBe(formatTsplib(randomInstance(15, 3)));
    expect(formatTsplib(randomInstance(15, 3))).not.toBe(formatTsplib(randomInstance(15, 4)));
  });

  it("round-trips through TSPLIB text: same coordinates, same distances", () => {
    const inst = randomInstance(20, 11);
    const back = parseTsplib(formatTsplib(inst));
    expect(back.name).toBe(inst.name);
    expect(back.comment).toBe(inst.comment);
    expect(Array.from(back.coords!)).toEqual(Array.from(inst.coords!));
    expect(Array.from(back.distances)).toEqual(Array.from(inst.distances));
  });

  it("refuses bad sizes and seeds", () => {
    expect(() => randomInstance(0, 1)).toThrow(UserError);
    expect(() => randomInstance(2.5, 1)).toThrow("cities must be an integer in 1..5000, got 2.5");
    expect(() => randomInstance(5, -1)).toThrow("seed must be a non-negative integer, got -1");
  });
});

describe("formatTsplib", () => {
  it("writes an EXPLICIT instance as a FULL_MATRIX that reads back identically", () => {
    const text = [
      "NAME: m",
      "TYPE: TSP",
      "DIMENSION: 3",
      "EDGE_WEIGHT_TYPE: EXPLICIT",
      "EDGE_WEIGHT_FORMAT: UPPER_ROW",
      "EDGE_WEIGHT_SECTION",
      "1 2 3",
    ].join("\n");
    const out = formatTsplib(parseTsplib(text));
    expect(out).toContain("EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n1 0 3\n2 3 0\nEOF\n");
    expect(Array.from(parseTsplib(out).distances)).toEqual([0, 1, 2, 1, 0, 3, 2, 3, 0]);
  });

  it("keeps GEO coordinates (so the GEO distances are recomputed identically)", () => {
    const geo = parseTsplib(
      ["NAME: g", "TYPE: TSP", "DIMENSION: 2", "EDGE_WEIGHT_TYPE: GEO", "NODE_COORD_SECTION", "1 48.23 10.53", "2 48.08 11.34"].join("\n"),
    );
    const back = parseTsplib(formatTsplib(geo));
    expect(back.edgeWeightType).toBe("GEO");
    expect(Array.from(back.distances)).toEqual([0, 58, 58, 0]);
  });
});
