/*
 * The addon's thread pool: the calling (JavaScript) thread plus up to MBRL_POOL_MAX - 1 helper
 * threads. Every kernel of the addon that is worth splitting (products, element-wise functions,
 * sums, Adam) runs through mbrl_parallel_for, so one pool owns the machine's cores: OpenBLAS itself
 * runs single-threaded inside each piece, and no second pool's threads compete for the cores.
 *
 * A job is posted by bumping a sequence number; helpers spin on it for a short while after their
 * last piece (kernels arrive back to back during an update, microseconds apart) and then sleep on a
 * condition variable, so an idle process costs nothing. The caller waits for the pieces by spinning:
 * they are microseconds to milliseconds long.
 */
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RELAX() _mm_pause()
#else
#define RELAX() ((void)0)
#endif

/* How long a helper spins for the next job before it sleeps: an ALM update has gaps of over a
   millisecond between native kernels (sampling, tensor set-up) about twenty times; with 0.2 ms the
   helper was asleep for about 76 of an update's ~490 jobs, with 3 ms for about 9. */
#define SPIN_NS 3000000

typedef struct {
  mbrl_piece_fn fn;
  void *ctx;
  int64_t n, align;
  int pieces;
} job_t;

static job_t job;
static _Atomic uint64_t posted;    /* sequence number of the latest job */
static _Atomic int unfinished;     /* helpers that have not yet finished with the latest job */
static _Atomic int sleepers;       /* helpers waiting on `wake` */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int threads = 0;            /* 0: not chosen yet (the machine's CPUs) */
static int started = 0;            /* helpers running */
static uint64_t first_seen[MBRL_POOL_MAX]; /* `posted` when each helper was created */

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Piece `index` of `pieces` over [0, n), cut at multiples of `align`. */
static void piece_bounds(int64_t n, int64_t align, int pieces, int index, int64_t *begin, int64_t *end) {
  const int64_t units = (n + align - 1) / align;
  const int64_t from = units * index / pieces * align;
  const int64_t to = units * (index + 1) / pieces * align;
  *begin = from < n ? from : n;
  *end = to < n ? to : n;
}

static void *helper_main(void *arg) {
  const int index = (int)(intptr_t)arg;
  /* Not the value of `posted` now: a job may have been posted before this thread first ran. */
  uint64_t seen = first_seen[index];
  for (;;) {
    uint64_t current = atomic_load(&posted);
    if (current == seen) {
      const int64_t deadline = now_ns() + SPIN_NS;
      int spins = 0;
      while ((current = atomic_load(&posted)) == seen) {
        RELAX();
        if (++spins % 256 == 0 && now_ns() > deadline) {
          pthread_mutex_lock(&lock);
          atomic_fetch_add(&sleepers, 1);
          while ((current = atomic_load(&posted)) == seen) pthread_cond_wait(&wake, &lock);
          atomic_fetch_sub(&sleepers, 1);
          pthread_mutex_unlock(&lock);
          break;
        }
      }
    }
    seen = current;
    /* Written before `posted` was bumped, and not rewritten until every helper (this one
       included) has answered: the poster waits for all of them, pieces or not. */
    const job_t mine = job;
    if (index < mine.pieces) {
      int64_t begin, end;
      piece_bounds(mine.n, mine.align, mine.pieces, index, &begin, &end);
      if (begin < end) mine.fn(mine.ctx, index, begin, end);
    }
    atomic_fetch_sub(&unfinished, 1);
  }
  return NULL;
}

static int default_threads(void) {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return cpus < 1 ? 1 : cpus > MBRL_POOL_MAX ? MBRL_POOL_MAX : (int)cpus;
}

void mbrl_pool_set_threads(int count) {
  threads = count < 1 ? 1 : count > MBRL_POOL_MAX ? MBRL_POOL_MAX : count;
}

int mbrl_pool_threads(void) {
  if (threads == 0) threads = default_threads();
  return threads;
}

/* Start helpers up to `count - 1` (they live as long as the process). Returns the usable count. */
static int ensure_helpers(int count) {
  while (started < count - 1) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    first_seen[started + 1] = atomic_load(&posted);
    const int failed = pthread_create(&thread, &attr, helper_main, (void *)(intptr_t)(started + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    started++;
  }
  return started + 1 < count ? started + 1 : count;
}

int mbrl_pool_pieces(int64_t n, int64_t min_split, int64_t align) {
  if (align < 1) align = 1;
  int pieces = mbrl_pool_threads();
  const int64_t units = (n + align - 1) / align;
  if (pieces > units) pieces = (int)units;
  if (pieces <= 1 || n < min_split) return 1;
  return ensure_helpers(pieces);
}

void mbrl_parallel_pieces(int64_t n, int64_t min_split, int64_t align, mbrl_piece_fn fn, void *ctx) {
  if (align < 1) align = 1;
  const int pieces = mbrl_pool_pieces(n, min_split, align);
  if (pieces <= 1) {
    if (n > 0) fn(ctx, 0, 0, n);
    return;
  }
  job = (job_t){fn, ctx, n, align, pieces};
  atomic_store(&unfinished, started);
  atomic_fetch_add(&posted, 1);
  if (atomic_load(&sleepers) > 0) {
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
  }
  int64_t begin, end;
  piece_bounds(n, align, pieces, 0, &begin, &end);
  if (begin < end) fn(ctx, 0, begin, end);
  int spins = 0;
  while (atomic_load(&unfinished) > 0) {
    RELAX();
    /* A helper descheduled on a busy machine: give it the core now and then. */
    if (++spins % 4096 == 0) sched_yield();
  }
}

typedef struct {
  mbrl_range_fn fn;
  void *ctx;
} range_job_t;

static void run_range(void *ctx, int piece, int64_t begin, int64_t end) {
  (void)piece;
  const range_job_t *job = ctx;
  job->fn(job->ctx, begin, end);
}

void mbrl_parallel_for(int64_t n, int64_t min_split, int64_t align, mbrl_range_fn fn, void *ctx) {
  range_job_t range = {fn, ctx};
  mbrl_parallel_pieces(n, min_split, align, run_range, &range);
}
