import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { InputError, UserError } from "../util/errors.js";
import { COORDINATE_TYPES, coordinateDistances } from "./distance.js";
import type { TspInstance } from "./instance.js";
import { validateTour } from "./tour.js";

/**
 * TSPLIB95 reader and writer for symmetric TSP files (`TYPE: TSP`), asymmetric TSP files
 * (`TYPE: ATSP`, EXPLICIT FULL_MATRIX only: see "Asymmetric matrices" below) and tour files
 * (`TYPE: TOUR`).
 *
 * Format (TSPLIB95 spec, section 1): a specification part of `KEYWORD : value` lines (the space
 * before the colon is optional, both styles occur, even mixed in one file), then data sections
 * introduced by a bare keyword (`NODE_COORD_SECTION`, `EDGE_WEIGHT_SECTION`, ...), ending at the
 * next keyword, an optional `EOF` line (possibly indented) or the end of the text. A data section
 * is a stream of numbers: line breaks carry no meaning in EDGE_WEIGHT_SECTION (gr24 breaks its
 * rows anywhere); NODE_COORD_SECTION is one `id x y [z]` node per line, as the spec says.
 *
 * Anything this reader cannot represent faithfully is refused by name before any data is used
 * (other problem types, FIXED_EDGES_SECTION, XRAY1/XRAY2/SPECIAL distances, CVRP/HCP sections),
 * and every malformed input ends in a `TsplibError` whose message is `file:line: what was expected`.
 * The reader never allocates for the stated DIMENSION before the data has been counted and found
 * to match it, so a file claiming a huge DIMENSION fails fast instead of exhausting memory.
 */

/** A malformed or unsupported TSPLIB file: `file:line: what was expected`. */
export class TsplibError extends InputError {
  override name = "TsplibError";
}

/**
 * Largest DIMENSION accepted: the instance stores the full n*n Float64 distance matrix
 * (5000 cities = 200 MB). FMA works on far smaller instances; this bound keeps a large or
 * hostile file from exhausting memory.
 */
export const MAX_DIMENSION = 5000;

/** The edge weight types this reader computes (plus EXPLICIT). */
export const SUPPORTED_EDGE_WEIGHT_TYPES = ["EXPLICIT", ...Object.keys(COORDINATE_TYPES)] as const;

/** The explicit matrix layouts of EDGE_WEIGHT_FORMAT (spec 1.1.7). */
export const MATRIX_FORMATS = [
  "FULL_MATRIX",
  "UPPER_ROW",
  "LOWER_ROW",
  "UPPER_DIAG_ROW",
  "LOWER_DIAG_ROW",
  "UPPER_COL",
  "LOWER_COL",
  "UPPER_DIAG_COL",
  "LOWER_DIAG_COL",
] as const;

const UNSUPPORTED_TYPES: Record<string, string> = {
  HCP: "Hamiltonian cycle problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)",
  CVRP: "vehicle routing problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)",
  SOP: "sequential ordering problems are not supported; fmanneal reads TSP files (TYPE TSP or ATSP)",
};
const UNSUPPORTED_EDGE_WEIGHT_TYPES = ["XRAY1", "XRAY2", "SPECIAL"];
const NODE_COORD_TYPES: Record<string, 0 | 2 | 3> = { TWOD_COORDS: 2, THREED_COORDS: 3, NO_COORDS: 0 };
const DISPLAY_DATA_TYPES = ["COORD_DISPLAY", "TWOD_DISPLAY", "NO_DISPLAY"];
/** Keywords of other problem types: refused by name in a TSP file. */
const FOREIGN_KEYWORDS: Record<string, string> = {
  CAPACITY: "CAPACITY belongs to CVRP files, which are not supported",
  EDGE_DATA_FORMAT: "EDGE_DATA_FORMAT belongs to HCP files, which are not supported",
  EDGE_DATA_SECTION: "EDGE_DATA_SECTION belongs to HCP files, which are not supported",
  DEPOT_SECTION: "DEPOT_SECTION belongs to CVRP files, which are not supported",
  DEMAND_SECTION: "DEMAND_SECTION belongs to CVRP files, which are not supported",
  FIXED_EDGES_SECTION: "FIXED_EDGES_SECTION is not supported (fixed edges would change the problem)",
};

// ---------------------------------------------------------------------------------------------
// Lexing

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** `KEY : value`, `KEY: value`, `KEY:value`, or a bare `KEY` (sections, EOF). */
const KEYWORD_LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::(.*))?$/;

interface KeywordLine {
  key: string;
  /** Trimmed text after the colon, or null without a colon. */
  value: string | null;
}

interface DataLine {
  line: number;
  values: number[];
}

function quote(text: string): string {
  const t = text.length > 40 ? text.slice(0, 37) + "..." : text;
  return `'${t}'`;
}

