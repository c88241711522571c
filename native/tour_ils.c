/*
 * Tour search at scale: iterated local search (ILS) on a cost matrix, with moves restricted to
 * candidate neighbour lists and driven by a queue of active cities (don't-look bits). Used by
 * the `edge` method (src/methods/edge/) on a sampled cost matrix from N = 5 to N = 5000, where
 * the full-neighbourhood search of perm.c (O(N^2) deltas per sweep) is too slow. TypeScript
 * mirror, bit for bit: src/anneal/tour-ils-reference.ts; typed wrapper: src/anneal/tour-ils.ts.
 *
 * ## Tours as cycles of M nodes
 *
 * A closed tour over n cities is a cycle of M = n nodes. An open path (flags bit 1) is a cycle
 * of M = n + 1 nodes with a dummy node D = n: W(D, x) = W(x, D) = 0, so a cycle's cost is the
 * path's cost. A fixed first city s locks the edge D -> s, a fixed last city e locks e -> D; no
 * move removes a locked edge (with a symmetric matrix, flags bit 0, locks hold in either
 * direction, since a reversal may turn the cycle around). Cost(cycle) = sum of w(a, b) over its
 * edges a -> b, w(a, b) = W[a*n+b] for cities, 0 when a or b is D.
 *
 * ## Moves (every move is found from a city `a` taken off the queue and a candidate `c` of a)
 *
 * succ(x), pred(x): the next and previous node on the cycle; pos[x] its position in t[].
 *
 * 2-opt, adding a -> c: remove a -> b, c -> d (b = succ a, d = succ c), add a -> c, b -> d and
 *   reverse the path b..c. With an asymmetric matrix the reversed path's edges change direction:
 *   + sum over its edges x -> y of (w(y, x) - w(x, y)), read in O(1) from prefix sums over the
 *   cycle (fw[p] = sum_{q<p} w(t_q, t_q+1), bk[p] = sum_{q<p} w(t_q+1, t_q)).
 * 2-opt, adding c -> a: remove p -> a, q -> c (p = pred a, q = pred c), add c -> a, q -> p and
 *   reverse the path c..p (the mirror image: with a symmetric matrix, the same family).
 * Or-opt, segment of L = 1..3 nodes starting at a (first f = a, last l) or ending at a (l = a),
 *   with p = pred f, nx = succ l, moved between the nodes of a cycle edge x -> y outside it:
 *     forward  x -> f..l -> y,  reversed  x -> l..f -> y (+ the reversal term when asymmetric);
 *   removes p -> f, l -> nx, x -> y; adds p -> nx. The edge x -> y is chosen so that a becomes
 *   adjacent to c: segment starting at a: (x, y) = (c, succ c) forward, (pred c, c) reversed;
 *   segment ending at a: (pred c, c) forward, (c, succ c) reversed.
 * With an asymmetric matrix and a fixed end, no reversal may hold the dummy node (it would turn
 * a locked edge around). flags bit 2 ("no reversals") drops every move that reverses a path
 * (both 2-opt moves and reversed Or-opt): with asymmetric costs a reversal changes the direction
 * of a whole stretch, far from a small step.
 * A move is applied when its delta is < -eps, eps = 1e-12 * M * max|W| (rounding in a delta
 * stays far below it, so no cycling). Moves are tried in the order above, candidates in list
 * order, and the FIRST improving one is applied; then the endpoints of every removed edge go
 * back on the queue, and `a` is tried again. A city whose moves all fail leaves the queue.
 * Applying a move rebuilds the order t[], pos[] and the prefix sums: O(M).
 *
 * ## Iterated local search
 *
 * local search from the start (queue: every node, in order; then full passes over every node until
 * one applies no move, so the start's result is a local optimum of the whole candidate
 * neighbourhood; with max_moves > 0 it stops after that many applied moves instead: a "trust
 * region" of at most max_moves moves around the start) -> current = best. Then `kicks`
 * times: a segment swap ("double bridge": ... u | S1 | S2 | v ... -> ... u | S2 | S1 | v ...,
 * three edges changed) at a random place, S1 and S2 of 1..kick_len nodes each, none of the three
 * removed edges locked (otherwise the kick is redrawn, at most 8 times); local search from the
 * six endpoints (queue only: don't-look bits, no full pass); if the result is better than the best by more than eps it becomes the best,
 * if it is no worse it becomes the current tour, otherwise the current tour returns to the best.
 * Every local optimum reached (the start's and every kick's) is offered to the pool: the
 * `pool` cheapest distinct cycles seen (distinct by a hash of the edge set), returned sorted
 * by exact cost, closed tours rotated so that city 0 comes first, open paths as the n cities
 * after D, a symmetric path read from its fixed start (or towards its fixed end).
 *
 * Random numbers: one xoshiro128** stream from fm_seed_read(seed, 0); int(k) = floor(u32 k / 2^32).
 * The deadline (ms on the fm_now_ms clock; +infinity: none) is checked every 16 kicks: the
 * search stops early and returns what it has.
 *
 * Buffers (all owned by the caller):
 *   W      [n*n] f64            read (diagonal never read)
 *   cand   [M*K] i32            read: candidate nodes of each node (0..M-1, -1 = none), M = n or n+1
 *   start  [n] i32              read: a valid tour (closed: a permutation; open: a path with the
 *                               fixed ends in place); the caller validates
 *   tours  [pool*n] i32         overwritten: the pool's tours, cheapest first (pool <= 64)
 *   costs  [pool] f64           overwritten: their exact costs
 *   work   fm_tour_ils_work_bytes(n, flags, pool) bytes, 8-byte aligned: scratch, overwritten
 * flags: bit 0 = W symmetric (the caller checks), bit 1 = open path, bit 2 = no reversals.
 * Returns the number of tours written (1..pool), or -1 if the arguments are inconsistent.
 */
