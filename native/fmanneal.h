/*
 * Shared pieces of the fmanneal kernels: export/import macros, the seeded generator, and the
 * exp(-x) used by Metropolis tests. Every kernel (native/ *.c) is linked into ONE module,
 * native/fmanneal.wasm (see build.sh); the same sources also compile natively with gcc for the
 * benchmark ceiling (bench/native/).
 *
 * Determinism contract: every floating-point result here is a fixed sequence of IEEE-754 double
 * additions and multiplications (no fused multiply-add: build with -ffp-contract=off; no
 * reassociation: no -ffast-math), so wasm, native and the TypeScript mirrors (src/anneal/
 * reference.ts exports seedRead, expNeg, expNegFast) produce bit-identical results.
 */
#ifndef FMANNEAL_H
#define FMANNEAL_H

#include <stdint.h>
#include <stddef.h>

#ifdef __wasm__
/* Exported under `name` from the wasm module; build.sh needs no per-function export list. */
#define FM_EXPORT(name) __attribute__((export_name(name), visibility("default")))
/* A function the module imports from JavaScript. build.sh rejects any import not on its list. */
#define FM_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#else
#define FM_EXPORT(name)
#define FM_IMPORT(module, name)
#endif

/*
 * Monotonic clock in milliseconds, on the same scale as the deadlines the caller passes
 * (JavaScript: `performance.now()`; the native bench harness: CLOCK_MONOTONIC). Called only
 * when a finite deadline is set, at most once per FM_CHECK_STRIDE flip attempts.
 */
FM_IMPORT("env", "now_ms") double fm_now_ms(void);

/* Flip attempts between two deadline checks (a check happens between sweeps only). */
#define FM_CHECK_STRIDE 4096.0

/* ---- xoshiro128** (Blackman & Vigna), 32-bit words, state s[0..3] ---- */

static inline uint32_t fm_rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t fm_next(uint32_t *s) {
  uint32_t result = fm_rotl(s[1] * 5u, 7) * 9u;
  uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = fm_rotl(s[3], 11);
  return result;
}

/* Uniform double in [0, 1): the 32-bit output times 2^-32 (exact). */
static inline double fm_uniform(uint32_t *s) { return (double)fm_next(s) * 2.3283064365386963e-10; }

/* murmur3 fmix32 finaliser (a bijection of 32-bit words). */
static inline uint32_t fm_mix32(uint32_t z) {
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

/*
 * Seed the generator of read `r` from the run seed: a splitmix32-style stream started at
 * seed ^ fmix32(r * golden + 1). Each read has its own stream, so a read's result does not
 * depend on how the work was split into calls, nor on the reads before it.
 */
static inline void fm_seed_read(uint32_t *s, uint32_t seed, uint32_t r) {
  uint32_t x = seed ^ fm_mix32(r * 0x9e3779b9u + 1u);
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b9u;
    s[i] = fm_mix32(x);
  }
  if ((s[0] | s[1] | s[2] | s[3]) == 0) s[0] = 1;
}

/*
 * Metropolis cut-off: an uphill move with beta*dE >= FM_EXP_CUT is rejected without drawing a
 * number. exp(-22) = 2.8e-10 < 2^-32, the resolution of fm_uniform, so this only removes the
 * u == 0 draw's spurious acceptance.
 */
#define FM_EXP_CUT 22.0

/* 2^-k for 0 <= k <= 1022, exact, from its exponent bits. */
static inline double fm_pow2_neg(int32_t k) {
  union {
    uint64_t u;
    double d;
  } scale;
  scale.u = (uint64_t)(1023 - k) << 52;
  return scale.d;
}

/*
 * exp(-x) for 0 <= x < FM_EXP_CUT, relative error < 6e-9. Range reduction: x = k ln2 - r with
 * k = round(x / ln2) in [0, 32], |r| <= ln2/2, so exp(-x) = 2^-k exp(r); exp(r) is the degree-7
 * Taylor polynomial in Horner form (remainder |r|^8/8! <= 5.2e-9 relative).
 */
static inline double fm_exp_neg(double x) {
  int32_t k = (int32_t)(x * 1.4426950408889634 + 0.5); /* x >= 0, so truncation = floor */
  double r = (double)k * 0.6931471805599453 - x;
  double p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  return p * fm_pow2_neg(k);
}

/*
 * exp(-x) for 0 <= x < FM_EXP_CUT, relative error < 1.3e-7 (ample for a test against a uniform
 * draw): the same range reduction, then the degree-6 Taylor polynomial (remainder
 * |r|^7/7! <= 1.2e-7 relative) in Estrin's scheme, whose dependency chain is about half of
 * Horner's. The QUBO kernels use this one: it sits on the critical path of every uphill attempt.
 */
static inline double fm_exp_neg_fast(double x) {
  int32_t k = (int32_t)(x * 1.4426950408889634 + 0.5);
  double r = (double)k * 0.6931471805599453 - x;
  double r2 = r * r;
  double r4 = r2 * r2;
  double p = ((1.0 + r) + r2 * (0.5 + r * (1.0 / 6.0))) +
             r4 * ((1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0));
  return p * fm_pow2_neg(k);
}

/*
 * Metropolis acceptance of an uphill move with x = beta*dE in (0, FM_EXP_CUT) and a uniform
 * draw u: returns exactly (u < fm_exp_neg_fast(x)), but decides most draws without the
 * exponential, by squeezing e^-x between cheap bounds (x >= 0):
 *   1 - x + x^2/2 - x^3/6 <= e^-x <= 1 / (1 + x + x^2/2 + x^3/6)
 * (alternating Taylor series; e^x >= its cubic Taylor polynomial). fm_exp_neg_fast is within
 * 1.3e-7 relative of e^-x, so the margins 1 -+ 2e-7 keep every decision identical to the
 * direct comparison; only draws in the gap between the bounds (< 8% of them for any x, far
 * fewer for small or large x) pay for the exponential.
 */
static inline int fm_accept(double u, double x) {
  const double p = x * (1.0 + x * (0.5 + x * (1.0 / 6.0))); /* x + x^2/2 + x^3/6 */
  if (u * (1.0 + p) >= 1.0 + 2e-7) return 0;
  const double lower = 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0)));
  if (u < lower * (1.0 - 2e-7)) return 1;
  return u < fm_exp_neg_fast(x);
}

#endif
