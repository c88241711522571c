import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { methodNames } from "../../src/methods/registry.js";
import { readTour, readTsplib } from "../../src/tsp/tsplib.js";
import { tourLength } from "../../src/tsp/tour.js";

const burma = "problems/tsplib/burma14.tsp";
const tmp = () => mkdtempSync(join(tmpdir(), "fmanneal-solve-"));

describe("fmanneal solve", () => {
  it("prints the JSON report with the documented keys, and --out writes the best tour", async () => {
    const out = join(tmp(), "best.tour");
    const io = captureIo();
    const status = await main(["solve", burma, "--evaluations", "60", "--seed", "3", "--json", "--out", out], io);
    expect(status).toBe(0);
    expect(io.stderr).toBe("");
    const r = JSON.parse(io.stdout);
    for (const key of ["instance", "labeling", "bits", "evaluations", "invalid", "best", "optimum", "gap", "seconds", "timings"]) expect(r).toHaveProperty(key);
    expect(r.instance).toBe("burma14");
    expect(r.labeling).toBe("gray");
    expect(r.bits).toBe(37);
    expect(r.evaluations).toBe(60);
    expect(r.optimum).toBe(3323);
    expect(Object.keys(r.timings).sort()).toEqual(["anneal", "evaluate", "train"]);
    // Tour as 1-based TSPLIB ids, and its length is the reported one.
    const inst = readTsplib(burma);
    expect(r.best.tour.length).toBe(14);
    expect(r.best.tour[0]).toBe(1);
    expect(tourLength(inst, r.best.tour.map((c: number) => c - 1))).toBe(r.best.length);
    expect(r.gap).toBeCloseTo((r.best.length - 3323) / 3323, 12);
    const written = readTour(out);
    expect(tourLength(inst, written.tour)).toBe(r.best.length);
  });

  it("prints a readable report without --json and no progress bar when not a terminal", async () => {
    const io = captureIo(false);
    expect(await main(["solve", burma, "--method", "edge", "--evaluations", "100", "--seed", "1"], io)).toBe(0);
    expect(io.stdout).toMatch(/^burma14: edge, seed 1\nbest length \d+ \(optimum 3323, gap \d+\.\d\d%\), found at evaluation \d+\ntour 1 /);
    expect(io.stderr).toBe("");
  });

  it("--iterations sets the budget to init + iterations", async () => {
    const io = captureIo();
    expect(await main(["solve", burma, "--iterations", "7", "--init", "5", "--json"], io)).toBe(0);
    expect(JSON.parse(io.stdout).evaluations).toBe(12);
  });

  it("--journal then --resume continues the run without evaluating twice", async () => {
    const journal = join(tmp(), "run.jsonl");
    const a = captureIo();
    expect(await main(["solve", burma, "--evaluations", "30", "--journal", journal, "--json"], a)).toBe(0);
    const again = captureIo();
    expect(await main(["solve", burma, "--evaluations", "30", "--journal", journal, "--json"], again)).toBe(2);
    expect(again.stderr).toMatch(/journal already exists; pass --resume/);
    const b = captureIo();
    expect(await main(["solve", burma, "--evaluations", "45", "--journal", journal, "--resume", "--json"], b)).toBe(0);
    const rb = JSON.parse(b.stdout);
    expect(rb.evaluations).toBe(45);
    expect(rb.costCalls).toBe(45 - 30 - rb.invalid + JSON.parse(a.stdout).invalid);
  });

  it("bad files and options end in one line on stderr and exit status 2", async () => {
    const dir = tmp();
    const bad = join(dir, "bad.tsp");
    writeFileSync(bad, "NAME: bad\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 x 1\n3 1 1\nEOF\n");
    for (const argv of [["solve", bad], ["solve", join(dir, "missing.tsp")], ["solve", burma, "--labeling", "binary"], ["solve", burma, "--batch", "0"]]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.stdout).toBe("");
      expect(io.stderr.trim().split("\n")[0]).toMatch(/^fmanneal: /);
      expect(io.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const io = captureIo();
    await main(["solve", bad], io);
    expect(io.stderr).toMatch(/bad\.tsp:7: /);
  });

  it("--help explains every option", async () => {
    const io = captureIo();
    expect(await main(["solve", "--help"], io)).toBe(0);
    for (const opt of ["--method", "--labeling", "--evaluations", "--iterations", "--init", "--seed", "--rank", "--sweeps", "--reads", "--time-limit", "--journal", "--resume", "--out", "--json", "--policy", "--batch", "--threads"]) {
      expect(io.stdout).toContain(opt);
    }
    expect(existsSync(burma)).toBe(true);
  });

  it("takes each method's own defaults from the registry: edge starts from 5 random tours, not fma's 20", async () => {
    const io = captureIo();
    expect(await main(["solve", burma, "--method", "edge", "--iterations", "7", "--json"], io)).toBe(0);
    expect(JSON.parse(io.stdout).evaluations).toBe(5 + 7);
    const help = captureIo();
    expect(await main(["solve", "--help"], help)).toBe(0);
    for (const name of methodNames) expect(help.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
    expect(help.stdout).toContain("(default 20; edge 5)");
  });
});
