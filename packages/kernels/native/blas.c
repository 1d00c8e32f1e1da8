/*
 * mbrl_blas: single-precision matrix products over OpenBLAS for Node (N-API).
 *
 * The products read and write caller-owned memory: every operand is an ArrayBuffer (in practice
 * the tfjs wasm backend's heap) plus a byte offset, so no tensor is copied on its way to BLAS.
 * Operands are row-major, batched with an element stride per batch entry (0 broadcasts).
 *
 *   sgemm(heap, batch, m, n, k, transA, transB, aOffset, aStride, bOffset, bStride, cOffset)
 *     C[i] = op(A[i]) op(B[i]) for i < batch, op(A) m x k, op(B) k x n, C m x n (C overwritten)
 *   dense(heap, m, n, k, xOffset, wOffset, biasOffset, yOffset, elu)
 *     y = x w + bias (then ELU when elu) for x m x k, w k x n: one dense layer, the bias and ELU
 *     applied by each thread to its block of y while it is in cache
 *   unary(op, heap, xOffset, yOffset, n)       y = f(x), f: 0 tanh, 1 softplus (tfjs's thresholds), 2 elu
 *   eluGrad(heap, dyOffset, yOffset, dxOffset, n)   ELU's gradient from its output
 *   boundedGaussian(heap, rows, d, paramsOffset, meanOffset, stdOffset, bound, lo, hi)
 *   boundedGaussianGrad(heap, rows, d, dmeanOffset, dstdOffset, paramsOffset, meanOffset, dparamsOffset,
 *                       bound, lo, hi)
 *     the encoder's and latent model's Gaussian head (rows of d raw means then d raw stds to a
 *     bounded mean and a soft-clamped std) and its gradient, tfjs's operations in tfjs's order
 *   sum(heap, xOffset, outer, inner, leading, yOffset, scale)
 *     x is outer x inner; leading: y[j] = scale sum_i x[i, j], else y[i] = scale sum_j x[i, j]
 *   adam(heap, n, [param, m, v, grad, paramOut, mOut, vOut] offsets, beta1, beta2, epsilon,
 *        stepSize, sqrtBiasCorrection2, scale)      one Adam step, outputs written (see optim.c)
 *   polyak(heap, n, targetOffset, onlineOffset, outOffset, tau, keep)
 *     out = online tau + target keep (a target network's soft update), as tfjs's ops round it
 *   binary(op, heap, aOffset, aKind, bOffset, bKind, yOffset, outer, n)
 *     y = a op b over an outer x n result, op: 0 add, 1 sub, 2 mul, 3 div, 4 neg (y = -a); kinds say
 *     how each operand broadcasts: 0 full, 1 scalar, 2 row of n, 3 column of outer (see binary.h)
 *   sumSquares(heap, xOffset, n) -> number          sum of x^2, accumulated in double
 *   smallK(max) -> previous   products with k <= max (and n >= 64) use small_k.c, not OpenBLAS
 *   layerNorm(heap, rows, cols, [x, weight, bias, y, mean, rstd] offsets, eps, tanh)
 *   layerNormGrad(heap, rows, cols, [dy, x, weight, mean, rstd, dx, dweight, dbias] offsets, tOffset)
 *     layer normalisation over the last axis of a rows x cols matrix and its gradient (layer_norm.c);
 *     with tanh, y = tanh(layer norm), and the gradient takes that y at tOffset (null: no tanh)
 *   setThreads(count), threads(), config()
 */
#include <node_api.h>

#include "binary.h"
#include "elementwise.h"
#include "optim.h"
#include "pool.h"
#include "small_k.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MBRL_HAVE_OPENBLAS
/* The CBLAS and OpenBLAS entry points used here (declared locally so only the library is needed). */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int count);
char *openblas_get_config(void);
#endif
#include "onednn.h"

/* Who computes the products: oneDNN's matmul (the default), or OpenBLAS where it is built in (the
   reference the benchmarks compare with). */
enum { LIBRARY_ONEDNN = 0, LIBRARY_OPENBLAS = 1 };
static int library = LIBRARY_ONEDNN;

/* The products' operands: f32; bf16 (oneDNN's bf16 kernels, f32 result); or bf16-rounded f32
   operands on the f32 kernels (the same numbers on any CPU, without the speed). */
enum { PRECISION_FP32 = 0, PRECISION_BF16 = 1, PRECISION_BF16_ROUNDED = 2 };
static int precision = PRECISION_FP32;

/* oneDNN's products: split over the addon's pool, one single-threaded call per block (0), or one
   call per product on oneDNN's own OpenMP threads (1). */
static int dnnl_own_threads = 0;

#define CHECK(env, call)                                                                    \
  do {                                                                                      \
    if ((call) != napi_ok) {                                                                \
      napi_throw_error((env), "MBRL_BLAS_ARGUMENT", "mbrl_blas: could not read an argument"); \
      return NULL;                                                                          \
    }                                                                                       \
  } while (0)

static napi_value throw_range(napi_env env, const char *message) {
  napi_throw_range_error(env, "MBRL_BLAS_RANGE", message);
  return NULL;
}

static int64_t get_int(napi_env env, napi_value value, int *ok) {
  int64_t out = 0;
  *ok = napi_get_value_int64(env, value, &out) == napi_ok;
  return out;
}

/* Reads `count` integers from argv[first...] into out; false when one is not an integer. */
static int get_ints(napi_env env, const napi_value *argv, int first, int count, int64_t *out) {
  int ok = 1, one;
  for (int i = 0; i < count; i++) {
    out[i] = get_int(env, argv[first + i], &one);
    ok &= one;
  }
  return ok;
}

/* Products with k up to this run in small_k.c instead of OpenBLAS (0: never); see smallK. */
static int64_t small_k_max = MBRL_SMALL_K_DEFAULT;

/* One batched product as the pool's pieces see it (row-major, leading dimensions of the whole). */
typedef struct {
  int m, n, k;
  bool trans_a, trans_b;
  const float *a;
  int64_t a_stride;
  const float *b;
  int64_t b_stride;
  float *c;
  int lda, ldb;
  int64_t item; /* the batch entry a row or column split works on */
  const float *bias; /* a dense layer's epilogue (batch 1): C + bias, then ELU when elu; or NULL */
  int elu;
  const uint16_t *a16, *b16; /* with PRECISION_BF16: A and B as bf16, same layout */
} product_t;

/* Products below this many multiply-adds run on the calling thread alone. */
#define PRODUCT_SPLIT_MIN (1 << 18)

static int small_k_applies(const product_t *p) {
  return p->k <= small_k_max && p->n >= 64 && p->a16 == NULL;
}