#include "fmanneal.h"

typedef struct {
  int32_t n, M, K, sym, open, fs, fe, norev;
  const double *W;
  const int32_t *cand;
  int32_t *t, *pos, *buf, *queue, *bt;
  uint8_t *inq;
  double *fw, *bk;
  int32_t qhead, qlen;
  int32_t budget; /* moves the start's local search may still apply; -1: unlimited */
  double eps;
  uint32_t rng[4];
  /* pool */
  int32_t pool, pcount;
  int32_t *ptours; /* pool * M, node orders (rotated as stored: raw cycles) */
  double *pcost;
  uint32_t *phash;
} ictx;

static size_t al8(size_t b) { return (b + 7u) & ~(size_t)7u; }

FM_EXPORT("fm_tour_ils_work_bytes")
int32_t fm_tour_ils_work_bytes(int32_t n, int32_t flags, int32_t pool) {
  size_t M = (size_t)((flags & 2) ? n + 1 : n);
  size_t P = (size_t)(pool > 0 ? pool : 1);
  size_t b = 0;
  b += al8(4 * M) * 5;          /* t, pos, buf, queue, bt */
  b += al8(M);                  /* inq */
  b += al8(8 * (M + 1)) * 2;    /* fw, bk */
  b += al8(4 * M * P);          /* pool tours */
  b += al8(8 * P) + al8(4 * P); /* pool costs, hashes */
  return (int32_t)b;
}

static inline double wt(const ictx *c, int32_t a, int32_t b) {
  if (a >= c->n || b >= c->n) return 0.0;
  return c->W[(size_t)a * (size_t)c->n + (size_t)b];
}

static inline int32_t rint_k(uint32_t *s, int32_t k) {
  return (int32_t)(((uint64_t)fm_next(s) * (uint64_t)(uint32_t)k) >> 32);
}

static inline int32_t succ(const ictx *c, int32_t x) {
  int32_t p = c->pos[x] + 1;
  return c->t[p == c->M ? 0 : p];
}
static inline int32_t pred(const ictx *c, int32_t x) {
  int32_t p = c->pos[x];
  return c->t[p == 0 ? c->M - 1 : p - 1];
}

