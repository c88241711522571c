/**
 * The qbsolv `.qubo` text format:
 *
 * ```
 * c any comment line starts with c
 * p qubo 0 maxNodes nNodes nCouplers
 * i i w      (nNodes lines: linear term w on variable i)
 * i j w      (nCouplers lines, i != j: coupling Q_ij = w)
 * ```
 *
 * Indices are 0-based and must be < maxNodes (= n). Data lines may come in any order; repeated
 * entries add up; a coupler may be written (i, j) or (j, i). The constant offset has no place in
 * the format: {@link writeQubo} writes it as the comment `c offset <value>`, which
 * {@link parseQubo} reads back (other tools ignore it as a comment).
 */
import { InputError } from "../util/errors.js";
import { DENSE_SHARE, MAX_DENSE_N, toDense } from "./convert.js";
import { FREE_VARIABLES, GrowableF64, GrowableI32, LineReader, MAX_VARIABLES, onlyBlanksLeft, parseNumber, parseUint, skipBlanks, slowNumber, tokenEnd } from "./text-reader.js";
import type { DenseQubo, Qubo, SparseQubo } from "./types.js";

export { FREE_VARIABLES, MAX_VARIABLES } from "./text-reader.js";

const INT = /^\d+$/;

/** Parse a non-negative integer token or throw an InputError naming it. */
export function parseIndex(token: string, what: string, file: string, line: number): number {
  if (!INT.test(token)) throw new InputError(file, line, `${what} must be a non-negative integer, got '${token}'`);
  const v = Number(token);
  if (!Number.isSafeInteger(v)) throw new InputError(file, line, `${what} is too large: '${token}'`);
  return v;
}

/** Parse a finite number token or throw an InputError naming it. */
export function parseWeight(token: string, what: string, file: string, line: number): number {
  const v = token.trim() === "" ? NaN : Number(token);
  if (!Number.isFinite(v)) throw new InputError(file, line, `${what} must be a finite number, got '${token}'`);
  return v;
}

/**
 * Parse qbsolv `.qubo` text into a sparse or dense QUBO (see {@link readQubo}, which streams a file
 * and says which form).
 *
 * @param file name used in error messages (`<input>` by default).
 * @throws InputError (with the line number) on an empty file, a missing or malformed `p qubo`
 *   line, a data line before it, a token that is not a number, an index out of range, node /
 *   coupler counts that differ from the header, a maxNodes the entries cannot justify or beyond
 *   {@link MAX_VARIABLES}, and coefficients or sums of repeated entries that are not finite.
 * @example
 * ```ts
 * const q = parseQubo("p qubo 0 2 2 1\n0 0 -1\n1 1 -1\n0 1 2\n");
 * quboEnergy(q, [1, 0]); // -1
 * ```
 */
export function parseQubo(text: string, file = "<input>"): SparseQubo | DenseQubo {
  return readLines(LineReader.fromText(text), file);
}

/**
 * Read a qbsolv `.qubo` file, streamed through one buffer into typed arrays. Repeated entries
 * add up (a coupler may be written (i, j) or (j, i)). The form follows the data, as anneal()'s
 * layout does: a file whose header declares at least n^2/6 couplers (DENSE_SHARE of
 * src/qubo/convert.ts, n <= 8192) and is long enough to hold them gives an upper-triangular
 * {@link DenseQubo}; any other a {@link SparseQubo} with one CSR entry per distinct nonzero
 * coupling in each of its two rows. Sizes are checked against the data before anything is
 * allocated for them: maxNodes must not exceed {@link MAX_VARIABLES}, nor the variables the node
 * and coupler lines can mention (one and two each) by more than {@link FREE_VARIABLES}.
 *
 * @example
 * ```ts
 * const q = readQubo("problems/example.qubo");
 * ```
 */
export function readQubo(path: string): SparseQubo | DenseQubo {
  const lines = LineReader.open(path);
  try {
    return readLines(lines, path);
  } finally {
    lines.close();
  }
}