/*
 * The block of C of rows [row0, row0 + rows) and columns [col0, col0 + cols) of batch entry
 * `item`, with the dense epilogue (bias, then ELU) applied to it: by oneDNN as post-ops, or by
 * mbrl_bias_rows while the block is still in this thread's cache.
 */
static void product_block(const product_t *p, int64_t item, int row0, int rows, int col0, int cols) {
  const int64_t a_at = item * p->a_stride + (p->trans_a ? row0 : (int64_t)row0 * p->lda);
  const int64_t b_at = item * p->b_stride + (p->trans_b ? (int64_t)col0 * p->ldb : col0);
  const float *a = p->a + a_at;
  const float *b = p->b + b_at;
  float *c = p->c + item * (int64_t)p->m * p->n + (int64_t)row0 * p->n + col0;
  const float *bias = p->bias == NULL ? NULL : p->bias + col0;
  if (p->k == 0) {
    for (int i = 0; i < rows; i++) memset(c + (int64_t)i * p->n, 0, sizeof(float) * (size_t)cols);
  } else if (small_k_applies(p) && cols == p->n && (!p->trans_a || rows == p->m) &&
             mbrl_sgemm_small_k(p->trans_a, p->trans_b, rows, cols, p->k, a, b, c)) {
    /* A small inner dimension (outer products, a few features) runs faster in our own loop, which
       takes whole rows of C (and, for a transposed A, all of them). */
  } else {
    if (library == LIBRARY_ONEDNN) {
      const int bf16 = p->a16 != NULL;
      const void *a_op = bf16 ? (const void *)(p->a16 + a_at) : (const void *)a;
      const void *b_op = bf16 ? (const void *)(p->b16 + b_at) : (const void *)b;
      const int status = mbrl_dnnl_gemm(p->trans_a, p->trans_b, rows, cols, p->k, a_op, p->lda, b_op, p->ldb, c,
                                         p->n, bias, bias != NULL && p->elu, bf16,
                                         dnnl_own_threads ? mbrl_pool_threads() : 1);
      if (status != 0) {
        /* Checked before any product runs (shapes, bf16 support), so this means out of memory. */
        fprintf(stderr, "mbrl_blas: oneDNN product %dx%dx%d failed (status %d)\n", rows, cols, p->k, status);
        abort();
      }
      return;
    }
#ifdef MBRL_HAVE_OPENBLAS
    cblas_sgemm(ROW_MAJOR, p->trans_a ? TRANS : NO_TRANS, p->trans_b ? TRANS : NO_TRANS, rows, cols, p->k, 1.0f,
                a, p->lda, b, p->ldb, 0.0f, c, p->n);
#endif
  }
  if (bias != NULL) mbrl_bias_rows(c, bias, rows, cols, p->n, p->elu);
}

static void product_items(void *ctx, int64_t begin, int64_t end) {
  const product_t *p = ctx;
  for (int64_t i = begin; i < end; i++) product_block(p, i, 0, p->m, 0, p->n);
}

static void product_rows(void *ctx, int64_t begin, int64_t end) {
  const product_t *p = ctx;
  product_block(p, p->item, (int)begin, (int)(end - begin), 0, p->n);
}

static void product_cols(void *ctx, int64_t begin, int64_t end) {
  const product_t *p = ctx;
  product_block(p, p->item, 0, p->m, (int)begin, (int)(end - begin));
}

/* Operand copies for the bf16 precisions, reused from call to call (products run on the JS thread). */
static uint16_t *bf16_scratch = NULL;
static float *rounded_scratch = NULL;
static int64_t bf16_capacity = 0, rounded_capacity = 0;

typedef struct {
  const float *x;
  uint16_t *y16; /* bf16 out, or NULL */
  float *y32;    /* bf16-rounded f32 out, or NULL */
} convert_t;

static void convert_range(void *ctx, int64_t begin, int64_t end) {
  const convert_t *j = ctx;
  if (j->y16 != NULL) {
    mbrl_to_bf16(j->x + begin, j->y16 + begin, end - begin);
    return;
  }
  for (int64_t i = begin; i < end; i++) {
    /* Round to nearest, ties to even, as mbrl_to_bf16; keep the 16 bits as an f32. */
    uint32_t bits;
    memcpy(&bits, &j->x[i], 4);
    if ((bits & 0x7fffffffu) <= 0x7f800000u) bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
    memcpy(&j->y32[i], &bits, 4);
  }
}

/* Elements of A and B the product reads (entries beyond the first follow at the batch stride). */
static int64_t span_a(const product_t *p, int64_t batch) {
  return (p->a_stride == 0 ? 0 : (batch - 1) * p->a_stride) + (int64_t)p->m * p->k;
}
static int64_t span_b(const product_t *p, int64_t batch) {
  return (p->b_stride == 0 ? 0 : (batch - 1) * p->b_stride) + (int64_t)p->k * p->n;
}

/* Grow *buffer to hold `count` elements of `size` bytes; false when memory runs out. */
static int reserve(void **buffer, int64_t *capacity, int64_t count, size_t size) {
  if (count <= *capacity) return 1;
  void *grown = realloc(*buffer, (size_t)count * size);
  if (grown == NULL) return 0;
  *buffer = grown;
  *capacity = count;
  return 1;
}

/* With a bf16 precision, the product's operands as bf16 (or bf16-rounded f32) copies. */
static int convert_operands(product_t *p, int64_t batch) {
  const int64_t na = span_a(p, batch), nb = span_b(p, batch);
  if (precision == PRECISION_FP32 || p->k == 0) return 1;
  if (precision == PRECISION_BF16) {
    if (!reserve((void **)&bf16_scratch, &bf16_capacity, na + nb, sizeof(uint16_t))) return 0;
    convert_t ja = {p->a, bf16_scratch, NULL}, jb = {p->b, bf16_scratch + na, NULL};
    mbrl_parallel_for(na, 1 << 16, 64, convert_range, &ja);
    mbrl_parallel_for(nb, 1 << 16, 64, convert_range, &jb);
    p->a16 = bf16_scratch;
    p->b16 = bf16_scratch + na;
    return 1;
  }
  if (!reserve((void **)&rounded_scratch, &rounded_capacity, na + nb, sizeof(float))) return 0;
  convert_t ja = {p->a, NULL, rounded_scratch}, jb = {p->b, NULL, rounded_scratch + na};
  mbrl_parallel_for(na, 1 << 16, 64, convert_range, &ja);
  mbrl_parallel_for(nb, 1 << 16, 64, convert_range, &jb);
  p->a = rounded_scratch;
  p->b = rounded_scratch + na;
  return 1;
}