/* Is the cycle edge a -> b locked (open paths with fixed ends)? */
static inline int locked(const ictx *c, int32_t a, int32_t b) {
  if (!c->open) return 0;
  const int32_t D = c->n;
  if (c->fs >= 0 && ((a == D && b == c->fs) || (c->sym && a == c->fs && b == D))) return 1;
  if (c->fe >= 0 && ((a == c->fe && b == D) || (c->sym && a == D && b == c->fe))) return 1;
  return 0;
}

/* Asymmetric open paths with a fixed end: would reversing the cycle path from position i to
 * position j (cyclic, inclusive) turn a locked edge around? Conservatively: does it hold D? */
static inline int reversal_blocked(const ictx *c, int32_t i, int32_t j) {
  if (!c->open || c->sym || (c->fs < 0 && c->fe < 0)) return 0;
  int32_t d = c->pos[c->n] - i, len = j - i;
  if (d < 0) d += c->M;
  if (len < 0) len += c->M;
  return d <= len;
}

/* After t[] changed: pos[] and (asymmetric) the prefix sums. */
static void rebuild(ictx *c) {
  const int32_t M = c->M;
  for (int32_t p = 0; p < M; p++) c->pos[c->t[p]] = p;
  if (!c->sym) {
    c->fw[0] = 0.0;
    c->bk[0] = 0.0;
    for (int32_t p = 0; p < M; p++) {
      int32_t a = c->t[p], b = c->t[p + 1 == M ? 0 : p + 1];
      c->fw[p + 1] = c->fw[p] + wt(c, a, b);
      c->bk[p + 1] = c->bk[p] + wt(c, b, a);
    }
  }
}

/* Sum over the cycle edges t_p -> t_{p+1}, p = i .. j-1 (cyclic, i == j: none), of
 * w(reversed) - w(forward): the change when the path t_i..t_j is reversed. */
static inline double rev_term(const ictx *c, int32_t i, int32_t j) {
  if (c->sym) return 0.0;
  double f, b;
  if (i <= j) {
    f = c->fw[j] - c->fw[i];
    b = c->bk[j] - c->bk[i];
  } else {
    f = (c->fw[c->M] - c->fw[i]) + c->fw[j];
    b = (c->bk[c->M] - c->bk[i]) + c->bk[j];
  }
  return b - f;
}

static double cycle_cost(const ictx *c, const int32_t *t) {
  double s = 0.0;
  for (int32_t p = 0; p < c->M; p++) s += wt(c, t[p], t[p + 1 == c->M ? 0 : p + 1]);
  return s;
}

static inline void push(ictx *c, int32_t x) {
  if (c->inq[x]) return;
  c->inq[x] = 1;
  int32_t at = c->qhead + c->qlen;
  if (at >= c->M) at -= c->M;
  c->queue[at] = x;
  c->qlen++;
}

/* Reverse the cycle path from node u to node v (following succ), in place. */
static void reverse_path(ictx *c, int32_t u, int32_t v) {
  const int32_t M = c->M;
  int32_t i = c->pos[u], j = c->pos[v];
  int32_t len = j - i;
  if (len < 0) len += M;
  len += 1;
  for (int32_t s = 0; s < len / 2; s++) {
    int32_t a = c->t[i], b = c->t[j];
    c->t[i] = b;
    c->t[j] = a;
    i = i + 1 == M ? 0 : i + 1;
    j = j == 0 ? M - 1 : j - 1;
  }
  rebuild(c);
}

/* 2-opt adding a -> c (see the header): b = succ a, d = succ c. */
static int try_2opt_succ(ictx *c, int32_t a, int32_t cc) {
  int32_t b = succ(c, a), d = succ(c, cc);
  if (cc == b || cc == a || (d == a && c->sym)) return 0;
  if (locked(c, a, b) || locked(c, cc, d) || reversal_blocked(c, c->pos[b], c->pos[cc])) return 0;
  double delta = wt(c, a, cc) + wt(c, b, d) - wt(c, a, b) - wt(c, cc, d);
  if (!c->sym) delta += rev_term(c, c->pos[b], c->pos[cc]);
  if (!(delta < -c->eps)) return 0;
  reverse_path(c, b, cc);
  push(c, a); push(c, b); push(c, cc); push(c, d);
  return 1;
}

