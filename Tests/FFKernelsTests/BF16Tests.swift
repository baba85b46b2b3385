import Testing
@testable import FFKernels

/// bf16 products checked against a Double reference computed on the operands rounded to bf16
/// by hand, so the only difference left is fp32 accumulation order (tolerance 1e-5 relative).
@Suite struct BF16Tests {
  @Test func roundingIsToNearestEven() {
    // bf16 keeps 8 bits of significand: 1 + 2^-7 is representable, 1 + 2^-8 is halfway.
    let ulp: Float = 0x1p-7, half: Float = 0x1p-8
    let inputs: [Float] = [1, 1 + ulp, 1 + half, 1 + 3 * half, 1 + half + 0x1p-20]
    let expected: [Float] = [1, 1 + ulp, 1, 1 + 2 * ulp, 1 + ulp]
    #expect(BF16.rounded(inputs) == expected)
    let exact: [Float] = [-2.5, 0, -0.0, 65280, .infinity, -.infinity]
    #expect(BF16.rounded(exact) == exact)
    #expect(BF16.rounded([Float.greatestFiniteMagnitude])[0] == .infinity)  // rounds up past the largest bf16
    #expect(BF16.rounded([.nan])[0].isNaN)
    #expect(BF16.rounded([Float(bitPattern: 0x7f80_0001)])[0].isNaN)  // a NaN whose payload is in the low bits
    #expect(BF16.rounded([0.1])[0] == Float(bitPattern: 0x3dcd_0000))
  }

