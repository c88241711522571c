// Accuracy anchor: planted rank-8 FM over n = 120 bits (half set on average), 5000 training and
// 1000 test samples, unit-variance targets plus noise sigma = 0.1. Reference points quoted for
// libFM on this setup: MCMC test RMSE 0.134, SGD 0.268. Target: <= 0.134 within 8 s on one core.
// Training runs in the calling thread (one core) with default options except k = 8.
//   npx tsc -p . && node bench/fm-accuracy.mjs [dataSeeds=1,2,3] [optionsJson]
import { trainFm } from "../dist/fm/train.js";
import { plantedFm, rmse } from "./fm-planted.mjs";

const n = 120, k = 8, train = 5000, test = 1000;
const seeds = (process.argv[2] ?? "1,2,3").split(",").map(Number);
const extra = process.argv[3] ? JSON.parse(process.argv[3]) : {};
console.log(`planted rank-${k} FM, n = ${n}, ${train} train / ${test} test, noise 0.1; options ${JSON.stringify({ k, ...extra })}`);
// Warm up the JIT on a small problem so the first timing is not mostly compilation.
{
  const { X, y } = plantedFm({ n, k, count: 500, seed: 999 });
  trainFm(X, y, { k, epochs: 5 });
}
const rows = [];
for (const seed of seeds) {
  const { X, y, clean } = plantedFm({ n, k, count: train + test, seed });
  const t = performance.now();
  const model = trainFm(X.slice(0, train), y.slice(0, train), { k, ...extra });
  const seconds = (performance.now() - t) / 1000;
  const r = model.report;
  const testRmse = rmse(model, X.slice(train), y.slice(train));
  const cleanRmse = rmse(model, X.slice(train), clean.slice(train));
  rows.push({ seed, testRmse, seconds });
  console.log(
    `data seed ${seed}: test RMSE ${testRmse.toFixed(4)} (vs noiseless targets ${cleanRmse.toFixed(4)}), ` +
      `${seconds.toFixed(2)} s, ${r.epochs} epochs (best ${r.bestEpoch}, ${r.stopReason}), ` +
      `train ${r.trainSamples} / validation ${r.validationSamples}`,
  );
}
const mean = (f) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
console.log(`mean test RMSE ${mean((r) => r.testRmse).toFixed(4)} (target <= 0.134), mean time ${mean((r) => r.seconds).toFixed(2)} s (target < 8 s)`);