/* 2-opt adding c -> a: p = pred a, q = pred c; reverse c..p, add c -> a and q -> p. */
static int try_2opt_pred(ictx *c, int32_t a, int32_t cc) {
  int32_t p = pred(c, a), q = pred(c, cc);
  if (cc == p || cc == a || (q == a && c->sym)) return 0;
  if (locked(c, p, a) || locked(c, q, cc) || reversal_blocked(c, c->pos[cc], c->pos[p])) return 0;
  double delta = wt(c, cc, a) + wt(c, q, p) - wt(c, p, a) - wt(c, q, cc);
  if (!c->sym) delta += rev_term(c, c->pos[cc], c->pos[p]);
  if (!(delta < -c->eps)) return 0;
  reverse_path(c, cc, p);
  push(c, a); push(c, p); push(c, cc); push(c, q);
  return 1;
}

/* Move the segment f..l (L nodes, following succ) between x and y = succ x, forward or reversed. */
static void apply_or(ictx *c, int32_t f, int32_t l, int32_t L, int32_t x, int rev) {
  const int32_t M = c->M;
  int32_t o = 0;
  int32_t nx = succ(c, l);
  /* walk from nx to x (inclusive), then the segment, then from succ(x) on to pred(f) */
  int32_t p = c->pos[nx];
  for (;;) {
    int32_t node = c->t[p];
    c->buf[o++] = node;
    if (node == x) break;
    p = p + 1 == M ? 0 : p + 1;
  }
  int32_t fp = c->pos[f];
  if (!rev) {
    for (int32_t u = 0; u < L; u++) {
      int32_t q = fp + u;
      c->buf[o++] = c->t[q >= M ? q - M : q];
    }
  } else {
    for (int32_t u = L - 1; u >= 0; u--) {
      int32_t q = fp + u;
      c->buf[o++] = c->t[q >= M ? q - M : q];
    }
  }
  p = c->pos[x] + 1 == M ? 0 : c->pos[x] + 1;
  while (o < M) {
    c->buf[o++] = c->t[p];
    p = p + 1 == M ? 0 : p + 1;
  }
  for (int32_t i = 0; i < M; i++) c->t[i] = c->buf[i];
  rebuild(c);
}

/* Or-opt of the segment f..l (L nodes) to the cycle edge x -> succ x, forward or reversed. */
static int try_or(ictx *c, int32_t f, int32_t l, int32_t L, int32_t x, int rev) {
  const int32_t M = c->M;
  if (L > M - 3) return 0;
  int32_t y = succ(c, x);
  /* x and y must lie outside the segment */
  int32_t fp = c->pos[f];
  int32_t dx = c->pos[x] - fp;
  if (dx < 0) dx += M;
  int32_t dy = c->pos[y] - fp;
  if (dy < 0) dy += M;
  if (dx < L || dy < L) return 0;
  int32_t p = pred(c, f), nx = succ(c, l);
  if (x == p) return 0; /* y would be f: excluded above; kept for clarity */
  if (locked(c, p, f) || locked(c, l, nx) || locked(c, x, y)) return 0;
  if (rev && L >= 2 && reversal_blocked(c, fp, c->pos[l])) return 0;
  double delta = wt(c, p, nx) - wt(c, p, f) - wt(c, l, nx) - wt(c, x, y);
  if (!rev) {
    delta += wt(c, x, f) + wt(c, l, y);
  } else {
    delta += wt(c, x, l) + wt(c, f, y);
    if (!c->sym && L >= 2) delta += rev_term(c, c->pos[f], c->pos[l]);
  }
  if (!(delta < -c->eps)) return 0;
  apply_or(c, f, l, L, x, rev);
  push(c, p); push(c, nx); push(c, f); push(c, l); push(c, x); push(c, y);
  return 1;
}

