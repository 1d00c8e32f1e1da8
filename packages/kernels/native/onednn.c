/*
 * Row-major products on oneDNN's matmul primitive: the cblas_sgemm contract (op(A) m x k with
 * leading dimension lda, op(B) k x n with ldb, C m x n with ldc, C overwritten) plus the dense
 * layer's epilogue as oneDNN post-ops (bias, then ELU with alpha 1). Transposes are strides, not
 * copies. Operands are f32, or bf16 (converted by the caller with mbrl_to_bf16) with an f32 result.
 *
 * Creating a primitive costs far more than running a small one, and an update has a few dozen
 * distinct shapes, so each thread keeps its own cache of primitives and their memory objects
 * (thread-local: the addon's pool threads never share one, and nothing needs a lock). Each call
 * only points the cached memory objects at this call's operands. The scratchpad is ours (user
 * mode), one per thread, grown as needed.
 */
#include "onednn.h"

#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int m, n, k, lda, ldb, ldc;
  int trans_a, trans_b, bias, elu, bf16, threads;
} key_t_;

typedef struct {
  unsigned long long used; /* last use, for eviction (first in every cache entry: see cache_slot) */
  key_t_ key;
  dnnl_primitive_t primitive;
  dnnl_memory_t src, weights, bias, dst, scratchpad;
  size_t scratchpad_bytes;
} entry_t;

#define CACHE_SIZE 96

static dnnl_engine_t engine = NULL;
static __thread dnnl_stream_t stream = NULL;
static __thread entry_t cache[CACHE_SIZE];
static __thread int cached = 0;
static __thread unsigned long long clock_ = 0;
static __thread void *scratch = NULL;
static __thread size_t scratch_bytes = 0;
static char last_impl[128] = "";

static __thread int omp_threads = 0;

static int ready(int threads) {
  if (omp_threads != threads) {
    omp_set_num_threads(threads);
    omp_threads = threads;
  }
  if (engine == NULL && dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) return 0;
  if (stream == NULL && dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) return 0;
  return 1;
}

static void release(void *entry) {
  entry_t *e = entry;
  dnnl_primitive_destroy(e->primitive);
  dnnl_memory_destroy(e->src);
  dnnl_memory_destroy(e->weights);
  if (e->bias != NULL) dnnl_memory_destroy(e->bias);
  dnnl_memory_destroy(e->dst);
  if (e->scratchpad != NULL) dnnl_memory_destroy(e->scratchpad);
  memset(e, 0, sizeof(*e));
}

/*
 * A zeroed slot for a new entry in one of the per-thread caches (`capacity` entries of `size`
 * bytes, `*count` in use, each starting with its last-use stamp): the next unused slot, else the
 * least recently used one, released first.
 */
static void *cache_slot(void *entries, size_t size, int *count, int capacity, void (*release_entry)(void *)) {
  char *base = entries;
  char *slot;
  if (*count < capacity) slot = base + size * (size_t)(*count)++;
  else {
    slot = base;
    for (int i = 1; i < capacity; i++)
      if (*(unsigned long long *)(base + size * (size_t)i) < *(unsigned long long *)slot) slot = base + size * (size_t)i;
    release_entry(slot);
  }
  memset(slot, 0, size);
  return slot;
}

