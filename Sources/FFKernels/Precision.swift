import CDNNL

/// The number format of matrix products' operands. Weights, optimizer state, losses and every
/// elementwise pass stay fp32 in both; `bf16` rounds the operands of each product to bfloat16
/// (8 bits of mantissa) and accumulates in fp32, which AMX and AVX512_BF16 run 2-3x faster.
public enum Precision: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// The default: products in fp32 on OpenBLAS, exactly the seed's arithmetic.
  case fp32
  /// Opt-in: products on oneDNN in bf16 with fp32 accumulation, where the CPU supports it.
  case bf16

  public var description: String { rawValue }

  /// The precision products really run in when this one is asked for: bf16 falls back to fp32
  /// where oneDNN or the CPU's bf16 instructions are missing (`BF16.status` says which).
  public var effective: Precision { self == .bf16 && !BF16.isAvailable ? .fp32 : self }
}

/// oneDNN's bf16 matmul, loaded with dlopen on first use.
public enum BF16 {
  /// Whether bf16 products run here: oneDNN loaded, and the CPU has AMX or AVX512_BF16.
  public static var isAvailable: Bool { ffnb_dnnl_load() != 0 }
  /// "oneDNN 2.6.3, ISA avx512_core_bf16", or why bf16 is not available.
  public static var status: String { String(cString: ffnb_dnnl_status()) }
  /// The instruction set oneDNN dispatches to ("avx512_core_amx", "avx512_core_bf16", ...).
  public static var isa: String { String(cString: ffnb_dnnl_isa()) }
  /// The one-line note for a run that asked for bf16 and runs fp32.
  public static var fallbackNote: String { "bf16 is not available here (\(status)); products run in fp32" }

  /// Threads of oneDNN's own (OpenMP) pool.
  public static func setThreads(_ n: Int) { ffnb_dnnl_set_threads(Int32(clamping: n)) }

  /// C = alpha op(A) op(B) + beta C with A and B rounded to bf16, as `BLAS.gemm`'s raw form.
  /// Returns oneDNN's kernel name ("brg:avx512_core_bf16"), or nil when it refused the shape or
  /// bf16 is not available (nothing was written; run fp32).
  /// `roundedA` / `roundedB`: the operand already rounded (as stored, dense), used instead of a / b.
  @discardableResult
  public static func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, transA: BLAS.Transpose,
    b: UnsafePointer<Float>, ldb: Int, transB: BLAS.Transpose,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0,
    roundedA: BF16Rows? = nil, roundedB: BF16Rows? = nil
  ) -> String? {
    // A rounded operand is dense as stored: op(A) (m, k) is stored (m, k), or (k, m) transposed.
    precondition(roundedA.map { transA == .none ? ($0.rows == m && $0.cols == k) : ($0.rows == k && $0.cols == m) } ?? true,
                 "bf16 gemm: the rounded A is (\(roundedA?.rows ?? 0), \(roundedA?.cols ?? 0)) for op(A) (\(m), \(k))")
    precondition(roundedB.map { transB == .none ? ($0.rows == k && $0.cols == n) : ($0.rows == n && $0.cols == k) } ?? true,
                 "bf16 gemm: the rounded B is (\(roundedB?.rows ?? 0), \(roundedB?.cols ?? 0)) for op(B) (\(k), \(n))")
    var implementation: UnsafePointer<CChar>? = nil
    let status = ffnb_bf16_gemm_mixed(transA == .transpose ? 1 : 0, transB == .transpose ? 1 : 0,
                                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), roundedA?.base,
                                      b, Int32(ldb), roundedB?.base, beta, c, Int32(ldc), &implementation)
    withExtendedLifetime((roundedA, roundedB)) {}
    guard status == 0 else { return nil }
    return implementation.map { String(cString: $0) } ?? ""
  }

  /// Whether a product of this shape runs in bf16 here (oneDNN accepts it; the primitive is made
  /// and cached by asking). A pass that would write an operand only in bf16 asks first, and
  /// writes fp32 when the product would fall back to fp32.
  public static func supports(
    m: Int, n: Int, k: Int, transA: BLAS.Transpose, transB: BLAS.Transpose, ldc: Int, alpha: Float = 1, beta: Float = 0
  ) -> Bool {
    ffnb_bf16_supports(transA == .transpose ? 1 : 0, transB == .transpose ? 1 : 0, Int32(m), Int32(n), Int32(k),
                       Int32(ldc), alpha, beta) != 0
  }

  /// x rounded to bf16 and back: what a product's operand becomes in bf16. For tests.
  public static func rounded(_ x: [Float]) -> [Float] {
    var halves = [UInt16](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { src in
      halves.withUnsafeMutableBufferPointer { ffnb_bf16_round(src.baseAddress, $0.baseAddress, x.count) }
    }
    return halves.map { Float(bitPattern: UInt32($0) << 16) }
  }
}
