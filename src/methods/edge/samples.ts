import { edgeIndex, type EdgeSpace } from "../../tsp/edge-space.js";

/**
 * The evaluated tours of an edge run, stored by their edges: every distinct edge that occurs in
 * some sample gets a compact id (0, 1, 2, ... in order of first occurrence), and sample t is the
 * list of its `edgesPerTour` edge ids (flat, back to back) and its cost. Memory grows with the
 * samples and the distinct edges seen, O(m N), never with the N(N-1) possible edges.
 */
export class TourSamples {
  /** Distinct edges seen so far (ids 0..edgeCount-1). */
  edgeCount = 0;
  /** Samples stored. */
  count = 0;
  /** Endpoints of each edge id (a < b for symmetric spaces), valid for ids < edgeCount. */
  from: Int32Array = new Int32Array(64);
  to: Int32Array = new Int32Array(64);
  /** Edge ids of the samples, back to back (`edgesPerTour` each), valid for count samples. */
  edges: Int32Array;
  /** Cost of each sample, valid for count samples. */
  costs: Float64Array = new Float64Array(16);
  /** Sample indices in which each edge id occurs, in increasing order. */
  readonly occurrences: number[][] = [];
  readonly #ids = new Map<number, number>();

  constructor(readonly space: EdgeSpace) {
    this.edges = new Int32Array(16 * space.edgesPerTour);
  }

  /** Edges per sample (N for closed tours, N-1 for open paths). */
  get width(): number {
    return this.space.edgesPerTour;
  }

  /** The id of edge a -> b (created if new). */
  edgeId(a: number, b: number): number {
    const key = edgeIndex(this.space, a, b);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.edgeCount++;
      if (id >= this.from.length) {
        this.from = grow(this.from, 2 * this.from.length);
        this.to = grow(this.to, 2 * this.to.length);
      }
      const swap = this.space.symmetric && a > b;
      this.from[id] = swap ? b : a;
      this.to[id] = swap ? a : b;
      this.#ids.set(key, id);
      this.occurrences.push([]);
    }
    return id;
  }

  /** The id of edge a -> b, or -1 if no sample holds it. */
  findEdge(a: number, b: number): number {
    return this.#ids.get(edgeIndex(this.space, a, b)) ?? -1;
  }

  /** Store a tour (valid for the space; not checked) and its cost; returns the sample index. */
  add(tour: ArrayLike<number>, cost: number): number {
    const w = this.width;
    const t = this.count;
    if ((t + 1) * w > this.edges.length) this.edges = grow(this.edges, 2 * this.edges.length);
    if (t + 1 > this.costs.length) this.costs = growF(this.costs, 2 * this.costs.length);
    const n = this.space.n;
    for (let i = 0; i < w; i++) {
      const id = this.edgeId(tour[i], tour[(i + 1) % n]);
      this.edges[t * w + i] = id;
      this.occurrences[id].push(t);
    }
    this.costs[t] = cost;
    this.count++;
    return t;
  }

  /** The edge ids of sample t (a view). */
  sampleEdges(t: number): Int32Array {
    return this.edges.subarray(t * this.width, (t + 1) * this.width);
  }

  /** The edge ids of a tour that is not stored (-1 for an edge no sample holds). */
  tourEdgeIds(tour: ArrayLike<number>, out = new Int32Array(this.width)): Int32Array {
    const n = this.space.n;
    for (let i = 0; i < this.width; i++) out[i] = this.findEdge(tour[i], tour[(i + 1) % n]);
    return out;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function growF(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