/* Build the primitive and its memory objects for `key`; 0 on success, else a dnnl status. */
static int create(const key_t_ *key, entry_t *e) {
  const dnnl_data_type_t in = key->bf16 ? dnnl_bf16 : dnnl_f32;
  dnnl_memory_desc_t a, b, bias, c;
  const dnnl_dims_t a_dims = {key->m, key->k}, b_dims = {key->k, key->n}, c_dims = {key->m, key->n};
  const dnnl_dims_t bias_dims = {1, key->n};
  /* op(A)[i][p] lives at A[i * lda + p], or at A[p * lda + i] when transposed; likewise B. */
  const dnnl_dims_t a_strides = {key->trans_a ? 1 : key->lda, key->trans_a ? key->lda : 1};
  const dnnl_dims_t b_strides = {key->trans_b ? 1 : key->ldb, key->trans_b ? key->ldb : 1};
  const dnnl_dims_t c_strides = {key->ldc, 1};
  const dnnl_dims_t bias_strides = {key->n, 1};
  dnnl_status_t s;
  if ((s = dnnl_memory_desc_init_by_strides(&a, 2, a_dims, in, a_strides)) ||
      (s = dnnl_memory_desc_init_by_strides(&b, 2, b_dims, in, b_strides)) ||
      (s = dnnl_memory_desc_init_by_strides(&c, 2, c_dims, dnnl_f32, c_strides)) ||
      (s = dnnl_memory_desc_init_by_strides(&bias, 2, bias_dims, dnnl_f32, bias_strides)))
    return s;
  dnnl_matmul_desc_t desc;
  if ((s = dnnl_matmul_desc_init(&desc, &a, &b, key->bias ? &bias : NULL, &c))) return s;
  dnnl_primitive_attr_t attr = NULL;
  dnnl_post_ops_t post_ops = NULL;
  if ((s = dnnl_primitive_attr_create(&attr)) ||
      (s = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user)))
    goto done;
  if (key->elu) {
    if ((s = dnnl_post_ops_create(&post_ops)) ||
        (s = dnnl_post_ops_append_eltwise(post_ops, 1.0f, dnnl_eltwise_elu, 1.0f, 0.0f)) ||
        (s = dnnl_primitive_attr_set_post_ops(attr, post_ops)))
      goto done;
  }
  dnnl_primitive_desc_t pd = NULL;
  if ((s = dnnl_primitive_desc_create(&pd, &desc, attr, engine, NULL))) goto done;
  const char *impl = NULL;
  if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl != NULL) {
    strncpy(last_impl, impl, sizeof(last_impl) - 1);
  }
  const dnnl_memory_desc_t *pad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
  e->scratchpad_bytes = pad == NULL ? 0 : dnnl_memory_desc_get_size(pad);
  s = dnnl_primitive_create(&e->primitive, pd);
  if (!s) s = dnnl_memory_create(&e->src, &a, engine, DNNL_MEMORY_NONE);
  if (!s) s = dnnl_memory_create(&e->weights, &b, engine, DNNL_MEMORY_NONE);
  if (!s) s = dnnl_memory_create(&e->dst, &c, engine, DNNL_MEMORY_NONE);
  if (!s && key->bias) s = dnnl_memory_create(&e->bias, &bias, engine, DNNL_MEMORY_NONE);
  if (!s && e->scratchpad_bytes > 0) s = dnnl_memory_create(&e->scratchpad, pad, engine, DNNL_MEMORY_NONE);
  dnnl_primitive_desc_destroy(pd);
  e->key = *key;
done:
  if (post_ops != NULL) dnnl_post_ops_destroy(post_ops);
  if (attr != NULL) dnnl_primitive_attr_destroy(attr);
  return s;
}

static entry_t *lookup(const key_t_ *key, int *status) {
  for (int i = 0; i < cached; i++)
    if (memcmp(&cache[i].key, key, sizeof(*key)) == 0) {
      cache[i].used = ++clock_;
      return &cache[i];
    }
  entry_t *slot = cache_slot(cache, sizeof(entry_t), &cached, CACHE_SIZE, release);
  *status = create(key, slot);
  if (*status) {
    /* Free what was made; the slot stays empty (a zero key never matches a real product). */
    if (slot->primitive != NULL) release(slot);
    else memset(slot, 0, sizeof(*slot));
    if (slot == &cache[cached - 1]) cached--;
    return NULL;
  }
  slot->used = ++clock_;
  return slot;
}

