import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { methodNames } from "../../src/methods/registry.js";
import { labelingNames } from "../../src/labelings/registry.js";
import {
  baselineNames,
  buildTrials,
  compareInstances,
  LANDSCAPE_MAX_CITIES,
  parseCities,
  runCompare,
  trialMethods,
  type CompareResult,
} from "../../src/study/compare.js";
import { landscapes } from "../../src/study/landscape.js";
import type { TrialRecord } from "../../src/study/types.js";
import { randomInstance } from "../../src/tsp/generate.js";
import { readTsplib } from "../../src/tsp/tsplib.js";
import { UserError } from "../../src/util/errors.js";
import { runTrial } from "../../src/study/trial.js";

/** Shortest closed tour by enumerating every permutation of cities 1..N-1 (independent of Held-Karp). */
function bruteForceOptimum(n: number, d: Float64Array): number {
  let best = Infinity;
  const perm = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const rec = (k: number) => {
    if (k === perm.length) {
      let s = d[perm[perm.length - 1]! * n]! + d[perm[0]!]!;
      for (let i = 0; i + 1 < perm.length; i++) s += d[perm[i]! * n + perm[i + 1]!]!;
      best = Math.min(best, s);
      return;
    }
    for (let i = k; i < perm.length; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      rec(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  rec(0);
  return best;
}

const withoutSeconds = (t: TrialRecord) => ({ ...t, seconds: 0 });

describe("parseCities", () => {
  it("accepts N, ranges and lists; returns distinct N ascending", () => {
    expect(parseCities("8")).toEqual([8]);
    expect(parseCities("5..7")).toEqual([5, 6, 7]);
    expect(parseCities("9, 5..6,5")).toEqual([5, 6, 9]);
    expect(parseCities("12..12")).toEqual([12]);
  });
  it.each([
    ["5..x", /"5..x" is not an integer/],
    ["7..5", /empty range "7..5"/],
    ["2", /2 is out of range; N must be in 3\.\.5000/],
    ["5,,6", /empty entry/],
    ["", /empty entry/],
    ["5-15", /"5-15" is not an integer/],
    ["5.5", /not an integer/],
    ["6000", /out of range/],
  ])("refuses %j", (spec, message) => {
    expect(() => parseCities(spec)).toThrow(UserError);
    expect(() => parseCities(spec)).toThrow(message);
  });
});

describe("trialMethods", () => {
  it("labelings become fma:<labeling>, then the baselines, in order, without duplicates", () => {
    expect(trialMethods("natural,gray", "random,sa-2opt")).toEqual(["fma:natural", "fma:gray", "random", "sa-2opt"]);
    expect(trialMethods("gray, gray", "")).toEqual(["fma:gray"]);
    expect(trialMethods("none", "random,fma:lehmer")).toEqual(["random", "fma:lehmer"]);
  });
  it("the baselines are solveTsp's methods except fma (a method added there is picked up)", () => {
    expect(baselineNames()).toEqual(methodNames.filter((m) => m !== "fma"));
  });
  it("unknown names are refused with one line listing the valid ones", () => {
    expect(() => trialMethods("natural,binary", "")).toThrow(`--labelings: unknown labeling "binary": expected one of ${labelingNames.join(", ")}`);
    expect(() => trialMethods("gray", "random,anneal")).toThrow(`--methods: unknown method "anneal": expected one of ${baselineNames().join(", ")}`);
    expect(() => trialMethods("gray", "fma")).toThrow(/unknown method "fma"/);
    expect(() => trialMethods("", "")).toThrow(/nothing to compare/);
  });
});

describe("compareInstances", () => {
  it("--cities uses the shipped rand{N}-s{k}.tsp with its optimum, and generates beyond them", () => {
    const list = compareInstances({ cities: [5, 16], instances: 2 });
    expect(list.map((i) => i.name)).toEqual(["rand5-s1", "rand5-s2", "rand16-s1", "rand16-s2"]);
    const shipped = readTsplib("problems/random/rand5-s2.tsp");
    expect(Array.from(list[1]!.distances)).toEqual(Array.from(shipped.distances));
    expect(list[1]!.source).toMatch(/problems[/\\]random[/\\]rand5-s2\.tsp$/);
    expect(list[1]!.optimum).toBe(bruteForceOptimum(5, shipped.distances));
    expect(list[2]!.source).toBe("<generated>");
    expect(Array.from(list[2]!.distances)).toEqual(Array.from(randomInstance(16, 1).distances));
    expect(list[2]!.optimum).toBeGreaterThan(0); // Held-Karp (N <= 20)
  });
  it("files: the published optimum; names without path or .tsp", () => {
    const [burma] = compareInstances({ files: ["problems/tsplib/burma14.tsp"] });
    expect(burma!.name).toBe("burma14");
    expect(burma!.optimum).toBe(3323);
  });
  it("refuses a nonexistent file, both or neither source, a bad count, duplicate names", () => {
    expect(() => compareInstances({ files: ["problems/nope.tsp"] })).toThrow(/nope\.tsp/);
    expect(() => compareInstances({ files: ["problems/random/rand5-s1.tsp"], cities: [5] })).toThrow(/either .tsp files or --cities/);
    expect(() => compareInstances({})).toThrow(/give .tsp files or --cities/);
    expect(() => compareInstances({ cities: [5], instances: 0 })).toThrow(/--instances must be a positive integer/);
    expect(() => compareInstances({ files: ["problems/random/rand5-s1.tsp", "problems/random/rand5-s1.tsp"] })).toThrow(/two instances are named rand5-s1/);
  });
});

describe("buildTrials", () => {
  it("instance, method, seed order; every method gets the same seeds 1..S on an instance", () => {
    const inst = compareInstances({ cities: [5], instances: 2 });
    const tasks = buildTrials(inst, ["fma:gray", "random"], 3, 40);
    expect(tasks.map((t) => `${t.instance.name}/${t.method}/${t.seed}`)).toEqual([
      "rand5-s1/fma:gray/1", "rand5-s1/fma:gray/2", "rand5-s1/fma:gray/3",
      "rand5-s1/random/1", "rand5-s1/random/2", "rand5-s1/random/3",
      "rand5-s2/fma:gray/1", "rand5-s2/fma:gray/2", "rand5-s2/fma:gray/3",
      "rand5-s2/random/1", "rand5-s2/random/2", "rand5-s2/random/3",
    ]);
    expect(tasks.every((t) => t.evaluations === 40 && t.optimum === inst.find((i) => i.name === t.instance.name)!.optimum)).toBe(true);
  });
});

describe("runTrial", () => {
  it("a record consistent with brute force: random search over all 24 tours of N = 5 finds the optimum", async () => {
    const inst = readTsplib("problems/random/rand5-s3.tsp");
    const opt = bruteForceOptimum(5, inst.distances);
    const r = await runTrial({ instance: { name: "rand5-s3", dimension: 5, distances: inst.distances }, optimum: opt, method: "random", seed: 4, evaluations: 40 });
    expect(r.best).toBe(opt);
    expect(r.gap).toBe(0);
    expect(r.bestSoFar.length).toBe(r.evaluations);
    expect(r.evaluations).toBeLessThanOrEqual(40);
    const first = r.bestSoFar.findIndex((b) => b === opt);
    expect(r.evalsToOptimum).toBe(first + 1);
    for (let i = 1; i < r.bestSoFar.length; i++) expect(r.bestSoFar[i]).toBeLessThanOrEqual(r.bestSoFar[i - 1]!);
    expect([r.method, r.labeling, r.cities, r.seed]).toEqual(["random", null, 5, 4]);
  });
  it("fma: gap = (best - optimum) / optimum, evalsToOptimum null when never reached", async () => {
    const inst = randomInstance(9, 2);
    const opt = bruteForceOptimum(9, inst.distances);
    const r = await runTrial({ instance: { name: inst.name, dimension: 9, distances: inst.distances }, optimum: opt, method: "fma:natural", seed: 1, evaluations: 25 });
    expect(r.labeling).toBe("natural");
    expect(r.evaluations).toBe(25);
    expect(r.best).toBe(r.bestSoFar[24]);
    expect(r.gap).toBeCloseTo((r.best! - opt) / opt, 15);
    if (r.best! > opt) expect(r.evalsToOptimum).toBeNull();
    const none = await runTrial({ instance: { name: inst.name, dimension: 9, distances: inst.distances }, optimum: null, method: "fma:gray", seed: 1, evaluations: 21 });
    expect([none.gap, none.evalsToOptimum, none.optimum]).toEqual([null, null, null]);
  });
});

describe("runCompare", () => {
  const instances = compareInstances({ cities: [5, 6], instances: 2 });
  const methods = trialMethods("natural,gray", "random");
  const run = (workers: number, extra: Partial<Parameters<typeof runCompare>[0]> = {}) =>
    runCompare({ instances, methods, seeds: 2, evaluations: 30, workers, ...extra });

  it("records in trial order, identical with 1 and 2 workers; landscapes as computed in-thread", async () => {
    const one: CompareResult = await run(1);
    const two: CompareResult = await run(2);
    expect(one.failures).toEqual([]);
    expect(one.trials.length).toBe(4 * 3 * 2);
    expect(one.trials.map((t) => `${t.instance}/${t.method}/${t.seed}`)).toEqual(
      buildTrials(instances, methods, 2, 30).map((t) => `${t.instance.name}/${t.method}/${t.seed}`),
    );
    expect(two.trials.map(withoutSeconds)).toEqual(one.trials.map(withoutSeconds));
    expect(two.landscapes).toEqual(one.landscapes);
    expect([one.workers, two.workers, one.planned, one.cancelled]).toEqual([1, 2, 24, 0]);
    // Every (instance, labeling) with N <= 11, in instance then labeling order.
    expect(one.landscapes.map((l) => `${l.instance}/${l.labeling}`)).toEqual(instances.flatMap((i) => ["natural", "gray"].map((l) => `${i.name}/${l}`)));
    const lib = landscapes(instances[3]!, ["natural", "gray"]);
    expect(one.landscapes.slice(6).map((l) => [l.trapProbability, l.localMinFraction, l.exact])).toEqual(lib.map((l) => [l.trapProbability, l.localMinFraction, true]));
    // Paired seeds: on one instance, every method ran seeds 1 and 2.
    for (const m of methods) expect(one.trials.filter((t) => t.instance === "rand6-s1" && t.method === m).map((t) => t.seed)).toEqual([1, 2]);
  });

  it("landscapes only for N <= 11 and only with fma methods; landscape: false skips them", async () => {
    expect(LANDSCAPE_MAX_CITIES).toBe(11);
    const big = compareInstances({ cities: [12], instances: 1 });
    const r = await runCompare({ instances: big, methods: ["fma:gray"], seeds: 1, evaluations: 21, workers: 1 });
    expect(r.landscapes).toEqual([]);
    const noFma = await runCompare({ instances: instances.slice(0, 1), methods: ["random"], seeds: 1, evaluations: 5, workers: 1 });
    expect(noFma.landscapes).toEqual([]);
    const off = await run(1, { landscape: false, seeds: 1 });
    expect(off.landscapes).toEqual([]);
    expect(off.trials.length).toBe(12);
  });

  it("a failing trial or landscape is recorded with its message and loses no other record", async () => {
    const ok = await run(2);
    const workerFile = new URL("./fixtures/failing-trial.mjs", import.meta.url);
    const progress: number[] = [];
    const bad = await run(2, { workerFile, onProgress: (p) => progress.push(p.failed) });
    expect(bad.failures).toEqual([
      { kind: "landscape", instance: "rand6-s1", method: "natural,gray", seed: null, message: "landscape boom" },
      { kind: "trial", instance: "rand5-s1", method: "random", seed: 2, message: "boom from the trial worker" },
      { kind: "trial", instance: "rand6-s2", method: "fma:gray", seed: 1, message: "refused by the test worker" },
    ]);
    const lost = (t: TrialRecord) => (t.instance === "rand5-s1" && t.method === "random" && t.seed === 2) || (t.instance === "rand6-s2" && t.method === "fma:gray" && t.seed === 1);
    expect(bad.trials.map(withoutSeconds)).toEqual(ok.trials.filter((t) => !lost(t)).map(withoutSeconds));
    expect(bad.landscapes).toEqual(ok.landscapes.filter((l) => l.instance !== "rand6-s1"));
    expect(progress.length).toBe(24 + 4);
    expect(progress[progress.length - 1]).toBe(3);
  });

  it("an aborted signal cancels the tasks and still resolves (pool destroyed)", async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run(2, { signal: controller.signal });
    expect(r.trials).toEqual([]);
    expect(r.failures).toEqual([]);
    expect(r.cancelled).toBe(24 + 4);
  });

  it("refuses zero seeds, evaluations or workers and empty lists", async () => {
    await expect(run(1, { seeds: 0 })).rejects.toThrow("seeds must be a positive integer, got 0");
    await expect(run(1, { evaluations: 0 })).rejects.toThrow("evaluations must be a positive integer, got 0");
    await expect(run(0)).rejects.toThrow("workers must be a positive integer, got 0");
    await expect(run(1, { methods: [] })).rejects.toThrow(/no methods/);
    await expect(run(1, { instances: [] })).rejects.toThrow(/no instances/);
  });
});

describe("scripts/study.mjs (npm run study)", () => {
  it("a tiny sweep writes docs/labeling-study.md with findings and links that resolve into docs/study/", () => {
    const docs = mkdtempSync(join(tmpdir(), "fmanneal-study-"));
    try {
      const r = spawnSync(process.execPath, ["scripts/study.mjs", "--cities", "5..6", "--instances", "1", "--seeds", "2", "--evaluations", "25", "--docs", docs], { encoding: "utf8" });
      expect(r.stderr).toMatch(/\[study\] wrote /);
      expect(r.status).toBe(0);
      const md = readFileSync(join(docs, "labeling-study.md"), "utf8");
      for (const h of ["# Labeling study", "## Findings", "## Full report", "### fma:gray vs fma:natural", "- **Budget**: 25 evaluated tours", "- **Wall time**", "- **Machine**"]) expect(md).toContain(h);
      // The methods are solveTsp's: fma with both labelings plus every baseline methodNames lists.
      expect(md).toContain(["fma:natural", "fma:gray", ...baselineNames()].map((m) => `\`${m}\``).join(", "));
      const links = [...md.matchAll(/\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThanOrEqual(3);
      for (const l of links) {
        expect(l.startsWith("study/")).toBe(true);
        expect(existsSync(resolve(docs, l))).toBe(true);
      }
      const csv = readFileSync(join(docs, "study", "trials.csv"), "utf8").trimEnd().split("\n");
      expect(csv.length - 1).toBe(2 * (2 + baselineNames().length) * 2);
      expect(dirname(resolve(docs, links[0]!))).toBe(join(docs, "study"));
    } finally {
      rmSync(docs, { recursive: true, force: true });
    }
  });
});
