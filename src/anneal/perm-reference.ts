/**
 * Plain-TypeScript mirror of the permutation-space search kernel native/perm.c: the same
 * moves, the same scan order, the same generator draws and the same floating-point operations
 * in the same order, so for equal inputs and seed it returns the same tours and bit-identical
 * costs. Tests cross-check the two; benches use this as the baseline. The algorithm and the
 * delta derivations are documented once, in native/perm.c; comments here only point there.
 */
import { permKernelInput, type PermKernelInput, type PermProblem, type PermSearchOptions } from "./perm.js";

// ---- mirror of native/fmanneal.h: xoshiro128**, per-read seeding, exp(-x) ----

const EXP_CUT = 22.0;
const POW2NEG = (() => {
  const t = new Float64Array(40);
  t[0] = 1;
  for (let i = 1; i < t.length; i++) t[i] = t[i - 1] * 0.5;
  return t;
})();

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function seedRead(s: Uint32Array, seed: number, r: number): void {
  let x = (seed ^ mix32((Math.imul(r, 0x9e3779b9) + 1) >>> 0)) >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    s[i] = mix32(x);
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
}

function next(s: Uint32Array): number {
  const s1 = s[1];
  const x = Math.imul(s1, 5);
  const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 11) | (s[3] >>> 21);
  return result;
}

function uniform(s: Uint32Array): number {
  return next(s) * 2.3283064365386963e-10;
}

/** Integer in [0, n): floor(u32 * n / 2^32) (perm.c: (u64)u * n >> 32). Exact for n < 2^21. */
function rint(s: Uint32Array, n: number): number {
  return Math.floor((next(s) * n) / 4294967296);
}

function expNeg(x: number): number {
  const k = (x * 1.4426950408889634 + 0.5) | 0;
  const r = k * 0.6931471805599453 - x;
  const p =
    1.0 +
    r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  return p * POW2NEG[k];
}

// ---- the search (mirror of native/perm.c) ----

class Ctx {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly sym: boolean;
  readonly closed: boolean;
  readonly lock0: boolean;
  readonly lockLast: boolean;
  readonly x: Float64Array;
  readonly e: Int32Array;
  readonly v: Float64Array;
  readonly fw: Float64Array;
  readonly bk: Float64Array;
  readonly s: Float64Array;
  readonly dl: Float64Array;
  readonly t: Int32Array;
  readonly bt: Int32Array;
  readonly buf: Int32Array;
  readonly rng = new Uint32Array(4);
  eps = 0;

  constructor(inp: PermKernelInput) {
    const n = inp.n;
    const open = (inp.flags & 2) !== 0;
    const m = open ? n + 1 : n;
    this.m = m;
    this.n = n;
    this.k = inp.k;
    this.sym = (inp.flags & 1) !== 0;
    this.closed = !open;
    this.lock0 = open && inp.fixedStart >= 0;
    this.lockLast = open && inp.fixedEnd >= 0;
    this.x = new Float64Array(m * m);
    this.e = new Int32Array(inp.k > 0 ? m * m : 0);
    this.v = inp.v;
    this.fw = new Float64Array(m + 1);
    this.bk = new Float64Array(m + 1);
    this.s = new Float64Array(inp.k);
    this.dl = new Float64Array(inp.k);
    this.t = new Int32Array(2 * m); // doubled: t[p + m] = t[p]
    this.bt = new Int32Array(m);
    this.buf = new Int32Array(m);
    this.setup(inp.w);
  }

