/*
 * Layer normalisation over the last axis, forward and backward, each in one pass over the rows.
 *
 * Forward, per row of x (cols values): mean and biased variance accumulated in double (two passes
 * over the row, so no cancellation), rstd = 1 / sqrt(variance + eps), and
 *   y = (x - mean) rstd weight + bias,
 * with the row's mean and rstd written out for the backward.
 *
 * Backward, with xhat = (x - mean) rstd and g = dy weight, per row:
 *   dx = rstd (g - mean(g) - xhat mean(g xhat))
 * and over all rows dweight = sum dy xhat, dbias = sum dy, accumulated in double in row order.
 * On x86-64 each function is compiled for AVX-512, AVX2 and the baseline.
 */
#include "layer_norm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

/*
 * Eight values at a time as GCC vector types: float lanes widened to double lanes for every sum,
 * so the sums vectorise without reassociation (each lane sums its own columns in order).
 */
typedef float f8 __attribute__((vector_size(32)));
typedef double d8 __attribute__((vector_size(64)));
#define LANES 8

/* Macros rather than functions: vector arguments and results would change the calling convention. */
#define LOAD8(p)                  \
  __extension__({                 \
    f8 v_;                        \
    memcpy(&v_, (p), sizeof v_);  \
    v_;                           \
  })
#define STORE8(p, v)               \
  do {                             \
    const f8 v_ = (v);             \
    memcpy((p), &v_, sizeof v_);   \
  } while (0)
#define WIDEN(v) __builtin_convertvector((v), d8)

static inline double lanes_total(const d8 *v) {
  double total = 0;
  for (int l = 0; l < LANES; l++) total += (*v)[l];
  return total;
}

CLONES void mbrl_layer_norm(const float *restrict x, const float *restrict weight, const float *restrict bias,
                            float *restrict y, float *restrict mean, float *restrict rstd, int64_t rows,
                            int64_t cols, double eps) {
  const int64_t body = cols - cols % LANES;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    d8 lanes = {0};
    for (int64_t j = 0; j < body; j += LANES) lanes += WIDEN(LOAD8(row + j));
    double total = lanes_total(&lanes);
    for (int64_t j = body; j < cols; j++) total += row[j];
    const double mu = total / (double)cols;
    d8 squares = {0};
    for (int64_t j = 0; j < body; j += LANES) {
      const d8 d = WIDEN(LOAD8(row + j)) - mu;
      squares += d * d;
    }
    double variance = lanes_total(&squares);
    for (int64_t j = body; j < cols; j++) variance += (row[j] - mu) * (row[j] - mu);
    variance /= (double)cols;
    const float m = (float)mu;
    const float s = (float)(1.0 / sqrt(variance + eps));
    mean[r] = m;
    rstd[r] = s;
    float *out = y + r * cols;
    for (int64_t j = 0; j < cols; j++) out[j] = (row[j] - m) * s * weight[j] + bias[j];
  }
}

CLONES void mbrl_layer_norm_grad_rows(const float *restrict dy, const float *restrict x,
                                     const float *restrict weight, const float *restrict mean,
                                     const float *restrict rstd, float *restrict dx, double *restrict acc_w,
                                     double *restrict acc_b, int64_t rows, int64_t cols) {
  const int64_t body = cols - cols % LANES;
  for (int64_t r = 0; r < rows; r++) {
    const float *dy_row = dy + r * cols;
    const float *x_row = x + r * cols;
    float *dx_row = dx + r * cols;
    const float m = mean[r];
    const float s = rstd[r];
    d8 sum_g = {0};
    d8 sum_gx = {0};
    for (int64_t j = 0; j < body; j += LANES) {
      const f8 xhat = (LOAD8(x_row + j) - m) * s;
      const d8 g = WIDEN(LOAD8(dy_row + j) * LOAD8(weight + j));
      sum_g += g;
      sum_gx += g * WIDEN(xhat);
    }
    double total_g = lanes_total(&sum_g);
    double total_gx = lanes_total(&sum_gx);
    for (int64_t j = body; j < cols; j++) {
      const float xhat = (x_row[j] - m) * s;
      const float g = dy_row[j] * weight[j];
      total_g += g;
      total_gx += (double)g * xhat;
    }
    const float mean_g = (float)(total_g / (double)cols);
    const float mean_gx = (float)(total_gx / (double)cols);
    for (int64_t j = 0; j < body; j += LANES) {
      const f8 d = LOAD8(dy_row + j);
      const f8 xhat = (LOAD8(x_row + j) - m) * s;
      STORE8(dx_row + j, (d * LOAD8(weight + j) - mean_g - xhat * mean_gx) * s);
      d8 w_acc, b_acc;
      memcpy(&w_acc, acc_w + j, sizeof w_acc);
      memcpy(&b_acc, acc_b + j, sizeof b_acc);
      w_acc += WIDEN(d) * WIDEN(xhat);
      b_acc += WIDEN(d);
      memcpy(acc_w + j, &w_acc, sizeof w_acc);
      memcpy(acc_b + j, &b_acc, sizeof b_acc);
    }
    for (int64_t j = body; j < cols; j++) {
      const float xhat = (x_row[j] - m) * s;
      dx_row[j] = (dy_row[j] * weight[j] - mean_g - xhat * mean_gx) * s;
      acc_w[j] += (double)dy_row[j] * xhat;
      acc_b[j] += dy_row[j];
    }
  }
}
