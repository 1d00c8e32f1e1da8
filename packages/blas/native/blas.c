/*
 * mbrl_blas: single-precision matrix products over OpenBLAS for Node (N-API).
 *
 * The products read and write caller-owned memory: every operand is an ArrayBuffer (in practice
 * the tfjs wasm backend's heap) plus a byte offset, so no tensor is copied on its way to BLAS.
 * Operands are row-major, batched with an element stride per batch entry (0 broadcasts).
 *
 *   sgemm(heap, batch, m, n, k, transA, transB, aOffset, aStride, bOffset, bStride, cOffset)
 *     C[i] = op(A[i]) op(B[i]) for i < batch, op(A) m x k, op(B) k x n, C m x n (C overwritten)
 *   unary(op, heap, xOffset, yOffset, n)       y = f(x), f: 0 tanh, 1 softplus (tfjs's thresholds), 2 elu
 *   eluGrad(heap, dyOffset, yOffset, dxOffset, n)   ELU's gradient from its output
 *   sum(heap, xOffset, outer, inner, leading, yOffset, scale)
 *     x is outer x inner; leading: y[j] = scale sum_i x[i, j], else y[i] = scale sum_j x[i, j]
 *   adam(heap, n, [param, m, v, grad, paramOut, mOut, vOut] offsets, beta1, beta2, epsilon,
 *        stepSize, sqrtBiasCorrection2, scale)      one Adam step, outputs written (see optim.c)
 *   sumSquares(heap, xOffset, n) -> number          sum of x^2, accumulated in double
 *   layerNorm(heap, rows, cols, [x, weight, bias, y, mean, rstd] offsets, eps)
 *   layerNormGrad(heap, rows, cols, [dy, x, weight, mean, rstd, dx, dweight, dbias] offsets)
 *     layer normalisation over the last axis of a rows x cols matrix and its gradient (layer_norm.c)
 *   setThreads(count), threads(), config()
 */
#include <node_api.h>

#include "elementwise.h"
#include "layer_norm.h"
#include "optim.h"
#include <stdint.h>
#include <string.h>

/* The CBLAS and OpenBLAS entry points used here (declared locally so only the library is needed). */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int count);
int openblas_get_num_threads(void);
char *openblas_get_config(void);

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
  const float *a = base + a_off / 4;
  const float *b = base + b_off / 4;
  float *c = base + c_off / 4;
  const int lda = trans[0] ? (int)m : (int)k;
  const int ldb = trans[1] ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    if (k == 0) {
      memset(c + i * m * n, 0, sizeof(float) * (size_t)(m * n));
      continue;
    }
    cblas_sgemm(ROW_MAJOR, trans[0] ? TRANS : NO_TRANS, trans[1] ? TRANS : NO_TRANS, (int)m, (int)n, (int)k,
                1.0f, a + i * a_stride, lda, b + i * b_stride, ldb, 0.0f, c + i * m * n, (int)n);
  }
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

static napi_value unary(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) return throw_range(env, "mbrl_blas.unary: expected 5 arguments");
  int ok = 1, one;
  const int64_t op = get_int(env, argv[0], &one);
  ok &= one;
  const int64_t x_off = get_int(env, argv[2], &one);
  ok &= one;
  const int64_t y_off = get_int(env, argv[3], &one);
  ok &= one;
  const int64_t n = get_int(env, argv[4], &one);
  ok &= one;
  if (!ok || op < 0 || op > 2) return throw_range(env, "mbrl_blas.unary: bad operation or size");
  const float *x = heap_span(env, argv[1], x_off, n, "mbrl_blas.unary: the input lies outside the buffer");
  if (x == NULL) return NULL;
  float *y = heap_span(env, argv[1], y_off, n, "mbrl_blas.unary: the output lies outside the buffer");
  if (y == NULL) return NULL;
  if (op == 0) mbrl_tanh(x, y, n);
  else if (op == 1) mbrl_softplus(x, y, n);
  else mbrl_elu(x, y, n);
  return NULL;
}

static napi_value elu_grad(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) return throw_range(env, "mbrl_blas.eluGrad: expected 5 arguments");
  int ok = 1, one;
  int64_t v[4];
  for (int i = 0; i < 4; i++) {
    v[i] = get_int(env, argv[1 + i], &one);
    ok &= one;
  }
  if (!ok || v[3] < 0) return throw_range(env, "mbrl_blas.eluGrad: bad size or offset");
  const char *outside = "mbrl_blas.eluGrad: an operand lies outside the buffer";
  const float *dy = heap_span(env, argv[0], v[0], v[3], outside);
  if (dy == NULL) return NULL;
  const float *y = heap_span(env, argv[0], v[1], v[3], outside);
  if (y == NULL) return NULL;
  float *dx = heap_span(env, argv[0], v[2], v[3], outside);
  if (dx == NULL) return NULL;
  mbrl_elu_grad(dy, y, dx, v[3]);
  return NULL;
}