  private setup(w: Float64Array): void {
    const { m, n, k, x, e, v } = this;
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        let val = 0.0;
        let idx = -1;
        if (a < n && b < n && a !== b) {
          val = w[a * n + b];
          if (this.sym) {
            const lo = a < b ? a : b;
            const hi = a < b ? b : a;
            idx = ((lo * (2 * n - lo - 1)) >> 1) + (hi - lo - 1);
          } else {
            idx = a * (n - 1) + (b < a ? b : b - 1);
          }
          if (k > 0) {
            let q = 0.0;
            for (let f = 0; f < k; f++) q += v[idx * k + f] * v[idx * k + f];
            val = val - 0.5 * q;
          }
        }
        x[a * m + b] = val;
        if (k > 0) e[a * m + b] = idx;
      }
    }
    let maxX = 0.0;
    for (let i = 0; i < m * m; i++) {
      const a = Math.abs(x[i]);
      if (a > maxX) maxX = a;
    }
    let scale = m * maxX;
    if (k > 0) {
      const d = this.sym ? (n * (n - 1)) >> 1 : n * (n - 1);
      let maxV = 0.0;
      for (let i = 0; i < d * k; i++) {
        const a = Math.abs(v[i]);
        if (a > maxV) maxV = a;
      }
      scale += 0.5 * k * (m * maxV) * (m * maxV);
    }
    this.eps = 1e-12 * scale;
  }

  locked(p: number): boolean {
    return (this.lock0 && p === 0) || (this.lockLast && p === this.m - 1);
  }

  costFull(): number {
    const { m, x, t, k } = this;
    let c = 0.0;
    for (let p = 0; p < m; p++) c += x[t[p] * m + t[p + 1]];
    if (k > 0) {
      this.sums();
      let q = 0.0;
      for (let f = 0; f < k; f++) q += this.s[f] * this.s[f];
      c += 0.5 * q;
    }
    return c;
  }

  private sums(): void {
    const { m, k, e, v, t, s } = this;
    s.fill(0);
    for (let p = 0; p < m; p++) {
      const idx = e[t[p] * m + t[p + 1]];
      if (idx >= 0) for (let f = 0; f < k; f++) s[f] += v[idx * k + f];
    }
  }

  refresh(): void {
    const { m, x, t, fw, bk } = this;
    for (let p = 0; p < m; p++) t[p + m] = t[p];
    if (!this.sym) {
      fw[0] = 0.0;
      bk[0] = 0.0;
      for (let p = 0; p < m; p++) {
        const a = t[p];
        const b = t[p + 1];
        fw[p + 1] = fw[p] + x[a * m + b];
        bk[p + 1] = bk[p] + x[b * m + a];
      }
    }
    if (this.k > 0) this.sums();
  }

  private fmAdd(a: number, b: number, sign: number): void {
    const idx = this.e[a * this.m + b];
    if (idx < 0) return;
    const { k, v, dl } = this;
    if (sign > 0) for (let f = 0; f < k; f++) dl[f] += v[idx * k + f];
    else for (let f = 0; f < k; f++) dl[f] -= v[idx * k + f];
  }

  private fmDelta(): number {
    const { k, dl, s } = this;
    let d = 0.0;
    for (let f = 0; f < k; f++) d += dl[f] * (s[f] + 0.5 * dl[f]);
    return d;
  }

  delta2(i: number, j: number, outer: boolean): number {
    const { m, x, t, fw, bk } = this;
    const a = t[i];
    const b = t[i + 1];
    const c = t[j];
    const e = t[j + 1];
    let d: number;
    if (!outer) {
      d = x[a * m + c] + x[b * m + e] - (x[a * m + b] + x[c * m + e]);
      if (!this.sym) d += bk[j] - bk[i + 1] - (fw[j] - fw[i + 1]);
    } else {
      d = x[c * m + a] + x[e * m + b] - (x[a * m + b] + x[c * m + e]);
      d += bk[m] - bk[j + 1] + bk[i] - (fw[m] - fw[j + 1] + fw[i]);
    }
    if (this.k > 0) {
      this.dl.fill(0);
      if (!outer) {
        this.fmAdd(a, c, 1);
        this.fmAdd(b, e, 1);
        this.fmAdd(a, b, -1);
        this.fmAdd(c, e, -1);
        if (!this.sym) {
          for (let p = i + 1; p < j; p++) {
            this.fmAdd(t[p + 1], t[p], 1);
            this.fmAdd(t[p], t[p + 1], -1);
          }
        }
      } else {
        this.fmAdd(c, a, 1);
        this.fmAdd(e, b, 1);
        this.fmAdd(a, b, -1);
        this.fmAdd(c, e, -1);
        const cnt = m - (j - i) - 1;
        for (let u = 0; u < cnt; u++) {
          const q = j + 1 + u;
          this.fmAdd(t[q + 1], t[q], 1);
          this.fmAdd(t[q], t[q + 1], -1);
        }
      }
      d += this.fmDelta();
    }
    return d;
  }

  apply2(i: number, j: number, outer: boolean): void {
    const { m, t, buf } = this;
    if (!outer) {
      for (let lo = i + 1, hi = j; lo < hi; lo++, hi--) {
        const tmp = t[lo];
        t[lo] = t[hi];
        t[hi] = tmp;
      }
      return;
    }
    let o = 0;
    for (let p = i + 1; p <= j; p++) buf[o++] = t[p];
    const cnt = m - (j - i);
    for (let u = 0; u < cnt; u++) buf[o++] = t[i - u + m];
    this.rotateInto(t[0]);
  }

  /** t := buf rotated so that node `first` is at position 0. */
  private rotateInto(first: number): void {
    const { m, t, buf } = this;
    let z = 0;
    while (buf[z] !== first) z++;
    for (let p = 0; p < m; p++) t[p] = buf[(z + p) % m];
  }

  // Or-opt delta = base + move [+ rin] [+ FM part]: see or_base in native/perm.c.
  orBase(i: number, len: number): number {
    const { m, x, t } = this;
    const p = t[i - 1 + m];
    const f = t[i];
    const l = t[i + len - 1];
    const nx = t[i + len];
    return x[p * m + nx] - (x[p * m + f] + x[l * m + nx]);
  }

  orRin(i: number, len: number): number {
    const { m, x, t } = this;
    let rin = 0.0;
    for (let u = 0; u < len - 1; u++) {
      const a = t[i + u];
      const b = t[i + u + 1];
      rin += x[b * m + a] - x[a * m + b];
    }
    return rin;
  }

  orFm(i: number, len: number, r: number, rev: boolean): number {
    const { m, t } = this;
    const p = t[i - 1 + m];
    const f = t[i];
    const l = t[i + len - 1];
    const nx = t[i + len];
    const xa = t[i + len + r];
    const y = t[i + len + r + 1];
    this.dl.fill(0);
    this.fmAdd(p, nx, 1);
    if (!rev) {
      this.fmAdd(xa, f, 1);
      this.fmAdd(l, y, 1);
    } else {
      this.fmAdd(xa, l, 1);
      this.fmAdd(f, y, 1);
    }
    this.fmAdd(p, f, -1);
    this.fmAdd(l, nx, -1);
    this.fmAdd(xa, y, -1);
    if (rev && !this.sym) {
      for (let u = 0; u < len - 1; u++) {
        const a = t[i + u];
        const b = t[i + u + 1];
        this.fmAdd(b, a, 1);
        this.fmAdd(a, b, -1);
      }
    }
    return this.fmDelta();
  }

  deltaOr(i: number, len: number, r: number, rev: boolean): number {
    const { m, x, t } = this;
    const f = t[i];
    const l = t[i + len - 1];
    const xa = t[i + len + r];
    const y = t[i + len + r + 1];
    let d = this.orBase(i, len);
    if (!rev) {
      d = d + (x[xa * m + f] + x[l * m + y] - x[xa * m + y]);
    } else {
      d = d + (x[xa * m + l] + x[f * m + y] - x[xa * m + y]);
      if (!this.sym) d += this.orRin(i, len);
    }
    if (this.k > 0) d += this.orFm(i, len, r, rev);
    return d;
  }

  applyOr(i: number, len: number, r: number, rev: boolean): void {
    const { m, t, buf } = this;
    const np = i + len;
    let o = 0;
    for (let u = 0; u <= r; u++) buf[o++] = t[np + u];
    if (!rev) for (let u = 0; u < len; u++) buf[o++] = t[i + u];
    else for (let u = len - 1; u >= 0; u--) buf[o++] = t[i + u];
    const rest = m - len - r - 1;
    for (let u = 0; u < rest; u++) buf[o++] = t[np + r + 1 + u];
    this.rotateInto(t[0]);
  }

  tryAnchor(i: number): boolean {
    const { m, eps } = this;
    if (!this.locked(i)) {
      for (let j = i + 2; j < m; j++) {
        if (this.locked(j)) continue;
        const span = j - i;
        if (!(this.sym && span === m - 1)) {
          if (this.delta2(i, j, false) < -eps) {
            this.apply2(i, j, false);
            this.refresh();
            return true;
          }
        }
        if (!this.sym && this.closed && span <= m - 2) {
          if (this.delta2(i, j, true) < -eps) {
            this.apply2(i, j, true);
            this.refresh();
            return true;
          }
        }
      }
    }
    for (let len = 1; len <= 3; len++) {
      if (m - len - 2 < 0) break;
      if (!this.closed && (i < 1 || i + len - 1 > m - 1)) break;
      if (this.locked((i - 1 + m) % m) || this.locked((i + len - 1) % m)) continue;
      // deltaOr with base and rin hoisted (same doubles)
      const { x, t } = this;
      const f = t[i];
      const l = t[i + len - 1];
      const base = this.orBase(i, len);
      const rin = !this.sym && len >= 2 ? this.orRin(i, len) : 0.0;
      for (let r = 0; r <= m - len - 2; r++) {
        const q = i + len + r;
        if (this.locked(q >= m ? q - m : q)) continue;
        const xa = t[q];
        const y = t[q + 1];
        const xy = x[xa * m + y];
        let d = base + (x[xa * m + f] + x[l * m + y] - xy);
        if (this.k > 0) d += this.orFm(i, len, r, false);
        if (d < -eps) {
          this.applyOr(i, len, r, false);
          this.refresh();
          return true;
        }
        if (len >= 2) {
          d = base + (x[xa * m + l] + x[f * m + y] - xy);
          if (!this.sym) d += rin;
          if (this.k > 0) d += this.orFm(i, len, r, true);
          if (d < -eps) {
            this.applyOr(i, len, r, true);
            this.refresh();
            return true;
          }
        }
      }
    }
    return false;
  }

  localSearch(): void {
    const m = this.m;
    let anchor = rint(this.rng, m);
    let idle = 0;
    while (idle < m) {
      if (this.tryAnchor(anchor)) idle = 0;
      else {
        idle++;
        anchor = anchor + 1 === m ? 0 : anchor + 1;
      }
    }
  }

  anneal(betas: Float64Array, movesPerBeta: number): void {
    const { m, rng, t, bt } = this;
    let cur = this.costFull();
    let best = cur;
    bt.set(t.subarray(0, m));
    for (let bi = 0; bi < betas.length; bi++) {
      const beta = betas[bi];
      for (let it = 0; it < movesPerBeta; it++) {
        let d: number;
        let kind: number;
        let i: number;
        let j = 0;
        let len = 0;
        let r = 0;
        let flag = false;
        if (rint(rng, 2) === 0) {
          kind = 0;
          i = rint(rng, m);
          j = rint(rng, m);
          if (i > j) {
            const tmp = i;
            i = j;
            j = tmp;
          }
          if (j - i < 2) continue;
          if (!this.sym && this.closed) flag = rint(rng, 2) === 1;
          if (flag) {
            if (j - i > m - 2) continue;
          } else if (this.sym && j - i === m - 1) continue;
          if (this.locked(i) || this.locked(j)) continue;
          d = this.delta2(i, j, flag);
        } else {
          kind = 1;
          len = 1 + rint(rng, 3);
          if (m - len - 2 < 0) continue;
          i = this.closed ? rint(rng, m) : 1 + rint(rng, m - len);
          r = rint(rng, m - len - 1);
          flag = len >= 2 ? rint(rng, 2) === 1 : false;
          if (this.locked((i - 1 + m) % m) || this.locked((i + len - 1) % m) || this.locked((i + len + r) % m)) continue;
          d = this.deltaOr(i, len, r, flag);
        }
        if (d > 0.0) {
          const xx = beta * d;
          if (xx >= EXP_CUT) continue;
          if (!(uniform(rng) < expNeg(xx))) continue;
        }
        if (kind === 0) this.apply2(i, j, flag);
        else this.applyOr(i, len, r, flag);
        this.refresh();
        cur += d;
        if (cur < best - this.eps) {
          best = cur;
          bt.set(t.subarray(0, m));
        }
      }
    }
    t.set(bt);
    this.refresh();
  }
}

