import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { solveTsp } from "../../src/methods/solve.js";
import { tourLength } from "../../src/tsp/tour.js";
import { readTour, readTsplib } from "../../src/tsp/tsplib.js";

const tmp = mkdtempSync(join(tmpdir(), "fmanneal-solve-many-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

const files = ["problems/random/rand8-s1.tsp", "problems/tsplib/burma14.tsp"];

describe("fmanneal solve-many (local threads)", () => {
  it("solves each instance as solveTsp would, one line each, and writes the tours", async () => {
    const out = join(tmp, "tours");
    const r = await run("solve-many", ...files, "--method", "edge", "--evaluations", "60", "--seed", "2", "--workers", "2", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^rand8-s1 +best \d+ \(optimum \d+, gap [\d.]+%\), 60 evaluations, [\d.]+ s$/);
    expect(lines[1]).toMatch(/^burma14 +best \d+ \(optimum 3323, gap [\d.]+%\), 60 evaluations/);
    expect(lines[2]).toMatch(/^2 of 2 instances solved in [\d.]+ s on 2 worker threads$/);
    for (const f of files) {
      const inst = readTsplib(f);
      const name = f.split("/").pop()!.replace(".tsp", "");
      const direct = await solveTsp(inst, { method: "edge", maxEvaluations: 60, seed: 2 });
      const tour = readTour(join(out, `${name}.tour`), { dimension: inst.dimension }).tour;
      expect(tourLength(inst, tour)).toBe(direct.best!.cost);
      expect(r.stdout).toContain(`best ${direct.best!.cost}`);
    }
  });

  it("--out refuses tour files that exist before solving anything, unless --force", async () => {
    const out = join(tmp, "again");
    const args = ["solve-many", files[0]!, "--method", "random", "--evaluations", "10", "--out", out];
    expect((await run(...args)).status).toBe(0);
    const again = await run(...args);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`fmanneal: --out ${join(out, "rand8-s1.tour")}: the file exists; pass --force to replace it\n`);
    expect(again.stdout).toBe("");
    expect((await run(...args, "--force")).status).toBe(0);
  });

  it("--json: one object per instance, tours as 1-based TSPLIB ids", async () => {
    const r = await run("solve-many", files[0]!, "--method", "penalty-qubo", "--evaluations", "30", "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const [row, ...more] = JSON.parse(r.stdout);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ instance: "rand8-s1", method: "penalty-qubo", seed: 1, evaluations: 30, stopReason: "budget" });
    expect([...row.best.tour].sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(row.gap).toBe((row.best.length - row.optimum) / row.optimum);
  });

  it("refuses bad input with one line and exit status 2", async () => {
    for (const [argv, message] of [
      [[files[0]!, files[0]!], "fmanneal: two instances are named rand8-s1 (problems/random/rand8-s1.tsp and problems/random/rand8-s1.tsp); results are named by instance\n"],
      [[files[0]!, "--evaluations", "0"], "fmanneal: --evaluations must be an integer >= 1, got 0\n"],
      [[files[0]!, "--study", "x"], "fmanneal: --study names a run on a queue: give --queue redis://HOST:PORT too\n"],
    ] as const) {
      const r = await run("solve-many", ...argv);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(message);
    }
    const missing = await run("solve-many", "problems/tsplib/nonexistent.tsp");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^fmanneal: .*nonexistent\.tsp/);
  });
});
