import { describe, expect, it } from "vitest";
import { PENALTY_QUBO_MAX_CITIES } from "../../src/methods/baselines/penalty-qubo.js";
import { EDGE_MATRIX_LIMIT, edgeMaxCities } from "../../src/methods/edge/method.js";
import { methodDefinitions } from "../../src/methods/registry.js";
import { solveTsp } from "../../src/methods/solve.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { ProblemError } from "../../src/util/errors.js";

/** Issue 17, item 5: a method's size limit is checked before anything of that size is allocated. */
describe("method size limits", () => {
  it("edge: the largest N whose N x N matrices (24 N^2 bytes) fit in 2 GiB", () => {
    const fits = (n: number) => 24 * n * n <= EDGE_MATRIX_LIMIT;
    const n = edgeMaxCities();
    expect(fits(n)).toBe(true);
    expect(fits(n + 1)).toBe(false);
    expect(n).toBe(9459);
  });

  it("solveTsp refuses a problem above a method's limit in one line naming the method, the limit and what to use", async () => {
    // A callback problem: nothing of its size exists before the check.
    const edge = await solveTsp({ cities: 20_000, cost: () => 1 }, { method: "edge", maxEvaluations: 5 }).catch((e) => e);
    expect(edge).toBeInstanceOf(ProblemError);
    expect(edge.message).toBe(
      "method edge takes at most 9459 cities for this problem (its search keeps N x N cost matrices, 24 N^2 bytes, which must fit in 2 GiB); it has 20000: use method sa-2opt instead",
    );
    const pq = await solveTsp(randomInstance(PENALTY_QUBO_MAX_CITIES + 1, 1), { method: "penalty-qubo" }).catch((e) => e);
    expect(pq).toBeInstanceOf(ProblemError);
    expect(pq.message).toMatch(/^method penalty-qubo takes at most 200 cities .*: use method sa-2opt instead$/);
    expect(pq.message).not.toMatch(/\n/);
  });

  it("every method suggested instead has no limit below the refused size", () => {
    for (const d of methodDefinitions()) {
      if (!d.sizeLimit) continue;
      const instead = methodDefinitions().find((m) => m.name === d.sizeLimit!.instead)!;
      expect(instead.sizeLimit).toBeUndefined();
    }
  });
});
