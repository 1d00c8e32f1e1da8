/* Layer normalisation over the last axis of a rows x cols float32 matrix (see layer_norm.c). */
#ifndef MBRL_LAYER_NORM_H
#define MBRL_LAYER_NORM_H
#include <stdint.h>

void mbrl_layer_norm(const float *x, const float *weight, const float *bias, float *y, float *mean,
                     float *rstd, int64_t rows, int64_t cols, double eps);
/* dx for rows [0, rows), adding each column's sums of dy xhat and dy into acc_w and acc_b (double). */
void mbrl_layer_norm_grad_rows(const float *dy, const float *x, const float *weight, const float *mean,
                               const float *rstd, float *dx, double *acc_w, double *acc_b, int64_t rows,
                               int64_t cols);

#endif
