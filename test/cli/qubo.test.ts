import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../../src/cli/io.js";
import { quboEnergy } from "../../src/qubo/energy.js";
import { cutValue, parseGset } from "../../src/qubo/gset.js";
import { parseQubo } from "../../src/qubo/qbsolv.js";

const dir = mkdtempSync(join(tmpdir(), "fmanneal-cli-qubo-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// ground state by hand: x = (1, 0, 1), E = -2 - 3 + 1.5 = -3.5 (x1 costs +1 and couples +4 with x0)
const QUBO = "c tiny\np qubo 0 3 3 2\n0 0 -2\n1 1 1\n2 2 -3\n0 1 4\n0 2 1.5\n";
// a 4-cycle: the maximum cut is all 4 edges
const GSET = "4 4\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n";

describe("fmanneal qubo", () => {
  it("--json on a .qubo file: keys, ground state, energy consistent with the state", async () => {
    const f = file("tiny.qubo", QUBO);
    const io = captureIo();
    expect(await main(["qubo", f, "--json", "--sweeps", "100", "--reads", "3"], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(Object.keys(out).sort()).toEqual(["energy", "interrupted", "n", "reads", "seconds", "state", "sweeps"]);
    expect(out).toMatchObject({ n: 3, energy: -3.5, state: "101", reads: 3, sweeps: 100, interrupted: false });
    expect(quboEnergy(parseQubo(QUBO), Array.from(out.state as string, Number))).toBe(out.energy);
    expect(out.seconds).toBeGreaterThanOrEqual(0);
  });

  it("guesses gset from a two-integer first line and reports the cut", async () => {
    const f = file("cycle.txt", GSET);
    const io = captureIo();
    expect(await main(["qubo", f, "--json", "--sweeps", "50", "--seed", "3"], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(Object.keys(out).sort()).toEqual(["cut", "energy", "interrupted", "n", "reads", "seconds", "state", "sweeps"]);
    expect(out.cut).toBe(4);
    expect(out.energy).toBe(-4);
    expect(cutValue(parseGset(GSET), Array.from(out.state as string, Number))).toBe(4);
    expect(out.reads).toBe(10);
  });

  it("guesses qubo from a comment line, even one without a space after the c", async () => {
    const f = file("comment.qubo", "comment: tiny\n" + QUBO);
    const io = captureIo();
    expect(await main(["qubo", f, "--json", "--sweeps", "50"], io)).toBe(0);
    expect(JSON.parse(io.stdout).energy).toBe(-3.5);
  });

  it("--format overrides the guess (a gset file read as qubo fails with its line)", async () => {
    const f = file("cycle2.txt", GSET);
    const io = captureIo();
    expect(await main(["qubo", f, "--format", "qubo"], io)).toBe(2);
    expect(io.stderr).toBe(`fmanneal: ${f}:1: data before the 'p qubo 0 maxNodes nNodes nCouplers' line\n`);
  });

  it("human-readable output names the file, the cut and the state", async () => {
    const f = file("cycle3.txt", GSET);
    const io = captureIo();
    expect(await main(["qubo", f, "--sweeps", "50"], io)).toBe(0);
    expect(io.stdout).toMatch(/^file +.*cycle3\.txt \(gset, 4 variables\)$/m);
    expect(io.stdout).toMatch(/^cut +4$/m);
    expect(io.stdout).toMatch(/^reads +10 of 10 finished$/m);
    expect(io.stdout).toMatch(/^state +(1010|0101)$/m);
  });

  it("G1 from problems/: a good cut with few sweeps", async () => {
    const io = captureIo();
    expect(await main(["qubo", "problems/gset/G1.txt", "--json", "--sweeps", "200", "--reads", "2"], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(out.n).toBe(800);
    expect(out.cut).toBe(-out.energy);
    expect(out.cut).toBeGreaterThan(11300);
  });

  it("--time-limit 0 stops at once and still prints a state", async () => {
    const io = captureIo();
    expect(await main(["qubo", "problems/gset/G1.txt", "--json", "--time-limit", "0"], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    expect(out.interrupted).toBe(true);
    expect(out.reads).toBe(0);
    expect(out.state).toHaveLength(800);
  });

  const bad: [string, string, string][] = [
    ["bad.qubo", "p qubo 0 2 1 0\n0 0 abc\n", ":2: weight must be a finite number, got 'abc'"],
    ["count.qubo", "p qubo 0 2 1 1\n0 0 1\n", ":1: header declares 1 coupler lines, the file has 0"],
    ["bad.gset", "3 1\n1 9 1\n", ":2: node id 9 out of range 1..3"],
    ["empty.txt", "", ":1: empty file"],
    ["what.txt", "hello world\n", ":1: cannot tell the format"],
  ];
  for (const [name, text, message] of bad) {
    it(`bad file ${name}: one-line error with the line number, exit 2`, async () => {
      const f = file(name, text);
      const io = captureIo();
      expect(await main(["qubo", f], io)).toBe(2);
      expect(io.stderr.startsWith(`fmanneal: ${f}${message}`)).toBe(true);
      expect(io.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(io.stdout).toBe("");
    });
  }

  it("--layout dense and sparse find the same ground state", async () => {
    const f = file("layout.qubo", QUBO);
    for (const layout of ["dense", "sparse", "auto"]) {
      const io = captureIo();
      expect(await main(["qubo", f, "--json", "--sweeps", "100", "--layout", layout], io)).toBe(0);
      expect(JSON.parse(io.stdout)).toMatchObject({ energy: -3.5, state: "101" });
    }
    const io = captureIo();
    expect(await main(["qubo", f, "--layout", "csr"], io)).toBe(2);
  });

  it("refuses a 24-byte file that declares 10^9 variables, and coefficients beyond single precision, with exit 2", async () => {
    let io = captureIo();
    const huge = file("huge.qubo", "p qubo 0 1000000000 0 0\n");
    expect(await main(["qubo", huge], io)).toBe(2);
    expect(io.stderr).toBe(`fmanneal: ${huge}:1: maxNodes 1000000000 exceeds the limit of 16777216 variables\n`);
    io = captureIo();
    const big = file("big.qubo", "p qubo 0 2 2 0\n0 0 1e300\n1 1 1\n");
    expect(await main(["qubo", big], io)).toBe(2);
    expect(io.stderr).toMatch(/big\.qubo: QUBO: variable 0's coefficients sum to 1e\+300 in magnitude, beyond the annealer's single-precision local fields/);
  });

  it("a missing file and bad options exit 2", async () => {
    let io = captureIo();
    expect(await main(["qubo", join(dir, "nope.qubo")], io)).toBe(2);
    expect(io.stderr).toMatch(/nope\.qubo: cannot read the file \(ENOENT\)/);
    const f = file("ok.qubo", QUBO);
    io = captureIo();
    expect(await main(["qubo", f, "--reads", "0"], io)).toBe(2);
    expect(io.stderr).toMatch(/--reads must be an integer >= 1, got 0/);
    io = captureIo();
    expect(await main(["qubo", f, "--sweeps", "1.5"], io)).toBe(2);
    expect(io.stderr).toMatch(/--sweeps must be an integer >= 0/);
    io = captureIo();
    expect(await main(["qubo", f, "--format", "xml"], io)).toBe(2);
  });
});