/*
 * C[i] = op(A[i]) op(B[i]) for i < batch on the pool: whole entries per thread when the batch is
 * at least the thread count, otherwise each entry's rows (or columns, when C has few rows and is
 * wider than tall) in one block per thread. The product library runs single-threaded inside each
 * block. Returns false when memory for the bf16 operand copies runs out.
 */
static int multiply(const product_t *given, int64_t batch) {
  product_t converted = *given;
  if (!convert_operands(&converted, batch)) return 0;
  const product_t *p = &converted;
  const int threads = mbrl_pool_threads();
  const int64_t work = (int64_t)p->m * p->n * (p->k > 0 ? p->k : 1);
  if (threads <= 1 || work * batch < PRODUCT_SPLIT_MIN || (library == LIBRARY_ONEDNN && dnnl_own_threads)) {
    product_items((void *)p, 0, batch);
    return 1;
  }
  if (batch >= threads || (small_k_applies(p) && p->trans_a)) {
    mbrl_parallel_for(batch, 0, 1, product_items, (void *)p);
    return 1;
  }
  for (int64_t i = 0; i < batch; i++) {
    product_t one = *p;
    one.item = i;
    /* Rows unless C is too short to give each thread a few blocks of them: whole rows of C are
       contiguous, and each thread packs only the (often small) B again (measured: 1.1-1.2x the
       column split at k = 50-100, equal at k = 512-1024). */
    if (p->m >= 64 * threads || p->m >= p->n || small_k_applies(p))
      mbrl_parallel_for(p->m, 0, 16, product_rows, &one);
    else mbrl_parallel_for(p->n, 0, 16, product_cols, &one);
  }
  return 1;
}

static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) return throw_range(env, "mbrl_blas.sgemm: expected 12 arguments");
  void *data = NULL;
  size_t bytes = 0;
  bool is_buffer = false;
  CHECK(env, napi_is_arraybuffer(env, argv[0], &is_buffer));
  if (!is_buffer) return throw_range(env, "mbrl_blas.sgemm: the first argument must be an ArrayBuffer");
  CHECK(env, napi_get_arraybuffer_info(env, argv[0], &data, &bytes));
  int64_t v[9];
  bool trans[2];
  int ok = 1, one;
  const int int_args[9] = {1, 2, 3, 4, 7, 8, 9, 10, 11};
  for (int i = 0; i < 9; i++) {
    v[i] = get_int(env, argv[int_args[i]], &one);
    ok &= one;
  }
  CHECK(env, napi_get_value_bool(env, argv[5], &trans[0]));
  CHECK(env, napi_get_value_bool(env, argv[6], &trans[1]));
  if (!ok) return throw_range(env, "mbrl_blas.sgemm: sizes, offsets and strides must be integers");
  const int64_t batch = v[0], m = v[1], n = v[2], k = v[3];
  const int64_t a_off = v[4], a_stride = v[5], b_off = v[6], b_stride = v[7], c_off = v[8];
  if (batch < 0 || m < 0 || n < 0 || k < 0 || a_stride < 0 || b_stride < 0 || m > INT32_MAX ||
      n > INT32_MAX || k > INT32_MAX)
    return throw_range(env, "mbrl_blas.sgemm: negative or too large size");
  if (a_off % 4 || b_off % 4 || c_off % 4)
    return throw_range(env, "mbrl_blas.sgemm: offsets must be multiples of 4 bytes");
  if (batch == 0 || m == 0 || n == 0) return NULL;
  /* Every element read or written must lie inside the buffer. */
  const int64_t a_end = a_off + 4 * ((batch - 1) * a_stride + m * k);
  const int64_t b_end = b_off + 4 * ((batch - 1) * b_stride + k * n);
  const int64_t c_end = c_off + 4 * (batch * m * n);
  if (a_off < 0 || b_off < 0 || c_off < 0 || a_end > (int64_t)bytes || b_end > (int64_t)bytes ||
      c_end > (int64_t)bytes)
    return throw_range(env, "mbrl_blas.sgemm: an operand lies outside the buffer");
  float *base = (float *)data;
  const product_t p = {(int)m, (int)n, (int)k, trans[0], trans[1], base + a_off / 4, a_stride,
                       base + b_off / 4, b_stride, base + c_off / 4, trans[0] ? (int)m : (int)k,
                       trans[1] ? (int)k : (int)n};
  if (!multiply(&p, batch)) return throw_range(env, "mbrl_blas.sgemm: out of memory for the bf16 operands");
  return NULL;
}

/* The float32 array [offset, offset + 4 count) of the ArrayBuffer argument, or NULL (thrown). */
static float *heap_span(napi_env env, napi_value buffer, int64_t offset, int64_t count, const char *what) {
  void *data = NULL;
  size_t bytes = 0;
  bool is_buffer = false;
  if (napi_is_arraybuffer(env, buffer, &is_buffer) != napi_ok || !is_buffer ||
      napi_get_arraybuffer_info(env, buffer, &data, &bytes) != napi_ok) {
    napi_throw_range_error(env, "MBRL_BLAS_RANGE", "mbrl_blas: expected an ArrayBuffer");
    return NULL;
  }
  if (offset < 0 || offset % 4 || count < 0 || offset + 4 * count > (int64_t)bytes) {
    napi_throw_range_error(env, "MBRL_BLAS_RANGE", what);
    return NULL;
  }
  return (float *)((char *)data + offset);
}

/* spans[i] = heap_span(offsets[i], counts[i]) for i < n; false (thrown, with `what`) at the first
   one that lies outside the buffer. */
static int heap_spans(napi_env env, napi_value buffer, int n, const int64_t *offsets, const int64_t *counts,
                      float **spans, const char *what) {
  for (int i = 0; i < n; i++) {
    spans[i] = heap_span(env, buffer, offsets[i], counts[i], what);
    if (spans[i] == NULL) return 0;
  }
  return 1;
}

/* dense(heap, m, n, k, xOffset, wOffset, biasOffset, yOffset, elu): y = x w + bias, then ELU when
   elu; x m x k, w k x n, bias n, y m x n, row-major. Each thread adds the bias (and applies ELU) to
   its block of y right after computing it. */
