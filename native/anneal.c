/*
 * Single-flip Metropolis simulated annealing on QUBOs, three problem layouts:
 *
 *   E(x) = sum_i lin_i x_i + sum_{i<j} Q_ij x_i x_j,   x in {0,1}^n   (the constant offset is
 *   the caller's business: the kernel neither sees nor adds it).
 *
 *   dense       J: n*n row-major, SYMMETRIC, zero diagonal, J[i*n+j] = J[j*n+i] = Q_ij, and
 *               J32, the same matrix rounded to single precision. (TypeScript converts
 *               triangular, x^T M x or sparse input to both once per call.) The sweeps anneal the
 *               problem with couplings J32 and local fields h in single precision: an accepted
 *               flip streams one row of n floats and updates n floats, four per f32x4 add (with
 *               double fields, the previous layout, each 8 elements cost 4 widening conversions
 *               and four 2-lane adds; measured against double fields, same problem and
 *               schedule: n = 200 1.12x, n = 1000 1.44x, n = 2000 1.53x faster).
 *               Reported energies are exact, from J (see exact_energy()); the annealer's own view
 *               differs by the rounding of the couplings (<= 2^-24 relative each) and of the
 *               field updates (each rounded to single precision; a field accumulates at most
 *               one rounding per accepted flip of a neighbour, and is rebuilt at every read).
 *   sparse      CSR: row i lists each neighbour j != i once per coupling, with value Q_ij;
 *               every coupling appears in row i and in row j. Duplicates add up. val32 is val
 *               rounded to single precision; the sweeps keep single-precision fields as dense.
 *   factorized  Q_ij = <v_i, v_j>, V n*k row-major (v_i = V[i*k .. i*k+k)); never n*n. V32 is V
 *               rounded to single precision; the sweeps keep the sums s (below) in single
 *               precision and take <v_i, s> from V32 (one f32x4 multiply and add per four
 *               factors instead of two f64x2; measured against double sums, same problem and
 *               schedule, interleaved CPU time: n = 1000 k = 8 1.04-1.06x, k = 16 1.12x,
 *               n = 120 k = 8 1.08x faster), reported energies come from V.
 *
 * Local fields. Flipping x_i changes the energy by
 *   dE_i = (1 - 2 x_i) h_i,   h_i = lin_i + sum_{j != i} Q_ij x_j,
 * so with h cached a flip attempt is O(1) (dense, sparse). An accepted flip of i changes
 * h_j by (1 - 2 x_i_old) Q_ij for every j: O(n) for dense (one contiguous row of J, which is
 * why J is stored symmetric and full), O(degree) for sparse.
 *
 * Factorized. Keep s_f = sum_j v_jf x_j (k numbers). Then
 *   sum_{j != i} Q_ij x_j = sum_{j != i} sum_f v_if v_jf x_j = <v_i, s> - x_i |v_i|^2,
 * hence dE_i = (1 - 2 x_i) (lin_i - x_i |v_i|^2 + <v_i, s>): O(k) per attempt, one dot product,
 * with the caller's lin1_i = lin_i - |v_i|^2 standing in for lin_i when x_i = 1; an accepted
 * flip adds (1 - 2 x_i_old) v_i to s: O(k). Exact energy in O(nk):
 *   sum_{i<j} <v_i,v_j> x_i x_j = 1/2 (sum_f s_f^2 - sum_i x_i |v_i|^2).
 *
 * Algorithm (identical in src/anneal/reference.ts, bit for bit):
 *   for each read r: seed the read's generator (fm_seed_read(seed, r)); the initial state is
 *   either given (states[r*n..]) or drawn (x_i = top bit of one draw, i = 0..n-1); compute the
 *   cached fields and the exact energy; best := initial.
 *   Sweep t = 0..sweeps-1 uses beta = betas[min(t / sweeps_per_beta, nbetas - 1)] and visits
 *   the variables SEQUENTIALLY, i = 0..n-1 (cache friendly, no index draws). Each attempt:
 *   dE <= 0 -> accept; else x = beta*dE; x >= FM_EXP_CUT -> reject; else draw u in [0,1) and
 *   accept iff u < fm_exp_neg_fast(x) (decided by fm_accept, mostly without the exponential;
 *   the TypeScript mirror compares with the exponential directly, so the bit-identity tests
 *   also check that shortcut). The tracked energy moves by dE on each accepted flip.
 *   After each sweep, if the tracked energy is below the best so far, the state is copied to
 *   best ("best seen" is therefore the best state at sweep boundaries, including the initial
 *   state). When a read ends, the energies of its final and best states are recomputed
 *   exactly from scratch (no drift from the incremental updates).
 *
 * Frozen sweeps. A sweep at beta that draws no number and accepts no flip has rejected every
 * attempt by the cut-off (dE > 0 and beta*dE >= FM_EXP_CUT for every i, the state fixed
 * throughout). The state, fields, energy and generator are then exactly as before, and a sweep
 * at any beta' >= beta would do the same (beta'*dE >= beta*dE: IEEE multiplication is
 * monotone), so the driver skips such sweeps without touching the state until the schedule
 * offers a beta below the frozen one. Skipping changes no result, bit for bit; it saves the
 * cold tail of a schedule whose cold end is colder than the problem needs (the default range
 * of an FM QUBO: ~half its sweeps). Skipped sweeps do not count as attempts. The frozen
 * beta is kept in track[3], so how a run is split into calls changes neither its result nor
 * its attempts.
 *
 * Resumable calls. A call works until all reads finish, or until it has done max_attempts
 * flip attempts (checked between sweeps; at least one sweep per call), or until the clock
 * passes `deadline` (checked between sweeps, at most every FM_CHECK_STRIDE attempts; the
 * first sweep of every call checks). The whole read state lives in caller memory (states,
 * best, fields/sums, rng, cursor, track), so the next call resumes exactly where this one
 * stopped and the result does not depend on how the work is split into calls.
 *
 * V8 tiers. V8 first runs wasm in its baseline compiler (Liftoff, about half the speed here)
 * and swaps in optimised TurboFan code, compiled in the background, only for calls made after
 * it is ready. Two things make the optimised code run early: each sweep is its own
 * (noinline) function, called once per sweep, so the swap happens a few sweeps into even the
 * first call (measured on G1, fresh process, 2 reads x 1000 sweeps: first call 14-17e6
 * attempts/s vs 18-23e6 steady; with the sweeps inlined into one long call: 7-9e6); and the
 * host splits long anneals into calls of ~1e5 attempts, so run() itself is re-entered.
 *
 * Common buffers of the three exported functions (all owned by the caller):
 *   betas     [nbetas] f64                  read
 *   states    [reads*n] u8 (0/1)            read (initial states, when random_init == 0) and
 *                                           overwritten: working state, then the final state
 *   best      [reads*n] u8                  overwritten: best state seen in each read
 *   energies  [2*reads] f64                 overwritten for finished reads:
 *                                           [2r] final energy, [2r+1] best energy (exact)
 *   rng       [4] u32                       overwritten: generator state of the current read
 *   cursor    [4] i32                       read and overwritten:
 *                                           [0] next read, [1] next sweep in that read,
 *                                           [2] 1 when that read has been started,
 *                                           [3] set to 1 when the deadline stopped a call.
 *                                           Start a run with all four zero.
 *   track     [4] f64                       read and overwritten: [0] tracked energy, [1] best
 *                                           energy, [2] flip attempts executed so far (frozen
 *                                           sweeps skipped do not count), [3] the beta at which
 *                                           the current read froze (0: not frozen; a frozen
 *                                           beta is always > 0). Start a run with all zero.
 * Return value: the number of finished reads (cursor[0]).
 */