static napi_value sum(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) return throw_range(env, "mbrl_blas.sum: expected 7 arguments");
  int ok = 1, one;
  const int64_t x_off = get_int(env, argv[1], &one);
  ok &= one;
  const int64_t outer = get_int(env, argv[2], &one);
  ok &= one;
  const int64_t inner = get_int(env, argv[3], &one);
  ok &= one;
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
  if (leading) mbrl_sum_leading(x, y, outer, inner, scale);
  else mbrl_sum_trailing(x, y, outer, inner, scale);
  return NULL;
}

static napi_value adam(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 15) return throw_range(env, "mbrl_blas.adam: expected 15 arguments");
  int ok = 1, one;
  const int64_t n = get_int(env, argv[1], &one);
  ok &= one;
  int64_t offsets[7];
  for (int i = 0; i < 7; i++) {
    offsets[i] = get_int(env, argv[2 + i], &one);
    ok &= one;
  }
  double h[6];
  for (int i = 0; i < 6; i++) CHECK(env, napi_get_value_double(env, argv[9 + i], &h[i]));
  if (!ok || n < 0) return throw_range(env, "mbrl_blas.adam: bad size or offset");
  float *spans[7];
  for (int i = 0; i < 7; i++) {
    spans[i] = heap_span(env, argv[0], offsets[i], n, "mbrl_blas.adam: an operand lies outside the buffer");
    if (spans[i] == NULL) return NULL;
  }
  /* The constants as tfjs's scalars hold them: float32, 1 - beta computed in double first. */
  const mbrl_adam_params params = {(float)h[0], (float)(1 - h[0]), (float)h[1], (float)(1 - h[1]),
                                   (float)h[2], (float)h[3],       (float)h[4], (float)h[5]};
  mbrl_adam(spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6], n, &params);
  return NULL;
}

static napi_value sum_squares(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) return throw_range(env, "mbrl_blas.sumSquares: expected 3 arguments");
  int ok = 1, one;
  const int64_t x_off = get_int(env, argv[1], &one);
  ok &= one;
  const int64_t n = get_int(env, argv[2], &one);
  ok &= one;
  if (!ok || n < 0) return throw_range(env, "mbrl_blas.sumSquares: bad size or offset");
  const float *x = heap_span(env, argv[0], x_off, n, "mbrl_blas.sumSquares: the input lies outside the buffer");
  if (x == NULL) return NULL;
  napi_value out;
  CHECK(env, napi_create_double(env, mbrl_sum_squares(x, n), &out));
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

static napi_value layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) return throw_range(env, "mbrl_blas.layerNorm: expected 10 arguments");
  int64_t v[8];
  double eps = 0;
  const int ok = get_ints(env, argv, 1, 8, v);
  CHECK(env, napi_get_value_double(env, argv[9], &eps));
  const int64_t rows = v[0], cols = v[1];
  if (!ok || rows < 0 || cols <= 0 || !(eps >= 0))
    return throw_range(env, "mbrl_blas.layerNorm: bad size, offset or eps");
  const char *outside = "mbrl_blas.layerNorm: an operand lies outside the buffer";
  const int64_t counts[6] = {rows * cols, cols, cols, rows * cols, rows, rows};
  float *spans[6];
  for (int i = 0; i < 6; i++) {
    spans[i] = heap_span(env, argv[0], v[2 + i], counts[i], outside);
    if (spans[i] == NULL) return NULL;
  }
  mbrl_layer_norm(spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], rows, cols, eps);
  return NULL;
}

static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) return throw_range(env, "mbrl_blas.layerNormGrad: expected 11 arguments");
  int64_t v[10];
  const int ok = get_ints(env, argv, 1, 10, v);
  const int64_t rows = v[0], cols = v[1];
  if (!ok || rows < 0 || cols <= 0) return throw_range(env, "mbrl_blas.layerNormGrad: bad size or offset");
  const char *outside = "mbrl_blas.layerNormGrad: an operand lies outside the buffer";
  const int64_t counts[8] = {rows * cols, rows * cols, cols, rows, rows, rows * cols, cols, cols};
  float *spans[8];
  for (int i = 0; i < 8; i++) {
    spans[i] = heap_span(env, argv[0], v[2 + i], counts[i], outside);
    if (spans[i] == NULL) return NULL;
  }
  if (mbrl_layer_norm_grad(spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6], spans[7],
                           rows, cols) != 0) {
    napi_throw_error(env, "MBRL_BLAS_MEMORY", "mbrl_blas.layerNormGrad: out of memory");
  }
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
  openblas_set_num_threads((int)count);
  return NULL;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char *text = openblas_get_config();
  CHECK(env, napi_create_string_utf8(env, text ? text : "", NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor methods[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"sum", NULL, sum, NULL, NULL, NULL, napi_default, NULL},
      {"eluGrad", NULL, elu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
