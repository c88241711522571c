import { describe, expect, it } from "vitest";
import { quboEnergy } from "../../src/qubo/energy.js";
import { cutValue, maxCutToQubo, parseGset, readGset } from "../../src/qubo/gset.js";
import { InputError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";
import { randomState } from "./helpers.js";

describe("Gset / rudy graphs", () => {
  it("parses 1-based edges into 0-based arrays", () => {
    const g = parseGset("4 3\n1 2 1\n2 3 -2\n4 1 0.5\n");
    expect(g.n).toBe(4);
    expect(Array.from(g.from)).toEqual([0, 1, 3]);
    expect(Array.from(g.to)).toEqual([1, 2, 0]);
    expect(Array.from(g.weight)).toEqual([1, -2, 0.5]);
  });

  it("cutValue counts the edges across the partition (hand example)", () => {
    const triangle = parseGset("3 3\n1 2 1\n2 3 1\n1 3 1\n");
    expect(cutValue(triangle, [0, 0, 0])).toBe(0);
    expect(cutValue(triangle, [1, 0, 0])).toBe(2);
    expect(cutValue(triangle, [1, 1, 0])).toBe(2);
  });

  it("maxCutToQubo: E(x) = -cut(x) for every state, parallel and negative edges included", () => {
    const r = new Random(4);
    const g = parseGset("6 8\n1 2 1\n1 2 2\n2 3 -1\n3 4 3\n4 5 1\n5 6 1\n6 1 2.5\n2 5 1\n");
    const q = maxCutToQubo(g);
    for (let t = 0; t < 64; t++) {
      const x = Uint8Array.from({ length: 6 }, (_, i) => (t >> i) & 1);
      expect(quboEnergy(q, x)).toBeCloseTo(-cutValue(g, x), 12);
    }
    const big = readGset("problems/gset/G1.txt");
    const qb = maxCutToQubo(big);
    for (let t = 0; t < 5; t++) {
      const x = randomState(big.n, r);
      expect(quboEnergy(qb, x)).toBe(-cutValue(big, x));
    }
  });

  it("reads G1 (800 nodes, 19176 edges, unit weights)", () => {
    const g = readGset("problems/gset/G1.txt");
    expect(g.n).toBe(800);
    expect(g.from.length).toBe(19176);
    expect(cutValue(g, new Uint8Array(800).fill(1))).toBe(0);
  });

  const cases: [string, string, string][] = [
    ["empty file", "", "<input>:1: empty file: expected the header 'n m'"],
    ["header with one number", "5\n", "<input>:1: expected the header 'n m' (node and edge counts), got '5'"],
    ["non-numeric header", "five 2\n", "<input>:1: node count n must be a non-negative integer, got 'five'"],
    ["non-numeric weight", "3 1\n1 2 w\n", "<input>:2: weight must be a finite number, got 'w'"],
    ["non-numeric node id", "3 1\n1 x 1\n", "<input>:2: node id j must be a non-negative integer, got 'x'"],
    ["node id 0 (ids are 1-based)", "3 1\n0 2 1\n", "<input>:2: node id 0 out of range 1..3"],
    ["node id above n", "3 1\n1 4 1\n", "<input>:2: node id 4 out of range 1..3"],
    ["self-loop", "3 1\n2 2 1\n", "<input>:2: self-loop on node 2"],
    ["too few edges", "3 2\n1 2 1\n\n", "<input>:2: header declares 2 edges (line 1), the file has 1"],
    ["too many edges", "3 1\n1 2 1\n2 3 1\n", "<input>:3: more edges than the header's m = 1"],
    ["wrong token count", "3 1\n1 2\n", "<input>:2: expected an edge 'i j weight', got '1 2'"],
    // reliability: sizes the data cannot back, and weights whose QUBO is infinite
    ["no nodes (0 0)", "0 0\n", "<input>:1: node count n must be at least 1"],
    ["n = 2^31 - 1 with one edge", "2147483647 1\n1 2 1\n", "<input>:1: node count 2147483647 exceeds the limit of 16777216 nodes"],
    ["n that one edge cannot justify", "5000 1\n1 2 1\n", "<input>:1: node count 5000 is more than the 1 edges can justify"],
    ["weight whose 2w overflows", "3 1\n1 2 1e308\n", "<input>:2: edge weights this large make the MaxCut QUBO infinite"],
    ["weighted degree that overflows", "4 3\n1 2 6e307\n1 3 6e307\n1 4 6e307\n", "<input>:4: edge weights this large make the MaxCut QUBO infinite"],
  ];
  for (const [name, text, message] of cases) {
    it(`error: ${name}`, () => {
      expect(() => parseGset(text)).toThrow(InputError);
      expect(() => parseGset(text)).toThrow(message);
    });
  }
});