#include "fmanneal.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

enum { FORM_DENSE = 0, FORM_SPARSE = 1, FORM_FACTORIZED = 2 };

typedef struct {
  int form;
  int32_t n, k;
  const double *lin;
  const double *J;        /* dense: exact couplings (energies) */
  const float *J32;       /* dense: rounded couplings (sweeps, fields) */
  const int32_t *row_ptr; /* sparse */
  const int32_t *col;
  const double *val;      /* sparse: exact couplings (energies) */
  const float *val32;     /* sparse: rounded couplings (sweeps, fields) */
  const double *V;        /* factorized: exact factors (energies) */
  const float *V32;       /* factorized: V rounded to single precision (sweeps, sums) */
  const double *lin1;     /* factorized: lin_i - |v_i|^2, the field offset of a variable at 1 */
  float *fields;          /* the sweeps' state in single precision: dense/sparse the local fields
                             h[n], factorized the sums s[k] */
  double *scratch;        /* exact energies: dense/sparse the fields [n], factorized the sums [k] */
} problem;

static void copy_bytes(uint8_t *restrict dst, const uint8_t *restrict src, int32_t n) {
  for (int32_t i = 0; i < n; i++) dst[i] = src[i];
}

/* h[j] += row[j], j = 0..n-1 (element-wise, so any vector width gives the same result): the
   exact dense fields. Unrolled to four f64x2 per iteration: V8 does not unroll, and the loop overhead of
   one f64x2 per iteration costs about a third of the dense kernel's time. */