static napi_value dense(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) return throw_range(env, "mbrl_blas.dense: expected 9 arguments");
  int64_t v[7];
  bool elu = false;
  const int ok = get_ints(env, argv, 1, 7, v);
  CHECK(env, napi_get_value_bool(env, argv[8], &elu));
  const int64_t m = v[0], n = v[1], k = v[2];
  if (!ok || m < 0 || n < 0 || k < 0 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
    return throw_range(env, "mbrl_blas.dense: sizes and offsets must be non-negative integers");
  const int64_t counts[4] = {m * k, k * n, n, m * n};
  float *x_w_bias_y[4];
  if (!heap_spans(env, argv[0], 4, v + 3, counts, x_w_bias_y, "mbrl_blas.dense: an operand lies outside the buffer"))
    return NULL;
  if (m == 0 || n == 0) return NULL;
  float *const *o = x_w_bias_y;
  const product_t p = {(int)m, (int)n, (int)k, false, false, o[0], 0, o[1], 0, o[3], (int)k, (int)n, 0, o[2], elu};
  if (!multiply(&p, 1)) return throw_range(env, "mbrl_blas.dense: out of memory for the bf16 operands");
  return NULL;
}

/* Element-wise kernels split into pieces of whole cache lines once they are this long. */
#define ELEMENTWISE_SPLIT_MIN 32768
#define ELEMENTWISE_ALIGN 64

typedef struct {
  int op;
  const float *x;
  float *y;
  int failed; /* oneDNN's status when its ELU failed on a piece */
} unary_t;

/* tanh and softplus are ours; ELU is oneDNN's eltwise primitive (one thread, 512 x 1024 values,
   `npm run bench:onednn -w @mbrl-ts/kernels`: ELU 0.26 ms against 1.17-1.26 ms for the loop it
   replaced; tanh stays ours at 0.49 ms against oneDNN's 1.73-2.13 ms). */
static void unary_range(void *ctx, int64_t begin, int64_t end) {
  unary_t *j = ctx;
  if (j->op == 0) mbrl_tanh(j->x + begin, j->y + begin, end - begin);
  else if (j->op == 1) mbrl_softplus(j->x + begin, j->y + begin, end - begin);
  else {
    const int status = mbrl_dnnl_elu(j->x + begin, j->y + begin, end - begin);
    if (status != 0) j->failed = status;
  }
}

typedef struct {
  const float *dy, *y;
  float *dx;
  int failed;
} elu_grad_t;

/* oneDNN's eltwise backward from the output (same bench: 0.24 ms against 0.50 ms for our loop,
   bit for bit the same values). */
static void elu_grad_range(void *ctx, int64_t begin, int64_t end) {
  elu_grad_t *j = ctx;
  const int status = mbrl_dnnl_elu_grad(j->dy + begin, j->y + begin, j->dx + begin, end - begin);
  if (status != 0) j->failed = status;
}

/* Throws when a piece's oneDNN call failed; returns NULL either way (the N-API functions' result). */
static napi_value throw_if_failed(napi_env env, int failed, const char *who) {
  if (failed) {
    char message[96];
    snprintf(message, sizeof(message), "%s: oneDNN failed (status %d)", who, failed);
    napi_throw_error(env, "MBRL_BLAS_ONEDNN", message);
  }
  return NULL;
}

typedef struct {
  const float *x;
  float *y;
  int64_t outer, inner;
  double scale;
} sum_t;

static void sum_columns(void *ctx, int64_t begin, int64_t end) {
  const sum_t *j = ctx;
  mbrl_sum_leading(j->x + begin, j->y + begin, j->outer, end - begin, j->inner, j->scale);
}

static void sum_rows(void *ctx, int64_t begin, int64_t end) {
  const sum_t *j = ctx;
  mbrl_sum_trailing(j->x + begin * j->inner, j->y + begin, end - begin, j->inner, j->scale);
}

typedef struct {
  float *spans[7];
  const mbrl_adam_params *params;
} adam_t;

static void adam_range(void *ctx, int64_t begin, int64_t end) {
  const adam_t *j = ctx;
  float *const *s = j->spans;
  mbrl_adam(s[0] + begin, s[1] + begin, s[2] + begin, s[3] + begin, s[4] + begin, s[5] + begin, s[6] + begin,
            end - begin, j->params);
}

static napi_value unary(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) return throw_range(env, "mbrl_blas.unary: expected 5 arguments");
  int64_t v[3];
  int ok;
  const int64_t op = get_int(env, argv[0], &ok);
  ok &= get_ints(env, argv, 2, 3, v);
  const int64_t x_off = v[0], y_off = v[1], n = v[2];
  if (!ok || op < 0 || op > 2) return throw_range(env, "mbrl_blas.unary: bad operation or size");
  const float *x = heap_span(env, argv[1], x_off, n, "mbrl_blas.unary: the input lies outside the buffer");
  if (x == NULL) return NULL;
  float *y = heap_span(env, argv[1], y_off, n, "mbrl_blas.unary: the output lies outside the buffer");
  if (y == NULL) return NULL;
  unary_t job = {(int)op, x, y, 0};
  if (n > 0) mbrl_parallel_for(n, ELEMENTWISE_SPLIT_MIN, ELEMENTWISE_ALIGN, unary_range, &job);
  return throw_if_failed(env, job.failed, "mbrl_blas.unary");
}

static napi_value elu_grad(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) return throw_range(env, "mbrl_blas.eluGrad: expected 5 arguments");
  int64_t v[4];
  const int ok = get_ints(env, argv, 1, 4, v);
  if (!ok || v[3] < 0) return throw_range(env, "mbrl_blas.eluGrad: bad size or offset");
  const int64_t counts[3] = {v[3], v[3], v[3]};
  float *o[3]; /* dy, y, dx */
  if (!heap_spans(env, argv[0], 3, v, counts, o, "mbrl_blas.eluGrad: an operand lies outside the buffer")) return NULL;
  elu_grad_t job = {o[0], o[1], o[2], 0};
  if (v[3] > 0) mbrl_parallel_for(v[3], ELEMENTWISE_SPLIT_MIN, ELEMENTWISE_ALIGN, elu_grad_range, &job);
  return throw_if_failed(env, job.failed, "mbrl_blas.eluGrad");
}

typedef struct {
  const float *a, *b, *params, *mean; /* the gradient's dmean and dstd; the forward's params */
  float *y0, *y1;                     /* forward: mean, std; gradient: dparams */
  int64_t d;
  float bound, lo, hi;
} bounded_gaussian_t;

static void bounded_gaussian_rows(void *ctx, int64_t begin, int64_t end) {
  const bounded_gaussian_t *j = ctx;
  mbrl_bounded_gaussian(j->params + begin * 2 * j->d, j->y0 + begin * j->d, j->y1 + begin * j->d, end - begin, j->d,
                        j->bound, j->lo, j->hi);
}

