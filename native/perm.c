/*
 * Permutation-space search: minimise a tour cost over a weight matrix by local search
 * (2-opt + Or-opt) and simulated annealing with the same moves. Used by the `edge` method
 * (src/edge/) on a Thompson-sampled weight matrix; TypeScript mirror, bit for bit:
 * src/anneal/perm-reference.ts; typed wrapper: src/anneal/perm.ts.
 *
 * ## Cost
 *
 *   cost(tour) = sum_{edges a->b of the tour} W[a*n+b]
 *              + 1/2 sum_f [ (sum_{e in tour} V[e*k+f])^2 - sum_{e in tour} V[e*k+f]^2 ]
 *
 * W: n*n row-major (W[a*n+b] = cost of going a -> b; the diagonal is never read). The optional
 * factorization-machine term (k > 0) interacts pairs of edges; V is d*k with edges indexed as
 * in src/edge/features.ts (symmetric: {a<b} -> a(2n-a-1)/2 + b-a-1, d = n(n-1)/2; asymmetric:
 * a->b -> a(n-1) + (b<a ? b : b-1), d = n(n-1)). Rewritten as
 *   cost = sum_e X_e + 1/2 sum_f s_f^2,   X_e = W_e - 1/2 sum_f V_ef^2,  s_f = sum_{e in tour} V_ef,
 * so a move that removes edges R and adds edges A changes the cost by
 *   sum_A X - sum_R X + sum_f dl_f (s_f + dl_f / 2),   dl_f = sum_A V_.f - sum_R V_.f:
 * O(k * changed edges); s is recomputed from scratch (O(n k)) after each applied move.
 *
 * ## Tours as cycles of M nodes
 *
 * A closed tour is a cycle of M = n nodes. An open path becomes a cycle of M = n + 1 nodes
 * with a dummy node D = n kept at position 0: D -> first and last -> D cost 0 (and have no FM
 * feature). A fixed start city locks the edge at position 0 (D -> start), a fixed end city
 * locks the edge at position M-1 (end -> D): no move removes a locked edge, so every visited
 * tour keeps its fixed ends. Position p of the cycle holds node t[p]; "edge p" is
 * t[p] -> t[(p+1) % M].
 *
 * ## Moves (the neighbourhood; tests enumerate it by brute force)
 *
 * 2-opt(i, j, inner), 0 <= i, i+2 <= j <= M-1, edges i and j unlocked: with a = t[i],
 *   b = t[i+1], c = t[j], e = t[j+1], reverse the segment t[i+1..j] (never contains
 *   position 0). Removes a->b, c->e; adds a->c, b->e; the segment's internal edges change
 *   direction. Skipped when symmetric and j - i = M-1 (then it is the tour read backwards).
 * 2-opt(i, j, outer), asymmetric closed tours only, j - i <= M-2: reverse the complementary
 *   arc e..a instead (the same cycle as the inner move read backwards, a different cost when W
 *   is asymmetric). Removes a->b, c->e; adds c->a, e->b.
 *   Asymmetric reversal cost in O(1): with the prefix sums over the current tour
 *     fw[q] = sum_{p<q} X(t_p -> t_{p+1}),  bk[q] = sum_{p<q} X(t_{p+1} -> t_p)   (q = 0..M),
 *   the internal edges of the inner segment (positions i+1..j-1) change by
 *     (bk[j] - bk[i+1]) - (fw[j] - fw[i+1]),
 *   those of the outer arc (positions j+1..i-1, cyclic) by
 *     (bk[M] - bk[j+1] + bk[i]) - (fw[M] - fw[j+1] + fw[i]).
 *   The prefix sums are rebuilt in O(M) after each applied move (the reversal is O(M) anyway).
 * Or-opt(i, L, r, rev), L in 1..3, L <= M-2: move the segment at positions i..i+L-1 (cyclic;
 *   open paths: 1 <= i, i+L-1 <= M-1, so the dummy never moves) between the nodes of edge
 *   q = (i+L+r) % M, r in 0..M-L-2 (every edge not touching the segment), forwards or, for
 *   L >= 2, reversed (rev; the segment's internal edges change direction, O(L)). With
 *   p, f, l, nx the nodes before, first, last, after the segment and x -> y edge q:
 *   removes p->f, l->nx, x->y; adds p->nx and x->f, l->y (forward) or x->l, f->y (reversed).
 *   Edges at positions i-1, i+L-1 and q must be unlocked.
 * After a move, a closed tour is rotated so that the node that was at position 0 stays there
 * (the dummy of an open path never leaves position 0).
 *
 * ## Local search: first improvement, anchored sweeps
 *
 * A move is improving when its delta is < -eps, eps = 1e-12 * (M max|X| + k/2 (M max|V|)^2)
 * (a bound on the cost scale; rounding in a delta stays far below it, so no cycling). The
 * anchor starts at a random position; tryAnchor(i) scans, in this order, 2-opt(i, j) for
 * j = i+2..M-1 (inner, then outer), then Or-opt(i, L, r, rev) for L = 1..3, r = 0..M-L-2,
 * rev = 0, 1, and applies the FIRST improving move. After a success the same anchor is tried
 * again; after a failure the anchor advances (cyclically). The search stops after M
 * consecutive failures: then every move of the neighbourhood has been checked on the current
 * tour, which is therefore a local optimum. Per sweep O(M^2) deltas.
 *
 * ## Annealing
 *
 * Metropolis at the inverse temperatures betas[0..nbetas-1], moves_per_beta proposals each.
 * A proposal: u = int(2); u == 0: 2-opt with i = int(M), j = int(M), swapped so i <= j,
 * rejected unless j - i >= 2; asymmetric closed tours draw outer = int(2); the move must be
 * legal as above. u == 1: Or-opt with L = 1 + int(3), i = int(M) (closed) or 1 + int(M-L)
 * (open), r = int(M-L-1), rev = int(2) if L >= 2. (int(n) = floor(u32 * n / 2^32).) Illegal
 * proposals are wasted (no retry). Acceptance as in anneal.c: delta <= 0 accepts; else
 * x = beta * delta, x >= FM_EXP_CUT rejects, else accept iff uniform() < fm_exp_neg(x).
 * The best tour seen (tracked cost, improved by more than eps) is kept; annealing ends by
 * returning to it, then the local search polishes it.
 *
 * ## One call
 *
 * For each start r = 0..nstarts-1, with its own generator fm_seed_read(seed, r) (a start's
 * result does not depend on the other starts): load the start tour, anneal (if nbetas > 0 and
 * moves_per_beta > 0), local search, cost recomputed exactly from scratch, and the tour
 * written back: closed tours rotated so city 0 comes first (direction kept), open paths as
 * the n cities after the dummy.
 *
 * Buffers (all owned by the caller):
 *   W      [n*n] f64             read
 *   V      [d*k] f64             read (k = 0: not read)
 *   betas  [nbetas] f64          read
 *   tours  [nstarts*n] i32       read (valid start tours: permutations with the fixed ends in
 *                                place; the caller validates) and overwritten with the results
 *   costs  [nstarts] f64         overwritten: exact cost of each result
 *   work   fm_perm_work_bytes(n, k, flags) bytes, 8-byte aligned: scratch, overwritten
 * flags: bit 0 = W symmetric (W[a*n+b] == W[b*n+a]; the caller checks), bit 1 = open path.
 * fixed_start / fixed_end: a city, or -1 (open paths only; ignored for closed tours).
 * Returns nstarts, or -1 if the arguments are inconsistent (n too small, bad flags).
 */
