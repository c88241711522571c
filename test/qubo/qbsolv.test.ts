import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quboEnergy } from "../../src/qubo/energy.js";
import { FREE_VARIABLES, parseQubo, readQubo, writeQubo } from "../../src/qubo/qbsolv.js";
import { InputError } from "../../src/util/errors.js";
import { Random } from "../../src/util/random.js";
import { close, randomDense, randomFactorized, randomSparse, randomState } from "./helpers.js";

const EXAMPLE = `c a small QUBO
c second comment
p qubo 0 4 3 2
0 0 -1
1 1 -2.5
3 3 1e-1
0 1 2
3 2 -4
`;

describe("parseQubo", () => {
  it("reads nodes and couplers, any order of i and j, comments and blank lines", () => {
    const q = parseQubo(EXAMPLE + "\n\n");
    expect(q.n).toBe(4);
    expect(q.kind === "sparse" && Array.from(q.linear)).toEqual([-1, -2.5, 0, 0.1]);
    expect(quboEnergy(q, [1, 1, 0, 0])).toBe(-1.5);
    expect(quboEnergy(q, [0, 0, 1, 1])).toBeCloseTo(0.1 - 4, 12);
  });

  it("repeated entries add up; CRLF line ends are fine", () => {
    const q = parseQubo("p qubo 0 2 2 2\r\n0 0 1\r\n0 0 1\r\n0 1 1\r\n1 0 1\r\n");
    expect(quboEnergy(q, [1, 1])).toBe(4);
  });

  it("round-trips through writeQubo for every form (offset kept as a comment)", () => {
    const r = new Random(3);
    for (const q of [randomSparse(7, 1), randomDense(6, 2, false), randomFactorized(5, 2, 3)]) {
      const text = writeQubo(q, ["generated"]);
      expect(text.startsWith("c generated\n")).toBe(true);
      const back = parseQubo(text);
      expect(back.n).toBe(q.n);
      for (let t = 0; t < 20; t++) {
        const x = randomState(q.n, r);
        expect(close(quboEnergy(back, x), quboEnergy(q, x))).toBe(true);
      }
    }
  });

  it("writeQubo writes large QUBOs (500 x 500 dense: 124750 coupler lines)", () => {
    const n = 500;
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) matrix[i * n + j] = 1 + ((i + j) % 3);
    const text = writeQubo({ kind: "dense", n, offset: 0, matrix, triangular: true });
    expect(text.split("\n")[0]).toBe(`p qubo 0 ${n} ${n} ${(n * (n - 1)) / 2}`);
    expect(parseQubo(text).n).toBe(n);
  });

  it("writeQubo of a parsed file gives the canonical text", () => {
    expect(writeQubo(parseQubo("p qubo 0 2 1 1\n0 0 -1\n0 1 2\n"))).toBe("p qubo 0 2 1 1\n0 0 -1\n0 1 2\n");
  });

  it("readQubo names the file in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "fmanneal-qubo-"));
    const file = join(dir, "bad.qubo");
    writeFileSync(file, "p qubo 0 2 1 0\n0 0 x\n");
    expect(() => readQubo(file)).toThrow(`${file}:2: weight must be a finite number, got 'x'`);
  });
});

describe("parseQubo errors carry the line number", () => {
  const cases: [string, string, string][] = [
    ["empty file", "", "<input>:1: empty file: expected a 'p qubo 0 maxNodes nNodes nCouplers' line"],
    ["blank file", "\n  \n", "<input>:1: empty file"],
    ["missing p line (comments only)", "c one\nc two\n", "<input>:2: missing 'p qubo 0 maxNodes nNodes nCouplers' line"],
    ["data before the p line", "c x\n0 0 1\np qubo 0 1 1 0\n", "<input>:2: data before the 'p qubo 0 maxNodes nNodes nCouplers' line"],
    ["wrong header word", "p qubx 0 2 0 0\n", "<input>:1: expected 'p qubo <topology> <maxNodes> <nNodes> <nCouplers>', got 'p qubx 0 2 0 0'"],
    ["short header", "p qubo 0 2 0\n", "<input>:1: expected 'p qubo"],
    ["non-numeric header count", "p qubo 0 two 0 0\n", "<input>:1: maxNodes must be a non-negative integer, got 'two'"],
    ["second p line", "p qubo 0 2 0 0\np qubo 0 2 0 0\n", "<input>:2: second 'p' line (the first is line 1)"],
    ["non-numeric index", "p qubo 0 2 1 0\nc\na 0 1\n", "<input>:3: index i must be a non-negative integer, got 'a'"],
    ["negative index", "p qubo 0 2 1 0\n-1 0 1\n", "<input>:2: index i must be a non-negative integer, got '-1'"],
    ["non-numeric weight", "p qubo 0 2 1 0\n0 0 1.2.3\n", "<input>:2: weight must be a finite number, got '1.2.3'"],
    ["infinite weight", "p qubo 0 2 1 0\n0 0 Infinity\n", "<input>:2: weight must be a finite number, got 'Infinity'"],
    ["wrong token count", "p qubo 0 2 1 0\n0 0\n", "<input>:2: expected 'i j weight', got '0 0'"],
    ["index out of range", "p qubo 0 2 0 1\n0 2 1\n", "<input>:2: index 2 out of range 0..1 (maxNodes 2)"],
    ["node count mismatch", "p qubo 0 3 2 0\n0 0 1\n", "<input>:1: header declares 2 node (diagonal) lines, the file has 1"],
    ["coupler count mismatch", "c\np qubo 0 3 0 1\n0 1 1\n1 2 1\n", "<input>:2: header declares 1 coupler lines, the file has 2"],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        parseQubo(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message.startsWith(message)).toBe(true);
    });
  }
});