static inline __attribute__((always_inline)) void row_add(double *restrict h, const double *restrict row, int32_t n) {
  int32_t j = 0;
#ifdef __wasm_simd128__
  for (; j + 8 <= n; j += 8) {
    v128_t a0 = wasm_f64x2_add(wasm_v128_load(h + j), wasm_v128_load(row + j));
    v128_t a1 = wasm_f64x2_add(wasm_v128_load(h + j + 2), wasm_v128_load(row + j + 2));
    v128_t a2 = wasm_f64x2_add(wasm_v128_load(h + j + 4), wasm_v128_load(row + j + 4));
    v128_t a3 = wasm_f64x2_add(wasm_v128_load(h + j + 6), wasm_v128_load(row + j + 6));
    wasm_v128_store(h + j, a0);
    wasm_v128_store(h + j + 2, a1);
    wasm_v128_store(h + j + 4, a2);
    wasm_v128_store(h + j + 6, a3);
  }
  for (; j + 2 <= n; j += 2) wasm_v128_store(h + j, wasm_f64x2_add(wasm_v128_load(h + j), wasm_v128_load(row + j)));
#endif
  for (; j < n; j++) h[j] += row[j];
}

/* h[j] += row[j] / h[j] -= row[j] in single precision, j = 0..n-1 (element-wise, so any vector
   width gives the same result): four f32x4 per iteration, 16 floats. */
static inline __attribute__((always_inline)) void row_add_f32(float *restrict h, const float *restrict row, int32_t n) {
  int32_t j = 0;
#ifdef __wasm_simd128__
  for (; j + 16 <= n; j += 16) {
    v128_t a0 = wasm_f32x4_add(wasm_v128_load(h + j), wasm_v128_load(row + j));
    v128_t a1 = wasm_f32x4_add(wasm_v128_load(h + j + 4), wasm_v128_load(row + j + 4));
    v128_t a2 = wasm_f32x4_add(wasm_v128_load(h + j + 8), wasm_v128_load(row + j + 8));
    v128_t a3 = wasm_f32x4_add(wasm_v128_load(h + j + 12), wasm_v128_load(row + j + 12));
    wasm_v128_store(h + j, a0);
    wasm_v128_store(h + j + 4, a1);
    wasm_v128_store(h + j + 8, a2);
    wasm_v128_store(h + j + 12, a3);
  }
  for (; j + 4 <= n; j += 4) wasm_v128_store(h + j, wasm_f32x4_add(wasm_v128_load(h + j), wasm_v128_load(row + j)));
#endif
  for (; j < n; j++) h[j] += row[j];
}

static inline __attribute__((always_inline)) void row_sub_f32(float *restrict h, const float *restrict row, int32_t n) {
  int32_t j = 0;
#ifdef __wasm_simd128__
  for (; j + 16 <= n; j += 16) {
    v128_t a0 = wasm_f32x4_sub(wasm_v128_load(h + j), wasm_v128_load(row + j));
    v128_t a1 = wasm_f32x4_sub(wasm_v128_load(h + j + 4), wasm_v128_load(row + j + 4));
    v128_t a2 = wasm_f32x4_sub(wasm_v128_load(h + j + 8), wasm_v128_load(row + j + 8));
    v128_t a3 = wasm_f32x4_sub(wasm_v128_load(h + j + 12), wasm_v128_load(row + j + 12));
    wasm_v128_store(h + j, a0);
    wasm_v128_store(h + j + 4, a1);
    wasm_v128_store(h + j + 8, a2);
    wasm_v128_store(h + j + 12, a3);
  }
  for (; j + 4 <= n; j += 4) wasm_v128_store(h + j, wasm_f32x4_sub(wasm_v128_load(h + j), wasm_v128_load(row + j)));
#endif
  for (; j < n; j++) h[j] -= row[j];
}

/* ---------------- dense ---------------- */

/* Exact fields h_i = lin_i + sum_j J_ij x_j in `scratch` (double), accumulated as lin_i + row j1 +
   row j2 ... in increasing j. */
static void dense_fields(const problem *p, const uint8_t *x) {
  const int32_t n = p->n;
  double *restrict h = p->scratch;
  for (int32_t i = 0; i < n; i++) h[i] = p->lin[i];
  for (int32_t j = 0; j < n; j++)
    if (x[j]) row_add(h, p->J + (size_t)j * n, n);
}

/* The sweeps' fields in single precision: h_i = (float)lin_i, then + row j of J32 for each x_j = 1
   in increasing j (each addition rounded to single precision). */
