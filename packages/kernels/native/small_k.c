/*
 * Products whose inner dimension k is small (outer products at k = 1, products with an action
 * or a handful of features): BLAS packs its operands for long inner loops and runs such shapes
 * far below its peak. Here each row of C is a sum of k rows of op(B), scaled by that row's k
 * values of op(A), accumulated in registers over blocks of columns and stored once. A transposed
 * B is first copied to k x n (k n values, small beside the m n k products). The sum runs over
 * p = 0..k-1 in order, each multiply and add rounded on its own.
 */
#include "small_k.h"

#include <stdlib.h>

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

/* Eight floats (an AVX register; two SSE ones on the baseline), loaded from any float address. */
typedef float vec8 __attribute__((vector_size(32), aligned(4)));

/* Columns per register block: eight vec8 accumulators. */
enum { LANES = 8, VECS = 8, BLOCK = LANES * VECS };

/* c[0..BLOCK) = sum_p s[p] b[p n .. p n + BLOCK), the sums held in registers. */
static inline void block_full(const float *restrict s, const float *restrict b, int64_t n, int64_t k,
                              float *restrict c) {
  vec8 acc[VECS];
  const vec8 *b0 = (const vec8 *)b;
  for (int v = 0; v < VECS; v++) acc[v] = s[0] * b0[v];
  for (int64_t p = 1; p < k; p++) {
    const float sp = s[p];
    const vec8 *bp = (const vec8 *)(b + p * n);
    for (int v = 0; v < VECS; v++) acc[v] = acc[v] + sp * bp[v];
  }
  vec8 *out = (vec8 *)c;
  for (int v = 0; v < VECS; v++) out[v] = acc[v];
}

/* The same over the last width < BLOCK columns, a vector at a time, then single columns. */
static inline void block_tail(const float *restrict s, const float *restrict b, int64_t n, int64_t k,
                              float *restrict c, int64_t width) {
  int64_t j = 0;
  for (; j + LANES <= width; j += LANES) {
    vec8 acc = s[0] * *(const vec8 *)(b + j);
    for (int64_t p = 1; p < k; p++) acc = acc + s[p] * *(const vec8 *)(b + p * n + j);
    *(vec8 *)(c + j) = acc;
  }
  for (; j < width; j++) {
    float acc = s[0] * b[j];
    for (int64_t p = 1; p < k; p++) acc = acc + s[p] * b[p * n + j];
    c[j] = acc;
  }
}

CLONES static void small_k_rows(int trans_a, int64_t m, int64_t n, int64_t k, const float *restrict a,
                                const float *restrict b, float *restrict c) {
  float s[MBRL_SMALL_K_LIMIT];
  for (int64_t i = 0; i < m; i++) {
    for (int64_t p = 0; p < k; p++) s[p] = trans_a ? a[p * m + i] : a[i * k + p];
    float *restrict ci = c + i * n;
    int64_t j0 = 0;
    for (; j0 + BLOCK <= n; j0 += BLOCK) block_full(s, b + j0, n, k, ci + j0);
    if (j0 < n) block_tail(s, b + j0, n, k, ci + j0, n - j0);
  }
}

int mbrl_sgemm_small_k(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, const float *a,
                       const float *b, float *c) {
  if (k < 1 || k > MBRL_SMALL_K_LIMIT) return 0;
  if (!trans_b || k == 1) {
    /* B^T with k = 1 is the same n values in the same order. */
    small_k_rows(trans_a, m, n, k, a, b, c);
    return 1;
  }
  float *packed = malloc(sizeof(float) * (size_t)(k * n));
  if (packed == NULL) return 0;
  for (int64_t j = 0; j < n; j++)
    for (int64_t p = 0; p < k; p++) packed[p * n + j] = b[j * k + p];
  small_k_rows(trans_a, m, n, k, a, packed, c);
  free(packed);
  return 1;
}
