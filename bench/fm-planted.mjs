// Planted factorization machines for the FM benchmarks (not a bench suite itself).
//
// Model: w_i ~ N(0, 1), v_if ~ N(0, 1/sqrt(k)) (so <v_i, v_j> has unit variance, comparable to w_i),
// x ~ Bernoulli(density)^n (half the bits set by default). The noiseless targets are standardised
// to mean 0 and variance 1 over all drawn samples, then N(0, noise^2) is added.
import { Random } from "../dist/util/random.js";

/** Draw `count` samples of a planted rank-k FM over n bits. Returns { X: Uint8Array[], y: number[], clean: number[] }. */
export function plantedFm({ n, k, count, seed, noise = 0.1, density = 0.5 }) {
  const r = new Random(seed);
  const w = Float64Array.from({ length: n }, () => r.normal());
  const sv = Math.pow(k, -0.25);
  const V = Float64Array.from({ length: n * k }, () => sv * r.normal());
  const X = [];
  const raw = new Float64Array(count);
  const sum = new Float64Array(k);
  for (let s = 0; s < count; s++) {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = r.float() < density ? 1 : 0;
    X.push(x);
    // Rendle's identity on the planted parameters.
    sum.fill(0);
    let lin = 0, sq = 0;
    for (let i = 0; i < n; i++) {
      if (!x[i]) continue;
      lin += w[i];
      for (let f = 0; f < k; f++) { const v = V[i * k + f]; sum[f] += v; sq += v * v; }
    }
    let pair = 0;
    for (let f = 0; f < k; f++) pair += sum[f] * sum[f];
    raw[s] = lin + 0.5 * (pair - sq);
  }
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= count;
  let ss = 0;
  for (const v of raw) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / count);
  const clean = Array.from(raw, (v) => (v - mean) / sd);
  const y = clean.map((v) => v + noise * r.normal());
  return { X, y, clean };
}

/** RMSE of model.predict on (X, y). */
export function rmse(model, X, y) {
  let s = 0;
  for (let i = 0; i < X.length; i++) s += (model.predict(X[i]) - y[i]) ** 2;
  return Math.sqrt(s / X.length);
}
