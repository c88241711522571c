/**
 * The shared machinery of the qbsolv and Gset readers (qbsolv.ts, gset.ts): a line reader that
 * streams a file (or a string) through one reused byte buffer, fast parsers for the tokens of
 * a well-formed data line, and growable typed arrays. No per-line string, split or regex on the
 * common path: a reader decodes a line to a string only when the fast path does not accept it,
 * and then applies the exact per-line rules of the previous readers (so every accepted file
 * gives the same numbers, and every refused line the same message).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Largest variable (node) count the readers accept (2^24 = 16,777,216): a header beyond it is refused before anything is allocated. */
export const MAX_VARIABLES = 2 ** 24;

/**
 * Variables a file may declare beyond those its entries can mention (a node line mentions one,
 * a coupler or edge two): isolated Gset nodes, trailing unused QUBO variables. A larger declared
 * count is not justified by the data and is refused (it would cost memory and annealing time,
 * and a 24-byte file could otherwise claim 10^9 variables).
 */
export const FREE_VARIABLES = 1024;

const CHUNK = 1 << 20;

/**
 * Lines of a file or a string, one at a time: after next() returns true, the current line is
 * buf[start, end) (the line break excluded) and lineNo its 1-based number. Only '\n' ends a line
 * (a '\r' before it is left in the line; the parsers treat it as trailing space).
 */
export class LineReader {
  buf: Buffer;
  start = 0;
  end = 0;
  lineNo = 0;
  /** Total bytes of the file or text. */
  readonly size: number;
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private len = 0;
  private eof: boolean;
  private readonly fd: number | null;

  private constructor(fd: number | null, data: Buffer | null, size: number) {
    this.fd = fd;
    this.size = size;
    if (data) {
      this.buf = data;
      this.len = data.length;
      this.eof = true;
    } else {
      this.buf = Buffer.allocUnsafe(CHUNK);
      this.eof = false;
    }
  }

  static fromText(text: string): LineReader {
    const data = Buffer.from(text, "utf8");
    return new LineReader(null, data, data.length);
  }

  /** Opens `path` (fs errors propagate); close() it when done. */
  static open(path: string): LineReader {
    const fd = openSync(path, "r");
    let size: number;
    try {
      size = fstatSync(fd).size; // a directory or an unreadable file fails here or at the first read
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new LineReader(fd, null, size);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  next(): boolean {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl !== -1 && nl < this.len) {
        this.start = this.pos;
        this.end = nl;
        this.pos = nl + 1;
        this.lineNo++;
        return true;
      }
      if (this.eof) {
        if (this.pos < this.len) {
          this.start = this.pos;
          this.end = this.len;
          this.pos = this.len;
          this.lineNo++;
          return true;
        }
        return false;
      }
      this.refill();
    }
  }

  private latin1Text: string | null = null;

  /** The buffer's bytes as a latin1 string (one char per byte, so byte offsets index it), decoded once per fill. */
  latin1(): string {
    if (this.latin1Text === null) this.latin1Text = this.buf.toString("latin1", 0, this.len);
    return this.latin1Text;
  }

  /** Bytes after the current line (its line break excluded). */
  bytesAfterLine(): number {
    return this.size - (this.base + this.end + 1);
  }

  /** The current line as text (for messages and the slow path). */
  text(): string {
    return this.buf.toString("utf8", this.start, this.end);
  }

  private refill(): void {
    const rest = this.len - this.pos;
    if (this.pos === 0 && rest === this.buf.length) {
      // a line longer than the buffer: grow it
      const bigger = Buffer.allocUnsafe(2 * this.buf.length);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    } else if (rest > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.len);
    }
    this.base += this.pos;
    this.pos = 0;
    this.len = rest;
    this.latin1Text = null;
    const got = readSync(this.fd as number, this.buf, this.len, this.buf.length - this.len, null);
    if (got === 0) this.eof = true;
    this.len += got;
  }
}

