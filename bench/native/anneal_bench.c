/*
 * Native (gcc -O3) timing harness for native/anneal.c: the benchmark ceiling for the wasm build.
 * Compiled at bench time into a temp dir by bench/anneal.bench.mjs; never committed as a binary.
 *
 * Usage: anneal_bench <problem.bin> <repeats>
 * problem.bin (little-endian), written by bench/anneal.bench.mjs:
 *   int32 form (0 dense, 1 sparse, 2 factorized), n, k, nnz, nbetas, sweeps_per_beta, sweeps,
 *         reads, seed, pad
 *   f64 lin[n]; dense: f64 J[n*n]; sparse: i32 row_ptr[n+1], i32 col[nnz], f64 val[nnz];
 *   factorized: f64 V[n*k]; then f64 betas[nbetas].
 * Prints one JSON line: {"seconds":[per repeat...],"attempts":reads*sweeps*n,"executed":flip attempts
 * executed (frozen sweeps skipped do not count),"best":[best energy per read]}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

double fm_now_ms(void) {
  struct timespec ts;
  clock_gettime(getenv("FM_BENCH_CPU") ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int32_t fm_anneal_dense(int32_t n, const double *J, const float *J32, const double *lin, const double *betas, int32_t nbetas,
                        int32_t spb, int32_t sweeps, int32_t reads, uint32_t seed, int32_t random_init,
                        uint8_t *states, uint8_t *best, double *energies, float *fields, double *scratch, uint32_t *rng,
                        int32_t *cursor, double *track, double max_attempts, double deadline);
int32_t fm_anneal_sparse(int32_t n, const int32_t *row_ptr, const int32_t *col, const double *val, const float *val32,
                         const double *lin, const double *betas, int32_t nbetas, int32_t spb, int32_t sweeps, int32_t reads,
                         uint32_t seed, int32_t random_init, uint8_t *states, uint8_t *best, double *energies,
                         float *fields, double *scratch, uint32_t *rng, int32_t *cursor, double *track, double max_attempts,
                         double deadline);
int32_t fm_anneal_factorized(int32_t n, int32_t k, const double *V, const float *V32, const double *lin, const double *lin1, const double *betas,
                             int32_t nbetas, int32_t spb, int32_t sweeps, int32_t reads, uint32_t seed,
                             int32_t random_init, uint8_t *states, uint8_t *best, double *energies, float *fields,
                             double *scratch, uint32_t *rng, int32_t *cursor, double *track, double max_attempts,
                             double deadline);

static void *read_exact(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) {
    fprintf(stderr, "anneal_bench: short read\n");
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: anneal_bench problem.bin repeats\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  int32_t *h = read_exact(f, 10 * sizeof(int32_t));
  int32_t form = h[0], n = h[1], k = h[2], nnz = h[3], nbetas = h[4], spb = h[5], sweeps = h[6], reads = h[7];
  uint32_t seed = (uint32_t)h[8];
  int repeats = atoi(argv[2]);
  double *lin = read_exact(f, sizeof(double) * n);
  double *J = 0, *val = 0, *V = 0;
  int32_t *rp = 0, *col = 0;
  float *J32 = 0, *val32 = 0, *V32 = 0;
  if (form == 0) {
    J = read_exact(f, sizeof(double) * (size_t)n * n);
    J32 = malloc(sizeof(float) * (size_t)n * n + 4);
    for (size_t q = 0; q < (size_t)n * n; q++) J32[q] = (float)J[q]; /* as Float32Array.set does */
  }
  else if (form == 1) {
    rp = read_exact(f, sizeof(int32_t) * (n + 1));
    col = read_exact(f, sizeof(int32_t) * nnz);
    val = read_exact(f, sizeof(double) * nnz);
    val32 = malloc(sizeof(float) * (size_t)nnz + 4);
    for (int32_t q = 0; q < nnz; q++) val32[q] = (float)val[q];
  } else {
    V = read_exact(f, sizeof(double) * (size_t)n * k);
    V32 = malloc(sizeof(float) * (size_t)n * k + 4);
    for (size_t q = 0; q < (size_t)n * k; q++) V32[q] = (float)V[q];
  }
  double *lin1 = malloc(sizeof(double) * n + 8); /* lin_i - |v_i|^2, as src/anneal/problem.ts sums it */
  if (form == 2)
    for (int32_t i = 0; i < n; i++) {
      double sq = 0.0;
      for (int32_t q = 0; q < k; q++) sq += V[(size_t)i * k + q] * V[(size_t)i * k + q];
      lin1[i] = lin[i] - sq;
    }
  double *betas = read_exact(f, sizeof(double) * nbetas);
  fclose(f);
  uint8_t *states = malloc((size_t)reads * n + 1), *best = malloc((size_t)reads * n + 1);
  double *energies = malloc(sizeof(double) * 2 * reads + 8);
  float *fields = malloc(sizeof(float) * (n > k ? n : k) + 8);
  double *scratch = malloc(sizeof(double) * (n > k ? n : k) + 8);
  uint32_t rng[4];
  int32_t cursor[4];
  double track[4] = {0, 0, 0, 0};
  printf("{\"seconds\":[");
  for (int rep = 0; rep < repeats; rep++) {
    memset(cursor, 0, sizeof cursor);
    track[0] = track[1] = track[2] = track[3] = 0.0;
    double t0 = fm_now_ms();
    if (form == 0)
      fm_anneal_dense(n, J, J32, lin, betas, nbetas, spb, sweeps, reads, seed, 1, states, best, energies, fields, scratch, rng,
                      cursor, track, 1e300, 1.0 / 0.0);
    else if (form == 1)
      fm_anneal_sparse(n, rp, col, val, val32, lin, betas, nbetas, spb, sweeps, reads, seed, 1, states, best, energies,
                       fields, scratch, rng, cursor, track, 1e300, 1.0 / 0.0);
    else
      fm_anneal_factorized(n, k, V, V32, lin, lin1, betas, nbetas, spb, sweeps, reads, seed, 1, states, best, energies, fields,
                           scratch, rng, cursor, track, 1e300, 1.0 / 0.0);
    double t1 = fm_now_ms();
    printf("%s%.6f", rep ? "," : "", (t1 - t0) / 1e3);
  }
  printf("],\"attempts\":%.0f,\"executed\":%.0f,\"best\":[", (double)reads * sweeps * n, track[2]);
  for (int r = 0; r < reads; r++) printf("%s%.17g", r ? "," : "", energies[2 * r + 1]);
  printf("]}\n");
  return 0;
}