static void bounded_gaussian_grad_rows(void *ctx, int64_t begin, int64_t end) {
  const bounded_gaussian_t *j = ctx;
  const int64_t d = j->d;
  mbrl_bounded_gaussian_grad(j->a + begin * d, j->b + begin * d, j->params + begin * 2 * d, j->mean + begin * d,
                             j->y0 + begin * 2 * d, end - begin, d, j->bound, j->lo, j->hi);
}

/* Reads the head's bound, lo and hi from argv[first..first + 2]; false when one is not a number. */
static int get_head_constants(napi_env env, const napi_value *argv, int first, bounded_gaussian_t *job) {
  double v[3];
  for (int i = 0; i < 3; i++)
    if (napi_get_value_double(env, argv[first + i], &v[i]) != napi_ok) return 0;
  job->bound = (float)v[0];
  job->lo = (float)v[1];
  job->hi = (float)v[2];
  return v[0] != 0;
}

/* boundedGaussian(heap, rows, d, paramsOffset, meanOffset, stdOffset, bound, lo, hi) */
static napi_value bounded_gaussian(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) return throw_range(env, "mbrl_blas.boundedGaussian: expected 9 arguments");
  int64_t v[5];
  bounded_gaussian_t job = {0};
  if (!get_ints(env, argv, 1, 5, v) || v[0] < 0 || v[1] < 0 || !get_head_constants(env, argv, 6, &job))
    return throw_range(env, "mbrl_blas.boundedGaussian: bad size, offset or bound");
  const int64_t rows = v[0], d = v[1];
  const int64_t counts[3] = {rows * 2 * d, rows * d, rows * d};
  float *o[3]; /* params, mean, std */
  if (!heap_spans(env, argv[0], 3, v + 2, counts, o, "mbrl_blas.boundedGaussian: an operand lies outside the buffer"))
    return NULL;
  job.params = o[0];
  job.y0 = o[1];
  job.y1 = o[2];
  job.d = d;
  mbrl_parallel_for(rows, ELEMENTWISE_SPLIT_MIN / (d > 0 ? 2 * d : 1), 1, bounded_gaussian_rows, &job);
  return NULL;
}

/* boundedGaussianGrad(heap, rows, d, dmeanOffset, dstdOffset, paramsOffset, meanOffset, dparamsOffset, bound, lo, hi) */
static napi_value bounded_gaussian_grad(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) return throw_range(env, "mbrl_blas.boundedGaussianGrad: expected 11 arguments");
  int64_t v[7];
  bounded_gaussian_t job = {0};
  if (!get_ints(env, argv, 1, 7, v) || v[0] < 0 || v[1] < 0 || !get_head_constants(env, argv, 8, &job))
    return throw_range(env, "mbrl_blas.boundedGaussianGrad: bad size, offset or bound");
  const int64_t rows = v[0], d = v[1];
  const int64_t counts[5] = {rows * d, rows * d, rows * 2 * d, rows * d, rows * 2 * d};
  float *o[5]; /* dmean, dstd, params, mean, dparams */
  if (!heap_spans(env, argv[0], 5, v + 2, counts, o,
                  "mbrl_blas.boundedGaussianGrad: an operand lies outside the buffer"))
    return NULL;
  job.a = o[0];
  job.b = o[1];
  job.params = o[2];
  job.mean = o[3];
  job.y0 = o[4];
  job.d = d;
  mbrl_parallel_for(rows, ELEMENTWISE_SPLIT_MIN / (d > 0 ? 2 * d : 1), 1, bounded_gaussian_grad_rows, &job);
  return NULL;
}

static napi_value sum(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) return throw_range(env, "mbrl_blas.sum: expected 7 arguments");
  int64_t v[3];
  int ok = get_ints(env, argv, 1, 3, v), one;
  const int64_t x_off = v[0], outer = v[1], inner = v[2];
  const int64_t y_off = get_int(env, argv[5], &one);
  ok &= one;
  bool leading = false;
  double scale = 1;
  CHECK(env, napi_get_value_bool(env, argv[4], &leading));
  CHECK(env, napi_get_value_double(env, argv[6], &scale));
  if (!ok || outer < 0 || inner < 0) return throw_range(env, "mbrl_blas.sum: bad size");
  const float *x = heap_span(env, argv[0], x_off, outer * inner, "mbrl_blas.sum: the input lies outside the buffer");
  if (x == NULL) return NULL;
  float *y = heap_span(env, argv[0], y_off, leading ? inner : outer, "mbrl_blas.sum: the output lies outside the buffer");
  if (y == NULL) return NULL;
  sum_t job = {x, y, outer, inner, scale};
  /* Column sums split over columns, row sums over rows; each output is one thread's. */
  if (leading) mbrl_parallel_for(inner, ELEMENTWISE_SPLIT_MIN / (outer > 0 ? outer : 1), 64, sum_columns, &job);
  else mbrl_parallel_for(outer, ELEMENTWISE_SPLIT_MIN / (inner > 0 ? inner : 1), 1, sum_rows, &job);
  return NULL;
}

typedef struct {
  const float *target, *online;
  float *out;
  float tau, keep;
} polyak_t;

static void polyak_range(void *ctx, int64_t begin, int64_t end) {
  const polyak_t *j = ctx;
  mbrl_polyak(j->target + begin, j->online + begin, j->out + begin, end - begin, j->tau, j->keep);
}

/* polyak(heap, n, targetOffset, onlineOffset, outOffset, tau, keep): out = online tau + target keep. */
static napi_value polyak(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) return throw_range(env, "mbrl_blas.polyak: expected 7 arguments");
  int64_t v[4];
  double tau = 0, keep = 0;
  const int ok = get_ints(env, argv, 1, 4, v);
  CHECK(env, napi_get_value_double(env, argv[5], &tau));
  CHECK(env, napi_get_value_double(env, argv[6], &keep));
  if (!ok || v[0] < 0) return throw_range(env, "mbrl_blas.polyak: bad size or offset");
  const int64_t counts[3] = {v[0], v[0], v[0]};
  float *o[3]; /* target, online, out */
  if (!heap_spans(env, argv[0], 3, v + 1, counts, o, "mbrl_blas.polyak: an operand lies outside the buffer"))
    return NULL;
  polyak_t job = {o[0], o[1], o[2], (float)tau, (float)keep};
  mbrl_parallel_for(v[0], ELEMENTWISE_SPLIT_MIN, ELEMENTWISE_ALIGN, polyak_range, &job);
  return NULL;
}