#include "fmanneal.h"

typedef struct {
  int32_t M, n, k, sym, closed, lock0, lock_last;
  double *X;        /* M*M: W folded with the FM diagonal term, dummy row/column 0 */
  int32_t *E;       /* M*M: FM feature index of edge a->b, or -1 (k > 0 only) */
  const double *V;  /* d*k */
  double *fw, *bk;  /* M+1 each: prefix sums (asymmetric) */
  double *s, *dl;   /* k each: FM sums over the tour, move delta of the sums */
  int32_t *t;       /* 2M: tour, doubled (t[p+M] = t[p]) so cyclic indices need no modulo */
  int32_t *bt, *buf; /* M each: best tour, scratch */
  double eps;
  uint32_t rng[4];
} pctx;

static inline int32_t rint_n(uint32_t *s, int32_t n) {
  return (int32_t)(((uint64_t)fm_next(s) * (uint64_t)(uint32_t)n) >> 32);
}

static inline double fabs_d(double a) { return a < 0.0 ? -a : a; }

static inline int locked(const pctx *c, int32_t p) {
  return (c->lock0 && p == 0) || (c->lock_last && p == c->M - 1);
}

static size_t align8(size_t b) { return (b + 7u) & ~(size_t)7u; }

FM_EXPORT("fm_perm_work_bytes")
int32_t fm_perm_work_bytes(int32_t n, int32_t k, int32_t flags) {
  int32_t M = (flags & 2) ? n + 1 : n;
  size_t b = 0;
  b += align8(sizeof(double) * (size_t)M * (size_t)M);           /* X */
  b += align8(sizeof(double) * (size_t)(M + 1)) * 2;              /* fw, bk */
  b += align8(sizeof(double) * (size_t)k) * 2;                    /* s, dl */
  b += align8(sizeof(int32_t) * (size_t)(k > 0 ? M * M : 0));     /* E */
  b += align8(sizeof(int32_t) * (size_t)M) * 4;                   /* t (2M), bt, buf */
  return (int32_t)b;
}

