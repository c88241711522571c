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
import { readFileSync } from "node:fs";
import { InputError } from "../util/errors.js";
import { sparseFromCouplings, toDense } from "./convert.js";
import type { Qubo, SparseQubo } from "./types.js";

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
 * Parse qbsolv `.qubo` text into a {@link SparseQubo}.
 *
 * @param file name used in error messages (`<input>` by default).
 * @throws InputError (with the line number) on an empty file, a missing or malformed `p qubo`
 *   line, a data line before it, a token that is not a number, an index out of range, or node /
 *   coupler counts that differ from the header.
 * @example
 * ```ts
 * const q = parseQubo("p qubo 0 2 2 1\n0 0 -1\n1 1 -1\n0 1 2\n");
 * quboEnergy(q, [1, 0]); // -1
 * ```
 */
export function parseQubo(text: string, file = "<input>"): SparseQubo {
  const lines = text.split(/\r?\n/);
  let header: { n: number; nodes: number; couplers: number; line: number } | null = null;
  let offset = 0;
  let seenNodes = 0;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  let linear = new Float64Array(0);
  let lastContent = 0;
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li].trim();
    if (raw === "") continue;
    lastContent = lineNo;
    const tok = raw.split(/\s+/);
    if (tok[0] === "c" || tok[0].startsWith("c")) {
      if (tok[0] === "c" && tok[1] === "offset" && tok.length === 3) offset += parseWeight(tok[2], "offset", file, lineNo);
      continue;
    }
    if (tok[0] === "p") {
      if (header) throw new InputError(file, lineNo, `second 'p' line (the first is line ${header.line})`);
      if (tok.length !== 6 || tok[1] !== "qubo") {
        throw new InputError(file, lineNo, `expected 'p qubo <topology> <maxNodes> <nNodes> <nCouplers>', got '${raw}'`);
      }
      const n = parseIndex(tok[3], "maxNodes", file, lineNo);
      const nodes = parseIndex(tok[4], "nNodes", file, lineNo);
      const couplers = parseIndex(tok[5], "nCouplers", file, lineNo);
      if (n > 2 ** 31 - 1) throw new InputError(file, lineNo, `maxNodes ${n} is too large`);
      header = { n, nodes, couplers, line: lineNo };
      linear = new Float64Array(n);
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
    if (i === j) {
      linear[i] += w;
      seenNodes++;
    } else {
      from.push(i);
      to.push(j);
      weight.push(w);
    }
  }
  if (lastContent === 0) throw new InputError(file, 1, "empty file: expected a 'p qubo 0 maxNodes nNodes nCouplers' line");
  if (!header) throw new InputError(file, lastContent, "missing 'p qubo 0 maxNodes nNodes nCouplers' line");
  if (seenNodes !== header.nodes) {
    throw new InputError(file, header.line, `header declares ${header.nodes} node (diagonal) lines, the file has ${seenNodes}`);
  }
  if (from.length !== header.couplers) {
    throw new InputError(file, header.line, `header declares ${header.couplers} coupler lines, the file has ${from.length}`);
  }
  return sparseFromCouplings(header.n, linear, from, to, weight, offset);
}

/**
 * Read a qbsolv `.qubo` file (see {@link parseQubo}).
 *
 * @example
 * ```ts
 * const q = readQubo("problems/example.qubo");
 * ```
 */
export function readQubo(path: string): SparseQubo {
  return parseQubo(readFileSync(path, "utf8"), path);
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
