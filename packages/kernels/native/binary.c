/*
 * Float32 add, subtract, multiply and divide with the broadcasts dense layers use: same shapes, a
 * scalar on either side, a trailing vector (a bias row) or a column (one value per row) against a
 * full operand. Each element is one IEEE single-precision operation, as in tfjs's kernels, so the
 * results are bit for bit theirs (the build keeps -ffp-contract=off; division stays a division).
 *
 * The result is seen as outer rows of n. Per row each operand is either a run of n values (full,
 * row) or one value (scalar, column); the three run/value combinations are simple loops the
 * compiler vectorises, and on x86-64 each is compiled for AVX-512, AVX2 and the baseline.
 */
#include "binary.h"

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

int64_t mbrl_operand_size(int kind, int64_t outer, int64_t n) {
  switch (kind) {
    case MBRL_FULL: return outer * n;
    case MBRL_SCALAR: return 1;
    case MBRL_ROW: return n;
    case MBRL_COLUMN: return outer;
    default: return -1;
  }
}

/* Whether an operand of `kind` gives one value per row (rather than a run of n). */
static int single(int kind) { return kind == MBRL_SCALAR || kind == MBRL_COLUMN; }

/* The start of row r of an operand of `kind`. */
static const float *row_of(const float *x, int kind, int64_t r, int64_t n) {
  switch (kind) {
    case MBRL_FULL: return x + r * n;
    case MBRL_COLUMN: return x + r;
    default: return x;
  }
}

/*
 * One function per operation: its rows, each a run-run, run-value or value-run loop (a
 * value-value row is filled with one result).
 */
#define BINARY_OP(name, EXPR)                                                                              \
  CLONES static void name(const float *restrict a, int a_kind, const float *restrict b, int b_kind,       \
                          float *restrict y, int64_t outer, int64_t n) {                                   \
    for (int64_t r = 0; r < outer; r++) {                                                                  \
      const float *restrict ar = row_of(a, a_kind, r, n);                                                  \
      const float *restrict br = row_of(b, b_kind, r, n);                                                  \
      float *restrict yr = y + r * n;                                                                      \
      if (!single(a_kind) && !single(b_kind)) {                                                            \
        for (int64_t j = 0; j < n; j++) {                                                                  \
          const float x = ar[j], z = br[j];                                                                \
          yr[j] = EXPR;                                                                                    \
        }                                                                                                  \
      } else if (!single(a_kind)) {                                                                        \
        const float z = br[0];                                                                             \
        for (int64_t j = 0; j < n; j++) {                                                                  \
          const float x = ar[j];                                                                           \
          yr[j] = EXPR;                                                                                    \
        }                                                                                                  \
      } else if (!single(b_kind)) {                                                                        \
        const float x = ar[0];                                                                             \
        for (int64_t j = 0; j < n; j++) {                                                                  \
          const float z = br[j];                                                                           \
          yr[j] = EXPR;                                                                                    \
        }                                                                                                  \
      } else {                                                                                             \
        const float x = ar[0], z = br[0];                                                                  \
        const float v = EXPR;                                                                              \
        for (int64_t j = 0; j < n; j++) yr[j] = v;                                                         \
      }                                                                                                    \
    }                                                                                                      \
  }

BINARY_OP(binary_add, x + z)
BINARY_OP(binary_sub, x - z)
BINARY_OP(binary_mul, x * z)
BINARY_OP(binary_div, x / z)

CLONES static void negate(const float *restrict a, float *restrict y, int64_t n) {
  for (int64_t j = 0; j < n; j++) y[j] = -a[j];
}

void mbrl_binary(int op, const float *a, int a_kind, const float *b, int b_kind, float *y, int64_t outer,
                 int64_t n) {
  if (outer <= 0 || n <= 0) return;
  if (op == MBRL_NEG) {
    negate(a, y, outer * n);
    return;
  }
  /* Full and scalar operands need no rows: one long row runs fastest. */
  if ((a_kind == MBRL_FULL || a_kind == MBRL_SCALAR) && (b_kind == MBRL_FULL || b_kind == MBRL_SCALAR)) {
    n *= outer;
    outer = 1;
  }
  switch (op) {
    case MBRL_ADD: binary_add(a, a_kind, b, b_kind, y, outer, n); break;
    case MBRL_SUB: binary_sub(a, a_kind, b, b_kind, y, outer, n); break;
    case MBRL_MUL: binary_mul(a, a_kind, b, b_kind, y, outer, n); break;
    case MBRL_DIV: binary_div(a, a_kind, b, b_kind, y, outer, n); break;
    default: break;
  }
}