interface Header {
  n: number;
  nodes: number;
  couplers: number;
  line: number;
}

function readLines(lines: LineReader, file: string): SparseQubo | DenseQubo {
  let header: Header | null = null;
  let offset = 0;
  let lastContent = 0;
  // node entries (i, w, line) and coupler entries (i, j, w, line), in file order
  const nodeI = new GrowableI32();
  const nodeW = new GrowableF64();
  const nodeLine = new GrowableI32();
  const from = new GrowableI32();
  const to = new GrowableI32();
  const weight = new GrowableF64();
  const couplerLine = new GrowableI32();
  let n = 0;
  // dense files go straight into an upper-triangular matrix (see readQubo)
  let matrix: Float64Array | null = null;
  let seenNodes = 0;
  let seenCouplers = 0;
  const add = (i: number, j: number, w: number, lineNo: number): void => {
    if (i > j) {
      const t = i;
      i = j;
      j = t;
    }
    const at = i * n + j;
    const v = ((matrix as Float64Array)[at] += w);
    if (!Number.isFinite(v)) {
      throw new InputError(file, lineNo, i === j ? `the node terms of variable ${i} sum to ${v} (they must stay finite)` : `the couplings of variables ${i} and ${j} sum to ${v} (they must stay finite)`);
    }
    if (i === j) seenNodes++;
    else seenCouplers++;
  };
  while (lines.next()) {
    const b = lines.buf;
    const end = lines.end;
    const p0 = skipBlanks(b, lines.start, end);
    if (p0 === end || (b[p0] === 13 && onlyBlanksLeft(b, p0, end))) continue;
    lastContent = lines.lineNo;
    const c0 = b[p0];
    if (header && c0 >= 48 && c0 <= 57) {
      // fast path: "i j w"
      const i = parseUint(b, p0, end);
      const iEnd = tokenEnd;
      const p1 = skipBlanks(b, iEnd, end);
      const j = i >= 0 && p1 > iEnd ? parseUint(b, p1, end) : -1;
      const jEnd = tokenEnd;
      const p2 = skipBlanks(b, jEnd, end);
      if (j >= 0 && p2 > jEnd && i < n && j < n) {
        let w = parseNumber(b, p2, end);
        if (w !== w) w = slowNumber(lines, p2, end);
        if (Number.isFinite(w) && onlyBlanksLeft(b, tokenEnd, end)) {
          if (matrix) add(i, j, w, lines.lineNo);
          else if (i === j) {
            nodeI.push(i);
            nodeW.push(w);
            nodeLine.push(lines.lineNo);
          } else {
            from.push(i);
            to.push(j);
            weight.push(w);
            couplerLine.push(lines.lineNo);
          }
          continue;
        }
      }
    }
    // every other line: the per-line rules (comments, the header, and the messages of bad lines)
    const raw = lines.text().trim();
    const lineNo = lines.lineNo;
    const tok = raw.split(/\s+/);
    if (tok[0] === "c" || tok[0].startsWith("c")) {
      if (tok[0] === "c" && tok[1] === "offset" && tok.length === 3) {
        offset += parseWeight(tok[2], "offset", file, lineNo);
        if (!Number.isFinite(offset)) throw new InputError(file, lineNo, `the offsets sum to ${offset} (they must stay finite)`);
      }
      continue;
    }
    if (tok[0] === "p") {
      if (header) throw new InputError(file, lineNo, `second 'p' line (the first is line ${header.line})`);
      if (tok.length !== 6 || tok[1] !== "qubo") {
        throw new InputError(file, lineNo, `expected 'p qubo <topology> <maxNodes> <nNodes> <nCouplers>', got '${raw}'`);
      }
      n = parseIndex(tok[3], "maxNodes", file, lineNo);
      const nodes = parseIndex(tok[4], "nNodes", file, lineNo);
      const couplers = parseIndex(tok[5], "nCouplers", file, lineNo);
      if (n > MAX_VARIABLES) throw new InputError(file, lineNo, `maxNodes ${n} exceeds the limit of ${MAX_VARIABLES} variables`);
      header = { n, nodes, couplers, line: lineNo };
      // dense: as many couplers as anneal()'s dense layout wants, and a file long enough to hold
      // them (each 'i j w' line takes at least 6 bytes), so the n*n matrix is backed by the data
      if (n <= MAX_DENSE_N && couplers >= DENSE_SHARE * n * n && 6 * (nodes + couplers) <= lines.bytesAfterLine() + 1) {
        matrix = new Float64Array(n * n);
      }
      continue;
    }
    if (!header) throw new InputError(file, lineNo, `data before the 'p qubo 0 maxNodes nNodes nCouplers' line`);
    if (tok.length !== 3) throw new InputError(file, lineNo, `expected 'i j weight', got '${raw}'`);
    const i = parseIndex(tok[0], "index i", file, lineNo);
    const j = parseIndex(tok[1], "index j", file, lineNo);
    const w = parseWeight(tok[2], "weight", file, lineNo);
    for (const v of [i, j]) {
      if (v >= header.n) throw new InputError(file, lineNo, `index ${v} out of range 0..${header.n - 1} (maxNodes ${header.n})`);
    }
    if (matrix) add(i, j, w, lineNo);
    else if (i === j) {
      nodeI.push(i);
      nodeW.push(w);
      nodeLine.push(lineNo);
    } else {
      from.push(i);
      to.push(j);
      weight.push(w);
      couplerLine.push(lineNo);
    }
  }
  if (lastContent === 0) throw new InputError(file, 1, "empty file: expected a 'p qubo 0 maxNodes nNodes nCouplers' line");
  if (!header) throw new InputError(file, lastContent, "missing 'p qubo 0 maxNodes nNodes nCouplers' line");
  if (!matrix) {
    seenNodes = nodeI.length;
    seenCouplers = from.length;
  }
  if (seenNodes !== header.nodes) {
    throw new InputError(file, header.line, `header declares ${header.nodes} node (diagonal) lines, the file has ${seenNodes}`);
  }
  if (seenCouplers !== header.couplers) {
    throw new InputError(file, header.line, `header declares ${header.couplers} coupler lines, the file has ${seenCouplers}`);
  }
  const mentionable = header.nodes + 2 * header.couplers;
  if (n > mentionable + FREE_VARIABLES) {
    throw new InputError(
      file,
      header.line,
      `maxNodes ${n} is more than the file's ${header.nodes} node and ${header.couplers} coupler lines can justify ` +
        `(they mention at most ${mentionable} variables; at most ${FREE_VARIABLES} more may appear in no line)`,
    );
  }
  if (matrix) return { kind: "dense", n, offset, matrix, triangular: true };
  const linear = new Float64Array(n);
  for (let e = 0; e < nodeI.length; e++) {
    const i = nodeI.data[e];
    linear[i] += nodeW.data[e];
    if (!Number.isFinite(linear[i])) throw new InputError(file, nodeLine.data[e], `the node terms of variable ${i} sum to ${linear[i]} (they must stay finite)`);
  }
  return mergedSparse(n, linear, from, to, weight, couplerLine, offset, file);
}

