/* Matrix products with a small inner dimension, outside BLAS (see small_k.c). */
#ifndef MBRL_SMALL_K_H
#define MBRL_SMALL_K_H
#include <stdint.h>

/* The largest inner dimension mbrl_sgemm_small_k takes. */
#define MBRL_SMALL_K_LIMIT 32
/* Up to which k the addon's sgemm uses it (measured: faster than OpenBLAS up to about 8). */
#define MBRL_SMALL_K_DEFAULT 8

/*
 * C = op(A) op(B), row-major, op(A) m x k, op(B) k x n, C m x n overwritten, for
 * 1 <= k <= MBRL_SMALL_K_LIMIT. Returns 0 when it did nothing (k out of range, no memory).
 */
int mbrl_sgemm_small_k(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, const float *a,
                       const float *b, float *c);

#endif
