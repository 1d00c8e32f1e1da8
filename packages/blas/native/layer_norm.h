/* Layer normalisation over the last axis of a rows x cols float32 matrix (see layer_norm.c). */
#ifndef MBRL_LAYER_NORM_H
#define MBRL_LAYER_NORM_H
#include <stdint.h>

void mbrl_layer_norm(const float *x, const float *weight, const float *bias, float *y, float *mean,
                     float *rstd, int64_t rows, int64_t cols, double eps);
int mbrl_layer_norm_grad(const float *dy, const float *x, const float *weight, const float *mean,
                         const float *rstd, float *dx, float *dweight, float *dbias, int64_t rows,
                         int64_t cols);

#endif