int mbrl_dnnl_gemm(int trans_a, int trans_b, int m, int n, int k, const void *a, int lda, const void *b, int ldb,
                   float *c, int ldc, const float *bias, int elu, int bf16, int threads) {
  if (!ready(threads)) return dnnl_runtime_error;
  const key_t_ key = {m, n, k, lda, ldb, ldc, trans_a != 0, trans_b != 0, bias != NULL, elu != 0, bf16 != 0, threads};
  int status = 0;
  entry_t *e = lookup(&key, &status);
  if (e == NULL) return status;
  if (e->scratchpad_bytes > scratch_bytes) {
    void *grown = realloc(scratch, e->scratchpad_bytes);
    if (grown == NULL) return dnnl_out_of_memory;
    scratch = grown;
    scratch_bytes = e->scratchpad_bytes;
  }
  dnnl_exec_arg_t args[5];
  int count = 0;
  dnnl_memory_set_data_handle(e->src, (void *)a);
  args[count++] = (dnnl_exec_arg_t){DNNL_ARG_SRC, e->src};
  dnnl_memory_set_data_handle(e->weights, (void *)b);
  args[count++] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, e->weights};
  dnnl_memory_set_data_handle(e->dst, c);
  args[count++] = (dnnl_exec_arg_t){DNNL_ARG_DST, e->dst};
  if (e->bias != NULL) {
    dnnl_memory_set_data_handle(e->bias, (void *)bias);
    args[count++] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, e->bias};
  }
  if (e->scratchpad != NULL) {
    dnnl_memory_set_data_handle(e->scratchpad, scratch);
    args[count++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, e->scratchpad};
  }
  dnnl_status_t s = dnnl_primitive_execute(e->primitive, stream, count, args);
  if (!s) s = dnnl_stream_wait(stream);
  return s;
}

int mbrl_dnnl_available(void) { return ready(1); }

int mbrl_dnnl_bf16_available(void) {
  if (!ready(1)) return 0;
  /* Ask for a tiny bf16 product: oneDNN says unimplemented where the CPU lacks bf16 support. */
  const key_t_ key = {16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 1, 1};
  entry_t probe;
  memset(&probe, 0, sizeof(probe));
  const int status = create(&key, &probe);
  if (probe.primitive != NULL) release(&probe);
  return status == 0;
}

const char *mbrl_dnnl_last_impl(void) { return last_impl; }

const char *mbrl_dnnl_isa(void) {
  switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    default: return "other";
  }
}