static void dense_fields32(const problem *p, const uint8_t *x) {
  const int32_t n = p->n;
  float *restrict h = p->fields;
  for (int32_t i = 0; i < n; i++) h[i] = (float)p->lin[i];
  for (int32_t j = 0; j < n; j++)
    if (x[j]) row_add_f32(h, p->J32 + (size_t)j * n, n);
}

__attribute__((noinline)) static double dense_sweep(const problem *p, double beta, uint8_t *restrict x, uint32_t *rng, double e, int32_t *frozen) {
  int32_t live = 0;
  const int32_t n = p->n;
  const float *restrict J32 = p->J32;
  float *restrict h = p->fields;
  uint32_t s[4] = {rng[0], rng[1], rng[2], rng[3]};
  for (int32_t i = 0; i < n; i++) {
    const double hi = (double)h[i];
    const double d = x[i] ? -hi : hi;
    if (d > 0.0) {
      const double bx = beta * d;
      if (bx >= FM_EXP_CUT) continue;
      live = 1;
      if (!fm_accept(fm_uniform(s), bx)) continue;
    }
    live = 1;
    const float *restrict row = J32 + (size_t)i * n;
    if (x[i]) row_sub_f32(h, row, n);
    else row_add_f32(h, row, n);
    x[i] ^= 1;
    e += d;
  }
  rng[0] = s[0], rng[1] = s[1], rng[2] = s[2], rng[3] = s[3];
  *frozen = !live;
  return e;
}

/* ---------------- sparse ---------------- */

/* Exact fields in `scratch` (double): lin_i, then the entries of row j for each x_j = 1, increasing j. */
static void sparse_fields(const problem *p, const uint8_t *x) {
  const int32_t n = p->n;
  double *restrict h = p->scratch;
  for (int32_t i = 0; i < n; i++) h[i] = p->lin[i];
  for (int32_t j = 0; j < n; j++) {
    if (!x[j]) continue;
    for (int32_t q = p->row_ptr[j]; q < p->row_ptr[j + 1]; q++) h[p->col[q]] += p->val[q];
  }
}

/* The sweeps' fields in single precision, the same order with val32. */
static void sparse_fields32(const problem *p, const uint8_t *x) {
  const int32_t n = p->n;
  float *restrict h = p->fields;
  for (int32_t i = 0; i < n; i++) h[i] = (float)p->lin[i];
  for (int32_t j = 0; j < n; j++) {
    if (!x[j]) continue;
    for (int32_t q = p->row_ptr[j]; q < p->row_ptr[j + 1]; q++) h[p->col[q]] += p->val32[q];
  }
}

/* The row update of an accepted flip, four entries per iteration (V8 does not unroll; measured on
   G1 ~1.1x). The statements stay in order: a row may list a column twice (duplicate couplings),
   and then the two additions must happen one after the other, as in the TypeScript mirror. */
static inline __attribute__((always_inline)) void scatter_add(float *restrict h, const int32_t *restrict col, const float *restrict val, int32_t q, int32_t q1) {
  for (; q + 4 <= q1; q += 4) {
    h[col[q]] += val[q];
    h[col[q + 1]] += val[q + 1];
    h[col[q + 2]] += val[q + 2];
    h[col[q + 3]] += val[q + 3];
  }
  for (; q < q1; q++) h[col[q]] += val[q];
}

static inline __attribute__((always_inline)) void scatter_sub(float *restrict h, const int32_t *restrict col, const float *restrict val, int32_t q, int32_t q1) {
  for (; q + 4 <= q1; q += 4) {
    h[col[q]] -= val[q];
    h[col[q + 1]] -= val[q + 1];
    h[col[q + 2]] -= val[q + 2];
    h[col[q + 3]] -= val[q + 3];
  }
  for (; q < q1; q++) h[col[q]] -= val[q];
}

__attribute__((noinline)) static double sparse_sweep(const problem *p, double beta, uint8_t *restrict x, uint32_t *rng, double e, int32_t *frozen) {
  int32_t live = 0;
  const int32_t n = p->n;
  const int32_t *restrict rp = p->row_ptr;
  const int32_t *restrict col = p->col;
  const float *restrict val = p->val32;
  float *restrict h = p->fields;
  uint32_t s[4] = {rng[0], rng[1], rng[2], rng[3]};
  for (int32_t i = 0; i < n; i++) {
    const double hi = (double)h[i];
    const double d = x[i] ? -hi : hi;
    if (d > 0.0) {
      const double bx = beta * d;
      if (bx >= FM_EXP_CUT) continue;
      live = 1;
      if (!fm_accept(fm_uniform(s), bx)) continue;
    }
    live = 1;
    if (x[i]) scatter_sub(h, col, val, rp[i], rp[i + 1]);
    else scatter_add(h, col, val, rp[i], rp[i + 1]);
    x[i] ^= 1;
    e += d;
  }
  rng[0] = s[0], rng[1] = s[1], rng[2] = s[2], rng[3] = s[3];
  *frozen = !live;
  return e;
}

