/**
 * Plain-TypeScript mirror of native/tour_ils.c (the algorithm is documented there): the same
 * moves in the same order, the same generator and the same floating-point operations, so for
 * the same inputs it returns the same tours and bit-identical costs as the wasm kernel. It is
 * the tests' oracle for the kernel and the benchmark's TypeScript baseline.
 */
import { seedRead } from "./reference.js";
import { tourIlsInput, type TourIlsInput, type TourIlsOptions, type TourIlsProblem, type TourIlsResult } from "./tour-ils.js";

class Ctx {
  readonly n: number;
  readonly M: number;
  readonly K: number;
  readonly sym: boolean;
  readonly open: boolean;
  readonly norev: boolean;
  readonly fs: number;
  readonly fe: number;
  readonly W: Float64Array;
  readonly cand: Int32Array;
  readonly t: Int32Array;
  readonly pos: Int32Array;
  readonly buf: Int32Array;
  readonly queue: Int32Array;
  readonly bt: Int32Array;
  readonly inq: Uint8Array;
  readonly fw: Float64Array;
  readonly bk: Float64Array;
  qhead = 0;
  qlen = 0;
  budget = -1;
  eps = 0;
  readonly rng: Uint32Array;
  readonly pool: number;
  pcount = 0;
  readonly ptours: Int32Array;
  readonly pcost: Float64Array;
  readonly phash: Uint32Array;

  constructor(input: TourIlsInput) {
    this.n = input.n;
    this.open = (input.flags & 2) !== 0;
    this.sym = (input.flags & 1) !== 0;
    this.norev = (input.flags & 4) !== 0;
    this.M = this.open ? this.n + 1 : this.n;
    this.K = input.k;
    this.fs = this.open ? input.fixedStart : -1;
    this.fe = this.open ? input.fixedEnd : -1;
    this.W = input.weights;
    this.cand = input.candidates;
    const M = this.M;
    this.t = new Int32Array(M);
    this.pos = new Int32Array(M);
    this.buf = new Int32Array(M);
    this.queue = new Int32Array(M);
    this.bt = new Int32Array(M);
    this.inq = new Uint8Array(M);
    this.fw = new Float64Array(M + 1);
    this.bk = new Float64Array(M + 1);
    this.rng = new Uint32Array(4);
    seedRead(this.rng, input.seed >>> 0, 0);
    this.pool = input.pool;
    this.ptours = new Int32Array(M * input.pool);
    this.pcost = new Float64Array(input.pool);
    this.phash = new Uint32Array(input.pool);
  }

