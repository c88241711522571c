/*
 * plain_sa: a plain, independent C99 simulated annealer, the yardstick of bench/kernel-vs-c.mjs.
 * It is NOT compiled from native/anneal.c and shares no code with fmanneal: it is the program a
 * C programmer would write for the same algorithm, built with gcc -O3 -march=native, in double
 * precision throughout. Compiled at bench time into a temp dir; no binary is committed.
 *
 * Algorithm (the one fmanneal implements):
 *   - QUBO E(x) = sum_i lin_i x_i + sum_{i<j} Q_ij x_i x_j (the file's offset is ignored);
 *   - local fields h_i = lin_i + sum_{j != i} Q_ij x_j, cached; flipping x_i changes E by
 *     dE = (1 - 2 x_i) h_i; an accepted flip updates every h_j by (1 - 2 x_i_old) Q_ij;
 *   - sweeps visit i = 0..n-1 in order; Metropolis: dE <= 0 accepted, else accepted with
 *     probability exp(-beta dE), an uphill move with beta dE > 22.18 rejected without a draw
 *     (exp(-22.18) < 2^-32; dwave-neal's cpu_sa.cpp does the same);
 *   - geometric schedule of `sweeps` betas (one sweep each) over dwave-neal's default range
 *     (_default_ising_beta_range in dwave/samplers/sa/sampler.py of dwave-samplers, formerly
 *     neal/sampler.py), computed on the Ising form of the QUBO (x = (1 + s)/2: h_i = lin_i/2 +
 *     sum_j Q_ij/4, J_ij = Q_ij/4):
 *       hot  = ln 2 / (2 max_i (|h_i| + sum_j |J_ij|))   (the largest flip accepted with p = 1/2)
 *       cold = ln(count / 0.01) / (2 m),  m = min_i of the smallest nonzero |h_i|, |J_ij| of
 *              variable i, count = how many variables have that minimum (neal's default
 *              scale_T_with_N): the smallest excitation taken with total probability 1%;
 *   - each read starts from a uniformly random state, keeps the best state seen at sweep
 *     boundaries, and reports the exact energy of that best state.
 *   Layouts: dense (full symmetric n*n rows) when the coupling count m >= n*n/6 (the same rule as
 *   fmanneal's layout "auto"), else CSR; factorized Q_ij = <v_i, v_j> keeps s = sum_j v_j x_j and
 *   computes h_i = lin_i + <v_i, s> - x_i |v_i|^2 in O(k).
 *
 * Input FILE: qbsolv .qubo ('c' comments, 'p qubo 0 n nodes couplers', 'i j w' lines), Gset /
 * rudy MaxCut graphs (first line 'n m', then 1-based 'i j w' edges; QUBO E = -cut), or the
 * bench's factorized text ('fm n k', then n lines 'lin_i v_i1 .. v_ik').
 *
 * Usage: plain_sa FILE [sweeps=1000] [reads=10] [seed=1] [layout=auto|dense|sparse] [state=0|1]
 * Prints one JSON line: {"n","layout","read_s","anneal_s" (schedule + all reads),"hot","cold",
 * "flips" (accepted flips, all reads),"best" (best energy per read),"energy" (their minimum),
 * "state" (with state=1: the best state, '0'/'1')}.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *msg) {
  fprintf(stderr, "plain_sa: %s\n", msg);
  exit(1);
}

static void *xmalloc(size_t bytes) {
  void *p = calloc(bytes ? bytes : 1, 1);
  if (!p) die("out of memory");
  return p;
}

/* ---- problem ---- */

enum { DENSE, SPARSE, FACTORIZED };

typedef struct {
  int layout;
  int n, k;
  double *lin;
  double *Q;        /* dense: n*n symmetric, zero diagonal */
  int *rp, *col;    /* sparse: CSR, each coupling in both rows */
  double *val;
  double *V;        /* factorized: n*k */
  double *vsq;      /* factorized: |v_i|^2 */
} problem;

/* Coupling list read from a file. */
typedef struct {
  int n;
  long m, cap;
  int *a, *b;
  double *w;
  double *lin;
} coo;

