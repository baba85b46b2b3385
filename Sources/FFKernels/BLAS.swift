/// Matrix products: fp32 on OpenBLAS, or (opt-in) bf16 on oneDNN. Every matrix product in ffnb goes through here.
public enum BLAS {
  /// Whether an operand is used as stored or transposed.
  public enum Transpose: Sendable { case none, transpose }

  /// C = alpha * op(A) * op(B) + beta * C, all row-major.
  ///
  /// Shapes: op(A) (m, k), op(B) (k, n), C (m, n). With `beta = 1` and C pre-filled,
  /// the product accumulates into C (used to add a broadcast bias for free).
  public static func gemm(
    _ a: Matrix, _ transA: Transpose = .none,
    _ b: Matrix, _ transB: Transpose = .none,
    into c: Matrix, alpha: Float = 1, beta: Float = 0, precision: Precision = .fp32,
    roundedA: BF16Matrix? = nil, roundedB: BF16Matrix? = nil
  ) {
    let m = transA == .none ? a.rows : a.cols
    let k = transA == .none ? a.cols : a.rows
    let kb = transB == .none ? b.rows : b.cols
    let n = transB == .none ? b.cols : b.rows
    precondition(k == kb, "gemm inner dimensions differ: op(A) is (\(m), \(k)), op(B) is (\(kb), \(n))")
    precondition(c.rows == m && c.cols == n, "gemm output is (\(c.rows), \(c.cols)), expected (\(m), \(n))")
    precondition(roundedA.map { $0.rows == a.rows && $0.cols == a.cols } ?? true, "gemm: the rounded A has another shape")
    precondition(roundedB.map { $0.rows == b.rows && $0.cols == b.cols } ?? true, "gemm: the rounded B has another shape")
    gemm(m: m, n: n, k: k, a: a.base, lda: a.cols, transA: transA,
         b: b.base, ldb: b.cols, transB: transB, c: c.base, ldc: c.cols, alpha: alpha, beta: beta, precision: precision,
         roundedA: roundedA.map { $0.rows(0..<$0.rows) }, roundedB: roundedB.map { $0.rows(0..<$0.rows) })
  }

  /// Raw-pointer form of `gemm` for sub-blocks of larger matrices (row-major, leading dimensions given).
  /// With `precision: .bf16` the product runs on oneDNN where it can (see `Precision`), in fp32
  /// otherwise; `roundedA` / `roundedB`, the operand already rounded to bf16, spare rounding it again.
  public static func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, transA: Transpose,
    b: UnsafePointer<Float>, ldb: Int, transB: Transpose,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0, precision: Precision = .fp32,
    roundedA: BF16Rows? = nil, roundedB: BF16Rows? = nil
  ) {
    guard m > 0, n > 0 else { return }
    if precision == .bf16, k > 0,
       BF16.gemm(m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                 c: c, ldc: ldc, alpha: alpha, beta: beta, roundedA: roundedA, roundedB: roundedB) != nil {
      return
    }
    let blas = OpenBLASLibrary.shared
    blas.sgemm(OpenBLASLibrary.rowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
               alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// y = alpha * op(A) x + beta * y, with A row-major (rows, cols).
  public static func gemv(
    _ a: Matrix, _ transA: Transpose = .none, x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
    alpha: Float = 1, beta: Float = 0
  ) {
    guard a.rows > 0, a.cols > 0 else { return }
    OpenBLASLibrary.shared.sgemv(OpenBLASLibrary.rowMajor, transA.cblas, Int32(a.rows), Int32(a.cols),
                                 alpha, a.base, Int32(a.cols), x, 1, beta, y, 1)
  }
}

extension BLAS.Transpose {
  /// cblas.h's CBLAS_TRANSPOSE value.
  var cblas: Int32 { self == .none ? OpenBLASLibrary.noTrans : OpenBLASLibrary.trans }
}
