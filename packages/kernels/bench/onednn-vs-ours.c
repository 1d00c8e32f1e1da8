/*
 * oneDNN's primitives against the addon's own loops, one thread, on the shapes an ALM update has
 * (paper preset: batch 512, hidden 512 / 1024, K 3): ELU and tanh (eltwise), a sum over rows
 * (reduction), a small-k product (k = 6, the action input) and the dense epilogue (product + bias
 * + ELU as oneDNN post-ops against the product, then our bias + ELU pass). Layer normalisation
 * was compared here too before the addon moved it onto oneDNN (README).
 * Prints one JSON object of median microseconds. Built and run by onednn-vs-ours.mjs.
 */
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../native/elementwise.h"
#include "../native/onednn.h"
#include "../native/small_k.h"

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#define REPS 41
#define TIME(out, body)                                    \
  do {                                                     \
    double t_[REPS];                                       \
    for (int r_ = 0; r_ < 5; r_++) { body; }               \
    for (int r_ = 0; r_ < REPS; r_++) {                    \
      const double s_ = now_us();                          \
      body;                                                \
      t_[r_] = now_us() - s_;                              \
    }                                                      \
    qsort(t_, REPS, sizeof(double), compare);              \
    (out) = t_[REPS / 2];                                  \
  } while (0)

/* Stop with oneDNN's status when a call fails (a bench of a primitive that did not run is no bench). */
static void ck_(int status, const char *call) {
  if (status != 0) {
    fprintf(stderr, "onednn-vs-ours: %s failed with status %d\n", call, status);
    exit(1);
  }
}
#define CK(call) ck_((int)(call), #call)

/* The largest |a - b| over n values. */
static double max_diff(const float *a, const float *b, int64_t n) {
  double worst = 0;
  for (int64_t i = 0; i < n; i++) {
    const double d = a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    if (d > worst) worst = d;
  }
  return worst;
}

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static dnnl_primitive_t eltwise(dnnl_alg_kind_t alg, int64_t n, dnnl_memory_t *src, dnnl_memory_t *dst, float *x,
                                float *y) {
  dnnl_memory_desc_t md;
  const dnnl_dims_t dims = {n};
  CK(dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a));
  dnnl_eltwise_desc_t desc;
  CK(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_training, alg, &md, 1.0f, 0.0f));
  dnnl_primitive_desc_t pd;
  CK(dnnl_primitive_desc_create(&pd, &desc, NULL, engine, NULL));
  dnnl_primitive_t p;
  CK(dnnl_primitive_create(&p, pd));
  dnnl_primitive_desc_destroy(pd);
  CK(dnnl_memory_create(src, &md, engine, x));
  CK(dnnl_memory_create(dst, &md, engine, y));
  return p;
}

static void run2(dnnl_primitive_t p, int a1, dnnl_memory_t m1, int a2, dnnl_memory_t m2) {
  dnnl_exec_arg_t args[2] = {{a1, m1}, {a2, m2}};
  CK(dnnl_primitive_execute(p, stream, 2, args));
  CK(dnnl_stream_wait(stream));
}