/* ---------------- factorized ---------------- */

/* sum_i lin_i x_i + 1/2 (sum_f s_f^2 - sum_i x_i |v_i|^2), with s freshly summed in `s`. */
static double fact_energy(const problem *p, const uint8_t *x, double *restrict s) {
  const int32_t n = p->n, k = p->k;
  double lin = 0.0, sq = 0.0;
  for (int32_t f = 0; f < k; f++) s[f] = 0.0;
  for (int32_t i = 0; i < n; i++) {
    if (!x[i]) continue;
    const double *v = p->V + (size_t)i * k;
    lin += p->lin[i];
    for (int32_t f = 0; f < k; f++) {
      s[f] += v[f];
      sq += v[f] * v[f];
    }
  }
  double ss = 0.0;
  for (int32_t f = 0; f < k; f++) ss += s[f] * s[f];
  return lin + 0.5 * (ss - sq);
}

/* <a, b> over k entries in four stripes f mod 4 (the k mod 4 tail into a0), combined as
   (a0 + a1) + (a2 + a3); with SIMD the stripes are the lanes of two f64x2 accumulators. The
   exact statistics of the beta range use it; the sweeps use pair_dot32. */
static inline __attribute__((always_inline)) double pair_dot(const double *restrict a, const double *restrict b, int32_t k) {
  double a0, a1, a2, a3;
  int32_t f = 0;
#ifdef __wasm_simd128__
  v128_t acc01 = wasm_f64x2_const(0.0, 0.0), acc23 = wasm_f64x2_const(0.0, 0.0);
  for (; f + 4 <= k; f += 4) {
    acc01 = wasm_f64x2_add(acc01, wasm_f64x2_mul(wasm_v128_load(a + f), wasm_v128_load(b + f)));
    acc23 = wasm_f64x2_add(acc23, wasm_f64x2_mul(wasm_v128_load(a + f + 2), wasm_v128_load(b + f + 2)));
  }
  a0 = wasm_f64x2_extract_lane(acc01, 0);
  a1 = wasm_f64x2_extract_lane(acc01, 1);
  a2 = wasm_f64x2_extract_lane(acc23, 0);
  a3 = wasm_f64x2_extract_lane(acc23, 1);
#else
  a0 = a1 = a2 = a3 = 0.0;
  for (; f + 4 <= k; f += 4) {
    a0 += a[f] * b[f];
    a1 += a[f + 1] * b[f + 1];
    a2 += a[f + 2] * b[f + 2];
    a3 += a[f + 3] * b[f + 3];
  }
#endif
  for (; f < k; f++) a0 += a[f] * b[f];
  return (a0 + a1) + (a2 + a3);
}

/* <a, b> over k floats in single precision, in the stripes of pair_dot: four stripes f mod 4 (the
   lanes of one f32x4 accumulator; the k mod 4 tail into a0), combined as (a0 + a1) + (a2 + a3);
   every product and sum rounded to single precision (no fused multiply-add). */
static inline __attribute__((always_inline)) float pair_dot32(const float *restrict a, const float *restrict b, int32_t k) {
  float a0, a1, a2, a3;
  int32_t f = 0;
#ifdef __wasm_simd128__
  v128_t acc = wasm_f32x4_const(0.0f, 0.0f, 0.0f, 0.0f);
  for (; f + 4 <= k; f += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + f), wasm_v128_load(b + f)));
  a0 = wasm_f32x4_extract_lane(acc, 0);
  a1 = wasm_f32x4_extract_lane(acc, 1);
  a2 = wasm_f32x4_extract_lane(acc, 2);
  a3 = wasm_f32x4_extract_lane(acc, 3);
#else
  a0 = a1 = a2 = a3 = 0.0f;
  for (; f + 4 <= k; f += 4) {
    a0 += a[f] * b[f];
    a1 += a[f + 1] * b[f + 1];
    a2 += a[f + 2] * b[f + 2];
    a3 += a[f + 3] * b[f + 3];
  }
#endif
  for (; f < k; f++) a0 += a[f] * b[f];
  return (a0 + a1) + (a2 + a3);
}

/* The sweep, written once; instantiated below for k = 8 and 16 (the sizes FMA uses), where the
   compiler unrolls the O(k) loops completely, and for any k. */