/** Position after the last token parsed by {@link parseUint} or {@link parseNumber}. */
export let tokenEnd = 0;

const SPACE = 32;
const TAB = 9;
const CR = 13;

/** Index of the first byte at or after p that is not ' ' or '\t' (at most end). */
export function skipBlanks(b: Uint8Array, p: number, end: number): number {
  while (p < end && (b[p] === SPACE || b[p] === TAB)) p++;
  return p;
}

/** True when b[p] ends a token on the fast path (end of line, ' ', '\t' or a trailing '\r'). */
export function atTokenEnd(b: Uint8Array, p: number, end: number): boolean {
  return p >= end || b[p] === SPACE || b[p] === TAB || b[p] === CR;
}

/** True when only ' ', '\t' and '\r' remain in [p, end). */
export function onlyBlanksLeft(b: Uint8Array, p: number, end: number): boolean {
  while (p < end) {
    const c = b[p++];
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

/** Unsigned decimal integer of 1-15 digits at p (tokenEnd after it), or -1. */
export function parseUint(b: Uint8Array, p: number, end: number): number {
  let v = 0;
  const p0 = p;
  while (p < end) {
    const c = b[p];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  if (p === p0 || p - p0 > 15 || !atTokenEnd(b, p, end)) return -1;
  tokenEnd = p;
  return v;
}

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k); // exact up to 10^22

/**
 * The number token at p, exactly as Number(token) reads it, or NaN when the fast path cannot
 * tell (the caller then reads the token with Number()). Fast path (Clinger): at most 15
 * significant digits and a decimal exponent within +-22, so the value is one correctly rounded
 * multiplication or division of two exact doubles.
 */
export function parseNumber(b: Uint8Array, p: number, end: number): number {
  let neg = false;
  if (p < end && (b[p] === 45 || b[p] === 43)) {
    neg = b[p] === 45;
    p++;
  }
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  let c = 0;
  while (p < end && (c = b[p]) >= 48 && c <= 57) {
    if (mant !== 0 || c !== 48) {
      mant = mant * 10 + (c - 48);
      sig++;
    }
    digits++;
    p++;
  }
  if (p < end && b[p] === 46) {
    p++;
    while (p < end && (c = b[p]) >= 48 && c <= 57) {
      if (mant !== 0 || c !== 48) {
        mant = mant * 10 + (c - 48);
        sig++;
      }
      exp--;
      digits++;
      p++;
    }
  }
  if (digits === 0 || sig > 15) return NaN;
  if (p < end && (b[p] === 101 || b[p] === 69)) {
    p++;
    let eneg = false;
    if (p < end && (b[p] === 45 || b[p] === 43)) {
      eneg = b[p] === 45;
      p++;
    }
    let e = 0;
    const e0 = p;
    while (p < end && (c = b[p]) >= 48 && c <= 57 && p - e0 < 4) {
      e = e * 10 + (c - 48);
      p++;
    }
    if (p === e0) return NaN;
    exp += eneg ? -e : e;
  }
  if (!atTokenEnd(b, p, end)) return NaN;
  let v: number;
  if (mant === 0) v = 0;
  else if (exp >= 0 && exp <= 22) v = mant * POW10[exp];
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp];
  else return NaN;
  tokenEnd = p;
  return neg ? -v : v;
}

/** The token at p of the current line read with Number() (ASCII tokens only; NaN for any other), tokenEnd after it. */
export function slowNumber(lines: LineReader, p: number, end: number): number {
  const b = lines.buf;
  let q = p;
  while (q < end && !atTokenEnd(b, q, end)) {
    if (b[q] >= 128) return NaN;
    q++;
  }
  if (q === p) return NaN;
  tokenEnd = q;
  return Number(lines.latin1().substring(p, q));
}

/** Growable typed arrays (capacity doubles), for entries whose count the data decides. */
export class GrowableI32 {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(2 * this.data.length);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

export class GrowableF64 {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(2 * this.data.length);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}