/**
 * CSR of the couplings with repeated pairs ((i, j) or (j, i)) added up in file order and pairs
 * that sum to zero left out; each row keeps the order of first appearance. A sum that leaves the
 * finite range is refused at the line that made it so.
 */
function mergedSparse(n: number, linear: Float64Array, from: GrowableI32, to: GrowableI32, weight: GrowableF64, lineOf: GrowableI32, offset: number, file: string): SparseQubo {
  const m = from.length;
  const rowPtr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    rowPtr[from.data[e] + 1]++;
    rowPtr[to.data[e] + 1]++;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  const col = new Int32Array(2 * m);
  const val = new Float64Array(2 * m);
  const fill = rowPtr.slice(0, n);
  const a = from.data;
  const b = to.data;
  const wt = weight.data;
  for (let e = 0; e < m; e++) {
    const i = a[e];
    const j = b[e];
    const w = wt[e];
    const fi = fill[i]++;
    col[fi] = j;
    val[fi] = w;
    const fj = fill[j]++;
    col[fj] = i;
    val[fj] = w;
  }
  // the line whose entry made the sum of pair (i, j) non-finite (file order: the order of the sums)
  const overflowAt = (i: number, j: number): InputError => {
    let sum = 0;
    for (let e = 0; e < m; e++) {
      if (!((a[e] === i && b[e] === j) || (a[e] === j && b[e] === i))) continue;
      sum += wt[e];
      if (!Number.isFinite(sum)) return new InputError(file, lineOf.data[e], `the couplings of variables ${Math.min(i, j)} and ${Math.max(i, j)} sum to ${sum} (they must stay finite)`);
    }
    return new InputError(file, null, `the couplings of variables ${i} and ${j} do not sum to a finite number`);
  };
  // merge repeated columns within each row: `slot[j]` is where row i keeps column j (valid while mark[j] === i + 1)
  const mark = new Int32Array(n);
  const slot = new Int32Array(n);
  let out = 0;
  const outPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const rowStart = out;
    for (let q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
      const j = col[q];
      if (mark[j] === i + 1) {
        const s = slot[j];
        val[s] += val[q];
        if (!Number.isFinite(val[s])) throw overflowAt(i, j);
      } else {
        mark[j] = i + 1;
        slot[j] = out;
        col[out] = j;
        val[out++] = val[q];
      }
    }
    // drop the pairs whose entries cancel
    let w = rowStart;
    for (let q = rowStart; q < out; q++) {
      if (val[q] === 0) continue;
      col[w] = col[q];
      val[w++] = val[q];
    }
    out = w;
    outPtr[i + 1] = out;
  }
  return { kind: "sparse", n, offset, linear, rowPtr: outPtr, col: col.slice(0, out), val: val.slice(0, out) };
}