static void layout(pctx *c, uint8_t *work) {
  size_t M = (size_t)c->M, k = (size_t)c->k;
  uint8_t *p = work;
  c->X = (double *)p; p += align8(sizeof(double) * M * M);
  c->fw = (double *)p; p += align8(sizeof(double) * (M + 1));
  c->bk = (double *)p; p += align8(sizeof(double) * (M + 1));
  c->s = (double *)p; p += align8(sizeof(double) * k);
  c->dl = (double *)p; p += align8(sizeof(double) * k);
  c->E = (int32_t *)p; p += align8(sizeof(int32_t) * (k > 0 ? M * M : 0));
  c->t = (int32_t *)p; p += align8(sizeof(int32_t) * 2 * M);
  c->bt = (int32_t *)p; p += align8(sizeof(int32_t) * M);
  c->buf = (int32_t *)p;
}

static void setup(pctx *c, const double *W) {
  const int32_t M = c->M, n = c->n, k = c->k;
  for (int32_t a = 0; a < M; a++) {
    for (int32_t b = 0; b < M; b++) {
      double val = 0.0;
      int32_t idx = -1;
      if (a < n && b < n && a != b) {
        val = W[a * n + b];
        if (c->sym) {
          int32_t lo = a < b ? a : b, hi = a < b ? b : a;
          idx = ((lo * (2 * n - lo - 1)) >> 1) + (hi - lo - 1);
        } else {
          idx = a * (n - 1) + (b < a ? b : b - 1);
        }
        if (k > 0) {
          double q = 0.0;
          for (int32_t f = 0; f < k; f++) q += c->V[idx * k + f] * c->V[idx * k + f];
          val = val - 0.5 * q;
        }
      }
      c->X[a * M + b] = val;
      if (k > 0) c->E[a * M + b] = idx;
    }
  }
  double maxX = 0.0;
  for (int32_t i = 0; i < M * M; i++) {
    double a = fabs_d(c->X[i]);
    if (a > maxX) maxX = a;
  }
  double scale = (double)M * maxX;
  if (k > 0) {
    int32_t d = c->sym ? (n * (n - 1)) >> 1 : n * (n - 1);
    double maxV = 0.0;
    for (int32_t i = 0; i < d * k; i++) {
      double a = fabs_d(c->V[i]);
      if (a > maxV) maxV = a;
    }
    scale += 0.5 * (double)k * ((double)M * maxV) * ((double)M * maxV);
  }
  c->eps = 1e-12 * scale;
}