/** Split into lines (LF, CRLF or CR), after refusing binary data and dropping a UTF-8 BOM. */
function textLines(text: string, file: string, what: string): string[] {
  const bad = /[\x00-\x08\x0E-\x1F\x7F]/.exec(text);
  if (bad) {
    const line = countLines(text, bad.index);
    const code = bad[0].charCodeAt(0).toString(16).padStart(2, "0");
    throw new TsplibError(file, line, `binary data (byte 0x${code}); expected a ${what} text file`);
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  if (lines.every((l) => l.trim() === "")) {
    throw new TsplibError(file, 1, `empty file; expected a ${what} starting with 'NAME : ...' or 'TYPE : ...'`);
  }
  return lines;
}

function countLines(text: string, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function keywordLine(trimmed: string): KeywordLine | null {
  const m = KEYWORD_LINE.exec(trimmed);
  if (!m) return null;
  return { key: m[1], value: m[2] === undefined ? null : m[2].trim() };
}

/**
 * Read the numeric lines of a data section starting at index `start`: up to the next keyword
 * line, `EOF`, or the end. A line that is not a keyword line must consist of numbers only.
 */
function readData(
  lines: string[],
  start: number,
  file: string,
  section: string,
): { data: DataLine[]; next: number; lastLine: number } {
  const data: DataLine[] = [];
  let j = start;
  let lastLine = start; // the section keyword's own line (1-based = index start-1+1)
  for (; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t === "") continue;
    if (KEYWORD_LINE.test(t)) break;
    const tokens = t.split(/\s+/);
    const values = new Array<number>(tokens.length);
    for (let k = 0; k < tokens.length; k++) {
      if (!NUMBER.test(tokens[k])) {
        throw new TsplibError(file, j + 1, `non-numeric token ${quote(tokens[k])} in ${section}; expected a number`);
      }
      values[k] = Number(tokens[k]);
      if (!Number.isFinite(values[k])) {
        throw new TsplibError(file, j + 1, `number ${quote(tokens[k])} in ${section} is too large (not a finite double); expected at most about 1.8e308 in magnitude`);
      }
    }
    data.push({ line: j + 1, values });
    lastLine = j + 1;
  }
  return { data, next: j, lastLine };
}

function requireColon(kw: KeywordLine, file: string, line: number): string {
  if (kw.value === null) throw new TsplibError(file, line, `expected '${kw.key} : <value>'`);
  return kw.value;
}

function parseDimension(value: string, file: string, line: number): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new TsplibError(file, line, `DIMENSION must be a positive integer, found ${quote(value)}`);
  }
  return Number(value);
}