/* Every move from node a (see the header); 1 if one was applied. */
static int improve_from(ictx *c, int32_t a) {
  const int32_t K = c->K, M = c->M;
  const int32_t *cl = c->cand + (size_t)a * (size_t)K;
  for (int32_t k = 0; k < K && !c->norev; k++) {
    int32_t cc = cl[k];
    if (cc < 0 || cc >= M || cc == a) continue;
    if (try_2opt_succ(c, a, cc)) return 1;
    if (try_2opt_pred(c, a, cc)) return 1;
  }
  for (int32_t L = 1; L <= 3; L++) {
    if (L > M - 3) break;
    /* segment starting at a */
    int32_t l = a;
    for (int32_t u = 1; u < L; u++) l = succ(c, l);
    /* segment ending at a */
    int32_t f2 = a;
    for (int32_t u = 1; u < L; u++) f2 = pred(c, f2);
    for (int32_t k = 0; k < K; k++) {
      int32_t cc = cl[k];
      if (cc < 0 || cc >= M || cc == a) continue;
      if (try_or(c, a, l, L, cc, 0)) return 1;                 /* cc -> a .. l -> succ cc */
      if (L >= 2 && !c->norev && try_or(c, a, l, L, pred(c, cc), 1)) return 1; /* pred cc -> l .. a -> cc */
      if (L >= 2) {
        if (try_or(c, f2, a, L, pred(c, cc), 0)) return 1;      /* pred cc -> f2 .. a -> cc */
        if (!c->norev && try_or(c, f2, a, L, cc, 1)) return 1;  /* cc -> a .. f2 -> succ cc */
      } else {
        if (try_or(c, a, a, 1, pred(c, cc), 0)) return 1;       /* pred cc -> a -> cc */
      }
    }
  }
  return 0;
}

/* Run the queue dry; returns the number of moves applied. */
static int32_t drain(ictx *c) {
  int32_t moves = 0;
  while (c->qlen > 0 && c->budget != 0) {
    int32_t a = c->queue[c->qhead];
    c->qhead = c->qhead + 1 == c->M ? 0 : c->qhead + 1;
    c->qlen--;
    c->inq[a] = 0;
    if (improve_from(c, a)) {
      moves++;
      if (c->budget > 0) c->budget--;
      push(c, a);
    }
  }
  return moves;
}

/* Local search from the queued nodes. With `complete`, passes over every node (in tour order)
 * are repeated until one applies no move: the result is then a local optimum of the whole
 * candidate neighbourhood, not only of the queued nodes. */
static void local_search(ictx *c, int complete) {
  drain(c);
  while (complete && c->budget != 0) {
    for (int32_t p = 0; p < c->M; p++) push(c, c->t[p]);
    if (drain(c) == 0) break;
  }
}

/* Order-independent hash of the cycle's edge set (undirected when symmetric). */
static uint32_t cycle_hash(const ictx *c, const int32_t *t) {
  uint32_t h = 0;
  const uint32_t M = (uint32_t)c->M;
  for (int32_t p = 0; p < c->M; p++) {
    uint32_t a = (uint32_t)t[p], b = (uint32_t)t[p + 1 == c->M ? 0 : p + 1];
    if (c->sym && a > b) {
      uint32_t tmp = a;
      a = b;
      b = tmp;
    }
    h += fm_mix32(a * M + b + 0x9e3779b9u);
  }
  return h;
}

/* Offer the current cycle (cost `cost`) to the pool of the cheapest distinct cycles. */
static void offer(ictx *c, double cost) {
  const int32_t M = c->M;
  uint32_t h = cycle_hash(c, c->t);
  for (int32_t i = 0; i < c->pcount; i++)
    if (c->phash[i] == h) return;
  int32_t slot;
  if (c->pcount < c->pool) {
    slot = c->pcount++;
  } else {
    slot = 0;
    for (int32_t i = 1; i < c->pcount; i++)
      if (c->pcost[i] > c->pcost[slot]) slot = i;
    if (!(cost < c->pcost[slot])) return;
  }
  c->pcost[slot] = cost;
  c->phash[slot] = h;
  int32_t *dst = c->ptours + (size_t)slot * (size_t)M;
  for (int32_t i = 0; i < M; i++) dst[i] = c->t[i];
}

