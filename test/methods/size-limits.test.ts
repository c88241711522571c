import { describe, expect, it } from "vitest";
import { PENALTY_QUBO_MAX_CITIES } from "../../src/methods/baselines/penalty-qubo.js";
import { EDGE_COVARIANCE_LIMIT, edgeMaxCities } from "../../src/methods/edge/method.js";
import { methodDefinitions } from "../../src/methods/registry.js";
import { solveTsp } from "../../src/methods/solve.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { ProblemError } from "../../src/util/errors.js";

/** Issue 17, item 5: a method's size limit is checked before anything of that size is allocated. */
describe("method size limits", () => {
  it("edge: the largest N whose d x d covariance fits in 2 GiB, d = N(N-1)/2 (symmetric) or N(N-1)", () => {
    const fits = (n: number, sym: boolean) => 8 * ((n * (n - 1)) / (sym ? 2 : 1)) ** 2 <= EDGE_COVARIANCE_LIMIT;
    for (const sym of [true, false]) {
      const n = edgeMaxCities(sym);
      expect(fits(n, sym)).toBe(true);
      expect(fits(n + 1, sym)).toBe(false);
    }
    expect(edgeMaxCities(true)).toBe(181);
  });

  it("solveTsp refuses a problem above a method's limit in one line naming the method, the limit and what to use", async () => {
    const big = randomInstance(300, 1);
    const edge = await solveTsp(big, { method: "edge", maxEvaluations: 5 }).catch((e) => e);
    expect(edge).toBeInstanceOf(ProblemError);
    expect(edge.message).toBe(
      "method edge takes at most 181 cities for this problem (its edge regression keeps a dense d x d covariance, 8 d^2 bytes for d = N(N-1)/2 edges (N(N-1) asymmetric), which must fit in 2 GiB); it has 300: use method sa-2opt instead",
    );
    const asym = await solveTsp({ cities: 150, symmetric: false, cost: () => 1 }, { method: "edge" }).catch((e) => e);
    expect(asym.message).toMatch(/^method edge takes at most 128 cities for this problem .* it has 150: use method sa-2opt instead$/);
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
