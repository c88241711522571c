import { Random } from "../../src/util/random.js";

/**
 * Planted second-order FM for tests: w_i ~ N(0,1), v_if ~ N(0, 1/sqrt(k)), x ~ Bernoulli(1/2)^n.
 * Targets are computed by the textbook double sum over pairs (not Rendle's identity), the
 * noiseless part standardised to mean 0 / variance 1 over all drawn samples, plus N(0, noise²).
 */
export function plantedFm(n: number, k: number, count: number, seed: number, noise: number) {
  const r = new Random(seed);
  const w = Array.from({ length: n }, () => r.normal());
  const sv = Math.pow(k, -0.25);
  const V = Array.from({ length: n }, () => Array.from({ length: k }, () => sv * r.normal()));
  const X: Uint8Array[] = [];
  const raw: number[] = [];
  for (let s = 0; s < count; s++) {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = r.u32() & 1;
    let y = 0;
    for (let i = 0; i < n; i++) {
      if (!x[i]) continue;
      y += w[i];
      for (let j = i + 1; j < n; j++) {
        if (!x[j]) continue;
        for (let f = 0; f < k; f++) y += V[i][f] * V[j][f];
      }
    }
    X.push(x);
    raw.push(y);
  }
  const mean = raw.reduce((a, b) => a + b, 0) / count;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / count);
  const y = raw.map((v) => (v - mean) / sd + noise * r.normal());
  return { X, y };
}

export function rmse(predict: (x: Uint8Array) => number, X: Uint8Array[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < X.length; i++) s += (predict(X[i]) - y[i]) ** 2;
  return Math.sqrt(s / X.length);
}

/** All 2^n bit vectors, bit i of the counter at position i. */
export function allBitVectors(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let c = 0; c < 1 << n; c++) {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = (c >> i) & 1;
    out.push(x);
  }
  return out;
}
