#ifndef FFNB_DNNL_H
#define FFNB_DNNL_H
// bf16 matrix products on oneDNN's matmul primitive, for FFKernels only.
//
// oneDNN (Debian's libdnnl.so.2) is loaded with dlopen on first use, so a machine without it
// still runs ffnb in fp32; `ffnb_dnnl_load` says why it is not usable. Operands are fp32 and
// are rounded to bf16 (nearest even) into scratch buffers here; products accumulate in fp32
// and are written in fp32. Primitives are created once per shape and cached: creating one
// costs far more than a small product.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads oneDNN once. Returns 1 when bf16 products can run fast on this CPU (AMX or
/// AVX512_BF16), 0 otherwise; `ffnb_dnnl_status` then says why.
int ffnb_dnnl_load(void);
/// What was loaded ("oneDNN 2.6.3, ISA avx512_core_bf16") or why nothing was.
const char *ffnb_dnnl_status(void);
/// The ISA oneDNN dispatches to: "avx512_core_amx", "avx512_core_bf16", ...; "" if not loaded.
const char *ffnb_dnnl_isa(void);
/// Sets the threads of oneDNN's OpenMP runtime (its own pool, apart from OpenBLAS's).
void ffnb_dnnl_set_threads(int threads);

/// C = alpha op(A) op(B) + beta C, row-major, with op(A) (m, k), op(B) (k, n), C (m, n); A and
/// B are rounded to bf16 first. trans_a / trans_b: 0 as stored, 1 transposed. Returns 0 on
/// success; nonzero (nothing written) when oneDNN refused the shape, so the caller runs fp32.
/// `implementation` (may be NULL) receives the kernel oneDNN picked, e.g. "brg:avx512_core_bf16".
int ffnb_bf16_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc,
                   const char **implementation);

/// As `ffnb_bf16_gemm`, but an operand may come already rounded: when `a_bf16` (or `b_bf16`)
/// is not NULL it is used instead of `a` (or `b`): a dense bf16 copy of the operand as stored
/// (rows x cols with no padding), e.g. an input that stays the same for many products.
int ffnb_bf16_gemm_mixed(int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const uint16_t *a_bf16,
                         const float *b, int ldb, const uint16_t *b_bf16,
                         float beta, float *c, int ldc, const char **implementation);

/// 1 when a product of this shape runs in bf16 (oneDNN accepted it; its primitive is made and
/// cached now), 0 otherwise: lets a caller write an operand only in bf16 when it will be used so.
int ffnb_bf16_supports(int trans_a, int trans_b, int m, int n, int k, int ldc, float alpha, float beta);

/// Rounds n floats to bf16 (nearest even; NaN stays NaN).
void ffnb_bf16_round(const float *x, uint16_t *y, long n);

#ifdef __cplusplus
}
#endif
#endif
