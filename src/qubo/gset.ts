/**
 * Gset / rudy weighted graphs (the MaxCut benchmark format):
 *
 * ```
 * n m
 * i j w      (m lines, 1-based node ids, i != j, w a number)
 * ```
 */
import { InputError, OptionError } from "../util/errors.js";
import { sparseFromCouplings } from "./convert.js";
import { parseIndex, parseWeight } from "./qbsolv.js";
import { FREE_VARIABLES, GrowableF64, GrowableI32, LineReader, MAX_VARIABLES, onlyBlanksLeft, parseNumber, parseUint, skipBlanks, slowNumber, tokenEnd } from "./text-reader.js";
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
 * Parse Gset / rudy text (see {@link readGset}, which streams a file).
 *
 * @throws InputError (with the line number) on an empty file, a header that is not two
 *   non-negative integers, n = 0, n beyond {@link MAX_VARIABLES} or beyond what the edges can
 *   justify (2m + {@link FREE_VARIABLES}), a token that is not a number, a node id outside 1..n,
 *   a self-loop, or an edge count different from the header's m.
 * @example
 * ```ts
 * const g = parseGset("3 2\n1 2 1\n2 3 1\n");
 * cutValue(g, [0, 1, 0]); // 2
 * ```
 */
export function parseGset(text: string, file = "<input>"): MaxCutGraph {
  return readLines(LineReader.fromText(text), file);
}

/**
 * Read a Gset / rudy graph file, streamed through one buffer into typed arrays; the edge arrays
 * grow with the edges actually read, never by the header's m alone.
 *
 * @example
 * ```ts
 * const g = readGset("problems/gset/G1.txt"); // g.n === 800
 * ```
 */
export function readGset(path: string): MaxCutGraph {
  const lines = LineReader.open(path);
  try {
    return readLines(lines, path);
  } finally {
    lines.close();
  }
}

function readLines(lines: LineReader, file: string): MaxCutGraph {
  let header: { n: number; m: number; line: number } | null = null;
  let n = 0;
  let m = 0;
  const from = new GrowableI32();
  const to = new GrowableI32();
  const weight = new GrowableF64();
  const lineOf = new GrowableI32();
  let last = 0;
  while (lines.next()) {
    const b = lines.buf;
    const end = lines.end;
    const p0 = skipBlanks(b, lines.start, end);
    if (p0 === end || (b[p0] === 13 && onlyBlanksLeft(b, p0, end))) continue;
    last = lines.lineNo;
    if (header && from.length < m) {
      // fast path: "i j w" with 1-based ids
      const i = parseUint(b, p0, end);
      const iEnd = tokenEnd;
      const p1 = skipBlanks(b, iEnd, end);
      const j = i >= 1 && i <= n && p1 > iEnd ? parseUint(b, p1, end) : -1;
      const jEnd = tokenEnd;
      const p2 = skipBlanks(b, jEnd, end);
      if (j >= 1 && j <= n && j !== i && p2 > jEnd) {
        let w = parseNumber(b, p2, end);
        if (w !== w) w = slowNumber(lines, p2, end);
        if (Number.isFinite(w) && onlyBlanksLeft(b, tokenEnd, end)) {
          from.push(i - 1);
          to.push(j - 1);
          weight.push(w);
          lineOf.push(lines.lineNo);
          continue;
        }
      }
    }
    const raw = lines.text().trim();
    const lineNo = lines.lineNo;
    const tok = raw.split(/\s+/);
    if (!header) {
      if (tok.length !== 2) throw new InputError(file, lineNo, `expected the header 'n m' (node and edge counts), got '${raw}'`);
      n = parseIndex(tok[0], "node count n", file, lineNo);
      m = parseIndex(tok[1], "edge count m", file, lineNo);
      if (n === 0) throw new InputError(file, lineNo, "node count n must be at least 1");
      if (n > MAX_VARIABLES) throw new InputError(file, lineNo, `node count ${n} exceeds the limit of ${MAX_VARIABLES} nodes`);
      header = { n, m, line: lineNo };
      continue;
    }
    if (tok.length !== 3) throw new InputError(file, lineNo, `expected an edge 'i j weight', got '${raw}'`);
    if (from.length >= header.m) throw new InputError(file, lineNo, `more edges than the header's m = ${header.m}`);
    const i = parseIndex(tok[0], "node id i", file, lineNo);
    const j = parseIndex(tok[1], "node id j", file, lineNo);
    const w = parseWeight(tok[2], "weight", file, lineNo);
    for (const v of [i, j]) {
      if (v < 1 || v > header.n) throw new InputError(file, lineNo, `node id ${v} out of range 1..${header.n}`);
    }
    if (i === j) throw new InputError(file, lineNo, `self-loop on node ${i}`);
    from.push(i - 1);
    to.push(j - 1);
    weight.push(w);
    lineOf.push(lineNo);
  }
  if (!header) throw new InputError(file, 1, "empty file: expected the header 'n m'");
  if (from.length !== header.m) throw new InputError(file, last, `header declares ${header.m} edges (line ${header.line}), the file has ${from.length}`);
  if (n > 2 * m + FREE_VARIABLES) {
    throw new InputError(file, header.line, `node count ${n} is more than the ${m} edges can justify (they touch at most ${2 * m} nodes; at most ${FREE_VARIABLES} more may be isolated)`);
  }
  // the MaxCut QUBO's coefficients (maxCutToQubo: 2w per edge, minus the weighted degree per
  // node, summed in edge order) must stay finite
  const degree = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    const w = weight.data[e];
    const a = (degree[from.data[e]] += w);
    const c = (degree[to.data[e]] += w);
    if (!Number.isFinite(2 * w) || !Number.isFinite(a) || !Number.isFinite(c)) {
      throw new InputError(file, lineOf.data[e], `edge weights this large make the MaxCut QUBO infinite (2w = ${2 * w}, weighted degrees ${a} and ${c})`);
    }
  }
  return { n, from: from.data.slice(0, m), to: to.data.slice(0, m), weight: weight.data.slice(0, m) };
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