static inline __attribute__((always_inline)) double fact_sweep_k(const problem *p, const int32_t k, double beta,
                                                                 uint8_t *restrict x, uint32_t *rng, double e, int32_t *frozen) {
  int32_t live = 0;
  const int32_t n = p->n;
  const float *restrict V = p->V32;
  const double *restrict lin = p->lin;
  const double *restrict lin1 = p->lin1;
  float *restrict sums = p->fields;
  uint32_t s[4] = {rng[0], rng[1], rng[2], rng[3]};
  for (int32_t i = 0; i < n; i++) {
    const float *restrict v = V + (size_t)i * k;
    const int xi = x[i];
    const double h = (xi ? lin1[i] : lin[i]) + (double)pair_dot32(v, sums, k);
    const double d = xi ? -h : h;
    if (d > 0.0) {
      const double bx = beta * d;
      if (bx >= FM_EXP_CUT) continue;
      live = 1;
      if (!fm_accept(fm_uniform(s), bx)) continue;
    }
    live = 1;
    if (xi) row_sub_f32(sums, v, k);
    else row_add_f32(sums, v, k);
    x[i] = (uint8_t)(xi ^ 1);
    e += d;
  }
  rng[0] = s[0], rng[1] = s[1], rng[2] = s[2], rng[3] = s[3];
  *frozen = !live;
  return e;
}

__attribute__((noinline)) static double fact_sweep_8(const problem *p, double beta, uint8_t *x, uint32_t *rng, double e, int32_t *frozen) {
  return fact_sweep_k(p, 8, beta, x, rng, e, frozen);
}
__attribute__((noinline)) static double fact_sweep_16(const problem *p, double beta, uint8_t *x, uint32_t *rng, double e, int32_t *frozen) {
  return fact_sweep_k(p, 16, beta, x, rng, e, frozen);
}
__attribute__((noinline)) static double fact_sweep_any(const problem *p, double beta, uint8_t *x, uint32_t *rng, double e, int32_t *frozen) {
  return fact_sweep_k(p, p->k, beta, x, rng, e, frozen);
}

static double fact_sweep(const problem *p, double beta, uint8_t *x, uint32_t *rng, double e, int32_t *frozen) {
  if (p->k == 8) return fact_sweep_8(p, beta, x, rng, e, frozen);
  if (p->k == 16) return fact_sweep_16(p, beta, x, rng, e, frozen);
  return fact_sweep_any(p, beta, x, rng, e, frozen);
}

/* ---------------- factorized beta-range statistics ---------------- */

/*
 * The exact statistics behind the default beta range of a factorized QUBO
 * (src/anneal/schedule.ts), O(n^2 k / 2): with q_ij = <v_i, v_j> (pair_dot),
 *   out[0] = max_i (|lin_i| + sum_{j != i} |q_ij|)     (bound on the single-flip |dE_i|)
 *   out[1] = min over the nonzero |lin_i| and |q_ij|  (+Infinity when there is none).
 * Summation order (mirrored in TypeScript): for i = 0..n-1, s_i = sum_{j>i} |q_ij| in increasing
 * j while row_sum[j] += |q_ij|; total_i = (row_sum[i] + s_i) + |lin_i|.
 * Reads V [n*k] f64, lin [n] f64. Overwrites row_sum [n] f64 (scratch) and out [2] f64.
 * Not part of the annealing: TypeScript turns these into the schedule.
 */
static inline __attribute__((always_inline)) void delta_range_k(int32_t n, const int32_t k, const double *V, const double *lin,
                                                                 double *restrict row_sum, double *out) {
  double max = 0.0, min = 1.0 / 0.0;
  for (int32_t i = 0; i < n; i++) {
    const double a = __builtin_fabs(lin[i]);
    if (a != 0.0 && a < min) min = a;
    row_sum[i] = 0.0;
  }
  for (int32_t i = 0; i < n; i++) {
    const double *vi = V + (size_t)i * k;
    double s = 0.0;
    for (int32_t j = i + 1; j < n; j++) {
      const double a = __builtin_fabs(pair_dot(vi, V + (size_t)j * k, k));
      s += a;
      row_sum[j] += a;
      if (a != 0.0 && a < min) min = a;
    }
    const double t = (row_sum[i] + s) + __builtin_fabs(lin[i]);
    if (t > max) max = t;
  }
  out[0] = max;
  out[1] = min;
}

FM_EXPORT("fm_factorized_delta_range")
void fm_factorized_delta_range(int32_t n, int32_t k, const double *V, const double *lin, double *row_sum, double *out) {
  /* instantiated for k = 8 and 16 (fully unrolled dot products), as the sweeps are */
  if (k == 8) delta_range_k(n, 8, V, lin, row_sum, out);
  else if (k == 16) delta_range_k(n, 16, V, lin, row_sum, out);
  else delta_range_k(n, k, V, lin, row_sum, out);
}

