// bf16 matrix products on oneDNN's matmul primitive; see ffnb_dnnl.h.
#include "ffnb_dnnl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dnnl.h>

// ---- oneDNN's entry points, resolved with dlsym ---------------------------------------------
#define FFNB_DNNL_FUNCTIONS(X)                                                                   \
  X(dnnl_engine_create) X(dnnl_stream_create) X(dnnl_stream_wait) X(dnnl_version)               \
  X(dnnl_get_effective_cpu_isa) X(dnnl_memory_desc_init_by_strides) X(dnnl_matmul_desc_init)   \
  X(dnnl_primitive_attr_create) X(dnnl_primitive_attr_destroy)                                  \
  X(dnnl_primitive_attr_set_output_scales) X(dnnl_post_ops_create) X(dnnl_post_ops_destroy)    \
  X(dnnl_post_ops_append_sum) X(dnnl_primitive_attr_set_post_ops) X(dnnl_primitive_desc_create) \
  X(dnnl_primitive_desc_destroy) X(dnnl_primitive_desc_query) X(dnnl_primitive_create)          \
  X(dnnl_primitive_destroy) X(dnnl_primitive_execute) X(dnnl_memory_create)                    \
  X(dnnl_memory_set_data_handle) X(dnnl_memory_destroy)

#define FFNB_DECLARE(name) static __typeof__(&name) p_##name;
FFNB_DNNL_FUNCTIONS(FFNB_DECLARE)
static void (*p_omp_set_num_threads)(int);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int usable;
static char status[256] = "oneDNN not loaded yet";
static char isa_name[64] = "";
static dnnl_engine_t engine;
static dnnl_stream_t stream;

static const char *isa_string(dnnl_cpu_isa_t isa) {
  switch (isa) {
  case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
  case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
  case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
  case dnnl_cpu_isa_avx512_core: return "avx512_core";
  case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
  case dnnl_cpu_isa_avx2: return "avx2";
  case dnnl_cpu_isa_avx: return "avx";
  case dnnl_cpu_isa_sse41: return "sse41";
  default: return "other";
  }
}