static void coo_push(coo *c, int a, int b, double w) {
  if (c->m == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 1024;
    c->a = realloc(c->a, sizeof(int) * c->cap);
    c->b = realloc(c->b, sizeof(int) * c->cap);
    c->w = realloc(c->w, sizeof(double) * c->cap);
    if (!c->a || !c->b || !c->w) die("out of memory");
  }
  c->a[c->m] = a;
  c->b[c->m] = b;
  c->w[c->m] = w;
  c->m++;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open the input file");
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = xmalloc((size_t)size + 1);
  if (fread(text, 1, (size_t)size, f) != (size_t)size) die("short read");
  fclose(f);
  text[size] = 0;
  *len = (size_t)size;
  return text;
}

static char *next_line(char **p) {
  char *s = *p;
  if (!*s) return NULL;
  char *e = strchr(s, '\n');
  if (e) {
    *e = 0;
    *p = e + 1;
  } else {
    *p = s + strlen(s);
  }
  return s;
}

static int blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r') s++;
  return *s == 0;
}

/* Reads the file into either a coupling list (qbsolv, Gset) or a factorized problem. */
static void read_problem(const char *path, coo *c, problem *p) {
  size_t len;
  char *text = slurp(path, &len), *cur = text, *line;
  memset(c, 0, sizeof *c);
  memset(p, 0, sizeof *p);
  int kind = -1; /* 0 qbsolv, 1 gset, 2 fm */
  int row = 0;
  while ((line = next_line(&cur))) {
    if (blank(line)) continue;
    char *s = line;
    while (*s == ' ' || *s == '\t') s++;
    if (kind < 0) {
      if (*s == 'c') { kind = 0; continue; }
      if (*s == 'p') {
        long n, nodes, couplers;
        if (sscanf(s, "p qubo %*s %ld %ld %ld", &n, &nodes, &couplers) != 3) die("bad p line");
        kind = 0;
        c->n = (int)n;
        c->lin = xmalloc(sizeof(double) * (size_t)n);
        continue;
      }
      if (!strncmp(s, "fm", 2)) {
        kind = 2;
        if (sscanf(s, "fm %d %d", &p->n, &p->k) != 2) die("bad fm line");
        p->layout = FACTORIZED;
        p->lin = xmalloc(sizeof(double) * p->n);
        p->V = xmalloc(sizeof(double) * (size_t)p->n * p->k);
        p->vsq = xmalloc(sizeof(double) * p->n);
        continue;
      }
      long n, m;
      if (sscanf(s, "%ld %ld", &n, &m) != 2) die("unknown format");
      kind = 1;
      c->n = (int)n;
      c->lin = xmalloc(sizeof(double) * (size_t)n);
      continue;
    }
    if (kind == 0) {
      if (*s == 'c') continue;
      char *e;
      long i = strtol(s, &e, 10), j = strtol(e, &e, 10);
      double w = strtod(e, &e);
      if (i < 0 || j < 0 || i >= c->n || j >= c->n) die("index out of range");
      if (i == j) c->lin[i] += w;
      else coo_push(c, (int)i, (int)j, w);
    } else if (kind == 1) {
      char *e;
      long i = strtol(s, &e, 10) - 1, j = strtol(e, &e, 10) - 1;
      double w = strtod(e, &e);
      if (i < 0 || j < 0 || i >= c->n || j >= c->n || i == j) die("bad edge");
      /* edge (i, j, w) is cut iff x_i != x_j: -w x_i - w x_j + 2w x_i x_j */
      c->lin[i] -= w;
      c->lin[j] -= w;
      coo_push(c, (int)i, (int)j, 2.0 * w);
    } else {
      if (row >= p->n) die("too many fm rows");
      char *e = s;
      p->lin[row] = strtod(e, &e);
      double sq = 0.0;
      for (int f = 0; f < p->k; f++) {
        double v = strtod(e, &e);
        p->V[(size_t)row * p->k + f] = v;
        sq += v * v;
      }
      p->vsq[row] = sq;
      row++;
    }
  }
  free(text);
  if (kind < 0) die("empty file");
}