const char *mbrl_dnnl_version(void) {
  static char text[48];
  const dnnl_version_t *v = dnnl_version();
  snprintf(text, sizeof(text), "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
  return text;
}

/* Round to nearest, ties to even (the conversion oneDNN and PyTorch use); NaN stays NaN. */
void mbrl_to_bf16(const float *x, uint16_t *y, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    uint32_t bits;
    memcpy(&bits, &x[i], 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) y[i] = (uint16_t)((bits >> 16) | 0x40);
    else y[i] = (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
  }
}

/*
 * Layer normalisation over the last axis on oneDNN's layer_normalization primitive, forward
 * (training: it writes each row's mean and variance) and backward (dx and the scale and shift
 * gradients), with separate scale and shift tensors of cols values. Cached per thread like the
 * products, keyed by rows, cols and eps.
 */
typedef struct {
  unsigned long long used;
  int64_t rows, cols;
  float eps;
  dnnl_primitive_t forward, backward;
  dnnl_memory_t src, dst, mean, var, scale, shift, diff_dst, diff_src, diff_scale, diff_shift, scratchpad_f,
      scratchpad_b;
  size_t scratchpad_bytes;
} norm_entry_t;

#define NORM_CACHE_SIZE 32
static __thread norm_entry_t norms[NORM_CACHE_SIZE];
static __thread int norms_cached = 0;

static void release_norm(void *entry) {
  norm_entry_t *e = entry;
  dnnl_primitive_destroy(e->forward);
  dnnl_primitive_destroy(e->backward);
  dnnl_memory_t *all[] = {&e->src,      &e->dst,       &e->mean,       &e->var,          &e->scale,
                          &e->shift,    &e->diff_dst,  &e->diff_src,   &e->diff_scale,   &e->diff_shift,
                          &e->scratchpad_f, &e->scratchpad_b};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    if (*all[i] != NULL) dnnl_memory_destroy(*all[i]);
  memset(e, 0, sizeof(*e));
}

static size_t scratchpad_of(const_dnnl_primitive_desc_t pd, dnnl_memory_t *memory, dnnl_status_t *s) {
  const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
  const size_t bytes = md == NULL ? 0 : dnnl_memory_desc_get_size(md);
  if (bytes > 0 && !*s) *s = dnnl_memory_create(memory, md, engine, DNNL_MEMORY_NONE);
  return bytes;
}

static int create_norm(int64_t rows, int64_t cols, float eps, norm_entry_t *e) {
  dnnl_memory_desc_t data, stat, vec;
  const dnnl_dims_t data_dims = {rows, cols}, stat_dims = {rows}, vec_dims = {cols};
  dnnl_status_t s;
  if ((s = dnnl_memory_desc_init_by_tag(&data, 2, data_dims, dnnl_f32, dnnl_ab)) ||
      (s = dnnl_memory_desc_init_by_tag(&stat, 1, stat_dims, dnnl_f32, dnnl_a)) ||
      (s = dnnl_memory_desc_init_by_tag(&vec, 1, vec_dims, dnnl_f32, dnnl_a)))
    return s;
  const unsigned flags = dnnl_use_scale | dnnl_use_shift;
  dnnl_layer_normalization_desc_t fd, bd;
  if ((s = dnnl_layer_normalization_forward_desc_init(&fd, dnnl_forward_training, &data, &stat, eps, flags)) ||
      (s = dnnl_layer_normalization_backward_desc_init(&bd, dnnl_backward, &data, &data, &stat, eps, flags)))
    return s;
  dnnl_primitive_attr_t attr = NULL;
  dnnl_primitive_desc_t fpd = NULL, bpd = NULL;
  if ((s = dnnl_primitive_attr_create(&attr)) ||
      (s = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user)) ||
      (s = dnnl_primitive_desc_create(&fpd, &fd, attr, engine, NULL)) ||
      (s = dnnl_primitive_desc_create(&bpd, &bd, attr, engine, fpd)))
    goto done;
  const size_t fb = scratchpad_of(fpd, &e->scratchpad_f, &s);
  const size_t bb = scratchpad_of(bpd, &e->scratchpad_b, &s);
  e->scratchpad_bytes = fb > bb ? fb : bb;
  if (!s) s = dnnl_primitive_create(&e->forward, fpd);
  if (!s) s = dnnl_primitive_create(&e->backward, bpd);
  dnnl_memory_t *data_memories[] = {&e->src, &e->dst, &e->diff_dst, &e->diff_src};
  for (int i = 0; i < 4 && !s; i++) s = dnnl_memory_create(data_memories[i], &data, engine, DNNL_MEMORY_NONE);
  if (!s) s = dnnl_memory_create(&e->mean, &stat, engine, DNNL_MEMORY_NONE);
  if (!s) s = dnnl_memory_create(&e->var, &stat, engine, DNNL_MEMORY_NONE);
  dnnl_memory_t *vec_memories[] = {&e->scale, &e->shift, &e->diff_scale, &e->diff_shift};
  for (int i = 0; i < 4 && !s; i++) s = dnnl_memory_create(vec_memories[i], &vec, engine, DNNL_MEMORY_NONE);
  e->rows = rows;
  e->cols = cols;
  e->eps = eps;
done:
  if (fpd != NULL) dnnl_primitive_desc_destroy(fpd);
  if (bpd != NULL) dnnl_primitive_desc_destroy(bpd);
  if (attr != NULL) dnnl_primitive_attr_destroy(attr);
  return s;
}

static norm_entry_t *lookup_norm(int64_t rows, int64_t cols, float eps, int *status) {
  for (int i = 0; i < norms_cached; i++)
    if (norms[i].rows == rows && norms[i].cols == cols && norms[i].eps == eps) {
      norms[i].used = ++clock_;
      return &norms[i];
    }
  norm_entry_t *slot = cache_slot(norms, sizeof(norm_entry_t), &norms_cached, NORM_CACHE_SIZE, release_norm);
  *status = create_norm(rows, cols, eps, slot);
  if (*status) {
    release_norm(slot);
    return NULL;
  }
  slot->used = ++clock_;
  return slot;
}