int main(void) {
  omp_set_num_threads(1);
  dnnl_engine_create(&engine, dnnl_cpu, 0);
  dnnl_stream_create(&stream, engine, dnnl_stream_default_flags);
  const int64_t rows = 512, cols = 1024, n = rows * cols;
  float *x = malloc(4 * n), *y = malloc(4 * n), *w = malloc(4 * cols), *b = malloc(4 * cols);
  float *mean = malloc(4 * rows), *rstd = malloc(4 * rows), *y2 = malloc(4 * n);
  for (int64_t i = 0; i < n; i++) x[i] = (float)((i * 2654435761u % 2001) / 1000.0 - 1.0);
  for (int64_t i = 0; i < cols; i++) w[i] = 1.0f + (float)i / cols, b[i] = (float)i / cols - 0.5f;
  double ours, theirs;
  printf("{\n  \"threads\": 1,\n  \"library\": \"%s (%s)\",\n", mbrl_dnnl_version(), mbrl_dnnl_isa());

  dnnl_memory_t src, dst;
  dnnl_primitive_t p = eltwise(dnnl_eltwise_elu, n, &src, &dst, x, y2);
  TIME(ours, mbrl_elu(x, y, n));
  TIME(theirs, run2(p, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst));
  printf("  \"elu 512x1024 us\": { \"ours\": %.1f, \"onednn\": %.1f, \"maxDiff\": %.2g },\n", ours, theirs,
         max_diff(y, y2, n));
  dnnl_primitive_destroy(p);
  p = eltwise(dnnl_eltwise_tanh, n, &src, &dst, x, y2);
  TIME(ours, mbrl_tanh(x, y, n));
  TIME(theirs, run2(p, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst));
  printf("  \"tanh 512x1024 us\": { \"ours\": %.1f, \"onednn\": %.1f, \"maxDiff\": %.2g },\n", ours, theirs,
         max_diff(y, y2, n));
  dnnl_primitive_destroy(p);

  /* Sum over the rows (a bias gradient): 512 x 1024 -> 1024. */
  {
    dnnl_memory_desc_t md, od;
    const dnnl_dims_t dims = {rows, cols}, odims = {1, cols};
    CK(dnnl_memory_desc_init_by_tag(&md, 2, dims, dnnl_f32, dnnl_ab));
    CK(dnnl_memory_desc_init_by_tag(&od, 2, odims, dnnl_f32, dnnl_ab));
    dnnl_reduction_desc_t desc;
    CK(dnnl_reduction_desc_init(&desc, dnnl_reduction_sum, &md, &od, 0.0f, 0.0f));
    dnnl_primitive_desc_t pd;
    CK(dnnl_primitive_desc_create(&pd, &desc, NULL, engine, NULL));
    CK(dnnl_primitive_create(&p, pd));
    dnnl_primitive_desc_destroy(pd);
    dnnl_memory_t ms, mo;
    CK(dnnl_memory_create(&ms, &md, engine, x));
    CK(dnnl_memory_create(&mo, &od, engine, y2));
    TIME(ours, mbrl_sum_leading(x, y, rows, cols, cols, 1.0));
    TIME(theirs, run2(p, DNNL_ARG_SRC, ms, DNNL_ARG_DST, mo));
    printf("  \"sum over rows 512x1024 us\": { \"ours\": %.1f, \"onednn\": %.1f, \"maxDiff\": %.2g },\n", ours,
           theirs, max_diff(y, y2, cols));
    dnnl_primitive_destroy(p);
  }

  /* A small-k product: [512 x 6] [6 x 1024] (the action columns of a first layer). */
  {
    float *c = malloc(4 * n), *c2 = malloc(4 * n);
    float *a6 = malloc(4 * 6 * cols);
    for (int64_t i = 0; i < 6 * cols; i++) a6[i] = x[i] * 0.5f;
    TIME(ours, mbrl_sgemm_small_k(0, 0, rows, cols, 6, x, a6, c));
    TIME(theirs, CK(mbrl_dnnl_gemm(0, 0, rows, cols, 6, x, 6, a6, cols, c2, cols, NULL, 0, 0, 1)));
    printf("  \"product 512x1024x6 us\": { \"ours\": %.1f, \"onednn\": %.1f, \"maxDiff\": %.2g },\n", ours, theirs,
           max_diff(c, c2, n));
    /* The dense epilogue: product then our bias + ELU pass, against oneDNN's post-ops. */
    float *wide = malloc(4 * 512 * 1024);
    for (int64_t i = 0; i < 512 * 1024; i++) wide[i] = x[i] * 0.03f;
    TIME(ours, (CK(mbrl_dnnl_gemm(0, 0, 512, 1024, 512, x, 512, wide, 1024, c, 1024, NULL, 0, 0, 1)),
                mbrl_bias_rows(c, b, 512, 1024, 1024, 1)));
    TIME(theirs, CK(mbrl_dnnl_gemm(0, 0, 512, 1024, 512, x, 512, wide, 1024, c2, 1024, b, 1, 0, 1)));
    printf("  \"dense 512x1024x512 + bias + ELU us\": { \"ours\": %.1f, \"onednn\": %.1f, \"maxDiff\": %.2g }\n", ours,
           theirs, max_diff(c, c2, n));
  }
  printf("}\n");
  return 0;
}
