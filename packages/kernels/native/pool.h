/* A small thread pool for the addon's kernels (see pool.c). */
#ifndef MBRL_POOL_H
#define MBRL_POOL_H
#include <stdint.h>

/* Work on the index range [begin, end) of a job; ctx is the caller's. */
typedef void (*mbrl_range_fn)(void *ctx, int64_t begin, int64_t end);

/*
 * Run fn over [0, n) on the pool's threads: the range is cut into one piece per thread at
 * multiples of `align`, the calling thread takes the first piece, and the call returns when every
 * piece is done. Ranges shorter than `min_split` (or a one-thread pool) run on the caller alone.
 */
void mbrl_parallel_for(int64_t n, int64_t min_split, int64_t align, mbrl_range_fn fn, void *ctx);

/* Work on piece `piece` (0-based, in order of the range) covering [begin, end). */
typedef void (*mbrl_piece_fn)(void *ctx, int piece, int64_t begin, int64_t end);

/* How many pieces mbrl_parallel_pieces cuts [0, n) into now (1 when it runs on the caller alone). */
int mbrl_pool_pieces(int64_t n, int64_t min_split, int64_t align);

/*
 * mbrl_parallel_for with the piece's index passed along, for kernels that keep one partial result
 * per piece and combine them in piece order afterwards (deterministic for a given thread count).
 */
void mbrl_parallel_pieces(int64_t n, int64_t min_split, int64_t align, mbrl_piece_fn fn, void *ctx);

/* Threads the pool uses from now on, the caller included (1..MBRL_POOL_MAX); helpers start lazily. */
void mbrl_pool_set_threads(int threads);
int mbrl_pool_threads(void);

#define MBRL_POOL_MAX 64

#endif
