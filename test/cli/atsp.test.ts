import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

/**
 * The CLI on TSPLIB ATSP files. Lengths are checked against the raw matrix text of the file
 * (row i = d(i, 1..n)), summed in the tour's order, closing edge included.
 */

async function run(...argv: string[]) {
  const io = captureIo();
  const status = await main(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

const BR17 = "problems/tsplib/br17.atsp";
const n = 17;
const raw = readFileSync(BR17, "utf8").split("EDGE_WEIGHT_SECTION")[1].split("EOF")[0].trim().split(/\s+/).map(Number);
/** Directed length of a tour of 1-based ids over the raw text. */
const rawLength = (ids: number[]) => ids.reduce((s, id, i) => s + raw[(id - 1) * n + (ids[(i + 1) % n] - 1)], 0);
const tourFile = (ids: number[]) => `NAME : t\nTYPE : TOUR\nDIMENSION : ${ids.length}\nTOUR_SECTION\n${ids.join("\n")}\n-1\nEOF\n`;
const tmp = mkdtempSync(join(tmpdir(), "fmanneal-atsp-"));
const clog2 = (x: number) => Math.ceil(Math.log2(x) - 1e-12);

describe("fmanneal info on ATSP files", () => {
  it("--json: TYPE ATSP, not symmetric, FULL_MATRIX, optimum 39, bits per labeling as for a TSP of 17 cities", async () => {
    const r = await run("info", BR17, "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ name: "br17", type: "ATSP", dimension: 17, edgeWeightType: "EXPLICIT", edgeWeightFormat: "FULL_MATRIX", symmetric: false, optimum: 39 });
    let fact = 1;
    for (let k = 2; k < n; k++) fact *= k;
    let digits = 0;
    for (let r = 2; r <= n - 1; r++) digits += clog2(r);
    expect(j.bits).toEqual({ natural: clog2(fact), gray: digits, lehmer: digits, onehot: (n - 1) ** 2 });
    expect(JSON.parse((await run("info", "problems/tsplib/ftv35.atsp", "--json")).stdout)).toMatchObject({ type: "ATSP", dimension: 36, optimum: 1473 });
  });

  it("the table shows type and symmetry (TSP files: TSP, yes)", async () => {
    const a = await run("info", BR17);
    expect(a.stdout).toMatch(/^type +ATSP$/m);
    expect(a.stdout).toMatch(/^symmetric +no$/m);
    expect(a.stdout).toMatch(/^edge weight format +FULL_MATRIX$/m);
    const t = await run("info", "problems/tsplib/bays29.tsp");
    expect(t.stdout).toMatch(/^type +TSP$/m);
    expect(t.stdout).toMatch(/^symmetric +yes$/m);
  });

  it("a triangular format in an ATSP file: exit 2, one line naming the file and the format's line", async () => {
    const bad = join(tmp, "tri.atsp");
    writeFileSync(bad, "NAME : t\nTYPE : ATSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 3\nEOF\n");
    const r = await run("info", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `fmanneal: ${bad}:5: EDGE_WEIGHT_FORMAT UPPER_ROW cannot hold an asymmetric matrix (a triangle gives one weight per pair of nodes); TYPE ATSP needs FULL_MATRIX\n`,
    );
  });
});

describe("fmanneal tour on ATSP files", () => {
  it("measures the tour in its file's direction: a tour and its reverse get their own directed lengths", async () => {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const fwd = join(tmp, "fwd.tour");
    const bwd = join(tmp, "bwd.tour");
    writeFileSync(fwd, tourFile(ids));
    writeFileSync(bwd, tourFile(ids.slice().reverse()));
    const a = JSON.parse((await run("tour", BR17, fwd, "--json")).stdout);
    const b = JSON.parse((await run("tour", BR17, bwd, "--json")).stdout);
    expect(a.length).toBe(rawLength(ids));
    expect(b.length).toBe(rawLength(ids.slice().reverse()));
    expect(a.length).not.toBe(b.length);
    expect(a.optimum).toBe(39);
    expect(a.gap).toBeCloseTo((a.length - 39) / 39, 12);
    expect((await run("tour", BR17, fwd)).stdout).toBe(`br17 (17 cities, ATSP): tour t has length ${a.length}, optimum 39, gap ${(a.gap * 100).toFixed(2)}%\n`);
  });
});

describe("fmanneal solve on ATSP files", () => {
  it("sa-2opt: reports the directed length and gap to 39; --out keeps the direction, and tour measures it the same", async () => {
    const out = join(tmp, "best.tour");
    const r = await run("solve", BR17, "--method", "sa-2opt", "--evaluations", "300", "--seed", "2", "--json", "--out", out);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ instance: "br17", method: "sa-2opt", optimum: 39, evaluations: 300 });
    expect(j.best.length).toBe(rawLength(j.best.tour));
    expect(j.best.length).toBeGreaterThanOrEqual(39);
    expect(j.gap).toBeCloseTo((j.best.length - 39) / 39, 12);
    const written = readFileSync(out, "utf8").split("TOUR_SECTION\n")[1].split("\n-1")[0].split("\n").map(Number);
    expect(written).toEqual(j.best.tour);
    expect(JSON.parse((await run("tour", BR17, out, "--json")).stdout).length).toBe(j.best.length);
  });

  it("the human report names the optimum and the gap", async () => {
    const r = await run("solve", BR17, "--method", "random", "--evaluations", "50");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^br17: random, seed 1\nbest length \d+ \(optimum 39, gap \d+\.\d\d%\), found at evaluation \d+\ntour 1 /);
  });

  it("penalty-qubo: exit 2, one line saying it takes symmetric distances only", async () => {
    const r = await run("solve", BR17, "--method", "penalty-qubo", "--evaluations", "50");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("fmanneal: method penalty-qubo handles symmetric distances only\n");
  });
});
