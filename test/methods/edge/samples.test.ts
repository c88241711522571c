import { describe, expect, it } from "vitest";
import { TourSamples } from "../../../src/methods/edge/samples.js";
import { edgeSpace } from "../../../src/tsp/edge-space.js";

describe("TourSamples", () => {
  it("gives each distinct edge one id (undirected when symmetric) and indexes where it occurs", () => {
    const s = new TourSamples(edgeSpace(5));
    s.add([0, 1, 2, 3, 4], 10);
    s.add([0, 4, 3, 2, 1], 11); // the same cycle read backwards: the same five edges
    s.add([0, 2, 1, 3, 4], 12);
    expect(s.count).toBe(3);
    expect(s.edgeCount).toBe(5 + 2); // the third adds 0-2 and 1-3; 1-2, 3-4 and 4-0 are seen
    const ids = Array.from(s.sampleEdges(1)).sort();
    expect(ids).toEqual(Array.from(s.sampleEdges(0)).sort());
    for (let e = 0; e < s.edgeCount; e++) {
      expect(s.from[e]).toBeLessThan(s.to[e]);
      for (const t of s.occurrences[e]) expect(Array.from(s.sampleEdges(t))).toContain(e);
    }
    expect(s.findEdge(2, 0)).toBe(s.findEdge(0, 2));
    expect(s.findEdge(0, 3)).toBe(-1);
    expect(Array.from(s.tourEdgeIds([0, 3, 1, 2, 4]))).toContain(-1);
  });

  it("keeps directions apart when asymmetric, and open paths have N-1 edges", () => {
    const s = new TourSamples(edgeSpace(4, { symmetric: false, closed: false }));
    s.add([0, 1, 2, 3], 1);
    s.add([3, 2, 1, 0], 2);
    expect(s.width).toBe(3);
    expect(s.edgeCount).toBe(6);
    expect(s.findEdge(1, 0)).not.toBe(s.findEdge(0, 1));
    expect(Array.from(s.costs.subarray(0, 2))).toEqual([1, 2]);
  });
});
