/* Float32 binary arithmetic over the broadcast patterns of dense layers (see binary.c). */
#ifndef MBRL_BINARY_H
#define MBRL_BINARY_H
#include <stdint.h>

/* The arithmetic: y = a + b, a - b, a * b, a / b; MBRL_NEG is y = -a (b unread). */
enum { MBRL_ADD = 0, MBRL_SUB = 1, MBRL_MUL = 2, MBRL_DIV = 3, MBRL_NEG = 4 };

/*
 * How an operand covers the outer x n result: MBRL_FULL holds every element (outer x n),
 * MBRL_SCALAR one value, MBRL_ROW one row of n (a trailing vector), MBRL_COLUMN one value per
 * row (outer x 1).
 */
enum { MBRL_FULL = 0, MBRL_SCALAR = 1, MBRL_ROW = 2, MBRL_COLUMN = 3 };

/* The number of elements an operand of `kind` holds for an outer x n result. */
int64_t mbrl_operand_size(int kind, int64_t outer, int64_t n);

/* y = a op b over an outer x n result (y must not overlap a or b; a and b may overlap). */
void mbrl_binary(int op, const float *a, int a_kind, const float *b, int b_kind, float *y, int64_t outer,
                 int64_t n);

#endif
