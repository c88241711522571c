import type { LandscapeRecord, TrialRecord } from "../../src/study/types.js";

/** A trial from its best-so-far curve; best, gap and evalsToOptimum follow from the curve. */
export function trial(instance: string, cities: number, method: string, seed: number, optimum: number | null, bestSoFar: number[]): TrialRecord {
  const finite = bestSoFar.filter((v) => Number.isFinite(v));
  const best = finite.length > 0 ? Math.min(...finite) : null;
  const hit = optimum === null ? -1 : bestSoFar.findIndex((v) => v === optimum);
  return {
    instance,
    cities,
    method,
    labeling: method.startsWith("fma:") ? method.slice(4) : null,
    seed,
    evaluations: bestSoFar.length,
    best,
    optimum,
    gap: best !== null && optimum !== null ? (best - optimum) / optimum : null,
    evalsToOptimum: hit >= 0 ? hit + 1 : null,
    seconds: 0.25 * seed,
    bestSoFar,
  };
}

/** Instance name with a comma and quotes, to exercise CSV quoting. */
export const ODD_NAME = 'b,"x"';

/**
 * Budget 4. Worked values (gap = (best - optimum) / optimum):
 *
 * N = 5, optimum 100 on instances "a" and ODD_NAME, methods fma:gray and fma:natural, seeds 1, 2:
 *   gray    a/1 [NaN,110,100,100]  a/2 [120,105,105,105]  b/1 [100,100,100,100]  b/2 [150,150,101,101]
 *   natural a/1 [130,120,110,110]  a/2 [120,120,120,105]  b/1 [100,100,100,100]  b/2 [140,130,120,110]
 * N = 6: instance "c" without optimum; instance "d" with optimum 200; fma:gray and random
 * (no fma:natural at N = 6):
 *   gray    c/1 [300,300,300,300]  d/1 [NaN,NaN,NaN,NaN] (nothing valid)  d/2 [200,200,200,200]
 *   random  c/1 [310,300,300,300]  d/1 [220,210,210,200]                 d/2 [250,250,250,250]
 */
export function fixtureTrials(): TrialRecord[] {
  return [
    trial("a", 5, "fma:gray", 1, 100, [NaN, 110, 100, 100]),
    trial("a", 5, "fma:gray", 2, 100, [120, 105, 105, 105]),
    trial(ODD_NAME, 5, "fma:gray", 1, 100, [100, 100, 100, 100]),
    trial(ODD_NAME, 5, "fma:gray", 2, 100, [150, 150, 101, 101]),
    trial("a", 5, "fma:natural", 1, 100, [130, 120, 110, 110]),
    trial("a", 5, "fma:natural", 2, 100, [120, 120, 120, 105]),
    trial(ODD_NAME, 5, "fma:natural", 1, 100, [100, 100, 100, 100]),
    trial(ODD_NAME, 5, "fma:natural", 2, 100, [140, 130, 120, 110]),
    trial("c", 6, "fma:gray", 1, null, [300, 300, 300, 300]),
    trial("d", 6, "fma:gray", 1, 200, [NaN, NaN, NaN, NaN]),
    trial("d", 6, "fma:gray", 2, 200, [200, 200, 200, 200]),
    trial("c", 6, "random", 1, null, [310, 300, 300, 300]),
    trial("d", 6, "random", 1, 200, [220, 210, 210, 200]),
    trial("d", 6, "random", 2, 200, [250, 250, 250, 250]),
  ];
}

export function fixtureLandscapes(): LandscapeRecord[] {
  return [
    { instance: "a", cities: 5, labeling: "gray", trapProbability: 0.2, localMinFraction: 0.1, exact: true },
    { instance: ODD_NAME, cities: 5, labeling: "gray", trapProbability: 0.4, localMinFraction: 0.3, exact: true },
    { instance: "a", cities: 5, labeling: "natural", trapProbability: 0.5, localMinFraction: 0.25, exact: true },
    { instance: "d", cities: 6, labeling: "gray", trapProbability: 0.6, localMinFraction: 0.2, exact: false },
  ];
}

export const META = { command: "fmanneal compare --budget 4 --seeds 2", budget: 4, seeds: 2, wallSeconds: 3.5, workers: 2, labelings: ["gray", "natural"] };