static void sums(pctx *c) {
  const int32_t M = c->M, k = c->k;
  for (int32_t f = 0; f < k; f++) c->s[f] = 0.0;
  for (int32_t p = 0; p < M; p++) {
    int32_t idx = c->E[c->t[p] * M + c->t[p + 1]];
    if (idx >= 0)
      for (int32_t f = 0; f < k; f++) c->s[f] += c->V[idx * k + f];
  }
}

static double cost_full(pctx *c) {
  const int32_t M = c->M, k = c->k;
  double cost = 0.0;
  for (int32_t p = 0; p < M; p++) cost += c->X[c->t[p] * M + c->t[p + 1]];
  if (k > 0) {
    sums(c);
    double q = 0.0;
    for (int32_t f = 0; f < k; f++) q += c->s[f] * c->s[f];
    cost += 0.5 * q;
  }
  return cost;
}

/* After any change of t[0..M-1]: mirror it into t[M..2M-1], rebuild the prefix sums
 * (asymmetric) and the FM sums. */
static void refresh(pctx *c) {
  const int32_t M = c->M;
  for (int32_t p = 0; p < M; p++) c->t[p + M] = c->t[p];
  if (!c->sym) {
    c->fw[0] = 0.0;
    c->bk[0] = 0.0;
    for (int32_t p = 0; p < M; p++) {
      int32_t a = c->t[p], b = c->t[p + 1];
      c->fw[p + 1] = c->fw[p] + c->X[a * M + b];
      c->bk[p + 1] = c->bk[p] + c->X[b * M + a];
    }
  }
  if (c->k > 0) sums(c);
}

static inline void fm_add(pctx *c, int32_t a, int32_t b, int sign) {
  int32_t idx = c->E[a * c->M + b];
  if (idx < 0) return;
  const int32_t k = c->k;
  const double *v = c->V + (size_t)idx * (size_t)k;
  if (sign > 0)
    for (int32_t f = 0; f < k; f++) c->dl[f] += v[f];
  else
    for (int32_t f = 0; f < k; f++) c->dl[f] -= v[f];
}

static inline double fm_delta(const pctx *c) {
  double d = 0.0;
  for (int32_t f = 0; f < c->k; f++) d += c->dl[f] * (c->s[f] + 0.5 * c->dl[f]);
  return d;
}

static inline void fm_clear(pctx *c) {
  for (int32_t f = 0; f < c->k; f++) c->dl[f] = 0.0;
}

static double delta2(pctx *c, int32_t i, int32_t j, int outer) {
  const int32_t M = c->M;
  const double *X = c->X;
  const int32_t *t = c->t;
  int32_t a = t[i], b = t[i + 1], cc = t[j], e = t[j + 1];
  double d;
  if (!outer) {
    d = X[a * M + cc] + X[b * M + e] - (X[a * M + b] + X[cc * M + e]);
    if (!c->sym) d += c->bk[j] - c->bk[i + 1] - (c->fw[j] - c->fw[i + 1]);
  } else {
    d = X[cc * M + a] + X[e * M + b] - (X[a * M + b] + X[cc * M + e]);
    d += c->bk[M] - c->bk[j + 1] + c->bk[i] - (c->fw[M] - c->fw[j + 1] + c->fw[i]);
  }
  if (c->k > 0) {
    fm_clear(c);
    if (!outer) {
      fm_add(c, a, cc, 1);
      fm_add(c, b, e, 1);
      fm_add(c, a, b, -1);
      fm_add(c, cc, e, -1);
      if (!c->sym) {
        for (int32_t p = i + 1; p < j; p++) {
          fm_add(c, t[p + 1], t[p], 1);
          fm_add(c, t[p], t[p + 1], -1);
        }
      }
    } else {
      fm_add(c, cc, a, 1);
      fm_add(c, e, b, 1);
      fm_add(c, a, b, -1);
      fm_add(c, cc, e, -1);
      int32_t cnt = M - (j - i) - 1;
      for (int32_t u = 0; u < cnt; u++) {
        int32_t q = j + 1 + u;
        fm_add(c, t[q + 1], t[q], 1);
        fm_add(c, t[q], t[q + 1], -1);
      }
    }
    d += fm_delta(c);
  }
  return d;
}