static void load(void) {
  const char *path = getenv("FFNB_DNNL");
  void *handle = dlopen(path && *path ? path : "libdnnl.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(status, sizeof status, "oneDNN not found (%s)", dlerror());
    return;
  }
#define FFNB_RESOLVE(name)                                                                       \
  p_##name = (__typeof__(&name))dlsym(handle, #name);                                            \
  if (!p_##name) {                                                                               \
    snprintf(status, sizeof status, "oneDNN lacks %s (version 2.x expected)", #name);           \
    return;                                                                                      \
  }
  FFNB_DNNL_FUNCTIONS(FFNB_RESOLVE)
  p_omp_set_num_threads = (void (*)(int))dlsym(handle, "omp_set_num_threads");
  const dnnl_version_t *v = p_dnnl_version();
  dnnl_cpu_isa_t isa = p_dnnl_get_effective_cpu_isa();
  snprintf(isa_name, sizeof isa_name, "%s", isa_string(isa));
  // bf16 needs hardware support to beat fp32: AMX tiles or AVX512_BF16 dot products.
  if (isa != dnnl_cpu_isa_avx512_core_amx && isa != dnnl_cpu_isa_avx512_core_bf16) {
    snprintf(status, sizeof status, "oneDNN %d.%d.%d, but this CPU has neither AMX nor AVX512_BF16 (ISA %s)",
             v->major, v->minor, v->patch, isa_name);
    return;
  }
  if (p_dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success ||
      p_dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) {
    snprintf(status, sizeof status, "oneDNN %d.%d.%d could not create a CPU engine", v->major, v->minor, v->patch);
    return;
  }
  snprintf(status, sizeof status, "oneDNN %d.%d.%d, ISA %s", v->major, v->minor, v->patch, isa_name);
  usable = 1;
}

int ffnb_dnnl_load(void) {
  pthread_once(&load_once, load);
  return usable;
}

const char *ffnb_dnnl_status(void) {
  ffnb_dnnl_load();
  return status;
}

const char *ffnb_dnnl_isa(void) {
  ffnb_dnnl_load();
  return isa_name;
}

void ffnb_dnnl_set_threads(int threads) {
  if (ffnb_dnnl_load() && p_omp_set_num_threads && threads > 0) p_omp_set_num_threads(threads);
}

// ---- bf16 rounding -----------------------------------------------------------------------
// Branch-free, so the loop below vectorises: a NaN keeps its sign and top payload bits and is
// made quiet (rounding could carry it into infinity); everything else rounds to nearest even.
static inline uint16_t round_bf16(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
  uint32_t quiet = (u >> 16) | 0x40u;
  return (uint16_t)(((u & 0x7fffffffu) > 0x7f800000u) ? quiet : rounded);
}

void ffnb_bf16_round(const float *x, uint16_t *y, long n) {
  for (long i = 0; i < n; i++) y[i] = round_bf16(x[i]);
}

/// Rows x cols of a row-major matrix with leading dimension ld into a dense bf16 copy.
static void copy_rounded(const float *x, int rows, int cols, int ld, uint16_t *y) {
  for (int r = 0; r < rows; r++) ffnb_bf16_round(x + (long)r * ld, y + (long)r * cols, cols);
}

// ---- primitives, cached per shape --------------------------------------------------------
typedef struct {
  int trans_a, trans_b, m, n, k, ldc;
  float alpha, beta;
  dnnl_primitive_desc_t descriptor;  // kept: it owns the implementation's name
  dnnl_primitive_t primitive;
  dnnl_memory_t src, weights, dst;
  const char *implementation;
} entry_t;

enum { CACHE_SIZE = 64 };
static entry_t cache[CACHE_SIZE];
static int cached, next_victim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint16_t *scratch_a, *scratch_b;
static long capacity_a, capacity_b;

static void release(entry_t *e) {
  if (e->primitive) p_dnnl_primitive_destroy(e->primitive);
  if (e->descriptor) p_dnnl_primitive_desc_destroy(e->descriptor);
  if (e->src) p_dnnl_memory_destroy(e->src);
  if (e->weights) p_dnnl_memory_destroy(e->weights);
  if (e->dst) p_dnnl_memory_destroy(e->dst);
  memset(e, 0, sizeof *e);
}

/// Builds the primitive for a shape: src (m, k) dense bf16 (op(A) copied as stored: strides
/// (k, 1), or (1, m) when transposed), weights (k, n) dense bf16 ((n, 1), or (1, k)), dst (m,
/// n) f32 with leading dimension ldc.
static int create(entry_t *e) {
  dnnl_memory_desc_t src_md, weights_md, dst_md;
  dnnl_dims_t src_dims = {e->m, e->k}, weights_dims = {e->k, e->n}, dst_dims = {e->m, e->n};
  dnnl_dims_t src_strides = {e->trans_a ? 1 : e->k, e->trans_a ? e->m : 1};
  dnnl_dims_t weights_strides = {e->trans_b ? 1 : e->n, e->trans_b ? e->k : 1};
  dnnl_dims_t dst_strides = {e->ldc, 1};
  if (p_dnnl_memory_desc_init_by_strides(&src_md, 2, src_dims, dnnl_bf16, src_strides) ||
      p_dnnl_memory_desc_init_by_strides(&weights_md, 2, weights_dims, dnnl_bf16, weights_strides) ||
      p_dnnl_memory_desc_init_by_strides(&dst_md, 2, dst_dims, dnnl_f32, dst_strides))
    return 1;
  dnnl_matmul_desc_t desc;
  if (p_dnnl_matmul_desc_init(&desc, &src_md, &weights_md, NULL, &dst_md)) return 1;
  dnnl_primitive_attr_t attr;
  if (p_dnnl_primitive_attr_create(&attr)) return 1;
  dnnl_post_ops_t post_ops = NULL;
  int failed = 0;
  if (e->alpha != 1.0f) failed |= p_dnnl_primitive_attr_set_output_scales(attr, 1, 0, &e->alpha) != dnnl_success;
  if (e->beta != 0.0f) {
    failed |= p_dnnl_post_ops_create(&post_ops) != dnnl_success;
    if (!failed) failed |= p_dnnl_post_ops_append_sum(post_ops, e->beta) != dnnl_success;
    if (!failed) failed |= p_dnnl_primitive_attr_set_post_ops(attr, post_ops) != dnnl_success;
  }
  dnnl_primitive_desc_t pd = NULL;
  if (!failed) failed |= p_dnnl_primitive_desc_create(&pd, &desc, attr, engine, NULL) != dnnl_success;
  if (post_ops) p_dnnl_post_ops_destroy(post_ops);
  p_dnnl_primitive_attr_destroy(attr);
  if (failed) return 1;
  const char *impl = "";
  p_dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
  // A reference kernel is far slower than OpenBLAS: refuse it, the caller runs fp32.
  if (strncmp(impl, "ref", 3) == 0) {
    p_dnnl_primitive_desc_destroy(pd);
    return 1;
  }
  e->descriptor = pd;
  e->implementation = impl;
  failed = p_dnnl_primitive_create(&e->primitive, pd) != dnnl_success ||
           p_dnnl_memory_create(&e->src, &src_md, engine, DNNL_MEMORY_NONE) != dnnl_success ||
           p_dnnl_memory_create(&e->weights, &weights_md, engine, DNNL_MEMORY_NONE) != dnnl_success ||
           p_dnnl_memory_create(&e->dst, &dst_md, engine, DNNL_MEMORY_NONE) != dnnl_success;
  return failed;
}

static entry_t *lookup(int trans_a, int trans_b, int m, int n, int k, int ldc, float alpha, float beta) {
  for (int i = 0; i < cached; i++) {
    entry_t *e = &cache[i];
    if (e->trans_a == trans_a && e->trans_b == trans_b && e->m == m && e->n == n && e->k == k &&
        e->ldc == ldc && e->alpha == alpha && e->beta == beta)
      return e;
  }
  entry_t *e;
  if (cached < CACHE_SIZE) {
    e = &cache[cached++];
  } else {
    e = &cache[next_victim];
    next_victim = (next_victim + 1) % CACHE_SIZE;
    release(e);
  }
  *e = (entry_t){trans_a, trans_b, m, n, k, ldc, alpha, beta, NULL, NULL, NULL, NULL, NULL, ""};
  if (create(e)) {
    // Keep the refusal (no primitive), so a refused shape is not tried again on every call.
    entry_t key = *e;
    release(e);
    *e = (entry_t){key.trans_a, key.trans_b, key.m, key.n, key.k, key.ldc, key.alpha, key.beta,
                   NULL, NULL, NULL, NULL, NULL, ""};
  }
  return e;
}

static int reserve(uint16_t **buffer, long *capacity, long needed) {
  if (needed <= *capacity) return 0;
  free(*buffer);
  *buffer = aligned_alloc(64, ((needed * 2 + 63) / 64) * 64);
  *capacity = *buffer ? needed : 0;
  return *buffer == NULL;
}

int ffnb_bf16_supports(int trans_a, int trans_b, int m, int n, int k, int ldc, float alpha, float beta) {
  if (!ffnb_dnnl_load() || m <= 0 || n <= 0 || k <= 0) return 0;
  pthread_mutex_lock(&lock);
  int supported = lookup(trans_a, trans_b, m, n, k, ldc, alpha, beta)->primitive != NULL;
  pthread_mutex_unlock(&lock);
  return supported;
}

int ffnb_bf16_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc,
                   const char **implementation) {
  return ffnb_bf16_gemm_mixed(trans_a, trans_b, m, n, k, alpha, a, lda, NULL, b, ldb, NULL, beta, c, ldc,
                              implementation);
}