  /// C = alpha op(A) op(B) + beta C in Double on the rounded operands.
  static func reference(
    _ a: Matrix, _ ta: BLAS.Transpose, _ b: Matrix, _ tb: BLAS.Transpose, c: [Float], alpha: Float, beta: Float
  ) -> [Double] {
    let ra = BF16.rounded(Array(a.elements)), rb = BF16.rounded(Array(b.elements))
    let m = ta == .none ? a.rows : a.cols, k = ta == .none ? a.cols : a.rows, n = tb == .none ? b.cols : b.rows
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k {
          let x = ta == .none ? ra[i * a.cols + p] : ra[p * a.cols + i]
          let y = tb == .none ? rb[p * b.cols + j] : rb[j * b.cols + p]
          s += Double(x) * Double(y)
        }
        out[i * n + j] = Double(alpha) * s + Double(beta) * Double(c[i * n + j])
      }
    }
    return out
  }

  @Test(arguments: [(BLAS.Transpose.none, BLAS.Transpose.none), (.none, .transpose), (.transpose, .none), (.transpose, .transpose)])
  func productsMatchTheReferenceOnRoundedOperands(ta: BLAS.Transpose, tb: BLAS.Transpose) {
    let (m, n, k) = (37, 29, 53)
    let a = ta == .none ? Matrix(rows: m, cols: k) : Matrix(rows: k, cols: m)
    let b = tb == .none ? Matrix(rows: k, cols: n) : Matrix(rows: n, cols: k)
    var g = Generator(seed: 7)
    g.fillNormal(a.elements)
    g.fillNormal(b.elements)
    for (alpha, beta) in [(Float(1), Float(0)), (0.25, 0.9), (1, 1)] {
      let c = Matrix(rows: m, cols: n)
      g.fillNormal(c.elements)
      let before = Array(c.elements)
      BLAS.gemm(a, ta, b, tb, into: c, alpha: alpha, beta: beta, precision: .bf16)
      let expected: [Double]
      if BF16.isAvailable {
        expected = Self.reference(a, ta, b, tb, c: before, alpha: alpha, beta: beta)
      } else {
        // Without bf16 the product runs in fp32: compare with OpenBLAS itself.
        let f = Matrix(rows: m, cols: n, values: before)
        BLAS.gemm(a, ta, b, tb, into: f, alpha: alpha, beta: beta)
        expected = f.elements.map(Double.init)
      }
      let scale = expected.map(abs).max() ?? 1
      let worst = zip(c.elements, expected).map { abs(Double($0) - $1) }.max() ?? 0
      #expect(worst <= 1e-5 * scale, "alpha \(alpha) beta \(beta): worst error \(worst) of \(scale)")
    }
  }

  @Test func bf16DiffersFromFP32ByRoundingOnly() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let a = Matrix(rows: 64, cols: 96), b = Matrix(rows: 96, cols: 48)
    var g = Generator(seed: 3)
    g.fillNormal(a.elements)
    g.fillNormal(b.elements)
    let exact = Matrix(rows: 64, cols: 48), half = Matrix(rows: 64, cols: 48)
    BLAS.gemm(a, .none, b, .none, into: exact)
    BLAS.gemm(a, .none, b, .none, into: half, precision: .bf16)
    let diff = zip(exact.elements, half.elements).map { abs($0 - $1) }.max() ?? 0
    // Products of unit normals over K = 96: sums of about +-10; 2^-8 relative per operand.
    #expect(diff > 0, "bf16 gave fp32's bits exactly: it did not run")
    #expect(diff < 0.2)
  }

  @Test func preRoundedOperandsGiveTheSameProduct() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let a = Matrix(rows: 40, cols: 30), b = Matrix(rows: 20, cols: 30)
    var g = Generator(seed: 4)
    g.fillNormal(a.elements)
    g.fillNormal(b.elements)
    let c1 = Matrix(rows: 40, cols: 20), c2 = Matrix(rows: 40, cols: 20)
    BLAS.gemm(a, .none, b, .transpose, into: c1, precision: .bf16)
    BLAS.gemm(a, .none, b, .transpose, into: c2, precision: .bf16, roundedA: BF16Matrix(rounding: a), roundedB: BF16Matrix(rounding: b))
    #expect(Array(c1.elements) == Array(c2.elements))
  }

  @Test func rawFormWithLeadingDimensionsReadsOnlyTheBlock() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    // A (3, 4) block at column 2 of a (3, 8) matrix, times B (4, 5): the other columns are NaN.
    let big = Matrix(rows: 3, cols: 8), b = Matrix(rows: 4, cols: 5)
    for i in 0..<big.count { big.base[i] = .nan }
    for r in 0..<3 { for c in 0..<4 { big[r, 2 + c] = Float(r + c) / 4 } }
    for i in 0..<b.count { b.base[i] = Float(i % 7) / 8 }
    let c = Matrix(rows: 3, cols: 5)
    BLAS.gemm(m: 3, n: 5, k: 4, a: big.base + 2, lda: 8, transA: .none, b: b.base, ldb: 5, transB: .none,
              c: c.base, ldc: 5, precision: .bf16)
    for r in 0..<3 {
      for j in 0..<5 {
        let expected = (0..<4).reduce(Float(0)) { $0 + Float(r + $1) / 4 * b[$1, j] }  // exact in bf16
        #expect(c[r, j] == expected)
      }
    }
  }

  @Test func swiftRoundingHasTheSameBitsAsTheCRounding() {
    var g = Generator(seed: 9)
    var values = [Float](repeating: 0, count: 4096)
    values.withUnsafeMutableBufferPointer { g.fillNormal($0) }
    values += [0, -0.0, 1 + 0x1p-8, 1 + 3 * 0x1p-8, .infinity, -.infinity, .nan, Float(bitPattern: 0x7f80_0001),
               Float(bitPattern: 0xff80_0001), .greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNormalMagnitude]
    let c = BF16.rounded(values)
    for (x, expected) in zip(values, c) {
      let swift = Float(bitPattern: UInt32(BF16.bits(x)) << 16)
      #expect(swift.bitPattern == expected.bitPattern, "\(x): Swift \(swift), C \(expected)")
    }
  }

  @Test func theFallbackIsNamed() {
    #expect(!BF16.status.isEmpty)
    #expect(Precision.fp32.effective == .fp32)
    #expect(Precision.bf16.effective == (BF16.isAvailable ? .bf16 : .fp32))
    #expect(BF16.fallbackNote.contains("fp32"))
  }
}