/* The per-thread scratchpad, grown to `bytes`; NULL when memory runs out. */
static void *scratch_for(size_t bytes) {
  if (bytes > scratch_bytes) {
    void *grown = realloc(scratch, bytes);
    if (grown == NULL) return NULL;
    scratch = grown;
    scratch_bytes = bytes;
  }
  return scratch;
}

static dnnl_status_t run(dnnl_primitive_t p, int count, dnnl_exec_arg_t *args) {
  dnnl_status_t s = dnnl_primitive_execute(p, stream, count, args);
  return s ? s : dnnl_stream_wait(stream);
}

#define SET(memory, pointer) dnnl_memory_set_data_handle((memory), (void *)(pointer))

int mbrl_dnnl_layer_norm(const float *x, const float *weight, const float *bias, float *y, float *mean,
                         float *variance, int64_t rows, int64_t cols, float eps) {
  if (!ready(1)) return dnnl_runtime_error;
  int status = 0;
  norm_entry_t *e = lookup_norm(rows, cols, eps, &status);
  if (e == NULL) return status;
  void *pad = scratch_for(e->scratchpad_bytes);
  if (pad == NULL && e->scratchpad_bytes > 0) return dnnl_out_of_memory;
  SET(e->src, x), SET(e->dst, y), SET(e->mean, mean), SET(e->var, variance), SET(e->scale, weight),
      SET(e->shift, bias);
  dnnl_exec_arg_t args[7] = {{DNNL_ARG_SRC, e->src},     {DNNL_ARG_DST, e->dst},     {DNNL_ARG_MEAN, e->mean},
                             {DNNL_ARG_VARIANCE, e->var}, {DNNL_ARG_SCALE, e->scale}, {DNNL_ARG_SHIFT, e->shift}};
  int count = 6;
  if (e->scratchpad_f != NULL) {
    SET(e->scratchpad_f, pad);
    args[count++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, e->scratchpad_f};
  }
  return run(e->forward, count, args);
}

int mbrl_dnnl_layer_norm_grad(const float *dy, const float *x, const float *weight, const float *mean,
                              const float *variance, float *dx, float *dweight, float *dbias, int64_t rows,
                              int64_t cols, float eps) {
  if (!ready(1)) return dnnl_runtime_error;
  int status = 0;
  norm_entry_t *e = lookup_norm(rows, cols, eps, &status);
  if (e == NULL) return status;
  void *pad = scratch_for(e->scratchpad_bytes);
  if (pad == NULL && e->scratchpad_bytes > 0) return dnnl_out_of_memory;
  SET(e->diff_dst, dy), SET(e->src, x), SET(e->scale, weight), SET(e->mean, mean), SET(e->var, variance),
      SET(e->diff_src, dx), SET(e->diff_scale, dweight), SET(e->diff_shift, dbias);
  /* The shift is not read backward, but the primitive may expect the argument. */
  SET(e->shift, weight);
  dnnl_exec_arg_t args[10] = {{DNNL_ARG_DIFF_DST, e->diff_dst},     {DNNL_ARG_SRC, e->src},
                              {DNNL_ARG_SCALE, e->scale},           {DNNL_ARG_SHIFT, e->shift},
                              {DNNL_ARG_MEAN, e->mean},             {DNNL_ARG_VARIANCE, e->var},
                              {DNNL_ARG_DIFF_SRC, e->diff_src},     {DNNL_ARG_DIFF_SCALE, e->diff_scale},
                              {DNNL_ARG_DIFF_SHIFT, e->diff_shift}};
  int count = 9;
  if (e->scratchpad_b != NULL) {
    SET(e->scratchpad_b, pad);
    args[count++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, e->scratchpad_b};
  }
  return run(e->backward, count, args);
}

/*
 * ELU (alpha 1) forward, and its gradient from the forward's output, on oneDNN's eltwise primitive
 * over n contiguous values; cached per thread, keyed by direction and n.
 */
typedef struct {
  unsigned long long used;
  int64_t n;
  int backward;
  dnnl_primitive_t primitive;
  dnnl_memory_t a, b, c; /* forward: src, dst; backward: dst, diff_dst, diff_src */
} eltwise_entry_t;