/* t := buf rotated so that node `first` is at position 0. */
static void rotate_into(pctx *c, int32_t first) {
  const int32_t M = c->M;
  int32_t z = 0;
  while (c->buf[z] != first) z++;
  for (int32_t p = 0; p < M; p++) c->t[p] = c->buf[(z + p) % M];
}

static void apply2(pctx *c, int32_t i, int32_t j, int outer) {
  const int32_t M = c->M;
  int32_t *t = c->t;
  if (!outer) {
    for (int32_t lo = i + 1, hi = j; lo < hi; lo++, hi--) {
      int32_t tmp = t[lo];
      t[lo] = t[hi];
      t[hi] = tmp;
    }
    return;
  }
  int32_t o = 0;
  for (int32_t p = i + 1; p <= j; p++) c->buf[o++] = t[p];
  int32_t cnt = M - (j - i);
  for (int32_t u = 0; u < cnt; u++) c->buf[o++] = t[i - u + M];
  rotate_into(c, t[0]);
}

/* Or-opt delta parts. The delta is grouped as
 *   base + move [+ rin]      base = X(p->nx) - (X(p->f) + X(l->nx))   (depends on i, L only)
 *                            move = X(x->f) + X(l->y) - X(x->y)         (forward)
 *                                 = X(x->l) + X(f->y) - X(x->y)         (reversed)
 *                            rin  = sum_u (X(b->a) - X(a->b)) over the segment's internal
 *                                   edges a->b (reversed, asymmetric only)
 * [+ FM part], so the local search can hoist base and rin out of its loop over r and still
 * get the same doubles as the annealer. */
static inline double or_base(const pctx *c, int32_t i, int32_t L) {
  const int32_t M = c->M;
  const double *X = c->X;
  const int32_t *t = c->t;
  int32_t p = t[i - 1 + M], f = t[i], l = t[i + L - 1], nx = t[i + L];
  return X[p * M + nx] - (X[p * M + f] + X[l * M + nx]);
}

static inline double or_rin(const pctx *c, int32_t i, int32_t L) {
  const int32_t M = c->M;
  const double *X = c->X;
  const int32_t *t = c->t;
  double rin = 0.0;
  for (int32_t u = 0; u < L - 1; u++) {
    int32_t a = t[i + u], b = t[i + u + 1];
    rin += X[b * M + a] - X[a * M + b];
  }
  return rin;
}

static double or_fm(pctx *c, int32_t i, int32_t L, int32_t r, int rev) {
  const int32_t M = c->M;
  const int32_t *t = c->t;
  int32_t p = t[i - 1 + M], f = t[i], l = t[i + L - 1], nx = t[i + L];
  int32_t xa = t[i + L + r], y = t[i + L + r + 1];
  fm_clear(c);
  fm_add(c, p, nx, 1);
  if (!rev) {
    fm_add(c, xa, f, 1);
    fm_add(c, l, y, 1);
  } else {
    fm_add(c, xa, l, 1);
    fm_add(c, f, y, 1);
  }
  fm_add(c, p, f, -1);
  fm_add(c, l, nx, -1);
  fm_add(c, xa, y, -1);
  if (rev && !c->sym) {
    for (int32_t u = 0; u < L - 1; u++) {
      int32_t a = t[i + u], b = t[i + u + 1];
      fm_add(c, b, a, 1);
      fm_add(c, a, b, -1);
    }
  }
  return fm_delta(c);
}