static napi_value adam(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 15) return throw_range(env, "mbrl_blas.adam: expected 15 arguments");
  int64_t v[8]; /* n, then the seven offsets */
  const int ok = get_ints(env, argv, 1, 8, v);
  const int64_t n = v[0], *offsets = v + 1;
  double h[6];
  for (int i = 0; i < 6; i++) CHECK(env, napi_get_value_double(env, argv[9 + i], &h[i]));
  if (!ok || n < 0) return throw_range(env, "mbrl_blas.adam: bad size or offset");
  const int64_t counts[7] = {n, n, n, n, n, n, n};
  float *spans[7];
  if (!heap_spans(env, argv[0], 7, offsets, counts, spans, "mbrl_blas.adam: an operand lies outside the buffer"))
    return NULL;
  /* The constants as tfjs's scalars hold them: float32, 1 - beta computed in double first. */
  const mbrl_adam_params params = {(float)h[0], (float)(1 - h[0]), (float)h[1], (float)(1 - h[1]),
                                   (float)h[2], (float)h[3],       (float)h[4], (float)h[5]};
  adam_t job = {{spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6]}, &params};
  mbrl_parallel_for(n, ELEMENTWISE_SPLIT_MIN, ELEMENTWISE_ALIGN, adam_range, &job);
  return NULL;
}

static napi_value sum_squares(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) return throw_range(env, "mbrl_blas.sumSquares: expected 3 arguments");
  int64_t v[2];
  const int ok = get_ints(env, argv, 1, 2, v);
  const int64_t x_off = v[0], n = v[1];
  if (!ok || n < 0) return throw_range(env, "mbrl_blas.sumSquares: bad size or offset");
  const float *x = heap_span(env, argv[0], x_off, n, "mbrl_blas.sumSquares: the input lies outside the buffer");
  if (x == NULL) return NULL;
  napi_value out;
  CHECK(env, napi_create_double(env, mbrl_sum_squares(x, n), &out));
  return out;
}

typedef struct {
  int op;
  const float *a;
  int a_kind;
  const float *b;
  int b_kind;
  float *y;
  int64_t outer, n;
} binary_t;

/* Where rows [begin, ...) of an operand of `kind` start. */
static const float *operand_rows(const float *x, int kind, int64_t begin, int64_t n) {
  return kind == MBRL_FULL ? x + begin * n : kind == MBRL_COLUMN ? x + begin : x;
}

static void binary_rows(void *ctx, int64_t begin, int64_t end) {
  const binary_t *j = ctx;
  mbrl_binary(j->op, operand_rows(j->a, j->a_kind, begin, j->n), j->a_kind,
              operand_rows(j->b, j->b_kind, begin, j->n), j->b_kind, j->y + begin * j->n, end - begin, j->n);
}

/* One row (outer = 1) cut into column ranges: full and row operands advance, the others stay. */
static void binary_columns(void *ctx, int64_t begin, int64_t end) {
  const binary_t *j = ctx;
  const float *a = j->a_kind == MBRL_FULL || j->a_kind == MBRL_ROW ? j->a + begin : j->a;
  const float *b = j->b_kind == MBRL_FULL || j->b_kind == MBRL_ROW ? j->b + begin : j->b;
  mbrl_binary(j->op, a, j->a_kind, b, j->b_kind, j->y + begin, 1, end - begin);
}

static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) return throw_range(env, "mbrl_blas.binary: expected 9 arguments");
  int64_t v[9]; /* v[1] unused: argv[1] is the heap */
  int ok;
  v[0] = get_int(env, argv[0], &ok);
  ok &= get_ints(env, argv, 2, 7, v + 2);
  const int64_t op = v[0], a_kind = v[3], b_kind = v[5], outer = v[7], n = v[8];
  if (!ok || op < MBRL_ADD || op > MBRL_NEG || a_kind < MBRL_FULL || a_kind > MBRL_COLUMN ||
      b_kind < MBRL_FULL || b_kind > MBRL_COLUMN || outer < 0 || n < 0)
    return throw_range(env, "mbrl_blas.binary: bad operation, operand kind or size");
  const int64_t offsets[3] = {v[2], v[4], v[6]};
  const int64_t counts[3] = {mbrl_operand_size((int)a_kind, outer, n),
                             op == MBRL_NEG ? 0 : mbrl_operand_size((int)b_kind, outer, n), outer * n};
  float *o[3]; /* a, b, y */
  if (!heap_spans(env, argv[1], 3, offsets, counts, o, "mbrl_blas.binary: an operand lies outside the buffer"))
    return NULL;
  binary_t job = {(int)op, o[0], (int)a_kind, o[1], (int)b_kind, o[2], outer, n};
  if (outer > 1) mbrl_parallel_for(outer, ELEMENTWISE_SPLIT_MIN / (n > 0 ? n : 1), 1, binary_rows, &job);
  else mbrl_parallel_for(n, ELEMENTWISE_SPLIT_MIN, ELEMENTWISE_ALIGN, binary_columns, &job);
  return NULL;
}

static napi_value small_k(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int ok;
  const int64_t max = argc == 1 ? get_int(env, argv[0], &ok) : -1;
  if (argc != 1 || !ok || max < 0 || max > MBRL_SMALL_K_LIMIT)
    return throw_range(env, "mbrl_blas.smallK: expected an inner dimension from 0 to 32");
  napi_value out;
  CHECK(env, napi_create_int64(env, small_k_max, &out));
  small_k_max = max;
  return out;
}

/*
 * Layer normalisation runs on oneDNN's layer_normalization primitive, each thread of the pool on
 * its block of rows (measured on one thread, 512 x 1024, `npm run bench:onednn -w @mbrl-ts/kernels`
 * at the commit that replaced it: forward 0.15 ms against 1.9-2.2 ms for the hand-written loop it
 * replaced, backward 0.29 against 1.39 ms). Our kernels keep their contract: the forward writes
 * each row's mean and rstd = 1 / sqrt(variance + eps); the backward recovers the variance the
 * primitive reads as 1 / rstd^2 with eps 0, which gives the same sqrt(variance + eps) back.
 * tanh after the layer norm, and its gradient before, stay ours (tanh: 0.49 ms against oneDNN's
 * 1.73 ms on the same bench).
 */
typedef struct {
  float *spans[6]; /* x, weight, bias, y, mean, rstd */
  int64_t cols;
  double eps;
  bool tanh; /* y = tanh(layer norm), applied to each block of rows while it is in cache */
  int failed; /* a block's oneDNN call failed (status), or its scratch could not be allocated (-1) */
} layer_norm_t;