/**
 * Write any QUBO in qbsolv `.qubo` format: one node line per nonzero linear term, one coupler line
 * (i < j) per nonzero coupling, numbers in shortest round-trip form, the offset (when nonzero) as
 * the comment `c offset <value>`. Dense and factorized input are written through the triangular
 * dense form (factorized: O(n^2 k)).
 *
 * @example
 * ```ts
 * writeQubo(parseQubo("p qubo 0 2 1 1\n0 0 -1\n0 1 2\n"));
 * // "p qubo 0 2 1 1\n0 0 -1\n0 1 2\n"
 * ```
 */
export function writeQubo(qubo: Qubo, comments: string[] = []): string {
  const nodes: string[] = [];
  const couplers: string[] = [];
  if (qubo.kind === "sparse") {
    for (let i = 0; i < qubo.n; i++) {
      if (qubo.linear[i] !== 0) nodes.push(`${i} ${i} ${qubo.linear[i]}`);
      for (let p = qubo.rowPtr[i]; p < qubo.rowPtr[i + 1]; p++) {
        const j = qubo.col[p];
        if (j > i && qubo.val[p] !== 0) couplers.push(`${i} ${j} ${qubo.val[p]}`);
      }
    }
  } else {
    const d = toDense(qubo);
    const { n, matrix: m } = d;
    for (let i = 0; i < n; i++) {
      if (m[i * n + i] !== 0) nodes.push(`${i} ${i} ${m[i * n + i]}`);
      for (let j = i + 1; j < n; j++) if (m[i * n + j] !== 0) couplers.push(`${i} ${j} ${m[i * n + j]}`);
    }
  }
  const out: string[] = comments.map((c) => `c ${c.replace(/\r?\n/g, " ")}`);
  if (qubo.offset !== 0) out.push(`c offset ${qubo.offset}`);
  out.push(`p qubo 0 ${qubo.n} ${nodes.length} ${couplers.length}`);
  // concat, not push(...lines): a spread of ~1e5 lines overflows the call stack
  return out.concat(nodes, couplers).join("\n") + "\n";
}
