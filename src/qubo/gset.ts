/**
 * Gset / rudy weighted graphs (the MaxCut benchmark format):
 *
 * ```
 * n m
 * i j w      (m lines, 1-based node ids, i != j, w a number)
 * ```
 */
import { readFileSync } from "node:fs";
import { InputError, OptionError } from "../util/errors.js";
import { sparseFromCouplings } from "./convert.js";
import { parseIndex, parseWeight } from "./qbsolv.js";
import type { SparseQubo } from "./types.js";

/** An undirected weighted graph, nodes 0..n-1 (0-based; the file's ids minus one). */
export interface MaxCutGraph {
  n: number;
  /** Edge e joins from[e] and to[e] with weight weight[e]. Parallel edges are allowed. */
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/**
 * Parse Gset / rudy text.
 *
 * @throws InputError (with the line number) on an empty file, a header that is not two
 *   non-negative integers, a token that is not a number, a node id outside 1..n, a self-loop,
 *   or an edge count different from the header's m.
 * @example
 * ```ts
 * const g = parseGset("3 2\n1 2 1\n2 3 1\n");
 * cutValue(g, [0, 1, 0]); // 2
 * ```
 */
export function parseGset(text: string, file = "<input>"): MaxCutGraph {
  const lines = text.split(/\r?\n/);
  let header: { n: number; m: number; line: number } | null = null;
  let e = 0;
  let from = new Int32Array(0);
  let to = new Int32Array(0);
  let weight = new Float64Array(0);
  let last = 0;
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li].trim();
    if (raw === "") continue;
    last = lineNo;
    const tok = raw.split(/\s+/);
    if (!header) {
      if (tok.length !== 2) throw new InputError(file, lineNo, `expected the header 'n m' (node and edge counts), got '${raw}'`);
      const n = parseIndex(tok[0], "node count n", file, lineNo);
      const m = parseIndex(tok[1], "edge count m", file, lineNo);
      if (n > 2 ** 31 - 1 || m > 2 ** 28) throw new InputError(file, lineNo, `graph too large: n = ${n}, m = ${m}`);
      header = { n, m, line: lineNo };
      from = new Int32Array(m);
      to = new Int32Array(m);
      weight = new Float64Array(m);
      continue;
    }
    if (tok.length !== 3) throw new InputError(file, lineNo, `expected an edge 'i j weight', got '${raw}'`);
    if (e >= header.m) throw new InputError(file, lineNo, `more edges than the header's m = ${header.m}`);
    const i = parseIndex(tok[0], "node id i", file, lineNo);
    const j = parseIndex(tok[1], "node id j", file, lineNo);
    const w = parseWeight(tok[2], "weight", file, lineNo);
    for (const v of [i, j]) {
      if (v < 1 || v > header.n) throw new InputError(file, lineNo, `node id ${v} out of range 1..${header.n}`);
    }
    if (i === j) throw new InputError(file, lineNo, `self-loop on node ${i}`);
    from[e] = i - 1;
    to[e] = j - 1;
    weight[e] = w;
    e++;
  }
  if (!header) throw new InputError(file, 1, "empty file: expected the header 'n m'");
  if (e !== header.m) throw new InputError(file, last, `header declares ${header.m} edges (line ${header.line}), the file has ${e}`);
  return { n: header.n, from, to, weight };
}

/**
 * Read a Gset / rudy graph file (see {@link parseGset}).
 *
 * @example
 * ```ts
 * const g = readGset("problems/gset/G1.txt"); // g.n === 800
 * ```
 */
export function readGset(path: string): MaxCutGraph {
  return parseGset(readFileSync(path, "utf8"), path);
}

/**
 * The MaxCut QUBO of a graph: E(x) = -cut(x). Edge (i, j, w) is cut iff x_i != x_j, and
 * x_i + x_j - 2 x_i x_j is exactly that indicator, so the edge contributes
 * -w x_i - w x_j + 2w x_i x_j. Minimising E maximises the cut.
 *
 * @example
 * ```ts
 * const g = parseGset("2 1\n1 2 3\n");
 * quboEnergy(maxCutToQubo(g), [1, 0]); // -3
 * ```
 */
export function maxCutToQubo(graph: MaxCutGraph): SparseQubo {
  const linear = new Float64Array(graph.n);
  const m = graph.from.length;
  const w2 = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const w = graph.weight[e];
    linear[graph.from[e]] -= w;
    linear[graph.to[e]] -= w;
    w2[e] = 2 * w;
  }
  return sparseFromCouplings(graph.n, linear, graph.from, graph.to, w2, 0);
}

/**
 * Total weight of the edges whose ends are on different sides (`state[i]` nonzero = side 1).
 *
 * @example
 * ```ts
 * cutValue(parseGset("3 3\n1 2 1\n2 3 1\n1 3 1\n"), [1, 0, 0]); // 2
 * ```
 */
export function cutValue(graph: MaxCutGraph, state: ArrayLike<number>): number {
  if (state.length !== graph.n) throw new OptionError("state", `cutValue: state has ${state.length} entries, the graph has ${graph.n} nodes`);
  let cut = 0;
  for (let e = 0; e < graph.from.length; e++) {
    if (!state[graph.from[e]] !== !state[graph.to[e]]) cut += graph.weight[e];
  }
  return cut;
}
