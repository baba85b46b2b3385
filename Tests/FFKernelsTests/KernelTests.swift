import Testing
@testable import FFKernels

/// BLAS wrappers and fused passes against naive, obviously-correct loops.
@Suite struct KernelTests {
  func random(_ rows: Int, _ cols: Int, _ g: inout Generator) -> Matrix {
    let m = Matrix(rows: rows, cols: cols)
    g.fillNormal(m.elements)
    return m
  }

  func naiveProduct(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
    a.map { row in (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).reduce(0) { $0 + $1.0 * $1.1 } } }
  }
  func transpose(_ m: [[Float]]) -> [[Float]] { (0..<m[0].count).map { j in m.map { $0[j] } } }

  @Test(arguments: [(BLAS.Transpose.none, BLAS.Transpose.none), (.none, .transpose), (.transpose, .none), (.transpose, .transpose)])
  func gemmMatchesNaiveProduct(ta: BLAS.Transpose, tb: BLAS.Transpose) {
    var g = Generator(seed: 1)
    let (m, k, n) = (5, 7, 3)
    let a = ta == .none ? random(m, k, &g) : random(k, m, &g)
    let b = tb == .none ? random(k, n, &g) : random(n, k, &g)
    let c = Matrix(rows: m, cols: n)
    BLAS.gemm(a, ta, b, tb, into: c)
    let expected = naiveProduct(ta == .none ? a.nested : transpose(a.nested), tb == .none ? b.nested : transpose(b.nested))
    for (x, y) in zip(c.array, expected.flatMap { $0 }) { #expect(abs(x - y) < 1e-4) }
  }

  @Test func gemvTransposedIsColumnSums() {
    var g = Generator(seed: 2)
    let m = random(6, 4, &g)
    let ones = [Float](repeating: 1, count: 6)
    var y = [Float](repeating: 0, count: 4)
    ones.withUnsafeBufferPointer { o in y.withUnsafeMutableBufferPointer { BLAS.gemv(m, .transpose, x: o.baseAddress!, into: $0.baseAddress!) } }
    var sums = [Float](repeating: 0, count: 4)
    sums.withUnsafeMutableBufferPointer { Elementwise.columnSums(m, into: $0.baseAddress!) }
    for j in 0..<4 {
      let expected = (0..<6).reduce(Float(0)) { $0 + m[$1, j] }
      #expect(abs(y[j] - expected) < 1e-5 && abs(sums[j] - expected) < 1e-5)
    }
  }

  @Test func normalizeRowsDividesByNormPlusEps() {
    let x = Matrix([[3, 4], [0, 0]])
    let y = Matrix(rows: 2, cols: 2)
    Elementwise.normalizeRows(x, into: y, eps: 1e-4)
    #expect(abs(y[0, 0] - 3 / 5.0001) < 1e-7 && abs(y[0, 1] - 4 / 5.0001) < 1e-7)
    #expect(y[1, 0] == 0 && y[1, 1] == 0, "a zero row stays zero thanks to eps")
  }

  @Test func biasReluGoodnessIsMeanOfSquaredRelu() {
    let z = Matrix([[1, -2, 3], [-1, -1, -1]])
    let bias: [Float] = [0.5, 0, -1]
    var g = [Float](repeating: 0, count: 2)
    bias.withUnsafeBufferPointer { b in g.withUnsafeMutableBufferPointer { Elementwise.biasReluGoodness(z, bias: b.baseAddress!, goodness: $0.baseAddress!) } }
    #expect(z.nested == [[1.5, 0, 2], [0, 0, 0]])
    #expect(abs(g[0] - (2.25 + 4) / 3) < 1e-6 && g[1] == 0)
  }

  /// One Adam step from zero state moves every parameter by lr * sign(g) (bias correction
  /// cancels the (1 - beta) factors), up to eps; the second step is computed by hand.
  @Test func adamMatchesHandComputedSteps() {
    var p: [Float] = [1, -1, 0.5], m: [Float] = [0, 0, 0], v: [Float] = [0, 0, 0]
    let hyper = AdamHyperparameters(lr: 0.1)
    func step(_ g: [Float], _ t: Int) {
      p.withUnsafeMutableBufferPointer { pp in m.withUnsafeMutableBufferPointer { mm in v.withUnsafeMutableBufferPointer { vv in
        g.withUnsafeBufferPointer { gg in
          AdamKernel.step(parameters: pp.baseAddress!, gradients: gg.baseAddress!, firstMoment: mm.baseAddress!,
                          secondMoment: vv.baseAddress!, count: 3, step: t, hyper: hyper)
        } } } }
    }
    step([0.2, -0.4, 0], 1)
    #expect(abs(p[0] - 0.9) < 1e-6 && abs(p[1] - -0.9) < 1e-6 && p[2] == 0.5)
    step([0.2, 0.4, 0], 2)
    // m = 0.9*0.02 + 0.1*0.2 = 0.038, v = 0.999*4e-5 + 0.001*0.04 = 7.996e-5; mhat = 0.038/0.19, vhat = 7.996e-5/0.001999
    let mhat = 0.038 / 0.19, vhat = 7.996e-5 / 0.001999
    #expect(abs(Double(p[0]) - (0.9 - 0.1 * mhat / (vhat.squareRoot() + 1e-8))) < 1e-6)
  }

  @Test func prefixRowsSharesStorage() {
    let m = Matrix([[1, 2], [3, 4], [5, 6]])
    let view = m.prefixRows(2)
    view[1, 1] = 40
    #expect(m[1, 1] == 40 && view.rows == 2)
  }

  @Test func finiteChecks() {
    let m = Matrix([[1, 2], [3, .nan]])
    #expect(!Elementwise.allFinite(UnsafeBufferPointer(m.elements)))
    m[1, 1] = 0
    #expect(Elementwise.allFinite(UnsafeBufferPointer(m.elements)))
    m[0, 0] = -.infinity
    #expect(!Elementwise.allFinite(UnsafeBufferPointer(m.elements)))
  }

  /// The look-ahead of the smoothed step says whether the step keeps every parameter finite,
  /// and writes nothing: a step that overflows, or reads a non-finite gradient, is refused.
  @Test func smoothedStepLookAhead() {
    var p: [Float] = [0.5, -2, 3e38, 0], g: [Float] = [0.1, 0.2, -0.3, 0.4]
    let before = p
    func staysFinite(rate: Float, decay: Float) -> Bool {
      Elementwise.smoothedStepStaysFinite(parameters: p, gradients: g, count: p.count, rate: rate, decay: decay)
    }
    #expect(staysFinite(rate: 0.01, decay: 0.001))
    #expect(staysFinite(rate: 1, decay: 0))
    #expect(staysFinite(rate: 1e38, decay: 0))  // 3e38 + 1e38 * 0.3 = 3.3e38 still fits
    #expect(!staysFinite(rate: 2e38, decay: 0))  // 3e38 + 2e38 * 0.3 does not
    #expect(staysFinite(rate: 1, decay: 0.5))  // 3e38 - (0.5 * 3e38 - 0.3): large, but finite
    #expect(!staysFinite(rate: 2, decay: 2))  // -2 - 2 * (2 * -2 + 0.2) is finite; 3e38 - 2 * (6e38 - 0.3) is not
    g[3] = .nan
    #expect(!staysFinite(rate: 0.01, decay: 0))
    #expect(p == before)
  }
}