static void layer_norm_rows(void *ctx, int64_t begin, int64_t end) {
  layer_norm_t *j = ctx;
  float *const *s = j->spans;
  const int64_t rows = end - begin, c = j->cols;
  float *y = s[3] + begin * c;
  float *rstd = s[5] + begin;
  /* oneDNN writes the variance into rstd's place; then rstd = 1 / sqrt(variance + eps). */
  const int status = mbrl_dnnl_layer_norm(s[0] + begin * c, s[1], s[2], y, s[4] + begin, rstd, rows, c, (float)j->eps);
  if (status != 0) {
    j->failed = status;
    return;
  }
  for (int64_t r = 0; r < rows; r++) rstd[r] = (float)(1.0 / sqrt((double)rstd[r] + j->eps));
  if (j->tanh) mbrl_tanh_in_place(y, rows * c);
}

typedef struct {
  float *spans[6]; /* dy, x, weight, mean, rstd, dx */
  const float *t;  /* the forward's tanh output, or NULL: then dy is the layer norm's own */
  float *partial;  /* per piece: cols of dweight, then cols of dbias, then rows of the piece's variance */
  int64_t cols, rows_per_piece;
  int failed;
} layer_norm_grad_t;

static void layer_norm_grad_rows(void *ctx, int piece, int64_t begin, int64_t end) {
  layer_norm_grad_t *j = ctx;
  float *const *s = j->spans;
  const int64_t rows = end - begin, c = j->cols;
  float *dweight = j->partial + piece * (2 * c + j->rows_per_piece);
  float *dbias = dweight + c;
  float *variance = dbias + c;
  for (int64_t r = 0; r < rows; r++) {
    const double inverse = (double)s[4][begin + r];
    variance[r] = (float)(1.0 / (inverse * inverse));
  }
  const float *dy = s[0] + begin * c;
  float *dx = s[5] + begin * c;
  if (j->t != NULL) {
    /* Through tanh first: the layer norm's dy is dy (1 - t^2), in a block of its own. */
    float *through = malloc(sizeof(float) * (size_t)(rows * c));
    if (through == NULL) {
      j->failed = -1;
      return;
    }
    mbrl_tanh_grad(dy, j->t + begin * c, through, rows * c);
    const int status = mbrl_dnnl_layer_norm_grad(through, s[1] + begin * c, s[2], s[3] + begin, variance, dx, dweight,
                                                 dbias, rows, c, 0.0f);
    free(through);
    if (status != 0) j->failed = status;
    return;
  }
  const int status =
      mbrl_dnnl_layer_norm_grad(dy, s[1] + begin * c, s[2], s[3] + begin, variance, dx, dweight, dbias, rows, c, 0.0f);
  if (status != 0) j->failed = status;
}

static napi_value layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) return throw_range(env, "mbrl_blas.layerNorm: expected 11 arguments");
  int64_t v[8];
  double eps = 0;
  bool tanh = false;
  const int ok = get_ints(env, argv, 1, 8, v);
  CHECK(env, napi_get_value_double(env, argv[9], &eps));
  CHECK(env, napi_get_value_bool(env, argv[10], &tanh));
  const int64_t rows = v[0], cols = v[1];
  if (!ok || rows < 0 || cols <= 0 || !(eps >= 0))
    return throw_range(env, "mbrl_blas.layerNorm: bad size, offset or eps");
  const int64_t counts[6] = {rows * cols, cols, cols, rows * cols, rows, rows};
  float *spans[6];
  if (!heap_spans(env, argv[0], 6, v + 2, counts, spans, "mbrl_blas.layerNorm: an operand lies outside the buffer"))
    return NULL;
  layer_norm_t job = {{spans[0], spans[1], spans[2], spans[3], spans[4], spans[5]}, cols, eps, tanh, 0};
  if (rows > 0) mbrl_parallel_for(rows, ELEMENTWISE_SPLIT_MIN / cols, 1, layer_norm_rows, &job);
  if (job.failed) {
    char message[96];
    snprintf(message, sizeof(message), "mbrl_blas.layerNorm: oneDNN's layer normalisation failed (status %d)",
             job.failed);
    napi_throw_error(env, "MBRL_BLAS_ONEDNN", message);
  }
  return NULL;
}

static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) return throw_range(env, "mbrl_blas.layerNormGrad: expected 12 arguments");
  int64_t v[10];
  int ok = get_ints(env, argv, 1, 10, v);
  napi_valuetype t_type;
  CHECK(env, napi_typeof(env, argv[11], &t_type));
  int64_t t_off = -1;
  if (t_type != napi_null) {
    int one;
    t_off = get_int(env, argv[11], &one);
    ok &= one;
  }
  const int64_t rows = v[0], cols = v[1];
  if (!ok || rows < 0 || cols <= 0) return throw_range(env, "mbrl_blas.layerNormGrad: bad size or offset");
  const char *outside = "mbrl_blas.layerNormGrad: an operand lies outside the buffer";
  const int64_t counts[8] = {rows * cols, rows * cols, cols, rows, rows, rows * cols, cols, cols};
  float *spans[8];
  if (!heap_spans(env, argv[0], 8, v + 2, counts, spans, outside)) return NULL;
  const float *t = NULL;
  if (t_type != napi_null) {
    t = heap_span(env, argv[0], t_off, rows * cols, outside);
    if (t == NULL) return NULL;
  }
  if (rows == 0) {
    memset(spans[6], 0, sizeof(float) * (size_t)cols);
    memset(spans[7], 0, sizeof(float) * (size_t)cols);
    return NULL;
  }
  /* Per piece: its dweight and dbias (summed over its rows), combined in piece order in double,
     and room for its rows' variances. */
  const int pieces = mbrl_pool_pieces(rows, ELEMENTWISE_SPLIT_MIN / cols, 1);
  const int64_t per_piece = 2 * cols + rows;
  float *partial = malloc(sizeof(float) * (size_t)(pieces * per_piece));
  if (partial == NULL) {
    napi_throw_error(env, "MBRL_BLAS_MEMORY", "mbrl_blas.layerNormGrad: out of memory");
    return NULL;
  }
  layer_norm_grad_t job = {{spans[0], spans[1], spans[2], spans[3], spans[4], spans[5]}, t, partial, cols, rows, 0};
  mbrl_parallel_pieces(rows, ELEMENTWISE_SPLIT_MIN / cols, 1, layer_norm_grad_rows, &job);
  if (job.failed) {
    free(partial);
    char message[96];
    snprintf(message, sizeof(message), "mbrl_blas.layerNormGrad: %s (status %d)",
             job.failed < 0 ? "out of memory" : "oneDNN's layer normalisation failed", job.failed);
    napi_throw_error(env, "MBRL_BLAS_ONEDNN", message);
    return NULL;
  }
  for (int64_t j = 0; j < cols; j++) {
    double w = 0, b = 0;
    for (int p = 0; p < pieces; p++) {
      w += partial[p * per_piece + j];
      b += partial[p * per_piece + cols + j];
    }
    spans[6][j] = (float)w;
    spans[7][j] = (float)b;
  }
  free(partial);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int ok;
  int64_t count = argc == 1 ? get_int(env, argv[0], &ok) : 0;
  if (argc != 1 || !ok || count < 1 || count > 1024)
    return throw_range(env, "mbrl_blas.setThreads: expected a thread count from 1 to 1024");
  mbrl_pool_set_threads((int)count);
  return NULL;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(env, napi_create_int32(env, mbrl_pool_threads(), &out));
  return out;
}

