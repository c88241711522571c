import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { heldKarp } from "../../src/tsp/heldKarp.js";
import { knownOptimum } from "../../src/tsp/optima.js";
import { formatTour, readTsplib } from "../../src/tsp/tsplib.js";

/** Issue 17 from the command line: items 4, 5, 6, 7, 8 and 12. */

const burma = "problems/tsplib/burma14.tsp";
const tmp = () => mkdtempSync(join(tmpdir(), "fmanneal-cli-reliab-"));

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

/** A user error: exit status 2, one line on stderr, no stack trace, nothing on stdout. */
function expectOneLine(r: { status: number; stdout: string; stderr: string }, message: string | RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  if (typeof message === "string") expect(r.stderr).toBe(`fmanneal: ${message}\n`);
  else expect(r.stderr).toMatch(message);
}

async function generated(dir: string, cities: number, seed: number): Promise<string> {
  const file = join(dir, `rand${cities}-s${seed}.tsp`);
  expect((await run("gen", "--cities", String(cities), "--seed", String(seed), "--out", file)).status).toBe(0);
  return file;
}

describe("numeric flags are checked by the CLI, naming the flag typed (item 8)", () => {
  const cases: [string[], string][] = [
    [["--seed", "abc"], '--seed must be an integer, got "abc"'],
    [["--seed", "1.5"], "--seed must be an integer, got 1.5"],
    [["--evaluations", "abc"], '--evaluations must be an integer >= 1, got "abc"'],
    [["--evaluations", "0"], "--evaluations must be an integer >= 1, got 0"],
    [["--batch", "0"], "--batch must be an integer >= 1, got 0"],
    [["--time-limit", "soon"], '--time-limit must be a number of seconds >= 0, got "soon"'],
    [["--optimum", "-3"], "--optimum must be a number > 0, got -3"],
    [["--restart-after", "x"], '--restart-after must be an integer >= 0, got "x"'],
    [["--resume"], "--resume needs --journal FILE"],
  ];
  for (const [flags, message] of cases) {
    it(`solve ${flags.join(" ")}`, async () => expectOneLine(await run("solve", burma, ...flags), message));
  }
});

