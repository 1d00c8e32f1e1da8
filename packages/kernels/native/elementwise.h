/* Element-wise functions and sums over float32 arrays (see elementwise.c). */
#ifndef MBRL_ELEMENTWISE_H
#define MBRL_ELEMENTWISE_H
#include <stdint.h>

void mbrl_tanh(const float *x, float *y, int64_t n);
void mbrl_tanh_in_place(float *x, int64_t n);
void mbrl_tanh_grad(const float *dy, const float *t, float *dx, int64_t n);
void mbrl_softplus(const float *x, float *y, int64_t n);
void mbrl_bounded_gaussian(const float *params, float *mean, float *std, int64_t rows, int64_t d, float bound,
                           float lo, float hi);
void mbrl_bounded_gaussian_grad(const float *dmean, const float *dstd, const float *params, const float *mean,
                                float *dparams, int64_t rows, int64_t d, float bound, float lo, float hi);
void mbrl_elu(const float *x, float *y, int64_t n);
void mbrl_bias_rows(float *c, const float *bias, int64_t rows, int64_t cols, int64_t ldc, int elu);
void mbrl_sum_leading(const float *x, float *y, int64_t outer, int64_t inner, int64_t stride, double scale);
void mbrl_sum_trailing(const float *x, float *y, int64_t outer, int64_t inner, double scale);

#endif