/* Segment swap at a random place; 0 if no legal place was drawn. Queues the six endpoints. */
static int kick(ictx *c, int32_t kick_len) {
  const int32_t M = c->M;
  if (M < 8) return 0;
  int32_t maxl = kick_len < (M - 2) / 2 ? kick_len : (M - 2) / 2;
  if (maxl < 1) return 0;
  for (int32_t attempt = 0; attempt < 8; attempt++) {
    int32_t s = rint_k(c->rng, M);
    int32_t l1 = 1 + rint_k(c->rng, maxl), l2 = 1 + rint_k(c->rng, maxl);
    int32_t u = c->t[s];
    int32_t p1 = s + 1 >= M ? s + 1 - M : s + 1;
    int32_t e1 = p1 + l1 - 1;
    e1 = e1 >= M ? e1 - M : e1;
    int32_t p2 = e1 + 1 >= M ? e1 + 1 - M : e1 + 1;
    int32_t e2 = p2 + l2 - 1;
    e2 = e2 >= M ? e2 - M : e2;
    int32_t pv = e2 + 1 >= M ? e2 + 1 - M : e2 + 1;
    int32_t a1 = c->t[p1], b1 = c->t[e1], a2 = c->t[p2], b2 = c->t[e2], v = c->t[pv];
    if (locked(c, u, a1) || locked(c, b1, a2) || locked(c, b2, v)) continue;
    /* new order from v: v ... u, S2, S1 */
    int32_t o = 0, p = pv;
    for (int32_t i = 0; i < M - l1 - l2; i++) {
      c->buf[o++] = c->t[p];
      p = p + 1 == M ? 0 : p + 1;
    }
    for (int32_t i = 0; i < l2; i++) {
      int32_t q = p2 + i;
      c->buf[o++] = c->t[q >= M ? q - M : q];
    }
    for (int32_t i = 0; i < l1; i++) {
      int32_t q = p1 + i;
      c->buf[o++] = c->t[q >= M ? q - M : q];
    }
    for (int32_t i = 0; i < M; i++) c->t[i] = c->buf[i];
    rebuild(c);
    push(c, u); push(c, a1); push(c, b1); push(c, a2); push(c, b2); push(c, v);
    return 1;
  }
  return 0;
}

/* Write cycle t (M nodes) as an n-city tour: closed rotated to city 0; open from after D. */
static void write_tour(const ictx *c, const int32_t *t, int32_t *out) {
  const int32_t M = c->M, n = c->n;
  if (!c->open) {
    int32_t z = 0;
    while (t[z] != 0) z++;
    for (int32_t p = 0; p < n; p++) {
      int32_t q = z + p;
      out[p] = t[q >= M ? q - M : q];
    }
    return;
  }
  int32_t z = 0;
  while (t[z] != n) z++;
  int forward = 1;
  if (c->sym) {
    int32_t after = t[z + 1 >= M ? z + 1 - M : z + 1];
    int32_t before = t[z == 0 ? M - 1 : z - 1];
    if (c->fs >= 0) forward = after == c->fs;
    else if (c->fe >= 0) forward = before == c->fe;
  }
  for (int32_t p = 0; p < n; p++) {
    int32_t q = forward ? z + 1 + p : z - 1 - p;
    q %= M;
    if (q < 0) q += M;
    out[p] = t[q];
  }
}