#define ELTWISE_CACHE_SIZE 48
static __thread eltwise_entry_t eltwises[ELTWISE_CACHE_SIZE];
static __thread int eltwises_cached = 0;

static void release_eltwise(void *entry) {
  eltwise_entry_t *e = entry;
  dnnl_primitive_destroy(e->primitive);
  if (e->a != NULL) dnnl_memory_destroy(e->a);
  if (e->b != NULL) dnnl_memory_destroy(e->b);
  if (e->c != NULL) dnnl_memory_destroy(e->c);
  memset(e, 0, sizeof(*e));
}

static int create_eltwise(int64_t n, int backward, eltwise_entry_t *e) {
  dnnl_memory_desc_t md;
  const dnnl_dims_t dims = {n};
  dnnl_status_t s;
  if ((s = dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a))) return s;
  dnnl_eltwise_desc_t fd, bd;
  const dnnl_alg_kind_t alg = dnnl_eltwise_elu_use_dst_for_bwd;
  if ((s = dnnl_eltwise_forward_desc_init(&fd, dnnl_forward_training, alg, &md, 1.0f, 0.0f))) return s;
  dnnl_primitive_desc_t fpd = NULL, bpd = NULL;
  if ((s = dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL))) return s;
  if (backward) {
    if (!(s = dnnl_eltwise_backward_desc_init(&bd, alg, &md, &md, 1.0f, 0.0f)))
      s = dnnl_primitive_desc_create(&bpd, &bd, NULL, engine, fpd);
  }
  if (!s) s = dnnl_primitive_create(&e->primitive, backward ? bpd : fpd);
  if (!s) s = dnnl_memory_create(&e->a, &md, engine, DNNL_MEMORY_NONE);
  if (!s) s = dnnl_memory_create(&e->b, &md, engine, DNNL_MEMORY_NONE);
  if (!s && backward) s = dnnl_memory_create(&e->c, &md, engine, DNNL_MEMORY_NONE);
  dnnl_primitive_desc_destroy(fpd);
  if (bpd != NULL) dnnl_primitive_desc_destroy(bpd);
  e->n = n;
  e->backward = backward;
  return s;
}

static eltwise_entry_t *lookup_eltwise(int64_t n, int backward, int *status) {
  for (int i = 0; i < eltwises_cached; i++)
    if (eltwises[i].n == n && eltwises[i].backward == backward) {
      eltwises[i].used = ++clock_;
      return &eltwises[i];
    }
  eltwise_entry_t *slot =
      cache_slot(eltwises, sizeof(eltwise_entry_t), &eltwises_cached, ELTWISE_CACHE_SIZE, release_eltwise);
  *status = create_eltwise(n, backward, slot);
  if (*status) {
    release_eltwise(slot);
    return NULL;
  }
  slot->used = ++clock_;
  return slot;
}

int mbrl_dnnl_elu(const float *x, float *y, int64_t n) {
  if (!ready(1)) return dnnl_runtime_error;
  int status = 0;
  eltwise_entry_t *e = lookup_eltwise(n, 0, &status);
  if (e == NULL) return status;
  SET(e->a, x), SET(e->b, y);
  dnnl_exec_arg_t args[2] = {{DNNL_ARG_SRC, e->a}, {DNNL_ARG_DST, e->b}};
  return run(e->primitive, 2, args);
}

int mbrl_dnnl_elu_grad(const float *dy, const float *y, float *dx, int64_t n) {
  if (!ready(1)) return dnnl_runtime_error;
  int status = 0;
  eltwise_entry_t *e = lookup_eltwise(n, 1, &status);
  if (e == NULL) return status;
  SET(e->a, y), SET(e->b, dy), SET(e->c, dx);
  dnnl_exec_arg_t args[3] = {{DNNL_ARG_DST, e->a}, {DNNL_ARG_DIFF_DST, e->b}, {DNNL_ARG_DIFF_SRC, e->c}};
  return run(e->primitive, 3, args);
}
