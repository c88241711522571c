/** Test helpers: random QUBOs of each form and exhaustive minimisation (independent truth). */
import { Random } from "../../src/util/random.js";
import type { DenseQubo, FactorizedQubo, Qubo, SparseQubo } from "../../src/qubo/types.js";

/** Upper-triangular coefficient list of any QUBO, computed straight from the definition of each form. */
export function coefficients(q: Qubo): { lin: number[]; pair: (i: number, j: number) => number } {
  const n = q.n;
  if (q.kind === "dense") {
    const m = q.matrix;
    return {
      lin: Array.from({ length: n }, (_, i) => m[i * n + i]),
      pair: (i, j) => (q.triangular ? m[i * n + j] : m[i * n + j] + m[j * n + i]),
    };
  }
  if (q.kind === "sparse") {
    const pairs = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      for (let p = q.rowPtr[i]; p < q.rowPtr[i + 1]; p++) {
        const j = q.col[p];
        if (j > i) pairs.set(`${i},${j}`, (pairs.get(`${i},${j}`) ?? 0) + q.val[p]);
      }
    }
    return { lin: Array.from(q.linear), pair: (i, j) => pairs.get(`${i},${j}`) ?? 0 };
  }
  return {
    lin: Array.from(q.linear),
    pair: (i, j) => {
      let d = 0;
      for (let f = 0; f < q.k; f++) d += q.factors[i * q.k + f] * q.factors[j * q.k + f];
      return d;
    },
  };
}

/** Energy by the textbook double sum (no shortcuts). */
export function naiveEnergy(q: Qubo, x: ArrayLike<number>): number {
  const { lin, pair } = coefficients(q);
  let e = q.offset;
  for (let i = 0; i < q.n; i++) {
    if (!x[i]) continue;
    e += lin[i];
    for (let j = i + 1; j < q.n; j++) if (x[j]) e += pair(i, j);
  }
  return e;
}

/** Exhaustive minimum over all 2^n states (Gray-code walk with O(n) energy updates), n <= 22. */
export function bruteForceMin(q: Qubo): { energy: number; state: Uint8Array } {
  const n = q.n;
  if (n > 22) throw new Error("bruteForceMin: n too large");
  const { lin, pair } = coefficients(q);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) Q[i * n + j] = Q[j * n + i] = pair(i, j);
  const x = new Uint8Array(n);
  let e = q.offset;
  let best = e;
  let bestState = x.slice();
  for (let g = 1; g < 2 ** n; g++) {
    const i = 31 - Math.clz32(g & -g); // bit that changes in the Gray code
    let h = lin[i];
    for (let j = 0; j < n; j++) if (x[j]) h += Q[i * n + j];
    e += x[i] ? -h : h;
    x[i] ^= 1;
    if (e < best - 1e-12) {
      best = e;
      bestState = x.slice();
    }
  }
  return { energy: best, state: bestState };
}

export function randomDense(n: number, seed: number, triangular = true): DenseQubo {
  const r = new Random(seed);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (triangular && j < i) continue;
      matrix[i * n + j] = Math.round(r.normal() * 100) / 100;
    }
  }
  return { kind: "dense", n, offset: r.normal(), matrix, triangular };
}

export function randomSparse(n: number, seed: number, density = 0.3): SparseQubo {
  const r = new Random(seed);
  const linear = Float64Array.from({ length: n }, () => r.normal());
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (r.float() < density) {
        const w = r.normal();
        rows[i].push([j, w]);
        rows[j].push([i, w]);
      }
    }
  }
  for (const row of rows) r.shuffle(row); // rows need not be sorted
  const rowPtr = new Int32Array(n + 1);
  rows.forEach((row, i) => (rowPtr[i + 1] = rowPtr[i] + row.length));
  const col = new Int32Array(rowPtr[n]);
  const val = new Float64Array(rowPtr[n]);
  rows.forEach((row, i) => row.forEach(([j, w], p) => ((col[rowPtr[i] + p] = j), (val[rowPtr[i] + p] = w))));
  return { kind: "sparse", n, offset: 0.5, linear, rowPtr, col, val };
}

export function randomFactorized(n: number, k: number, seed: number): FactorizedQubo {
  const r = new Random(seed);
  return {
    kind: "factorized",
    n,
    k,
    offset: -1,
    linear: Float64Array.from({ length: n }, () => r.normal()),
    factors: Float64Array.from({ length: n * k }, () => r.normal() * 0.7),
  };
}

/** |a - b| <= 1e-9 * max(1, |a|, |b|, scale). */
export function close(a: number, b: number, scale = 1): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b), scale);
}

export function randomState(n: number, r: Random): Uint8Array {
  return Uint8Array.from({ length: n }, () => (r.float() < 0.5 ? 1 : 0));
}