FM_EXPORT("fm_tour_ils")
int32_t fm_tour_ils(int32_t n, int32_t flags, int32_t fixed_start, int32_t fixed_end,
                    const double *W, const int32_t *cand, int32_t K,
                    int32_t kicks, int32_t kick_len, int32_t max_moves, uint32_t seed, double deadline,
                    const int32_t *start, int32_t pool, int32_t *tours, double *costs, void *work) {
  ictx c;
  const int open = (flags & 2) != 0;
  if ((flags & ~7) != 0 || K < 0 || kicks < 0 || pool < 1 || pool > 64 || kick_len < 1) return -1;
  if (open ? n < 2 : n < 3) return -1;
  c.n = n;
  c.M = open ? n + 1 : n;
  c.K = K;
  c.sym = flags & 1;
  c.open = open;
  c.norev = (flags & 4) != 0;
  c.fs = open ? fixed_start : -1;
  c.fe = open ? fixed_end : -1;
  c.W = W;
  c.cand = cand;
  c.pool = pool;
  c.pcount = 0;
  const int32_t M = c.M;
  uint8_t *w = (uint8_t *)work;
  c.t = (int32_t *)w; w += al8(4 * (size_t)M);
  c.pos = (int32_t *)w; w += al8(4 * (size_t)M);
  c.buf = (int32_t *)w; w += al8(4 * (size_t)M);
  c.queue = (int32_t *)w; w += al8(4 * (size_t)M);
  c.bt = (int32_t *)w; w += al8(4 * (size_t)M);
  c.inq = w; w += al8((size_t)M);
  c.fw = (double *)w; w += al8(8 * ((size_t)M + 1));
  c.bk = (double *)w; w += al8(8 * ((size_t)M + 1));
  c.ptours = (int32_t *)w; w += al8(4 * (size_t)M * (size_t)pool);
  c.pcost = (double *)w; w += al8(8 * (size_t)pool);
  c.phash = (uint32_t *)w;

  double maxw = 0.0;
  for (int32_t a = 0; a < n; a++)
    for (int32_t b = 0; b < n; b++) {
      if (a == b) continue;
      double x = W[(size_t)a * (size_t)n + (size_t)b];
      if (x < 0) x = -x;
      if (x > maxw) maxw = x;
    }
  c.eps = 1e-12 * (double)M * maxw;
  fm_seed_read(c.rng, seed, 0u);

  if (open) {
    c.t[0] = n;
    for (int32_t p = 0; p < n; p++) c.t[p + 1] = start[p];
  } else {
    for (int32_t p = 0; p < n; p++) c.t[p] = start[p];
  }
  rebuild(&c);
  c.qhead = 0;
  c.qlen = 0;
  for (int32_t x = 0; x < M; x++) c.inq[x] = 0;
  for (int32_t p = 0; p < M; p++) push(&c, c.t[p]);
  c.budget = max_moves > 0 ? max_moves : -1;
  local_search(&c, 1);
  c.budget = -1;
  double cur = cycle_cost(&c, c.t);
  double best = cur;
  for (int32_t i = 0; i < M; i++) c.bt[i] = c.t[i];
  offer(&c, cur);

  for (int32_t k = 0; k < kicks; k++) {
    if ((k & 15) == 15 && deadline < 1e300 && fm_now_ms() >= deadline) break;
    if (!kick(&c, kick_len)) break;
    local_search(&c, 0);
    double cost = cycle_cost(&c, c.t);
    offer(&c, cost);
    if (cost < best - c.eps) {
      best = cost;
      for (int32_t i = 0; i < M; i++) c.bt[i] = c.t[i];
    } else if (!(cost <= best + c.eps)) {
      for (int32_t i = 0; i < M; i++) c.t[i] = c.bt[i];
      rebuild(&c);
    }
  }

  /* pool, cheapest first (insertion sort by exact cost, ties by slot) */
  int32_t order[64];
  int32_t cnt = c.pcount < 64 ? c.pcount : 64;
  for (int32_t i = 0; i < cnt; i++) order[i] = i;
  for (int32_t i = 1; i < cnt; i++) {
    int32_t x = order[i], j = i - 1;
    while (j >= 0 && c.pcost[order[j]] > c.pcost[x]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  for (int32_t i = 0; i < cnt; i++) {
    const int32_t *src = c.ptours + (size_t)order[i] * (size_t)M;
    write_tour(&c, src, tours + (size_t)i * (size_t)n);
    costs[i] = cycle_cost(&c, src);
  }
  return cnt;
}