/**
 * Kernel-level entry: run every start of `tours` (nstarts * n, overwritten with the results),
 * writing the exact costs into `costs`. Same contract as `fm_perm_search` in native/perm.c.
 */
export function permSearchKernelReference(inp: PermKernelInput, nstarts: number, tours: Int32Array, costs: Float64Array): void {
  const ctx = new Ctx(inp);
  const { m, n, t } = ctx;
  const open = !ctx.closed;
  for (let r = 0; r < nstarts; r++) {
    seedRead(ctx.rng, inp.seed >>> 0, r);
    if (open) {
      t[0] = n;
      for (let p = 0; p < n; p++) t[p + 1] = tours[r * n + p];
    } else {
      for (let p = 0; p < n; p++) t[p] = tours[r * n + p];
    }
    ctx.refresh();
    if (inp.betas.length > 0 && inp.movesPerBeta > 0) ctx.anneal(inp.betas, inp.movesPerBeta);
    ctx.localSearch();
    costs[r] = ctx.costFull();
    if (open) {
      for (let p = 0; p < n; p++) tours[r * n + p] = t[p + 1];
    } else {
      let z = 0;
      while (t[z] !== 0) z++;
      for (let p = 0; p < m; p++) tours[r * n + p] = t[(z + p) % m];
    }
  }
}

/**
 * Minimise the tour cost over permutations from several starts, in plain TypeScript (the
 * reference for {@link permSearch}; same arguments, same results).
 *
 * @example
 * ```ts
 * const space = edgeSpace(8);
 * const tours = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]); // one start
 * const costs = new Float64Array(1);
 * permSearchReference({ space, weights }, tours, costs, { seed: 1 });
 * ```
 */
export function permSearchReference(
  problem: PermProblem,
  tours: Int32Array,
  costs: Float64Array,
  options: PermSearchOptions,
): void {
  const { input, nstarts } = permKernelInput(problem, tours, costs, options);
  permSearchKernelReference(input, nstarts, tours, costs);
}