/* ---------------- driver ---------------- */

/*
 * Exact energy of x (offset excluded), from scratch, leaving scratch values in the scratch
 * buffer. Dense and sparse go through fresh fields h of x:
 * sum_{i: x_i=1} (lin_i + h_i) = 2 sum_i lin_i x_i + 2 sum_{i<j} Q_ij x_i x_j = 2E, so
 * E = 1/2 sum_{i: x_i=1} (lin_i + h_i) (dense: h from the exact J); the factorized form uses
 * E = sum lin_i x_i + 1/2 (sum_f s_f^2 - sum_i x_i |v_i|^2) and leaves the fresh sums s of x.
 * Summation orders are part of the bit-identity contract (increasing i, then f).
 */
static double exact_energy(const problem *p, const uint8_t *x) {
  if (p->form == FORM_FACTORIZED) return fact_energy(p, x, p->scratch);
  if (p->form == FORM_DENSE) dense_fields(p, x);
  else sparse_fields(p, x);
  double e = 0.0;
  for (int32_t i = 0; i < p->n; i++)
    if (x[i]) e += p->lin[i] + p->scratch[i];
  return 0.5 * e;
}

/* Exact energy of x, and the sweeps' state of x in single precision: the fields (dense, sparse)
   or the sums (factorized: the exact sums fact_energy left in scratch, each rounded once). */
static double start_read(const problem *p, const uint8_t *x) {
  const double e = exact_energy(p, x);
  if (p->form == FORM_DENSE) dense_fields32(p, x);
  else if (p->form == FORM_SPARSE) sparse_fields32(p, x);
  else
    for (int32_t f = 0; f < p->k; f++) p->fields[f] = (float)p->scratch[f];
  return e;
}

/* One sweep at beta; sets *frozen to 1 when it drew no number and accepted no flip (every
   attempt was an uphill move with beta*dE >= FM_EXP_CUT), else 0. */
static double sweep(const problem *p, double beta, uint8_t *x, uint32_t *rng, double e, int32_t *frozen) {
  if (p->form == FORM_DENSE) return dense_sweep(p, beta, x, rng, e, frozen);
  if (p->form == FORM_SPARSE) return sparse_sweep(p, beta, x, rng, e, frozen);
  return fact_sweep(p, beta, x, rng, e, frozen);
}

static int32_t run(const problem *p, const double *betas, int32_t nbetas, int32_t sweeps_per_beta,
                   int32_t sweeps, int32_t reads, uint32_t seed, int32_t random_init,
                   uint8_t *states, uint8_t *best, double *energies, uint32_t *rng,
                   int32_t *cursor, double *track, double max_attempts, double deadline) {
  const int32_t n = p->n;
  const int check_clock = deadline < 1.0e300; /* false for +Infinity (and NaN) */
  int32_t r = cursor[0], t = cursor[1];
  double e = track[0], best_e = track[1];
  double attempts = 0.0, since_check = FM_CHECK_STRIDE;
  double frozen_beta = track[3]; /* see "Frozen sweeps" in the header comment; 0: not frozen */
  if (sweeps_per_beta < 1) sweeps_per_beta = 1;
  cursor[3] = 0;
  while (r < reads) {
    uint8_t *x = states + (size_t)r * n;
    uint8_t *b = best + (size_t)r * n;
    if (!cursor[2]) {
      fm_seed_read(rng, seed, (uint32_t)r);
      if (random_init)
        for (int32_t i = 0; i < n; i++) x[i] = (uint8_t)(fm_next(rng) >> 31);
      e = start_read(p, x);
      best_e = e;
      copy_bytes(b, x, n);
      t = 0;
      cursor[2] = 1;
      frozen_beta = 0.0;
    }
    while (t < sweeps) {
      if (attempts > 0.0 && attempts >= max_attempts) goto suspend;
      if (check_clock && since_check >= FM_CHECK_STRIDE) {
        since_check = 0.0;
        if (fm_now_ms() >= deadline) {
          cursor[3] = 1;
          goto suspend;
        }
      }
      int32_t bi = t / sweeps_per_beta;
      if (bi >= nbetas) bi = nbetas - 1;
      const double beta = betas[bi];
      if (frozen_beta > 0.0 && beta >= frozen_beta) { /* every flip would be rejected without a draw */
        t++;
        continue;
      }
      int32_t frozen;
      e = sweep(p, beta, x, rng, e, &frozen);
      frozen_beta = frozen ? beta : 0.0;
      t++;
      attempts += (double)n;
      since_check += (double)n;
      if (e < best_e) {
        best_e = e;
        copy_bytes(b, x, n);
      }
    }
    energies[2 * (size_t)r] = exact_energy(p, x);
    energies[2 * (size_t)r + 1] = exact_energy(p, b);
    cursor[2] = 0;
    r++;
    t = 0;
  }
suspend:
  cursor[0] = r;
  cursor[1] = t;
  track[0] = e;
  track[1] = best_e;
  track[2] += attempts;
  track[3] = frozen_beta;
  return r;
}

