/* Products on oneDNN's matmul primitive (see onednn.c). */
#ifndef MBRL_ONEDNN_H
#define MBRL_ONEDNN_H
#include <stdint.h>
#include <stdio.h>

/*
 * C = op(A) op(B) (+ bias, then ELU when elu): op(A) m x k (leading dimension lda), op(B) k x n
 * (ldb), C m x n (ldc), row-major, as cblas_sgemm with alpha 1 and beta 0. A and B are f32, or
 * bf16 (uint16_t, from mbrl_to_bf16) when bf16; C and bias are f32. `threads`: oneDNN's own
 * (OpenMP) threads for this call, 1 when the caller is one of the addon's pool threads. Returns 0,
 * or oneDNN's status.
 */
int mbrl_dnnl_gemm(int trans_a, int trans_b, int m, int n, int k, const void *a, int lda, const void *b, int ldb,
                   float *c, int ldc, const float *bias, int elu, int bf16, int threads);

/* Whether oneDNN's CPU engine starts; whether it implements bf16 products on this CPU. */
int mbrl_dnnl_available(void);
int mbrl_dnnl_bf16_available(void);

/* The implementation oneDNN chose for the last primitive made (e.g. "brg:avx512_core"). */
const char *mbrl_dnnl_last_impl(void);
/* The instruction set oneDNN dispatches to on this CPU, and the library's version. */
const char *mbrl_dnnl_isa(void);
const char *mbrl_dnnl_version(void);

/*
 * Layer normalisation over the last axis of a rows x cols matrix: y = (x - mean) / sqrt(variance +
 * eps) weight + bias, writing each row's mean and (biased) variance; and its gradient: dx, and the
 * sums over the rows dweight = sum dy xhat, dbias = sum dy (overwritten). Returns 0 or oneDNN's status.
 */
int mbrl_dnnl_layer_norm(const float *x, const float *weight, const float *bias, float *y, float *mean,
                         float *variance, int64_t rows, int64_t cols, float eps);
int mbrl_dnnl_layer_norm_grad(const float *dy, const float *x, const float *weight, const float *mean,
                              const float *variance, float *dx, float *dweight, float *dbias, int64_t rows,
                              int64_t cols, float eps);

/* ELU with alpha 1, y = x > 0 ? x : expm1(x), and its gradient from the output: dx = dy where
   y > 0, else dy (y + 1). Returns 0 or oneDNN's status. */
int mbrl_dnnl_elu(const float *x, float *y, int64_t n);
int mbrl_dnnl_elu_grad(const float *dy, const float *y, float *dx, int64_t n);

/* y[i] = x[i] rounded to bfloat16 (nearest, ties to even). */
void mbrl_to_bf16(const float *x, uint16_t *y, int64_t n);

#endif