static void build(coo *c, problem *p, const char *layout) {
  const int n = c->n;
  p->n = n;
  p->lin = c->lin;
  int dense = strcmp(layout, "dense") == 0 || (strcmp(layout, "auto") == 0 && 6.0 * (double)c->m >= (double)n * n);
  if (dense) {
    p->layout = DENSE;
    p->Q = xmalloc(sizeof(double) * (size_t)n * n);
    for (long e = 0; e < c->m; e++) {
      p->Q[(size_t)c->a[e] * n + c->b[e]] += c->w[e];
      p->Q[(size_t)c->b[e] * n + c->a[e]] += c->w[e];
    }
  } else {
    p->layout = SPARSE;
    p->rp = xmalloc(sizeof(int) * (n + 1));
    for (long e = 0; e < c->m; e++) {
      p->rp[c->a[e] + 1]++;
      p->rp[c->b[e] + 1]++;
    }
    for (int i = 0; i < n; i++) p->rp[i + 1] += p->rp[i];
    p->col = xmalloc(sizeof(int) * (size_t)p->rp[n]);
    p->val = xmalloc(sizeof(double) * (size_t)p->rp[n]);
    int *fill = xmalloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) fill[i] = p->rp[i];
    for (long e = 0; e < c->m; e++) {
      int a = c->a[e], b = c->b[e];
      p->col[fill[a]] = b;
      p->val[fill[a]++] = c->w[e];
      p->col[fill[b]] = a;
      p->val[fill[b]++] = c->w[e];
    }
    free(fill);
  }
}

/* Q_ij for i != j. */
static double coupling_fact(const problem *p, int i, int j) {
  double d = 0.0;
  for (int f = 0; f < p->k; f++) d += p->V[(size_t)i * p->k + f] * p->V[(size_t)j * p->k + f];
  return d;
}

/* ---- neal's default beta range on the Ising form ---- */

static void ising_beta_range(const problem *p, double *hot, double *cold) {
  const int n = p->n;
  double *rowsum = xmalloc(sizeof(double) * n); /* sum_j Q_ij (signed) */
  double *rowabs = xmalloc(sizeof(double) * n); /* sum_j |Q_ij| */
  double *rowmin = xmalloc(sizeof(double) * n); /* min nonzero |Q_ij| */
  for (int i = 0; i < n; i++) rowmin[i] = INFINITY;
  for (int i = 0; i < n; i++) {
    if (p->layout == DENSE) {
      for (int j = 0; j < n; j++) {
        double q = p->Q[(size_t)i * n + j];
        rowsum[i] += q;
        rowabs[i] += fabs(q);
        if (q != 0.0 && fabs(q) < rowmin[i]) rowmin[i] = fabs(q);
      }
    } else if (p->layout == SPARSE) {
      for (int t = p->rp[i]; t < p->rp[i + 1]; t++) {
        double q = p->val[t];
        rowsum[i] += q;
        rowabs[i] += fabs(q);
        if (q != 0.0 && fabs(q) < rowmin[i]) rowmin[i] = fabs(q);
      }
    } else {
      for (int j = i + 1; j < n; j++) {
        double q = coupling_fact(p, i, j);
        rowsum[i] += q, rowsum[j] += q;
        rowabs[i] += fabs(q), rowabs[j] += fabs(q);
        if (q != 0.0 && fabs(q) < rowmin[i]) rowmin[i] = fabs(q);
        if (q != 0.0 && fabs(q) < rowmin[j]) rowmin[j] = fabs(q);
      }
    }
  }
  double maxfield = 0.0, minfield = INFINITY;
  long count = 0;
  for (int i = 0; i < n; i++) {
    double h = fabs(0.5 * p->lin[i] + 0.25 * rowsum[i]);
    double total = h + 0.25 * rowabs[i];
    double mn = 0.25 * rowmin[i];
    if (h != 0.0 && h < mn) mn = h;
    if (total > maxfield) maxfield = total;
    if (mn < minfield) minfield = mn, count = 1;
    else if (mn == minfield && isfinite(mn)) count++;
  }
  if (!isfinite(minfield)) {
    *hot = 0.1, *cold = 1.0; /* all biases zero: neal's arbitrary range */
  } else {
    *hot = maxfield > 0.0 ? log(2.0) / (2.0 * maxfield) : 1.0;
    *cold = log((double)count / 0.01) / (2.0 * minfield);
  }
  free(rowsum), free(rowabs), free(rowmin);
}