/*
 * Dense kernel. Reads: J [n*n] f64 (symmetric, zero diagonal), J32 [n*n] f32 (J rounded to
 * single precision), lin [n] f64, betas; see the header comment for
 * states/best/energies/rng/cursor/track. Overwrites: fields [n] f32 (the sweeps' local fields of
 * the current read, which must survive between calls of one run) and scratch [n] f64 (exact
 * energies). nbetas >= 1 whenever sweeps > 0.
 */
FM_EXPORT("fm_anneal_dense")
int32_t fm_anneal_dense(int32_t n, const double *J, const float *J32, const double *lin,
                        const double *betas, int32_t nbetas, int32_t sweeps_per_beta, int32_t sweeps,
                        int32_t reads, uint32_t seed, int32_t random_init,
                        uint8_t *states, uint8_t *best, double *energies,
                        float *fields, double *scratch, uint32_t *rng, int32_t *cursor, double *track,
                        double max_attempts, double deadline) {
  problem p = {FORM_DENSE, n, 0, lin, J, J32, 0, 0, 0, 0, 0, 0, 0, fields, scratch};
  return run(&p, betas, nbetas, sweeps_per_beta, sweeps, reads, seed, random_init, states, best,
             energies, rng, cursor, track, max_attempts, deadline);
}

/*
 * Sparse kernel. Reads: row_ptr [n+1] i32, col [row_ptr[n]] i32 (no col == row), val
 * [row_ptr[n]] f64, val32 [row_ptr[n]] f32 (val rounded to single precision), lin [n] f64,
 * betas. Overwrites: fields [n] f32 and scratch [n] f64, as for dense.
 */
FM_EXPORT("fm_anneal_sparse")
int32_t fm_anneal_sparse(int32_t n, const int32_t *row_ptr, const int32_t *col, const double *val,
                         const float *val32, const double *lin,
                         const double *betas, int32_t nbetas, int32_t sweeps_per_beta, int32_t sweeps,
                         int32_t reads, uint32_t seed, int32_t random_init,
                         uint8_t *states, uint8_t *best, double *energies,
                         float *fields, double *scratch, uint32_t *rng, int32_t *cursor, double *track,
                         double max_attempts, double deadline) {
  problem p = {FORM_SPARSE, n, 0, lin, 0, 0, row_ptr, col, val, val32, 0, 0, 0, fields, scratch};
  return run(&p, betas, nbetas, sweeps_per_beta, sweeps, reads, seed, random_init, states, best,
             energies, rng, cursor, track, max_attempts, deadline);
}

/*
 * Factorized kernel. Reads: V [n*k] f64 (row-major), V32 [n*k] f32 (V rounded to single
 * precision), lin [n] f64, lin1 [n] f64 (lin_i - |v_i|^2, |v_i|^2 summed in increasing f from the
 * double V: src/anneal/problem.ts), betas. Overwrites: fields [k] f32 (the sweeps' sums s_f of
 * the current read, which must survive between calls of one run) and scratch [k] f64 (exact
 * energies). The sweeps take <v_i, s> in single precision from V32 and the f32 sums (one f32x4
 * multiply-add per 4 factors), and add the double lin_i or lin1_i to it in double.
 */
FM_EXPORT("fm_anneal_factorized")
int32_t fm_anneal_factorized(int32_t n, int32_t k, const double *V, const float *V32, const double *lin, const double *lin1,
                             const double *betas, int32_t nbetas, int32_t sweeps_per_beta, int32_t sweeps,
                             int32_t reads, uint32_t seed, int32_t random_init,
                             uint8_t *states, uint8_t *best, double *energies,
                             float *fields, double *scratch, uint32_t *rng, int32_t *cursor, double *track,
                             double max_attempts, double deadline) {
  problem p = {FORM_FACTORIZED, n, k, lin, 0, 0, 0, 0, 0, 0, V, V32, lin1, fields, scratch};
  return run(&p, betas, nbetas, sweeps_per_beta, sweeps, reads, seed, random_init, states, best,
             energies, rng, cursor, track, max_attempts, deadline);
}
