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

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

/* Eight independent double lanes per sum, so the loop vectorises without reassociating. */
#define LANES 8

static inline double lanes_total(const double *lanes) {
  double total = 0;
  for (int l = 0; l < LANES; l++) total += lanes[l];
  return total;
}

CLONES void mbrl_layer_norm(const float *restrict x, const float *restrict weight, const float *restrict bias,
                            float *restrict y, float *restrict mean, float *restrict rstd, int64_t rows,
                            int64_t cols, double eps) {
  const int64_t body = cols - cols % LANES;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    double lanes[LANES] = {0};
    for (int64_t j = 0; j < body; j += LANES)
      for (int l = 0; l < LANES; l++) lanes[l] += row[j + l];
    double total = lanes_total(lanes);
    for (int64_t j = body; j < cols; j++) total += row[j];
    const double mu = total / (double)cols;
    double squares[LANES] = {0};
    for (int64_t j = 0; j < body; j += LANES)
      for (int l = 0; l < LANES; l++) {
        const double d = row[j + l] - mu;
        squares[l] += d * d;
      }
    double variance = lanes_total(squares);
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

/* Returns 0, or -1 when the double accumulators could not be allocated (nothing written then). */
CLONES int mbrl_layer_norm_grad(const float *restrict dy, const float *restrict x, const float *restrict weight,
                                const float *restrict mean, const float *restrict rstd, float *restrict dx,
                                float *restrict dweight, float *restrict dbias, int64_t rows, int64_t cols) {
  double *acc = calloc(2 * (size_t)cols, sizeof(double));
  if (acc == NULL && cols > 0) return -1;
  double *acc_w = acc;
  double *acc_b = acc + cols;
  const int64_t body = cols - cols % LANES;
  for (int64_t r = 0; r < rows; r++) {
    const float *dy_row = dy + r * cols;
    const float *x_row = x + r * cols;
    const float m = mean[r];
    const float s = rstd[r];
    double sum_g[LANES] = {0};
    double sum_gx[LANES] = {0};
    for (int64_t j = 0; j < body; j += LANES)
      for (int l = 0; l < LANES; l++) {
        const float xhat = (x_row[j + l] - m) * s;
        const float g = dy_row[j + l] * weight[j + l];
        sum_g[l] += g;
        sum_gx[l] += (double)g * xhat;
      }
    double total_g = lanes_total(sum_g);
    double total_gx = lanes_total(sum_gx);
    for (int64_t j = body; j < cols; j++) {
      const float xhat = (x_row[j] - m) * s;
      const float g = dy_row[j] * weight[j];
      total_g += g;
      total_gx += (double)g * xhat;
    }
    const float mean_g = (float)(total_g / (double)cols);
    const float mean_gx = (float)(total_gx / (double)cols);
    float *dx_row = dx + r * cols;
    for (int64_t j = 0; j < cols; j++) {
      const float xhat = (x_row[j] - m) * s;
      const float g = dy_row[j] * weight[j];
      dx_row[j] = (g - mean_g - xhat * mean_gx) * s;
      acc_w[j] += (double)dy_row[j] * xhat;
      acc_b[j] += dy_row[j];
    }
  }
  for (int64_t j = 0; j < cols; j++) {
    dweight[j] = (float)acc_w[j];
    dbias[j] = (float)acc_b[j];
  }
  free(acc);
  return 0;
}
