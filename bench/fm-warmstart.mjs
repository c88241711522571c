// FMA-like retraining: n = 40, samples arrive one at a time from 20 to 300, and the FM is retrained
// after each arrival, either from scratch or warm-started from the previous model.
// Reports total training time and the held-out RMSE along the way.
//   npx tsc -p . && node bench/fm-warmstart.mjs
import { trainFm } from "../dist/fm/train.js";
import { plantedFm, rmse } from "./fm-planted.mjs";

const n = 40, k = 8, first = 20, last = 300, test = 1000;
const extra = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const warmExtra = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const { X, y } = plantedFm({ n, k, count: last + test, seed: 2024 });
const Xte = X.slice(last), yte = y.slice(last);

function run(warm) {
  let model = null, time = 0, epochs = 0;
  const curve = [];
  for (let N = first; N <= last; N++) {
    const t = performance.now();
    model = trainFm(X.slice(0, N), y.slice(0, N), { k, seed: N, ...extra, ...(warm && model ? { warmStart: model, ...warmExtra } : {}) });
    time += performance.now() - t;
    epochs += model.report.epochs;
    curve.push(rmse(model, Xte, yte));
  }
  return { time, epochs, curve };
}

run(true); // JIT warm-up
const scratch = run(false);
const warm = run(true);
const at = (c, N) => c[N - first].toFixed(3);
const mean = (c) => (c.reduce((a, b) => a + b, 0) / c.length).toFixed(3);
console.log(`FMA-like sequence, n = ${n}, k = ${k}, ${first}..${last} samples, one retrain per sample, test RMSE on ${test} held-out samples (unit-variance targets, noise 0.1)`);
if (Object.keys(extra).length) console.log(`options: ${JSON.stringify(extra)}`);
for (const [name, r] of [["from scratch", scratch], ["warm start", warm]]) {
  console.log(
    `${name.padEnd(13)} total ${(r.time / 1000).toFixed(2)} s, ${r.epochs} epochs; test RMSE at N=50 ${at(r.curve, 50)}, N=100 ${at(r.curve, 100)}, N=200 ${at(r.curve, 200)}, N=300 ${at(r.curve, 300)}, mean over the sequence ${mean(r.curve)}`,
  );
}
console.log(`speed-up ${(scratch.time / warm.time).toFixed(2)}x`);