static double delta_or(pctx *c, int32_t i, int32_t L, int32_t r, int rev) {
  const int32_t M = c->M;
  const double *X = c->X;
  const int32_t *t = c->t;
  int32_t f = t[i], l = t[i + L - 1], xa = t[i + L + r], y = t[i + L + r + 1];
  double d = or_base(c, i, L);
  if (!rev) {
    d = d + (X[xa * M + f] + X[l * M + y] - X[xa * M + y]);
  } else {
    d = d + (X[xa * M + l] + X[f * M + y] - X[xa * M + y]);
    if (!c->sym) d += or_rin(c, i, L);
  }
  if (c->k > 0) d += or_fm(c, i, L, r, rev);
  return d;
}

static void apply_or(pctx *c, int32_t i, int32_t L, int32_t r, int rev) {
  const int32_t M = c->M;
  const int32_t *t = c->t;
  int32_t np = i + L, o = 0;
  for (int32_t u = 0; u <= r; u++) c->buf[o++] = t[np + u];
  if (!rev)
    for (int32_t u = 0; u < L; u++) c->buf[o++] = t[i + u];
  else
    for (int32_t u = L - 1; u >= 0; u--) c->buf[o++] = t[i + u];
  int32_t rest = M - L - r - 1;
  for (int32_t u = 0; u < rest; u++) c->buf[o++] = t[np + r + 1 + u];
  rotate_into(c, t[0]);
}

static int try_anchor(pctx *c, int32_t i) {
  const int32_t M = c->M;
  const double neps = -c->eps;
  if (!locked(c, i)) {
    for (int32_t j = i + 2; j < M; j++) {
      if (locked(c, j)) continue;
      int32_t span = j - i;
      if (!(c->sym && span == M - 1)) {
        if (delta2(c, i, j, 0) < neps) {
          apply2(c, i, j, 0);
          refresh(c);
          return 1;
        }
      }
      if (!c->sym && c->closed && span <= M - 2) {
        if (delta2(c, i, j, 1) < neps) {
          apply2(c, i, j, 1);
          refresh(c);
          return 1;
        }
      }
    }
  }
  for (int32_t L = 1; L <= 3; L++) {
    if (M - L - 2 < 0) break;
    if (!c->closed && (i < 1 || i + L - 1 > M - 1)) break;
    if (locked(c, (i - 1 + M) % M) || locked(c, (i + L - 1) % M)) continue;
    /* delta_or(i, L, r, rev) with base and rin hoisted (same doubles, see or_base) */
    const double *X = c->X;
    const int32_t *t = c->t;
    const int32_t f = t[i], l = t[i + L - 1];
    const double base = or_base(c, i, L);
    const double rin = (!c->sym && L >= 2) ? or_rin(c, i, L) : 0.0;
    for (int32_t r = 0; r <= M - L - 2; r++) {
      const int32_t q = i + L + r;
      if (locked(c, q >= M ? q - M : q)) continue;
      const int32_t xa = t[q], y = t[q + 1];
      const double xy = X[xa * M + y];
      double d = base + (X[xa * M + f] + X[l * M + y] - xy);
      if (c->k > 0) d += or_fm(c, i, L, r, 0);
      if (d < neps) {
        apply_or(c, i, L, r, 0);
        refresh(c);
        return 1;
      }
      if (L >= 2) {
        d = base + (X[xa * M + l] + X[f * M + y] - xy);
        if (!c->sym) d += rin;
        if (c->k > 0) d += or_fm(c, i, L, r, 1);
        if (d < neps) {
          apply_or(c, i, L, r, 1);
          refresh(c);
          return 1;
        }
      }
    }
  }
  return 0;
}

static void local_search(pctx *c) {
  const int32_t M = c->M;
  int32_t anchor = rint_n(c->rng, M);
  int32_t idle = 0;
  while (idle < M) {
    if (try_anchor(c, anchor)) {
      idle = 0;
    } else {
      idle++;
      anchor = anchor + 1 == M ? 0 : anchor + 1;
    }
  }
}

static void copy_i32(int32_t *restrict dst, const int32_t *restrict src, int32_t n) {
  for (int32_t i = 0; i < n; i++) dst[i] = src[i];
}