/* ---- generator: xorshift128+ (as neal's cpu_sa.cpp) ---- */

static uint64_t rng_s[2];
static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline uint64_t rng_next(void) {
  uint64_t s1 = rng_s[0];
  const uint64_t s0 = rng_s[1];
  rng_s[0] = s0;
  s1 ^= s1 << 23;
  rng_s[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
  return rng_s[1] + s0;
}
static inline double uniform(void) { return (double)(rng_next() >> 11) * 0x1.0p-53; }

/* ---- annealing ---- */

static void fields(const problem *p, const unsigned char *x, double *h, double *s) {
  const int n = p->n;
  for (int i = 0; i < n; i++) h[i] = p->lin[i];
  if (p->layout == DENSE) {
    for (int j = 0; j < n; j++)
      if (x[j]) {
        const double *row = p->Q + (size_t)j * n;
        for (int i = 0; i < n; i++) h[i] += row[i];
      }
  } else if (p->layout == SPARSE) {
    for (int j = 0; j < n; j++)
      if (x[j])
        for (int t = p->rp[j]; t < p->rp[j + 1]; t++) h[p->col[t]] += p->val[t];
  } else {
    for (int f = 0; f < p->k; f++) s[f] = 0.0;
    for (int j = 0; j < n; j++)
      if (x[j])
        for (int f = 0; f < p->k; f++) s[f] += p->V[(size_t)j * p->k + f];
  }
}

static double energy(const problem *p, const unsigned char *x, double *h, double *s) {
  const int n = p->n;
  double e = 0.0;
  if (p->layout == FACTORIZED) {
    fields(p, x, h, s);
    double ss = 0.0, sq = 0.0;
    for (int f = 0; f < p->k; f++) ss += s[f] * s[f];
    for (int i = 0; i < n; i++)
      if (x[i]) e += p->lin[i], sq += p->vsq[i];
    return e + 0.5 * (ss - sq);
  }
  fields(p, x, h, s);
  for (int i = 0; i < n; i++)
    if (x[i]) e += p->lin[i] + h[i];
  return 0.5 * e;
}

/* One sweep at beta per layout (separate functions, so each inner loop is specialised);
   returns the energy change and counts the accepted flips. */
#define METROPOLIS(de)                                  \
  if ((de) > 0.0) {                                     \
    if ((de) > cut) continue;                           \
    if (!(uniform() < exp(-beta * (de)))) continue;     \
  }

static double sweep_dense(const problem *p, double beta, unsigned char *restrict x, double *restrict h, long *flips) {
  const int n = p->n;
  const double cut = 22.18 / beta;
  double de_total = 0.0;
  for (int i = 0; i < n; i++) {
    const double de = x[i] ? -h[i] : h[i];
    METROPOLIS(de)
    (*flips)++;
    de_total += de;
    const double *restrict row = p->Q + (size_t)i * n;
    if (x[i])
      for (int j = 0; j < n; j++) h[j] -= row[j];
    else
      for (int j = 0; j < n; j++) h[j] += row[j];
    x[i] ^= 1;
  }
  return de_total;
}

static double sweep_sparse(const problem *p, double beta, unsigned char *restrict x, double *restrict h, long *flips) {
  const int n = p->n;
  const int *restrict rp = p->rp, *restrict col = p->col;
  const double *restrict val = p->val;
  const double cut = 22.18 / beta;
  double de_total = 0.0;
  for (int i = 0; i < n; i++) {
    const double de = x[i] ? -h[i] : h[i];
    METROPOLIS(de)
    (*flips)++;
    de_total += de;
    const int t1 = rp[i + 1];
    if (x[i])
      for (int t = rp[i]; t < t1; t++) h[col[t]] -= val[t];
    else
      for (int t = rp[i]; t < t1; t++) h[col[t]] += val[t];
    x[i] ^= 1;
  }
  return de_total;
}

static double sweep_fact(const problem *p, double beta, unsigned char *restrict x, double *restrict s, long *flips) {
  const int n = p->n, k = p->k;
  const double cut = 22.18 / beta;
  double de_total = 0.0;
  for (int i = 0; i < n; i++) {
    const double *restrict v = p->V + (size_t)i * k;
    double d = 0.0;
    for (int f = 0; f < k; f++) d += v[f] * s[f];
    const double hi = p->lin[i] + d - (x[i] ? p->vsq[i] : 0.0);
    const double de = x[i] ? -hi : hi;
    METROPOLIS(de)
    (*flips)++;
    de_total += de;
    if (x[i])
      for (int f = 0; f < k; f++) s[f] -= v[f];
    else
      for (int f = 0; f < k; f++) s[f] += v[f];
    x[i] ^= 1;
  }
  return de_total;
}

static double sweep(const problem *p, double beta, unsigned char *x, double *h, double *s, long *flips) {
  if (p->layout == DENSE) return sweep_dense(p, beta, x, h, flips);
  if (p->layout == SPARSE) return sweep_sparse(p, beta, x, h, flips);
  return sweep_fact(p, beta, x, s, flips);
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage: plain_sa FILE [sweeps] [reads] [seed] [layout] [state]");
  const int sweeps = argc > 2 ? atoi(argv[2]) : 1000;
  const int reads = argc > 3 ? atoi(argv[3]) : 10;
  uint64_t seed = argc > 4 ? strtoull(argv[4], 0, 10) : 1;
  const char *layout = argc > 5 ? argv[5] : "auto";
  const int print_state = argc > 6 ? atoi(argv[6]) : 0;

  const double t0 = now_s();
  coo c;
  problem p;
  read_problem(argv[1], &c, &p);
  if (p.layout != FACTORIZED) build(&c, &p, layout);
  const int n = p.n;
  const double t1 = now_s();

  double hot, cold;
  ising_beta_range(&p, &hot, &cold);
  double *betas = xmalloc(sizeof(double) * (sweeps > 0 ? sweeps : 1));
  for (int t = 0; t < sweeps; t++) betas[t] = sweeps == 1 ? cold : hot * pow(cold / hot, (double)t / (sweeps - 1));
  unsigned char *x = xmalloc(n), *best = xmalloc(n), *overall = xmalloc(n);
  double *h = xmalloc(sizeof(double) * n), *s = xmalloc(sizeof(double) * (p.k + 1));
  double *best_e = xmalloc(sizeof(double) * reads);
  long flips = 0;
  double overall_e = INFINITY;
  for (int r = 0; r < reads; r++) {
    uint64_t sm = seed * 0x100000001b3ull + (uint64_t)r;
    rng_s[0] = splitmix64(&sm);
    rng_s[1] = splitmix64(&sm);
    for (int i = 0; i < n; i++) x[i] = (unsigned char)(rng_next() >> 63);
    double e = energy(&p, x, h, s); /* leaves the fields (or sums) of x */
    double be = e;
    memcpy(best, x, n);
    for (int t = 0; t < sweeps; t++) {
      e += sweep(&p, betas[t], x, h, s, &flips);
      if (e < be) {
        be = e;
        memcpy(best, x, n);
      }
    }
    best_e[r] = energy(&p, best, h, s);
    if (best_e[r] < overall_e) {
      overall_e = best_e[r];
      memcpy(overall, best, n);
    }
  }
  const double t2 = now_s();

  printf("{\"n\":%d,\"layout\":\"%s\",\"read_s\":%.6f,\"anneal_s\":%.6f,\"hot\":%.17g,\"cold\":%.17g,\"flips\":%ld,\"best\":[",
         n, p.layout == DENSE ? "dense" : p.layout == SPARSE ? "sparse" : "factorized", t1 - t0, t2 - t1, hot, cold, flips);
  for (int r = 0; r < reads; r++) printf("%s%.17g", r ? "," : "", best_e[r]);
  printf("],\"energy\":%.17g", overall_e);
  if (print_state) {
    printf(",\"state\":\"");
    for (int i = 0; i < n; i++) putchar(overall[i] ? '1' : '0');
    putchar('"');
  }
  printf("}\n");
  return 0;
}