/* The product library's description: OpenBLAS's build line, or oneDNN's version and instruction set. */
static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  char text[256] = "";
  if (library == LIBRARY_ONEDNN) snprintf(text, sizeof(text), "%s (%s)", mbrl_dnnl_version(), mbrl_dnnl_isa());
#ifdef MBRL_HAVE_OPENBLAS
  if (library == LIBRARY_OPENBLAS) {
    const char *line = openblas_get_config();
    snprintf(text, sizeof(text), "%s", line ? line : "");
  }
#endif
  CHECK(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

/* The libraries built in, as a comma-separated list in order of preference ("onednn,openblas"). */
static napi_value libraries(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char *text =
#ifdef MBRL_HAVE_OPENBLAS
      "onednn,openblas";
#else
      "onednn";
#endif
  CHECK(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

/* Reads one string argument into buf; false (thrown) when there is none. */
static int get_string(napi_env env, napi_callback_info info, char *buf, size_t size, const char *what) {
  size_t argc = 1, length = 0;
  napi_value argv[1];
  napi_valuetype type;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string ||
      napi_get_value_string_utf8(env, argv[0], buf, size, &length) != napi_ok) {
    napi_throw_range_error(env, "MBRL_BLAS_RANGE", what);
    return 0;
  }
  return 1;
}

/* setLibrary('onednn' | 'openblas'): who computes the products from now on (one built in). */
static napi_value set_library(napi_env env, napi_callback_info info) {
  char name[16];
  if (!get_string(env, info, name, sizeof(name), "mbrl_blas.setLibrary: expected 'onednn' or 'openblas'")) return NULL;
  if (strcmp(name, "onednn") == 0) {
    if (!mbrl_dnnl_available()) return throw_range(env, "mbrl_blas.setLibrary: oneDNN's CPU engine did not start");
    library = LIBRARY_ONEDNN;
    return NULL;
  }
#ifdef MBRL_HAVE_OPENBLAS
  if (strcmp(name, "openblas") == 0) {
    if (precision == PRECISION_BF16)
      return throw_range(env, "mbrl_blas.setLibrary: bf16 products need oneDNN; set the precision to fp32 first");
    library = LIBRARY_OPENBLAS;
    return NULL;
  }
#endif
  return throw_range(env, "mbrl_blas.setLibrary: that product library is not built into this addon (see libraries())");
}

static napi_value get_library(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(env, napi_create_string_utf8(env, library == LIBRARY_ONEDNN ? "onednn" : "openblas", NAPI_AUTO_LENGTH, &out));
  return out;
}

/* setPrecision('fp32' | 'bf16' | 'bf16-rounded'): the products' operands from now on. */
static napi_value set_precision(napi_env env, napi_callback_info info) {
  char name[16];
  if (!get_string(env, info, name, sizeof(name), "mbrl_blas.setPrecision: expected 'fp32', 'bf16' or 'bf16-rounded'"))
    return NULL;
  if (strcmp(name, "fp32") == 0) precision = PRECISION_FP32;
  else if (strcmp(name, "bf16-rounded") == 0) precision = PRECISION_BF16_ROUNDED;
  else if (strcmp(name, "bf16") == 0) {
    if (library != LIBRARY_ONEDNN)
      return throw_range(env, "mbrl_blas.setPrecision: bf16 products need oneDNN; the products are on OpenBLAS");
    if (!mbrl_dnnl_bf16_available())
      return throw_range(env, "mbrl_blas.setPrecision: bf16 products need oneDNN's bf16 kernels, which this CPU "
                              "lacks (they need avx512_bf16 or AMX)");
    precision = PRECISION_BF16;
  } else return throw_range(env, "mbrl_blas.setPrecision: expected 'fp32', 'bf16' or 'bf16-rounded'");
  return NULL;
}

static napi_value get_precision(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char *names[] = {"fp32", "bf16", "bf16-rounded"};
  CHECK(env, napi_create_string_utf8(env, names[precision], NAPI_AUTO_LENGTH, &out));
  return out;
}

/* Whether bf16 products can run here (oneDNN built in and its bf16 kernels implemented on this CPU). */
static napi_value bf16_available(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const bool yes = mbrl_dnnl_bf16_available() != 0;
  CHECK(env, napi_get_boolean(env, yes, &out));
  return out;
}

/* oneDNN's name for the implementation of the last primitive it made (e.g. "brg:avx512_core"); "" otherwise. */
static napi_value implementation(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char *text = mbrl_dnnl_last_impl();
  CHECK(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const char *own = getenv("MBRL_DNNL_THREADING");
  dnnl_own_threads = own != NULL && strcmp(own, "omp") == 0;
#ifdef MBRL_HAVE_OPENBLAS
  /* The pool splits the work; OpenBLAS computes each piece on the thread that asks. */
  openblas_set_num_threads(1);
#endif
  const napi_property_descriptor methods[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"dense", NULL, dense, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"sum", NULL, sum, NULL, NULL, NULL, napi_default, NULL},
      {"boundedGaussian", NULL, bounded_gaussian, NULL, NULL, NULL, napi_default, NULL},
      {"boundedGaussianGrad", NULL, bounded_gaussian_grad, NULL, NULL, NULL, napi_default, NULL},
      {"eluGrad", NULL, elu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"polyak", NULL, polyak, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"smallK", NULL, small_k, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
      {"libraries", NULL, libraries, NULL, NULL, NULL, napi_default, NULL},
      {"setLibrary", NULL, set_library, NULL, NULL, NULL, napi_default, NULL},
      {"library", NULL, get_library, NULL, NULL, NULL, napi_default, NULL},
      {"setPrecision", NULL, set_precision, NULL, NULL, NULL, napi_default, NULL},
      {"precision", NULL, get_precision, NULL, NULL, NULL, napi_default, NULL},
      {"bf16Available", NULL, bf16_available, NULL, NULL, NULL, napi_default, NULL},
      {"implementation", NULL, implementation, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