describe("a method's size limit from the CLI (item 5)", () => {
  it("solve --method penalty-qubo on a file above its limit: one line naming the limit and what to use, no stack trace", async () => {
    const file = await generated(tmp(), 300, 1);
    const r = await run("solve", file, "--method", "penalty-qubo", "--evaluations", "10");
    expectOneLine(r, /^fmanneal: method penalty-qubo takes at most 200 cities for this problem \(.*\); it has 300: use method sa-2opt instead\n$/);
  });

  it("solve --method edge on 2000 cities with a time limit ends with a tour (its memory grows like the N^2 edges, no RangeError)", async () => {
    const file = await generated(tmp(), 2000, 1);
    const r = await run("solve", file, "--method", "edge", "--evaluations", "100", "--time-limit", "3", "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.best.tour).toHaveLength(2000);
  });
});

describe("the time limit bounds a large fma run (item 4)", () => {
  it("solve --method fma --evaluations 25 --time-limit 2 on 2000 cities ends with a tour", async () => {
    const file = await generated(tmp(), 2000, 1);
    const r = await run("solve", file, "--method", "fma", "--evaluations", "25", "--time-limit", "2", "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.best.tour).toHaveLength(2000);
    expect(["time", "budget"]).toContain(report.stopReason);
  });
});

describe("journal from the CLI (item 6)", () => {
  it("--resume with another --seed is refused, naming the flag and both values", async () => {
    const journal = join(tmp(), "run.jsonl");
    expect((await run("solve", burma, "--method", "random", "--evaluations", "20", "--seed", "3", "--journal", journal, "--json")).status).toBe(0);
    const r = await run("solve", burma, "--method", "random", "--evaluations", "20", "--seed", "4", "--journal", journal, "--resume");
    expectOneLine(r, /the journal was written with other settings: --seed 4 \(journal: 3\); resume with the journal's settings/);
    const batch = await run("solve", burma, "--method", "random", "--evaluations", "20", "--seed", "3", "--batch", "2", "--journal", journal, "--resume");
    expectOneLine(batch, /--batch 2 \(journal: 1\)/);
  });
});

describe("output files are never replaced silently (item 7)", () => {
  it("solve --out refuses an existing file before running, and replaces it with --force", async () => {
    const out = join(tmp(), "notes.txt");
    writeFileSync(out, "my notes\n");
    expectOneLine(await run("solve", burma, "--evaluations", "5", "--out", out), `--out ${out}: the file exists; pass --force to replace it`);
    expect(readFileSync(out, "utf8")).toBe("my notes\n");
    expect((await run("solve", burma, "--evaluations", "5", "--out", out, "--force", "--json")).status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^NAME : burma14\n/);
  });

  it("gen --out refuses an existing file, and replaces it with --force", async () => {
    const out = join(tmp(), "keep.tsp");
    writeFileSync(out, "precious\n");
    expectOneLine(await run("gen", "--cities", "8", "--out", out), `--out ${out}: the file exists; pass --force to replace it`);
    expect(readFileSync(out, "utf8")).toBe("precious\n");
    expect((await run("gen", "--cities", "8", "--out", out, "--force")).status).toBe(0);
    expect(readTsplib(out).dimension).toBe(8);
  });

  it("compare --out refuses a directory holding an earlier report before running any trial; --force replaces it", async () => {
    const dir = join(tmp(), "report");
    mkdirSync(dir);
    writeFileSync(join(dir, "trials.csv"), "earlier trials\n");
    const args = ["compare", "--cities", "5", "--instances", "1", "--seeds", "1", "--evaluations", "5", "--labelings", "", "--methods", "random", "--no-landscape", "--workers", "1", "--out", dir];
    expectOneLine(await run(...args), `--out ${dir} already holds a report (trials.csv); pass --force to replace it, or choose another directory`);
    expect(readFileSync(join(dir, "trials.csv"), "utf8")).toBe("earlier trials\n");
    expect((await run(...args, "--force", "--json")).status).toBe(0);
    expect(readFileSync(join(dir, "trials.csv"), "utf8")).not.toBe("earlier trials\n");
    // An empty or new directory needs no --force.
    const fresh = join(tmp(), "new");
    expect((await run(...args.slice(0, -1), fresh, "--json")).status).toBe(0);
    expect(existsSync(join(fresh, "report.md"))).toBe(true);
  });
});

describe("gaps without a known optimum: --optimum and the reference (item 12)", () => {
  it("tour: the reference is a white-box tour no shorter than the exact optimum; --optimum gives the real gap", async () => {
    const dir = tmp();
    const file = await generated(dir, 12, 4242);
    const inst = readTsplib(file);
    expect(knownOptimum(inst.name, inst.dimension)).toBeNull();
    const exact = heldKarp(inst);
    const tourFile = join(dir, "opt.tour");
    writeFileSync(tourFile, formatTour("opt", exact.tour));

    const j = JSON.parse((await run("tour", file, tourFile, "--json")).stdout);
    expect(j.optimum).toBeNull();
    expect(j.reference.note).toBe("not an optimum");
    expect(j.reference.length).toBeGreaterThanOrEqual(exact.length);
    expect(j.referenceGap).toBeCloseTo((exact.length - j.reference.length) / j.reference.length, 12);

    const text = (await run("tour", file, tourFile)).stdout;
    expect(text).toContain(`gap ${((j.referenceGap as number) * 100).toFixed(2)}% to the reference ${j.reference.length}`);
    expect(text).toMatch(/\nreference \d+: not an optimum, the engine's own white-box tour \(2-opt \+ Or-opt local search on the known distances/);

    const given = JSON.parse((await run("tour", file, tourFile, "--optimum", String(exact.length), "--json")).stdout);
    expect(given).toMatchObject({ optimum: exact.length, optimumSource: "--optimum", gap: 0, reference: null });
  });

  it("solve: prints the gap to the reference, labelled, and with --optimum the gap to it", async () => {
    const file = await generated(tmp(), 12, 4243);
    const exact = heldKarp(readTsplib(file)).length;
    const text = await run("solve", file, "--method", "edge", "--evaluations", "60");
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^best length \d+ \(gap -?\d+\.\d\d% to the reference \d+\), found at evaluation \d+$/m);
    expect(text.stdout).toMatch(/^reference \d+: not an optimum, the engine's own white-box tour/m);
    const j = JSON.parse((await run("solve", file, "--method", "edge", "--evaluations", "60", "--optimum", String(exact), "--json")).stdout);
    expect(j.optimum).toBe(exact);
    expect(j.optimumSource).toBe("--optimum");
    expect(j.gap).toBeCloseTo((j.best.length - exact) / exact, 12);
    expect(j.best.length).toBeGreaterThanOrEqual(exact);
  });

  it("solve --help explains the text output's fields and every option", async () => {
    const help = (await run("solve", "--help")).stdout.replace(/\s+/g, " ");
    for (const field of ["found at evaluation", "invalid codes", "from the journal", "abandoned", "stopped:", "reference R"]) expect(help).toContain(field);
    for (const opt of ["--optimum", "--force", "--out", "--time-limit"]) expect(help).toContain(opt);
    expect((await run("tour", "--help")).stdout).toContain("--optimum");
    expect((await run("gen", "--help")).stdout).toContain("--force");
    expect((await run("compare", "--help")).stdout).toContain("--force");
  });
});
