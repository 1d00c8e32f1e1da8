/*
 * Element-wise functions and sums over float32 arrays, written so the compiler vectorises them:
 * tanh and softplus call glibc's vector math library (libmvec, glibc >= 2.35) through the SIMD
 * declarations below; sums accumulate in double. On x86-64 each loop is compiled for AVX-512,
 * AVX2 and the baseline, and the CPU picks at load time. MBRL_NO_LIBMVEC builds scalar calls.
 */
#include "elementwise.h"

#include <math.h>
#include <string.h>

#ifndef MBRL_NO_LIBMVEC
__attribute__((simd("notinbranch"))) float tanhf(float);
__attribute__((simd("notinbranch"))) float expf(float);
__attribute__((simd("notinbranch"))) float log1pf(float);
#endif

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

CLONES void mbrl_tanh(const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

/* tanh over x in place (the layer norm + tanh of the reward, critic and classifier nets). */
CLONES void mbrl_tanh_in_place(float *x, int64_t n) {
  for (int64_t i = 0; i < n; i++) x[i] = tanhf(x[i]);
}

/* tanh's gradient from its output t: dx = dy (1 - t^2), as tfjs's (square, subtract, multiply). */
CLONES void mbrl_tanh_grad(const float *restrict dy, const float *restrict t, float *restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float square = t[i] * t[i];
    const float one_minus = 1.0f - square;
    dx[i] = dy[i] * one_minus;
  }
}

/* tfjs's softplus of one value: v above -log(eps) - 2, exp(v) below log(eps) + 2, log(1 + exp(v))
   between. */
static inline float softplus1(float v) {
  const float threshold = 13.942385f;
  const float e = expf(v);
  return v > threshold ? v : (v < -threshold ? e : log1pf(e));
}

CLONES void mbrl_softplus(const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i++) y[i] = softplus1(x[i]);
}

/* tfjs's sigmoid of one value: 1 / (1 + exp(-v)). */
static inline float sigmoid1(float v) { return 1.0f / (1.0f + expf(-v)); }

/*
 * The bounded Gaussian head over rows of 2d values (d raw means, then d raw stds), with tfjs's
 * operations in tfjs's order: mean = bound tanh(m / bound); std = lo + softplus((hi - softplus(hi - s)) - lo).
 */
CLONES void mbrl_bounded_gaussian(const float *restrict params, float *restrict mean, float *restrict std,
                                  int64_t rows, int64_t d, float bound, float lo, float hi) {
  for (int64_t r = 0; r < rows; r++) {
    const float *m = params + r * 2 * d;
    const float *s = m + d;
    float *mean_row = mean + r * d;
    float *std_row = std + r * d;
    for (int64_t j = 0; j < d; j++) mean_row[j] = bound * tanhf(m[j] / bound);
    for (int64_t j = 0; j < d; j++) {
      const float below = hi - softplus1(hi - s[j]);
      std_row[j] = lo + softplus1(below - lo);
    }
  }
}

/*
 * Its gradient, as tfjs's autodiff of those operations computes it: for the mean,
 * ((dmean bound) (1 - t^2)) / bound with t = mean / bound; for the std,
 * (dstd sigmoid(below - lo)) sigmoid(hi - s) (the two subtractions' negations cancel).
 */
CLONES void mbrl_bounded_gaussian_grad(const float *restrict dmean, const float *restrict dstd,
                                       const float *restrict params, const float *restrict mean,
                                       float *restrict dparams, int64_t rows, int64_t d, float bound, float lo,
                                       float hi) {
  for (int64_t r = 0; r < rows; r++) {
    const float *s = params + r * 2 * d + d;
    const float *dm_row = dmean + r * d;
    const float *ds_row = dstd + r * d;
    const float *mean_row = mean + r * d;
    float *dm_out = dparams + r * 2 * d;
    float *ds_out = dm_out + d;
    for (int64_t j = 0; j < d; j++) {
      const float t = mean_row[j] / bound;
      const float square = t * t;
      const float one_minus = 1.0f - square;
      dm_out[j] = ((dm_row[j] * bound) * one_minus) / bound;
    }
    for (int64_t j = 0; j < d; j++) {
      const float u = hi - s[j];
      const float below = hi - softplus1(u);
      ds_out[j] = (ds_row[j] * sigmoid1(below - lo)) * sigmoid1(u);
    }
  }
}

/* ELU with alpha 1 of one value, as tfjs's wasm kernel: v below 0 gives exp(v) - 1. */
static inline float elu1(float v) {
  const float e = expf(v) - 1.0f;
  return v < 0 ? e : v;
}

CLONES void mbrl_elu(const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i++) y[i] = elu1(x[i]);
}

/* A dense layer's epilogue on rows x cols of C (row stride ldc), in place: C + bias, then ELU
   when `elu` (the same float operations as the Add kernel followed by mbrl_elu). */
CLONES void mbrl_bias_rows(float *c, const float *restrict bias, int64_t rows, int64_t cols, int64_t ldc,
                           int elu) {
  for (int64_t i = 0; i < rows; i++) {
    float *restrict row = c + i * ldc;
    if (elu) {
      for (int64_t j = 0; j < cols; j++) row[j] = elu1(row[j] + bias[j]);
    } else {
      for (int64_t j = 0; j < cols; j++) row[j] += bias[j];
    }
  }
}

/* y[j] = scale * sum_i x[i * stride + j] over rows i < outer, columns j < inner (blocks of columns). */
CLONES void mbrl_sum_leading(const float *restrict x, float *restrict y, int64_t outer, int64_t inner,
                             int64_t stride, double scale) {
  enum { BLOCK = 256 };
  double acc[BLOCK];
  for (int64_t j0 = 0; j0 < inner; j0 += BLOCK) {
    const int64_t width = inner - j0 < BLOCK ? inner - j0 : BLOCK;
    memset(acc, 0, sizeof(acc));
    for (int64_t i = 0; i < outer; i++) {
      const float *row = x + i * stride + j0;
      for (int64_t j = 0; j < width; j++) acc[j] += row[j];
    }
    for (int64_t j = 0; j < width; j++) y[j0 + j] = (float)(acc[j] * scale);
  }
}

/* y[i] = scale * sum_j x[i, j]: each row summed in eight double lanes, then the lanes. */
CLONES void mbrl_sum_trailing(const float *restrict x, float *restrict y, int64_t outer, int64_t inner,
                              double scale) {
  for (int64_t i = 0; i < outer; i++) {
    const float *row = x + i * inner;
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t j = 0;
    for (; j + 8 <= inner; j += 8)
      for (int l = 0; l < 8; l++) lanes[l] += row[j + l];
    double total = 0;
    for (; j < inner; j++) total += row[j];
    for (int l = 0; l < 8; l++) total += lanes[l];
    y[i] = (float)(total * scale);
  }
}