  wt(a: number, b: number): number {
    if (a >= this.n || b >= this.n) return 0;
    return this.W[a * this.n + b];
  }
  succ(x: number): number {
    const p = this.pos[x] + 1;
    return this.t[p === this.M ? 0 : p];
  }
  pred(x: number): number {
    const p = this.pos[x];
    return this.t[p === 0 ? this.M - 1 : p - 1];
  }
  locked(a: number, b: number): boolean {
    if (!this.open) return false;
    const D = this.n;
    if (this.fs >= 0 && ((a === D && b === this.fs) || (this.sym && a === this.fs && b === D))) return true;
    if (this.fe >= 0 && ((a === this.fe && b === D) || (this.sym && a === D && b === this.fe))) return true;
    return false;
  }
  reversalBlocked(i: number, j: number): boolean {
    if (!this.open || this.sym || (this.fs < 0 && this.fe < 0)) return false;
    let d = this.pos[this.n] - i;
    let len = j - i;
    if (d < 0) d += this.M;
    if (len < 0) len += this.M;
    return d <= len;
  }
  rebuild(): void {
    const M = this.M;
    for (let p = 0; p < M; p++) this.pos[this.t[p]] = p;
    if (!this.sym) {
      this.fw[0] = 0;
      this.bk[0] = 0;
      for (let p = 0; p < M; p++) {
        const a = this.t[p];
        const b = this.t[p + 1 === M ? 0 : p + 1];
        this.fw[p + 1] = this.fw[p] + this.wt(a, b);
        this.bk[p + 1] = this.bk[p] + this.wt(b, a);
      }
    }
  }
  revTerm(i: number, j: number): number {
    if (this.sym) return 0;
    let f: number;
    let b: number;
    if (i <= j) {
      f = this.fw[j] - this.fw[i];
      b = this.bk[j] - this.bk[i];
    } else {
      f = this.fw[this.M] - this.fw[i] + this.fw[j];
      b = this.bk[this.M] - this.bk[i] + this.bk[j];
    }
    return b - f;
  }
  cycleCost(t: Int32Array): number {
    let s = 0;
    for (let p = 0; p < this.M; p++) s += this.wt(t[p], t[p + 1 === this.M ? 0 : p + 1]);
    return s;
  }
  push(x: number): void {
    if (this.inq[x]) return;
    this.inq[x] = 1;
    let at = this.qhead + this.qlen;
    if (at >= this.M) at -= this.M;
    this.queue[at] = x;
    this.qlen++;
  }
  reversePath(u: number, v: number): void {
    const M = this.M;
    let i = this.pos[u];
    let j = this.pos[v];
    let len = j - i;
    if (len < 0) len += M;
    len += 1;
    const half = Math.floor(len / 2);
    for (let s = 0; s < half; s++) {
      const a = this.t[i];
      this.t[i] = this.t[j];
      this.t[j] = a;
      i = i + 1 === M ? 0 : i + 1;
      j = j === 0 ? M - 1 : j - 1;
    }
    this.rebuild();
  }
  try2optSucc(a: number, cc: number): boolean {
    const b = this.succ(a);
    const d = this.succ(cc);
    if (cc === b || cc === a || (d === a && this.sym)) return false;
    if (this.locked(a, b) || this.locked(cc, d) || this.reversalBlocked(this.pos[b], this.pos[cc])) return false;
    let delta = this.wt(a, cc) + this.wt(b, d) - this.wt(a, b) - this.wt(cc, d);
    if (!this.sym) delta += this.revTerm(this.pos[b], this.pos[cc]);
    if (!(delta < -this.eps)) return false;
    this.reversePath(b, cc);
    this.push(a);
    this.push(b);
    this.push(cc);
    this.push(d);
    return true;
  }
  try2optPred(a: number, cc: number): boolean {
    const p = this.pred(a);
    const q = this.pred(cc);
    if (cc === p || cc === a || (q === a && this.sym)) return false;
    if (this.locked(p, a) || this.locked(q, cc) || this.reversalBlocked(this.pos[cc], this.pos[p])) return false;
    let delta = this.wt(cc, a) + this.wt(q, p) - this.wt(p, a) - this.wt(q, cc);
    if (!this.sym) delta += this.revTerm(this.pos[cc], this.pos[p]);
    if (!(delta < -this.eps)) return false;
    this.reversePath(cc, p);
    this.push(a);
    this.push(p);
    this.push(cc);
    this.push(q);
    return true;
  }
  applyOr(f: number, l: number, L: number, x: number, rev: boolean): void {
    const M = this.M;
    let o = 0;
    const nx = this.succ(l);
    let p = this.pos[nx];
    for (;;) {
      const node = this.t[p];
      this.buf[o++] = node;
      if (node === x) break;
      p = p + 1 === M ? 0 : p + 1;
    }
    const fp = this.pos[f];
    if (!rev) {
      for (let u = 0; u < L; u++) {
        const q = fp + u;
        this.buf[o++] = this.t[q >= M ? q - M : q];
      }
    } else {
      for (let u = L - 1; u >= 0; u--) {
        const q = fp + u;
        this.buf[o++] = this.t[q >= M ? q - M : q];
      }
    }
    p = this.pos[x] + 1 === M ? 0 : this.pos[x] + 1;
    while (o < M) {
      this.buf[o++] = this.t[p];
      p = p + 1 === M ? 0 : p + 1;
    }
    this.t.set(this.buf);
    this.rebuild();
  }
  tryOr(f: number, l: number, L: number, x: number, rev: boolean): boolean {
    const M = this.M;
    if (L > M - 3) return false;
    const y = this.succ(x);
    const fp = this.pos[f];
    let dx = this.pos[x] - fp;
    if (dx < 0) dx += M;
    let dy = this.pos[y] - fp;
    if (dy < 0) dy += M;
    if (dx < L || dy < L) return false;
    const p = this.pred(f);
    const nx = this.succ(l);
    if (x === p) return false;
    if (this.locked(p, f) || this.locked(l, nx) || this.locked(x, y)) return false;
    if (rev && L >= 2 && this.reversalBlocked(fp, this.pos[l])) return false;
    let delta = this.wt(p, nx) - this.wt(p, f) - this.wt(l, nx) - this.wt(x, y);
    if (!rev) {
      delta += this.wt(x, f) + this.wt(l, y);
    } else {
      delta += this.wt(x, l) + this.wt(f, y);
      if (!this.sym && L >= 2) delta += this.revTerm(this.pos[f], this.pos[l]);
    }
    if (!(delta < -this.eps)) return false;
    this.applyOr(f, l, L, x, rev);
    this.push(p);
    this.push(nx);
    this.push(f);
    this.push(l);
    this.push(x);
    this.push(y);
    return true;
  }
  improveFrom(a: number): boolean {
    const K = this.K;
    const M = this.M;
    const row = a * K;
    for (let k = 0; k < K && !this.norev; k++) {
      const cc = this.cand[row + k];
      if (cc < 0 || cc >= M || cc === a) continue;
      if (this.try2optSucc(a, cc)) return true;
      if (this.try2optPred(a, cc)) return true;
    }
    for (let L = 1; L <= 3; L++) {
      if (L > M - 3) break;
      let l = a;
      for (let u = 1; u < L; u++) l = this.succ(l);
      let f2 = a;
      for (let u = 1; u < L; u++) f2 = this.pred(f2);
      for (let k = 0; k < K; k++) {
        const cc = this.cand[row + k];
        if (cc < 0 || cc >= M || cc === a) continue;
        if (this.tryOr(a, l, L, cc, false)) return true;
        if (L >= 2 && !this.norev && this.tryOr(a, l, L, this.pred(cc), true)) return true;
        if (L >= 2) {
          if (this.tryOr(f2, a, L, this.pred(cc), false)) return true;
          if (!this.norev && this.tryOr(f2, a, L, cc, true)) return true;
        } else if (this.tryOr(a, a, 1, this.pred(cc), false)) {
          return true;
        }
      }
    }
    return false;
  }
  drain(): number {
    let moves = 0;
    while (this.qlen > 0 && this.budget !== 0) {
      const a = this.queue[this.qhead];
      this.qhead = this.qhead + 1 === this.M ? 0 : this.qhead + 1;
      this.qlen--;
      this.inq[a] = 0;
      if (this.improveFrom(a)) {
        moves++;
        if (this.budget > 0) this.budget--;
        this.push(a);
      }
    }
    return moves;
  }
  localSearch(complete: boolean): void {
    this.drain();
    while (complete && this.budget !== 0) {
      for (let p = 0; p < this.M; p++) this.push(this.t[p]);
      if (this.drain() === 0) break;
    }
  }
  cycleHash(t: Int32Array): number {
    let h = 0;
    const M = this.M;
    for (let p = 0; p < M; p++) {
      let a = t[p];
      let b = t[p + 1 === M ? 0 : p + 1];
      if (this.sym && a > b) [a, b] = [b, a];
      h = (h + mix32((Math.imul(a, M) + b + 0x9e3779b9) >>> 0)) >>> 0;
    }
    return h;
  }
  offer(cost: number): void {
    const M = this.M;
    const h = this.cycleHash(this.t);
    for (let i = 0; i < this.pcount; i++) if (this.phash[i] === h) return;
    let slot: number;
    if (this.pcount < this.pool) {
      slot = this.pcount++;
    } else {
      slot = 0;
      for (let i = 1; i < this.pcount; i++) if (this.pcost[i] > this.pcost[slot]) slot = i;
      if (!(cost < this.pcost[slot])) return;
    }
    this.pcost[slot] = cost;
    this.phash[slot] = h;
    this.ptours.set(this.t, slot * M);
  }
  next(): number {
    return xoshiroNext(this.rng);
  }
  rint(k: number): number {
    return Math.floor((this.next() * k) / 4294967296);
  }
  kick(kickLen: number): boolean {
    const M = this.M;
    if (M < 8) return false;
    const maxl = kickLen < Math.trunc((M - 2) / 2) ? kickLen : Math.trunc((M - 2) / 2);
    if (maxl < 1) return false;
    for (let attempt = 0; attempt < 8; attempt++) {
      const s = this.rint(M);
      const l1 = 1 + this.rint(maxl);
      const l2 = 1 + this.rint(maxl);
      const u = this.t[s];
      const p1 = s + 1 >= M ? s + 1 - M : s + 1;
      let e1 = p1 + l1 - 1;
      e1 = e1 >= M ? e1 - M : e1;
      const p2 = e1 + 1 >= M ? e1 + 1 - M : e1 + 1;
      let e2 = p2 + l2 - 1;
      e2 = e2 >= M ? e2 - M : e2;
      const pv = e2 + 1 >= M ? e2 + 1 - M : e2 + 1;
      const a1 = this.t[p1];
      const b1 = this.t[e1];
      const a2 = this.t[p2];
      const b2 = this.t[e2];
      const v = this.t[pv];
      if (this.locked(u, a1) || this.locked(b1, a2) || this.locked(b2, v)) continue;
      let o = 0;
      let p = pv;
      for (let i = 0; i < M - l1 - l2; i++) {
        this.buf[o++] = this.t[p];
        p = p + 1 === M ? 0 : p + 1;
      }
      for (let i = 0; i < l2; i++) {
        const q = p2 + i;
        this.buf[o++] = this.t[q >= M ? q - M : q];
      }
      for (let i = 0; i < l1; i++) {
        const q = p1 + i;
        this.buf[o++] = this.t[q >= M ? q - M : q];
      }
      this.t.set(this.buf);
      this.rebuild();
      this.push(u);
      this.push(a1);
      this.push(b1);
      this.push(a2);
      this.push(b2);
      this.push(v);
      return true;
    }
    return false;
  }
  writeTour(t: Int32Array): number[] {
    const M = this.M;
    const n = this.n;
    const out = new Array<number>(n);
    if (!this.open) {
      let z = 0;
      while (t[z] !== 0) z++;
      for (let p = 0; p < n; p++) {
        const q = z + p;
        out[p] = t[q >= M ? q - M : q];
      }
      return out;
    }
    let z = 0;
    while (t[z] !== n) z++;
    let forward = true;
    if (this.sym) {
      const after = t[z + 1 >= M ? z + 1 - M : z + 1];
      const before = t[z === 0 ? M - 1 : z - 1];
      if (this.fs >= 0) forward = after === this.fs;
      else if (this.fe >= 0) forward = before === this.fe;
    }
    for (let p = 0; p < n; p++) {
      let q = (forward ? z + 1 + p : z - 1 - p) % M;
      if (q < 0) q += M;
      out[p] = t[q];
    }
    return out;
  }
}

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function xoshiroNext(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** {@link tourIls} in plain TypeScript; same results (the deadline is checked as in the kernel). */
export function tourIlsReference(problem: TourIlsProblem, start: ArrayLike<number>, options: TourIlsOptions): TourIlsResult {
  const input = tourIlsInput(problem, start, options);
  const c = new Ctx(input);
  const n = c.n;
  const M = c.M;
  let maxw = 0;
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      let x = c.W[a * n + b];
      if (x < 0) x = -x;
      if (x > maxw) maxw = x;
    }
  c.eps = 1e-12 * M * maxw;
  if (c.open) {
    c.t[0] = n;
    for (let p = 0; p < n; p++) c.t[p + 1] = input.start[p];
  } else {
    c.t.set(input.start);
  }
  c.rebuild();
  for (let p = 0; p < M; p++) c.push(c.t[p]);
  c.budget = input.maxMoves > 0 ? input.maxMoves : -1;
  c.localSearch(true);
  c.budget = -1;
  const cur = c.cycleCost(c.t);
  let best = cur;
  c.bt.set(c.t);
  c.offer(cur);
  for (let k = 0; k < input.kicks; k++) {
    if ((k & 15) === 15 && input.deadline < 1e300 && performance.now() >= input.deadline) break;
    if (!c.kick(input.kickLength)) break;
    c.localSearch(false);
    const cost = c.cycleCost(c.t);
    c.offer(cost);
    if (cost < best - c.eps) {
      best = cost;
      c.bt.set(c.t);
    } else if (!(cost <= best + c.eps)) {
      c.t.set(c.bt);
      c.rebuild();
    }
  }
  const order = Array.from({ length: c.pcount }, (_, i) => i);
  // insertion sort by cost, stable on slot index (as the kernel)
  for (let i = 1; i < order.length; i++) {
    const x = order[i];
    let j = i - 1;
    while (j >= 0 && c.pcost[order[j]] > c.pcost[x]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  const out: TourIlsResult = { tours: [], costs: [] };
  for (const slot of order) {
    const src = c.ptours.subarray(slot * M, (slot + 1) * M);
    out.tours.push(c.writeTour(src));
    out.costs.push(c.cycleCost(src));
  }
  return out;
}
