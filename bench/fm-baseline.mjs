import { Random } from "../dist/util/random.js";

/**
 * A deliberately plain FM trainer, for benchmarks only (not part of the package): the
 * same model, objective and optimiser as {@link trainFm} (Adam on ½·MSE + L2, mini-batches,
 * standardised targets) written the way a first implementation would be — dense loops over all
 * n features for every sample, `number[]` / `number[][]` parameters, gradient arrays allocated
 * per batch, no validation split or early stopping. bench/fm.bench.mjs runs it side by side
 * with the typed-array, set-bits-only kernel. It lives in bench/ because nothing else uses it.
 *
 * options: { k, epochs, learningRate, l2w, l2v, batchSize, seed }, all optional.
 * Returns { w0, w: number[], V: number[][], yMean, yStd }.
 */
export function trainFmBaseline(samples, targets, options = {}) {
  const k = options.k ?? 8;
  const epochs = options.epochs ?? 200;
  const lr = options.learningRate ?? 0.01;
  const l2w = options.l2w ?? 1e-4;
  const l2v = options.l2v ?? 1e-3;
  const batchSize = options.batchSize ?? 64;
  const rng = new Random(options.seed ?? 0);
  const N = samples.length;
  const n = samples[0].length;
  const xs = samples.map((x) => Array.from(x));
  let yMean = 0;
  for (let s = 0; s < N; s++) yMean += targets[s];
  yMean /= N;
  let ss = 0;
  for (let s = 0; s < N; s++) ss += (targets[s] - yMean) ** 2;
  const yStd = Math.sqrt(ss / N) || 1;
  const z = [];
  for (let s = 0; s < N; s++) z.push((targets[s] - yMean) / yStd);

  let w0 = 0;
  const w = new Array(n).fill(0);
  const sigma = 0.1 / Math.sqrt(n / 2);
  const V = [];
  for (let i = 0; i < n; i++) {
    const row = [];
    for (let f = 0; f < k; f++) row.push(sigma * rng.normal());
    V.push(row);
  }
  const adam = { m0: 0, v0: 0, mw: new Array(n).fill(0), vw: new Array(n).fill(0), mV: V.map(() => new Array(k).fill(0)), vV: V.map(() => new Array(k).fill(0)) };
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  let t = 0;
  const order = [];
  for (let s = 0; s < N; s++) order.push(s);

  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < N; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      let g0 = 0;
      const gw = new Array(n).fill(0);
      const gV = V.map(() => new Array(k).fill(0));
      for (const s of batch) {
        const x = xs[s];
        let yhat = w0;
        for (let i = 0; i < n; i++) yhat += w[i] * x[i];
        const sums = [];
        for (let f = 0; f < k; f++) {
          let sf = 0;
          let sq = 0;
          for (let i = 0; i < n; i++) {
            sf += V[i][f] * x[i];
            sq += V[i][f] * V[i][f] * x[i] * x[i];
          }
          sums.push(sf);
          yhat += 0.5 * (sf * sf - sq);
        }
        const err = (yhat - z[s]) / batch.length;
        g0 += err;
        for (let i = 0; i < n; i++) {
          gw[i] += err * x[i];
          for (let f = 0; f < k; f++) gV[i][f] += err * (x[i] * sums[f] - V[i][f] * x[i] * x[i]);
        }
      }
      t++;
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const update = (p, g, m, v) => {
        const m2 = b1 * m + (1 - b1) * g;
        const v2 = b2 * v + (1 - b2) * g * g;
        return [p - (lr * (m2 / c1)) / (Math.sqrt(v2 / c2) + eps), m2, v2];
      };
      [w0, adam.m0, adam.v0] = update(w0, g0, adam.m0, adam.v0);
      for (let i = 0; i < n; i++) {
        [w[i], adam.mw[i], adam.vw[i]] = update(w[i], gw[i] + l2w * w[i], adam.mw[i], adam.vw[i]);
        for (let f = 0; f < k; f++) {
          [V[i][f], adam.mV[i][f], adam.vV[i][f]] = update(V[i][f], gV[i][f] + l2v * V[i][f], adam.mV[i][f], adam.vV[i][f]);
        }
      }
    }
  }
  return { w0, w, V, yMean, yStd };
}