int ffnb_bf16_gemm_mixed(int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const uint16_t *a_bf16,
                         const float *b, int ldb, const uint16_t *b_bf16,
                         float beta, float *c, int ldc, const char **implementation) {
  if (implementation) *implementation = "";
  if (!ffnb_dnnl_load() || m <= 0 || n <= 0 || k <= 0) return 1;
  pthread_mutex_lock(&lock);
  entry_t *e = lookup(trans_a, trans_b, m, n, k, ldc, alpha, beta);
  int failed = e->primitive == NULL;
  // Copies as stored: op(A) is (m, k), stored (m, k) or, transposed, (k, m). Same for B.
  if (!failed && !a_bf16) {
    failed = reserve(&scratch_a, &capacity_a, (long)m * k);
    if (!failed) {
      if (trans_a) copy_rounded(a, k, m, lda, scratch_a); else copy_rounded(a, m, k, lda, scratch_a);
      a_bf16 = scratch_a;
    }
  }
  if (!failed && !b_bf16) {
    failed = reserve(&scratch_b, &capacity_b, (long)k * n);
    if (!failed) {
      if (trans_b) copy_rounded(b, n, k, ldb, scratch_b); else copy_rounded(b, k, n, ldb, scratch_b);
      b_bf16 = scratch_b;
    }
  }
  if (!failed) {
    p_dnnl_memory_set_data_handle(e->src, (void *)a_bf16);
    p_dnnl_memory_set_data_handle(e->weights, (void *)b_bf16);
    p_dnnl_memory_set_data_handle(e->dst, c);
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->weights}, {DNNL_ARG_DST, e->dst}};
    failed = p_dnnl_primitive_execute(e->primitive, stream, 3, args) != dnnl_success ||
             p_dnnl_stream_wait(stream) != dnnl_success;
  }
  if (implementation && !failed) *implementation = e->implementation;
  pthread_mutex_unlock(&lock);
  return failed;
}