describe("parseQubo refuses sizes and sums the data cannot back (reliability)", () => {
  const refused: [string, string, string][] = [
    // a 24-byte file used to allocate by maxNodes before reading any data (7.9 GB at 10^9)
    ["maxNodes no entry justifies", "p qubo 0 100000 0 0\n", "<input>:1: maxNodes 100000 is more than the file's 0 node and 0 coupler lines can justify"],
    ["maxNodes 2^31 - 1", "p qubo 0 2147483647 0 0\n", "<input>:1: maxNodes 2147483647 exceeds the limit of 16777216 variables"],
    ["maxNodes 10^9", "p qubo 0 1000000000 0 0\n", "<input>:1: maxNodes 1000000000 exceeds the limit"],
    ["two node terms of 1e308", "p qubo 0 2 2 0\n0 0 1e308\n0 0 1e308\n", "<input>:3: the node terms of variable 0 sum to Infinity (they must stay finite)"],
    ["two couplers of 1e308, (i, j) and (j, i)", "p qubo 0 40 0 2\n0 1 1e308\n1 0 1e308\n", "<input>:3: the couplings of variables 0 and 1 sum to Infinity (they must stay finite)"],
    ["offsets summing to -Infinity", "c offset -1e308\nc offset -1e308\np qubo 0 1 0 0\n", "<input>:2: the offsets sum to -Infinity"],
  ];
  for (const [name, text, message] of refused) {
    it(name, () => {
      expect(() => parseQubo(text)).toThrow(InputError);
      expect(() => parseQubo(text)).toThrow(message);
    });
  }

  it("accepts up to FREE_VARIABLES variables that no line mentions, and exactly what the entries can mention", () => {
    expect(parseQubo(`p qubo 0 ${FREE_VARIABLES} 0 0\n`).n).toBe(FREE_VARIABLES);
    expect(parseQubo(`p qubo 0 ${FREE_VARIABLES + 3} 1 1\n0 0 1\n1 2 1\n`).n).toBe(FREE_VARIABLES + 3);
    expect(() => parseQubo(`p qubo 0 ${FREE_VARIABLES + 4} 1 1\n0 0 1\n1 2 1\n`)).toThrow(/can justify/);
  });

  it("repeated couplers are merged into one CSR entry per row; pairs that cancel are dropped", () => {
    const q = parseQubo("p qubo 0 10 0 4\n0 1 1\n1 0 2\n1 2 5\n2 1 -5\n");
    expect(q.kind).toBe("sparse");
    if (q.kind !== "sparse") return;
    expect(Array.from(q.rowPtr)).toEqual([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(Array.from(q.val)).toEqual([3, 3]);
    expect(quboEnergy(q, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0])).toBe(3);
  });

  it("a dense file (>= n^2/6 couplers, long enough to hold them) is read into the dense form", () => {
    const q = parseQubo("p qubo 0 3 1 3\n0 0 -1\n0 1 2\n2 1 3\n0 2 -4\n");
    expect(q.kind).toBe("dense");
    expect(quboEnergy(q, [1, 1, 1])).toBe(-1 + 2 + 3 - 4);
    // the same header on a file too short for its couplers stays sparse and fails on the count
    expect(() => parseQubo("p qubo 0 3 1 3\n0 0 -1\n")).toThrow("<input>:1: header declares 3 coupler lines, the file has 0");
    expect(() => parseQubo("p qubo 0 2 0 2\n0 1 1e308\n1 0 1e308\n")).toThrow("<input>:3: the couplings of variables 0 and 1 sum to Infinity");
  });

  it("readQubo streams a file larger than its 1 MiB buffer, lines across chunk boundaries", () => {
    const r = new Random(8);
    const n = 500;
    const dense = randomDense(n, 4, true); // ~125k coupler lines, ~1.5 MB of text
    const text = writeQubo(dense);
    expect(text.length).toBeGreaterThan(1 << 20);
    const dir = mkdtempSync(join(tmpdir(), "fmanneal-qubo-"));
    const file = join(dir, "big.qubo");
    writeFileSync(file, text);
    const q = readQubo(file);
    for (let t = 0; t < 5; t++) {
      const x = randomState(n, r);
      expect(close(quboEnergy(q, x), quboEnergy(dense, x))).toBe(true);
    }
  });
});

