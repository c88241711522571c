import { describe, expect, it } from "vitest";
import { solveTsp } from "../../src/methods/solve.js";
import { solveMany } from "../../src/study/solve-many.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { OptionError } from "../../src/util/errors.js";

describe("solveMany (local threads)", () => {
  const a = randomInstance(8, 1);
  const b = randomInstance(9, 2);
  const matrix = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 0 : 1 + ((i * 7 + j * 3) % 5)))); // asymmetric

  it("each problem as solveTsp solves it alone (timings aside), in input order, its own options over the batch's", async () => {
    const out = await solveMany(
      [
        { name: "a", problem: a },
        { name: "m", problem: matrix, options: { method: "random", seed: 5 } },
        { name: "b", problem: b },
      ],
      { method: "edge", maxEvaluations: 40, seed: 3, threads: 2 },
    );
    expect(out.map((o) => o.name)).toEqual(["a", "m", "b"]);
    const expected = [
      await solveTsp({ name: "a", dimension: 8, distances: a.distances }, { method: "edge", maxEvaluations: 40, seed: 3 }),
      await solveTsp(matrix, { method: "random", maxEvaluations: 40, seed: 5 }),
      await solveTsp({ name: "b", dimension: 9, distances: b.distances }, { method: "edge", maxEvaluations: 40, seed: 3 }),
    ];
    out.forEach((o, i) => {
      expect(o.ok).toBe(true);
      if (!o.ok) return;
      expect({ ...o.result, timings: null }).toEqual({ ...expected[i]!, timings: null });
    });
  });

  it("a problem that fails is an outcome with its message; the others are solved", async () => {
    const out = await solveMany([{ name: "ragged", problem: [[0, 1], [1]] }, { name: "a", problem: a, options: { labeling: "nope" as never } }, { name: "ok", problem: a }], { maxEvaluations: 25, threads: 1 });
    expect(out[0]).toEqual({ name: "ragged", ok: false, message: "distance matrix row 1 has 1 entries, expected 2", cancelled: false });
    expect(out[1]).toMatchObject({ name: "a", ok: false, cancelled: false, message: expect.stringContaining("nope") });
    expect(out[2]!.ok).toBe(true);
  });

  it("refuses what cannot travel to a worker: callbacks, journals, duplicate names", async () => {
    const cases: [Parameters<typeof solveMany>, RegExp][] = [
      [[[{ name: "x", problem: { cities: 5, cost: () => 1 } as never }]], /problem "x" has no distances .* solve it with solveTsp/],
      [[[{ name: "x", problem: a, options: { journal: "x.jsonl" } as never }]], /option journal cannot travel with a solve \(problem "x"\)/],
      [[[{ name: "x", problem: a, options: { initialTours: [[0, 1, 2]], fm: { batchSize: () => 1 } as never } }]], /problem "x": options.fm.batchSize: a function cannot travel/],
      [[[{ name: "x", problem: a }, { name: "x", problem: b }]], /two problems are named "x"/],
    ];
    for (const [args, message] of cases) {
      await expect(solveMany(...args)).rejects.toThrow(OptionError);
      await expect(solveMany(...args)).rejects.toThrow(message);
    }
  });

  it("an abort cancels the solves not finished", async () => {
    const controller = new AbortController();
    controller.abort();
    const out = await solveMany([{ name: "a", problem: a }], { maxEvaluations: 20, threads: 1, signal: controller.signal });
    expect(out).toEqual([{ name: "a", ok: false, message: "cancelled", cancelled: true }]);
  });
});