static void anneal(pctx *c, const double *betas, int32_t nbetas, int32_t moves_per_beta) {
  const int32_t M = c->M;
  uint32_t *rng = c->rng;
  double cur = cost_full(c);
  double best = cur;
  copy_i32(c->bt, c->t, M);
  for (int32_t bi = 0; bi < nbetas; bi++) {
    const double beta = betas[bi];
    for (int32_t it = 0; it < moves_per_beta; it++) {
      double d;
      int kind, flag = 0;
      int32_t i, j = 0, L = 0, r = 0;
      if (rint_n(rng, 2) == 0) {
        kind = 0;
        i = rint_n(rng, M);
        j = rint_n(rng, M);
        if (i > j) {
          int32_t tmp = i;
          i = j;
          j = tmp;
        }
        if (j - i < 2) continue;
        if (!c->sym && c->closed) flag = rint_n(rng, 2) == 1;
        if (flag) {
          if (j - i > M - 2) continue;
        } else if (c->sym && j - i == M - 1) {
          continue;
        }
        if (locked(c, i) || locked(c, j)) continue;
        d = delta2(c, i, j, flag);
      } else {
        kind = 1;
        L = 1 + rint_n(rng, 3);
        if (M - L - 2 < 0) continue;
        i = c->closed ? rint_n(rng, M) : 1 + rint_n(rng, M - L);
        r = rint_n(rng, M - L - 1);
        flag = L >= 2 ? rint_n(rng, 2) == 1 : 0;
        if (locked(c, (i - 1 + M) % M) || locked(c, (i + L - 1) % M) || locked(c, (i + L + r) % M)) continue;
        d = delta_or(c, i, L, r, flag);
      }
      if (d > 0.0) {
        double x = beta * d;
        if (x >= FM_EXP_CUT) continue;
        if (!(fm_uniform(rng) < fm_exp_neg(x))) continue;
      }
      if (kind == 0)
        apply2(c, i, j, flag);
      else
        apply_or(c, i, L, r, flag);
      refresh(c);
      cur += d;
      if (cur < best - c->eps) {
        best = cur;
        copy_i32(c->bt, c->t, M);
      }
    }
  }
  copy_i32(c->t, c->bt, M);
  refresh(c);
}

FM_EXPORT("fm_perm_search")
int32_t fm_perm_search(int32_t n, int32_t flags, int32_t fixed_start, int32_t fixed_end,
                       const double *W, int32_t k, const double *V,
                       const double *betas, int32_t nbetas, int32_t moves_per_beta,
                       int32_t nstarts, uint32_t seed,
                       int32_t *tours, double *costs, void *work) {
  pctx c;
  int open = (flags & 2) != 0;
  if ((flags & ~3) != 0 || k < 0 || nstarts < 0) return -1;
  if (open ? n < 2 : n < 3) return -1;
  c.n = n;
  c.M = open ? n + 1 : n;
  c.k = k;
  c.sym = flags & 1;
  c.closed = !open;
  c.lock0 = open && fixed_start >= 0;
  c.lock_last = open && fixed_end >= 0;
  c.V = V;
  layout(&c, (uint8_t *)work);
  setup(&c, W);
  const int32_t M = c.M;
  for (int32_t r = 0; r < nstarts; r++) {
    int32_t *out = tours + (size_t)r * (size_t)n;
    fm_seed_read(c.rng, seed, (uint32_t)r);
    if (open) {
      c.t[0] = n;
      for (int32_t p = 0; p < n; p++) c.t[p + 1] = out[p];
    } else {
      for (int32_t p = 0; p < n; p++) c.t[p] = out[p];
    }
    refresh(&c);
    if (nbetas > 0 && moves_per_beta > 0) anneal(&c, betas, nbetas, moves_per_beta);
    local_search(&c);
    costs[r] = cost_full(&c);
    if (open) {
      for (int32_t p = 0; p < n; p++) out[p] = c.t[p + 1];
    } else {
      int32_t z = 0;
      while (c.t[z] != 0) z++;
      for (int32_t p = 0; p < M; p++) out[p] = c.t[(z + p) % M];
    }
  }
  return nstarts;
}