/** First word of a value, upper-cased: si175 writes `TYPE: TSP (M.~Hofmeister)`. */
function firstWord(value: string): string {
  return value.split(/\s+/)[0].toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Explicit matrices

/** How many numbers an EDGE_WEIGHT_SECTION of `format` holds for n nodes (a double: n may be huge). */
function matrixCount(format: string, n: number): number {
  if (format === "FULL_MATRIX") return n * n;
  return format.includes("_DIAG_") ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2;
}

/**
 * Visit the matrix entries of `format` in stream order, literally as the spec defines them:
 * `*_ROW` formats run over rows (outer) then columns, `*_COL` formats over columns then rows;
 * `UPPER` keeps row < col, `LOWER` row > col, and `_DIAG_` adds row == col.
 * (For a symmetric matrix this makes UPPER_COL the same stream as LOWER_ROW, LOWER_COL as
 * UPPER_ROW, UPPER_DIAG_COL as LOWER_DIAG_ROW and LOWER_DIAG_COL as UPPER_DIAG_ROW.)
 */
function forEachMatrixEntry(format: string, n: number, visit: (row: number, col: number) => void): void {
  const full = format === "FULL_MATRIX";
  const colWise = format.endsWith("_COL");
  const upper = format.startsWith("UPPER_");
  const diag = format.includes("_DIAG_");
  for (let outer = 0; outer < n; outer++) {
    for (let inner = 0; inner < n; inner++) {
      const row = colWise ? inner : outer;
      const col = colWise ? outer : inner;
      const keep = full || (row === col ? diag : upper ? row < col : row > col);
      if (keep) visit(row, col);
    }
  }
}

function explicitDistances(
  format: string,
  n: number,
  data: DataLine[],
  file: string,
  sectionLine: number,
  lastLine: number,
  symmetric = true,
): Float64Array {
  const expected = matrixCount(format, n);
  let count = 0;
  for (const d of data) {
    if (count + d.values.length > expected) {
      const extra = d.values[expected - count];
      throw new TsplibError(
        file,
        d.line,
        `extra number ${extra} in EDGE_WEIGHT_SECTION: ${format} for DIMENSION ${n} has exactly ${expected} numbers`,
      );
    }
    count += d.values.length;
  }
  if (count < expected) {
    throw new TsplibError(
      file,
      lastLine,
      `EDGE_WEIGHT_SECTION (line ${sectionLine}) ends after ${count} numbers; ${format} for DIMENSION ${n} needs ${expected}`,
    );
  }
  checkMaxDimension(n, file, sectionLine);
  // The data now has exactly `expected` numbers, so these allocations are bounded by the file.
  const values = new Float64Array(expected);
  const lineOf = new Int32Array(expected);
  let k = 0;
  for (const d of data) {
    for (const v of d.values) {
      values[k] = v;
      lineOf[k++] = d.line;
    }
  }
  const dist = new Float64Array(n * n);
  k = 0;
  if (format === "FULL_MATRIX") {
    forEachMatrixEntry(format, n, (r, c) => (dist[r * n + c] = values[k++]));
    for (let i = 0; i < n && symmetric; i++) {
      for (let j = i + 1; j < n; j++) {
        if (dist[i * n + j] !== dist[j * n + i]) {
          throw new TsplibError(
            file,
            lineOf[j * n + i],
            `FULL_MATRIX is not symmetric: d(${i + 1},${j + 1}) = ${dist[i * n + j]} but d(${j + 1},${i + 1}) = ${dist[j * n + i]}; expected a symmetric TSP matrix`,
          );
        }
      }
    }
  } else {
    forEachMatrixEntry(format, n, (r, c) => {
      dist[r * n + c] = values[k];
      dist[c * n + r] = values[k++];
    });
  }
  // Contract: zero diagonal. Diagonal entries given in the file are never part of a tour.
  for (let i = 0; i < n; i++) dist[i * n + i] = 0;
  checkFiniteTours(dist, n, file, () => sectionLine, "EDGE_WEIGHT_SECTION");
  return dist;
}

/**
 * Refuse distances with which a tour length is not a finite number: a distance that overflowed
 * (coordinates near 1e308, squared), or weights so large that n of them overflow. Every number
 * in the file is finite (readData), so only this derived overflow is left to check. `lineOf(i)`
 * is the line to blame for node i (its coordinates), or the section's line.
 */
function checkFiniteTours(d: Float64Array, n: number, file: string, lineOf: (node: number) => number, source: string): void {
  let max = 0;
  for (let k = 0; k < d.length; k++) {
    const v = Math.abs(d[k]);
    if (!(v <= Number.MAX_VALUE)) {
      const i = Math.floor(k / n);
      const j = k % n;
      throw new TsplibError(
        file,
        Math.max(lineOf(i), lineOf(j)),
        `the distance between nodes ${i + 1} and ${j + 1} is ${d[k]} (${source}); expected numbers small enough for finite distances`,
      );
    }
    if (v > max) max = v;
  }
  if (!Number.isFinite(max * n)) {
    throw new TsplibError(file, lineOf(-1), `distances up to ${max} (${source}) make a tour of ${n} nodes longer than the largest double; expected smaller numbers`);
  }
}

function checkMaxDimension(n: number, file: string, line: number): void {
  if (n > MAX_DIMENSION) {
    throw new TsplibError(
      file,
      line,
      `DIMENSION ${n} is larger than the supported maximum ${MAX_DIMENSION} (the full distance matrix is kept in memory)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Asymmetric matrices (TYPE: ATSP)
//
// An ATSP file gives d(i,j), the cost of going from node i to node j, as an EXPLICIT
// FULL_MATRIX: row i lists d(i,1..n), the numbers wrapping over lines anywhere (ftv35 writes 6
// per line, br17 breaks every row after 16). It is the only layout the spec's ATSP instances
// use, and the only one that can hold an asymmetric matrix: the triangular formats give one
// number per pair {i,j}, so they are refused for ATSP (a symmetric problem is TYPE TSP). The
// diagonal holds a large number in TSPLIB's files (9999 in br17, 100000000 in ftv35) that no
// tour uses; like every explicit diagonal it is read, counted and then set to 0 (the
// instance's contract). Entries must be finite; negative entries are accepted as for TYPE TSP
// (the spec asks only for integers), since every method compares tours of n edges.

/** The type of a problem file: TYPE ATSP, else TSP (also when TYPE is missing, as before). */
function problemType(fields: ReadonlyMap<string, Field>): "TSP" | "ATSP" {
  return fields.get("TYPE")?.value === "ATSP" ? "ATSP" : "TSP";
}

/**
 * Before an ATSP EDGE_WEIGHT_SECTION is read: the format must be FULL_MATRIX (the error names
 * the EDGE_WEIGHT_FORMAT line) and every number finite (the error names its line).
 */
function checkAtspMatrix(format: Field, data: DataLine[], file: string): void {
  if (format.value !== "FULL_MATRIX") {
    throw new TsplibError(
      file,
      format.line,
      `EDGE_WEIGHT_FORMAT ${format.value} cannot hold an asymmetric matrix (a triangle gives one weight per pair of nodes); TYPE ATSP needs FULL_MATRIX`,
    );
  }
  for (const { line, values } of data) {
    for (const v of values) {
      if (!Number.isFinite(v)) throw new TsplibError(file, line, `edge weight ${v} is not a finite number; expected a finite number in EDGE_WEIGHT_SECTION`);
    }
  }
}

/** At the end of an ATSP file: its weights must be EXPLICIT (coordinates give symmetric distances). */
function checkAtspEdgeWeightType(type: Field, file: string): void {
  if (type.value !== "EXPLICIT") {
    throw new TsplibError(
      file,
      type.line,
      `EDGE_WEIGHT_TYPE ${type.value} gives symmetric distances; TYPE ATSP needs EDGE_WEIGHT_TYPE EXPLICIT with a FULL_MATRIX (a symmetric problem is TYPE TSP)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// TSP files

interface Field {
  value: string;
  line: number;
}

/** The specification part of a file as read by `readSpecification`. */
interface Specification {
  /** `KEY : value` lines by key (COMMENT excepted), with the value the reader kept. */
  fields: Map<string, Field>;
  comments: string[];
  /** Line of each data section keyword. */
  sections: Map<string, number>;
  /** The last line with content (of the header, or of a section's data). */
  lastLine: number;
}

/** What a file type (TSP, TOUR) does with the lines `readSpecification` hands over. */
interface SpecificationReader {
  /** What a line that is not a keyword line should have been (in the error message). */
  expected: string;
  /** Called first with every keyword: refuses keywords this file type must not have. */
  check?(key: string, line: number): void;
  /** A `KEY : value` line (not COMMENT, not given before): checks it, returns the value to keep. */
  field(key: string, value: string, line: number): string;
  /** A data section (not given before), with its numeric lines and the line where they end. */
  section(key: string, line: number, data: DataLine[], end: number, fields: ReadonlyMap<string, Field>): void;
}

/**
 * Read the keyword lines of a TSPLIB file (any TYPE): blank lines skipped, `EOF` ends the file,
 * `KEY : value` lines (COMMENT collected, any other key at most once) and data sections (at
 * most once each, nothing after the keyword, numbers until the next keyword) handed to `reader`.
 */
function readSpecification(lines: string[], file: string, reader: SpecificationReader): Specification {
  const spec: Specification = { fields: new Map(), comments: [], sections: new Map(), lastLine: 1 };
  let i = 0;
  while (i < lines.length) {
    const t = lines[i].trim();
    const line = i + 1;
    if (t === "") {
      i++;
      continue;
    }
    spec.lastLine = line;
    const kw = keywordLine(t);
    if (!kw) throw new TsplibError(file, line, `expected a 'KEYWORD : value' line or ${reader.expected}, found ${quote(t)}`);
    const key = kw.key;
    reader.check?.(key, line);
    if (key === "EOF") break;
    if (key.endsWith("_SECTION")) {
      if (kw.value !== null && kw.value !== "") {
        throw new TsplibError(file, line, `unexpected ${quote(kw.value)} after ${key}; data starts on the next line`);
      }
      const first = spec.sections.get(key);
      if (first !== undefined) throw new TsplibError(file, line, `${key} given twice (first at line ${first})`);
      spec.sections.set(key, line);
      const { data, next, lastLine: end } = readData(lines, i + 1, file, key);
      if (data.length > 0) spec.lastLine = end;
      reader.section(key, line, data, end, spec.fields);
      i = next;
      continue;
    }
    const value = requireColon(kw, file, line);
    if (key === "COMMENT") {
      spec.comments.push(value);
    } else {
      const previous = spec.fields.get(key);
      if (previous) throw new TsplibError(file, line, `${key} given twice (first at line ${previous.line})`);
      spec.fields.set(key, { value: reader.field(key, value, line), line });
    }
    i++;
  }
  return spec;
}

/** What the sections of a TSP file have given so far. */
interface TspData {
  dimension: number | null;
  coords: Float64Array | null;
  /** The line of each node's coordinates (for messages about a node). */
  coordLines: Int32Array | null;
  coordDims: 0 | 2 | 3;
  distances: Float64Array | null;
}

/**
 * Parse the text of a TSPLIB `TYPE: TSP` file, or of a `TYPE: ATSP` file (EXPLICIT
 * FULL_MATRIX, `type: "ATSP"`, directed distances; the diagonal is ignored and set to 0).
 *
 * @param text the file contents
 * @param file the name used in error messages and stored as `source`
 * @throws TsplibError (`file:line: what was expected`) on malformed or unsupported input
 * @example
 * ```ts
 * const inst = parseTsplib(
 *   "NAME: tri\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\n" +
 *   "NODE_COORD_SECTION\n1 0 0\n2 3 0\n3 3 4\nEOF\n",
 * );
 * inst.distances[0 * 3 + 2]; // 5
 * tourLength(inst, [0, 1, 2]); // 3 + 4 + 5 = 12
 * ```
 */
export function parseTsplib(text: string, file = "<input>"): TspInstance {
  const lines = textLines(text, file, "TSPLIB problem");
  const data: TspData = { dimension: null, coords: null, coordLines: null, coordDims: 0, distances: null };
  const spec = readSpecification(lines, file, {
    expected: "a section keyword",
    check(key, line) {
      if (key in FOREIGN_KEYWORDS) throw new TsplibError(file, line, FOREIGN_KEYWORDS[key]);
    },
    field(key, value, line) {
      if (key === "TYPE" && data.distances && firstWord(value) === "ATSP") {
        // The matrix was read as a symmetric one: the type must be known before it.
        throw new TsplibError(file, line, `TYPE ATSP must be given before EDGE_WEIGHT_SECTION`);
      }
      if (key !== "DIMENSION") return tspField(key, value, file, line);
      data.dimension = parseDimension(value, file, line);
      return value;
    },
    section: (key, line, lines, end, fields) => tspSection(key, line, lines, end, fields, file, data),
  });
  const type = problemType(spec.fields);
  const typeField = spec.fields.get("EDGE_WEIGHT_TYPE");
  if (type === "ATSP" && typeField) checkAtspEdgeWeightType(typeField, file);
  const { edgeWeightType, formatField, distances } = instanceDistances(spec, data, file);
  const coords = data.coords;
  return {
    name: spec.fields.get("NAME")?.value ?? defaultName(file),
    type,
    comment: spec.comments.join("\n"),
    dimension: data.dimension!,
    edgeWeightType,
    edgeWeightFormat: formatField ? formatField.value : null,
    coords,
    coordDims: coords ? data.coordDims : 0,
    distances,
    source: file,
  };
}

/**
 * Check a specification line of a TSP file (DIMENSION is read by the caller); returns the value
 * to keep, normalised where the spec allows.
 */
function tspField(key: string, value: string, file: string, line: number): string {
  switch (key) {
    case "NAME":
      return value;
    case "TYPE": {
      const type = firstWord(value);
      if (type in UNSUPPORTED_TYPES) throw new TsplibError(file, line, `TYPE ${type}: ${UNSUPPORTED_TYPES[type]}`);
      if (type === "TOUR") throw new TsplibError(file, line, `TYPE TOUR is a tour file; expected a problem file with TYPE TSP or ATSP`);
      if (type !== "TSP" && type !== "ATSP") throw new TsplibError(file, line, `unknown TYPE ${quote(value)}; expected TSP or ATSP`);
      return type;
    }
    case "EDGE_WEIGHT_TYPE": {
      const type = value.toUpperCase();
      if (UNSUPPORTED_EDGE_WEIGHT_TYPES.includes(type)) {
        throw new TsplibError(
          file,
          line,
          `EDGE_WEIGHT_TYPE ${type} is not supported (supported: ${SUPPORTED_EDGE_WEIGHT_TYPES.join(", ")})`,
        );
      }
      if (!(SUPPORTED_EDGE_WEIGHT_TYPES as readonly string[]).includes(type)) {
        throw new TsplibError(
          file,
          line,
          `unknown EDGE_WEIGHT_TYPE ${quote(value)}; expected one of ${SUPPORTED_EDGE_WEIGHT_TYPES.join(", ")}`,
        );
      }
      return type;
    }
    case "EDGE_WEIGHT_FORMAT": {
      const format = value.toUpperCase();
      if (format !== "FUNCTION" && !(MATRIX_FORMATS as readonly string[]).includes(format)) {
        throw new TsplibError(
          file,
          line,
          `unknown EDGE_WEIGHT_FORMAT ${quote(value)}; expected FUNCTION or one of ${MATRIX_FORMATS.join(", ")}`,
        );
      }
      return format;
    }
    case "NODE_COORD_TYPE": {
      const v = value.toUpperCase();
      if (!(v in NODE_COORD_TYPES)) {
        throw new TsplibError(file, line, `unknown NODE_COORD_TYPE ${quote(value)}; expected TWOD_COORDS, THREED_COORDS or NO_COORDS`);
      }
      return v;
    }
    case "DISPLAY_DATA_TYPE": {
      const v = value.toUpperCase();
      if (!DISPLAY_DATA_TYPES.includes(v)) {
        throw new TsplibError(file, line, `unknown DISPLAY_DATA_TYPE ${quote(value)}; expected ${DISPLAY_DATA_TYPES.join(", ")}`);
      }
      return v;
    }
    default:
      throw new TsplibError(
        file,
        line,
        `unknown keyword ${key}; expected NAME, TYPE, COMMENT, DIMENSION, EDGE_WEIGHT_TYPE, EDGE_WEIGHT_FORMAT, NODE_COORD_TYPE, DISPLAY_DATA_TYPE, a section or EOF`,
      );
  }
}

/** Read a data section of a TSP file into `out` (coordinates or an explicit matrix). */
function tspSection(
  key: string,
  line: number,
  data: DataLine[],
  end: number,
  fields: ReadonlyMap<string, Field>,
  file: string,
  out: TspData,
): void {
  const needDimension = (): number => {
    if (out.dimension === null) throw new TsplibError(file, line, `missing DIMENSION: it must be given before ${key}`);
    return out.dimension;
  };
  switch (key) {
    case "NODE_COORD_SECTION": {
      const n = needDimension();
      out.coordDims = nodeCoordDims(fields, data, file, line);
      ({ coords: out.coords, lines: out.coordLines } = readCoordinates(data, n, out.coordDims, file, end));
      break;
    }
    case "EDGE_WEIGHT_SECTION": {
      const n = needDimension();
      const type = fields.get("EDGE_WEIGHT_TYPE");
      if (!type) throw new TsplibError(file, line, `missing EDGE_WEIGHT_TYPE: it must be given before ${key}`);
      if (type.value !== "EXPLICIT") {
        throw new TsplibError(file, line, `${key} needs EDGE_WEIGHT_TYPE EXPLICIT, found ${type.value} (line ${type.line})`);
      }
      const format = fields.get("EDGE_WEIGHT_FORMAT");
      if (!format || format.value === "FUNCTION") {
        throw new TsplibError(
          file,
          format ? format.line : line,
          `EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_FORMAT before ${key}, one of ${MATRIX_FORMATS.join(", ")}`,
        );
      }
      if (problemType(fields) === "ATSP") {
        checkAtspMatrix(format, data, file);
        out.distances = explicitDistances(format.value, n, data, file, line, end, false);
      } else {
        out.distances = explicitDistances(format.value, n, data, file, line, end);
      }
      break;
    }
    case "DISPLAY_DATA_SECTION":
      // Display coordinates only (spec 1.2.6): not part of the problem; the numbers were checked.
      break;
    case "TOUR_SECTION":
      throw new TsplibError(file, line, `TOUR_SECTION in a TSP file; expected it only in a TYPE TOUR file`);
    default:
      throw new TsplibError(file, line, `unknown section ${key}`);
  }
}

/**
 * At the end of a TSP file (or EOF): check that the parts fit together, and compute the
 * distances of a coordinate instance.
 */
function instanceDistances(
  spec: Specification,
  data: TspData,
  file: string,
): { edgeWeightType: string; formatField: Field | null; distances: Float64Array } {
  const { fields, lastLine } = spec;
  if (data.dimension === null) throw new TsplibError(file, lastLine, `missing DIMENSION`);
  const typeField = fields.get("EDGE_WEIGHT_TYPE");
  if (!typeField) throw new TsplibError(file, lastLine, `missing EDGE_WEIGHT_TYPE`);
  const formatField = fields.get("EDGE_WEIGHT_FORMAT") ?? null;
  const edgeWeightType = typeField.value;
  if (edgeWeightType === "EXPLICIT") {
    if (!data.distances) {
      throw new TsplibError(file, lastLine, `missing EDGE_WEIGHT_SECTION for EDGE_WEIGHT_TYPE EXPLICIT`);
    }
    return { edgeWeightType, formatField, distances: data.distances };
  }
  if (formatField && formatField.value !== "FUNCTION") {
    throw new TsplibError(
      file,
      formatField.line,
      `EDGE_WEIGHT_FORMAT ${formatField.value} does not fit EDGE_WEIGHT_TYPE ${edgeWeightType}; expected FUNCTION or no format`,
    );
  }
  if (!data.coords) {
    throw new TsplibError(file, lastLine, `missing NODE_COORD_SECTION for EDGE_WEIGHT_TYPE ${edgeWeightType}`);
  }
  if (data.coordDims !== COORDINATE_TYPES[edgeWeightType]) {
    throw new TsplibError(
      file,
      spec.sections.get("NODE_COORD_SECTION") ?? lastLine,
      `EDGE_WEIGHT_TYPE ${edgeWeightType} needs ${COORDINATE_TYPES[edgeWeightType]}-D coordinates, the NODE_COORD_SECTION has ${data.coordDims}-D`,
    );
  }
  const distances = coordinateDistances(edgeWeightType, data.coords, data.dimension, data.coordDims as 2 | 3);
  const section = spec.sections.get("NODE_COORD_SECTION") ?? lastLine;
  checkFiniteTours(distances, data.dimension, file, (i) => (i >= 0 && data.coordLines ? data.coordLines[i] : section), `${edgeWeightType} from the NODE_COORD_SECTION coordinates`);
  return { edgeWeightType, formatField, distances };
}

function defaultName(file: string): string {
  return file.startsWith("<") ? "unnamed" : basename(file).replace(/\.[^.]*$/, "");
}

/** Coordinates per node for a NODE_COORD_SECTION: from EDGE_WEIGHT_TYPE, else NODE_COORD_TYPE, else the data. */
function nodeCoordDims(fields: ReadonlyMap<string, Field>, data: DataLine[], file: string, line: number): 2 | 3 {
  const type = fields.get("EDGE_WEIGHT_TYPE");
  const nodeType = fields.get("NODE_COORD_TYPE");
  const fromType = type ? COORDINATE_TYPES[type.value] : undefined;
  const fromNodeType = nodeType ? NODE_COORD_TYPES[nodeType.value] : undefined;
  if (fromType !== undefined && fromNodeType !== undefined && fromType !== fromNodeType) {
    throw new TsplibError(
      file,
      nodeType!.line,
      `NODE_COORD_TYPE ${nodeType!.value} contradicts EDGE_WEIGHT_TYPE ${type!.value} (${fromType}-D coordinates)`,
    );
  }
  if (fromNodeType === 0) throw new TsplibError(file, line, `NODE_COORD_SECTION given with NODE_COORD_TYPE NO_COORDS`);
  if (fromType !== undefined) return fromType;
  if (fromNodeType !== undefined) return fromNodeType;
  if (!type) throw new TsplibError(file, line, `missing EDGE_WEIGHT_TYPE: it must be given before NODE_COORD_SECTION`);
  // EXPLICIT with display coordinates and no NODE_COORD_TYPE: the first node line decides.
  return data.length > 0 && data[0].values.length === 4 ? 3 : 2;
}

/**
 * Node lines `id x y [z]`, ids 1..n each exactly once (in any order). Counted before anything
 * of size n is allocated: a DIMENSION larger than the data fails here.
 */
function readCoordinates(data: DataLine[], n: number, dims: 2 | 3, file: string, endLine: number): { coords: Float64Array; lines: Int32Array } {
  const shape = dims === 2 ? "'id x y'" : "'id x y z'";
  for (let k = 0; k < data.length; k++) {
    const { line, values } = data[k];
    if (values.length !== dims + 1) {
      throw new TsplibError(file, line, `expected a node line ${shape} (${dims + 1} numbers), found ${values.length}`);
    }
    const id = values[0];
    if (!Number.isInteger(id) || id < 1 || id > n) {
      throw new TsplibError(file, line, `node id ${id} out of range; expected an integer in 1..${n} (DIMENSION)`);
    }
    if (k >= n) {
      throw new TsplibError(file, line, `more nodes than DIMENSION ${n} in NODE_COORD_SECTION`);
    }
  }
  if (data.length < n) {
    throw new TsplibError(
      file,
      endLine,
      `NODE_COORD_SECTION has ${data.length} node${data.length === 1 ? "" : "s"}; expected DIMENSION ${n}`,
    );
  }
  checkMaxDimension(n, file, data[0].line);
  const coords = new Float64Array(n * dims);
  const firstLine = new Int32Array(n);
  for (const { line, values } of data) {
    const id = values[0];
    if (firstLine[id - 1] !== 0) {
      throw new TsplibError(file, line, `node ${id} given twice (first at line ${firstLine[id - 1]})`);
    }
    firstLine[id - 1] = line;
    for (let c = 0; c < dims; c++) coords[(id - 1) * dims + c] = values[1 + c];
  }
  return { coords, lines: firstLine };
}

/**
 * Read a TSPLIB `TYPE: TSP` or `TYPE: ATSP` file (synchronously).
 * @throws TsplibError for an unreadable, malformed or unsupported file
 * @example
 * ```ts
 * const burma = readTsplib("problems/tsplib/burma14.tsp");
 * burma.dimension;      // 14
 * burma.edgeWeightType; // "GEO"
 * ```
 */
export function readTsplib(path: string): TspInstance {
  return parseTsplib(readText(path), path);
}

function readText(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new TsplibError(path, null, `cannot read file: ${why}`);
  }
  return buf.toString("utf8");
}

// ---------------------------------------------------------------------------------------------
// Tour files

/** A tour read from a TSPLIB `TYPE: TOUR` file. */
export interface TspTour {
  /** `NAME` from the file. */
  name: string;
  /** `COMMENT` from the file, or "". */
  comment: string;
  /** `DIMENSION` from the file (the number of cities). */
  dimension: number;
  /** 0-based cities in the order the file lists them (not rotated: it need not start at city 0). */
  tour: number[];
  /** The path read, or "<input>". */
  source: string;
}

/** Options for reading a tour. */
export interface TourReadOptions {
  /** Refuse the tour unless its DIMENSION equals this (the instance it is meant for). */
  dimension?: number;
}

/**
 * Parse a TSPLIB `TYPE: TOUR` file holding one tour. Node ids may be spread over lines, several
 * per line; the tour ends with `-1` (an additional `-1` closing the section, as the spec writes,
 * is accepted), or without it at the next keyword, `EOF` or the end of the text. Files with a
 * second tour are refused. Without DIMENSION the tour's own length is the dimension.
 *
 * @throws TsplibError on a malformed tour (bad id, repeated node, wrong count, ...), or when
 *   `options.dimension` is given and differs from the file's DIMENSION
 * @example
 * ```ts
 * const t = parseTour("NAME : t\nTYPE : TOUR\nDIMENSION : 4\nTOUR_SECTION\n3 1\n4 2\n-1\nEOF\n");
 * t.tour;               // [2, 0, 3, 1]
 * canonicalTour(t.tour); // [0, 3, 1, 2]
 * ```
 */
export function parseTour(text: string, file = "<input>", options: TourReadOptions = {}): TspTour {
  const lines = textLines(text, file, "TSPLIB tour");
  const read: { dimension: number | null; ids: TourId[] | null; sectionLine: number } = { dimension: null, ids: null, sectionLine: 0 };
  const spec = readSpecification(lines, file, {
    expected: "TOUR_SECTION",
    check(key, line) {
      if (key.endsWith("_SECTION") && key !== "TOUR_SECTION") throw new TsplibError(file, line, `${key} in a tour file; expected TOUR_SECTION`);
    },
    field(key, value, line) {
      tourField(key, value, file, line);
      if (key === "DIMENSION") {
        if (read.ids) throw new TsplibError(file, line, `DIMENSION must come before TOUR_SECTION (line ${read.sectionLine})`);
        read.dimension = parseDimension(value, file, line);
        if (options.dimension !== undefined && read.dimension !== options.dimension) {
          throw new TsplibError(file, line, `tour DIMENSION ${read.dimension} does not match the instance's DIMENSION ${options.dimension}`);
        }
      }
      return value;
    },
    section(_key, line, data) {
      read.sectionLine = line;
      read.ids = readTourIds(data, read.dimension, file, line);
    },
  });
  if (!read.ids) throw new TsplibError(file, spec.lastLine, `missing TOUR_SECTION`);
  const tour = tourOfIds(read.ids, read.dimension, read.sectionLine, file, options);
  return {
    name: spec.fields.get("NAME")?.value ?? defaultName(file),
    comment: spec.comments.join("\n"),
    dimension: tour.length,
    tour,
    source: file,
  };
}

/** Check a specification line of a tour file (DIMENSION is read by the caller). */
function tourField(key: string, value: string, file: string, line: number): void {
  switch (key) {
    case "NAME":
    case "DIMENSION":
      return;
    case "TYPE":
      if (firstWord(value) !== "TOUR") throw new TsplibError(file, line, `TYPE ${quote(value)} is not a tour; expected TYPE TOUR`);
      return;
    default:
      throw new TsplibError(file, line, `unknown keyword ${key} in a tour file; expected NAME, TYPE, COMMENT, DIMENSION, TOUR_SECTION or EOF`);
  }
}

/** A node id of a TOUR_SECTION and its line. */
interface TourId {
  id: number;
  line: number;
}

/** The 0-based tour of the section's ids: DIMENSION of them (or all), each node once. */
function tourOfIds(ids: TourId[], dimension: number | null, sectionLine: number, file: string, options: TourReadOptions): number[] {
  if (ids.length === 0) throw new TsplibError(file, sectionLine, `empty TOUR_SECTION; expected node ids ending with -1`);
  const n = dimension ?? ids.length;
  if (ids.length < n) {
    throw new TsplibError(file, ids[ids.length - 1].line, `tour lists ${ids.length} nodes; expected DIMENSION ${n}`);
  }
  if (options.dimension !== undefined && n !== options.dimension) {
    throw new TsplibError(file, sectionLine, `tour has ${n} nodes; the instance has DIMENSION ${options.dimension}`);
  }
  // Here ids.length === n (readTourIds refused more than a known DIMENSION), so n is bounded by the data.
  const firstLine = new Int32Array(n);
  const tour = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const { id, line } = ids[k];
    if (id > n) throw new TsplibError(file, line, `node id ${id} out of range; expected 1..${n}`);
    if (firstLine[id - 1] !== 0) {
      throw new TsplibError(file, line, `node ${id} appears twice in the tour (first at line ${firstLine[id - 1]})`);
    }
    firstLine[id - 1] = line;
    tour[k] = id - 1;
  }
  return tour;
}

/** The ids of the one tour in a TOUR_SECTION, without the -1 terminator(s). */
function readTourIds(data: DataLine[], dimension: number | null, file: string, sectionLine: number): TourId[] {
  const ids: TourId[] = [];
  let terminators = 0;
  for (const { line, values } of data) {
    for (const v of values) {
      if (v === -1) {
        if (ids.length === 0) throw new TsplibError(file, line, `empty tour: -1 before any node id`);
        if (++terminators > 2) throw new TsplibError(file, line, `unexpected -1; the tour and the section are already closed`);
        continue;
      }
      if (terminators > 0) {
        throw new TsplibError(file, line, `a second tour starts here; expected one tour per file (TOUR_SECTION at line ${sectionLine})`);
      }
      if (!Number.isInteger(v) || v < 1) {
        throw new TsplibError(file, line, `node id ${v} out of range; expected a positive integer or -1`);
      }
      if (dimension !== null && v > dimension) {
        throw new TsplibError(file, line, `node id ${v} out of range; expected 1..${dimension} (DIMENSION)`);
      }
      if (dimension !== null && ids.length >= dimension) {
        throw new TsplibError(file, line, `more than DIMENSION ${dimension} nodes in the tour; expected -1`);
      }
      ids.push({ id: v, line });
    }
  }
  return ids;
}

/**
 * Read a TSPLIB tour file (synchronously); see `parseTour`.
 * @example
 * ```ts
 * const opt = readTour("problems/tsplib/ulysses16.opt.tour", { dimension: 16 });
 * tourLength(readTsplib("problems/tsplib/ulysses16.tsp"), opt.tour); // 6859
 * ```
 */
export function readTour(path: string, options: TourReadOptions = {}): TspTour {
  return parseTour(readText(path), path, options);
}

/** One line of header text: line breaks would end the keyword line early. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

/**
 * A TSPLIB TOUR file for `tour` (0-based cities, written 1-based, one per line, then -1 and EOF).
 * @throws TourError when `tour` is not a permutation of 0..n-1
 * @example
 * ```ts
 * formatTour("tri.opt", [0, 2, 1], "length 12");
 * // "NAME : tri.opt\nCOMMENT : length 12\nTYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n3\n2\n-1\nEOF\n"
 * ```
 */
export function formatTour(name: string, tour: ArrayLike<number>, comment?: string): string {
  validateTour(tour, tour.length);
  const out = [`NAME : ${oneLine(name)}`];
  if (comment !== undefined && comment !== "") {
    for (const c of comment.split(/\r\n|\r|\n/)) out.push(`COMMENT : ${c.trim()}`);
  }
  out.push("TYPE : TOUR", `DIMENSION : ${tour.length}`, "TOUR_SECTION");
  for (let i = 0; i < tour.length; i++) out.push(String(tour[i] + 1));
  out.push("-1", "EOF", "");
  return out.join("\n");
}

/**
 * Write `formatTour(name, tour, comment)` to `path`.
 * @throws UserError when the file cannot be written
 * @example
 * ```ts
 * writeTour("best.tour", "burma14.best", bestTour, "length 3323");
 * ```
 */
export function writeTour(path: string, name: string, tour: ArrayLike<number>, comment?: string): void {
  writeTextFile(path, formatTour(name, tour, comment));
}

/** Write a text file; failures become a UserError naming the path. */
export function writeTextFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UserError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/**
 * An instance as TSPLIB text: coordinate instances (EUC_2D, GEO, ...) with their
 * NODE_COORD_SECTION, so the same distances are recomputed on reading; EXPLICIT instances as
 * a FULL_MATRIX, with `TYPE : ATSP` for an asymmetric instance (its diagonal written as 0). Coordinates are written with JavaScript's shortest round-trip number format,
 * so `parseTsplib(formatTsplib(x))` reproduces `x.coords` exactly.
 * @example
 * ```ts
 * const text = formatTsplib(randomInstance(10, 1)); // "NAME : rand10-s1\n...EDGE_WEIGHT_TYPE : EUC_2D\n..."
 * ```
 */
export function formatTsplib(instance: TspInstance): string {
  const n = instance.dimension;
  const out = [`NAME : ${oneLine(instance.name)}`];
  if (instance.comment) {
    for (const c of instance.comment.split(/\r\n|\r|\n/)) out.push(`COMMENT : ${c.trim()}`);
  }
  if (instance.type === "ATSP" && instance.edgeWeightType !== "EXPLICIT") {
    throw new UserError(`cannot write ${instance.name} as TSPLIB: an ATSP instance needs EDGE_WEIGHT_TYPE EXPLICIT, not ${instance.edgeWeightType}`);
  }
  out.push(`TYPE : ${instance.type === "ATSP" ? "ATSP" : "TSP"}`, `DIMENSION : ${n}`, `EDGE_WEIGHT_TYPE : ${instance.edgeWeightType}`);
  if (instance.edgeWeightType === "EXPLICIT") {
    out.push("EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION");
    const d = instance.distances;
    for (let i = 0; i < n; i++) out.push(Array.from(d.subarray(i * n, (i + 1) * n), String).join(" "));
  } else {
    const dims = COORDINATE_TYPES[instance.edgeWeightType];
    if (dims === undefined || !instance.coords || instance.coordDims !== dims) {
      throw new UserError(
        `cannot write ${instance.name} as TSPLIB: EDGE_WEIGHT_TYPE ${instance.edgeWeightType} needs ${dims ?? "?"}-D coordinates`,
      );
    }
    out.push("NODE_COORD_SECTION");
    const c = instance.coords;
    for (let i = 0; i < n; i++) {
      const row = [String(i + 1)];
      for (let k = 0; k < dims; k++) row.push(String(c[i * dims + k]));
      out.push(row.join(" "));
    }
  }
  out.push("EOF", "");
  return out.join("\n");
}
