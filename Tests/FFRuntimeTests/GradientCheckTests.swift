import FFKernels
import Foundation
import Testing
@testable import FFRuntime

/// Analytic gradients against central finite differences of an independent double-precision
/// implementation of the seed's loss.
@Suite struct GradientCheckTests {
  /// The seed's loss written directly from its PyTorch code, in Double; with `rms`, rows are
  /// scaled by 1 / (eps + sqrt(mean x^2)) (ffcode's `ffnormrows`) instead of the L2 norm.
  static func referenceLoss(
    w: [[Double]], b: [Double], pos: [[Double]], neg: [[Double]], threshold: Double, eps: Double, rms: Bool = false
  ) -> Double {
    func goodness(_ x: [Double]) -> Double {
      let squares = x.map { $0 * $0 }.reduce(0, +)
      let norm = (rms ? squares / Double(x.count) : squares).squareRoot()
      let xn = x.map { $0 / (norm + eps) }
      var g = 0.0
      for (j, row) in w.enumerated() {
        let z = zip(row, xn).map { $0 * $1 }.reduce(0, +) + b[j]
        let h = max(z, 0)
        g += h * h
      }
      return g / Double(w.count)
    }
    let s = pos.map { threshold - goodness($0) } + neg.map { goodness($0) - threshold }
    return s.map { log(1 + exp($0)) }.reduce(0, +) / Double(s.count)
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func finiteDifferencesAgree(seed: UInt64) {
    var gen = Generator(seed: seed, stream: "gradcheck")
    let (n, din, dout) = (5, 7, 6)
    let threshold: Float = 0.5
    let layer = FFLayer(inputs: din, outputs: dout, hyper: LayerHyperparameters(threshold: threshold), generator: &gen)
    let pos = Matrix(rows: n, cols: din), neg = Matrix(rows: n, cols: din)
    gen.fillNormal(pos.elements); gen.fillNormal(neg.elements)
    _ = layer.lossAndGradients(positive: pos, negative: neg)

    let p = pos.nested.map { $0.map(Double.init) }, q = neg.nested.map { $0.map(Double.init) }
    Self.expectFiniteDifferences(layer, columns: Array(0..<din)) { w, b in
      Self.referenceLoss(w: w, b: b, pos: p, neg: q, threshold: Double(threshold), eps: 1e-4)
    }
  }

  /// Central differences of the Double loss `f(W, b)` at the layer's parameters, for the
  /// weights in `columns` of every row and every bias, against the layer's analytic gradients.
  static func expectFiniteDifferences(_ layer: FFLayer, columns: [Int], loss f: ([[Double]], [Double]) -> Double) {
    var w = layer.weights.nested.map { $0.map(Double.init) }
    var b = layer.bias.array.map(Double.init)
    let h = 1e-6
    for r in 0..<layer.outputs {
      for c in columns {
        let saved = w[r][c]
        w[r][c] = saved + h; let up = f(w, b)
        w[r][c] = saved - h; let down = f(w, b)
        w[r][c] = saved
        let numeric = (up - down) / (2 * h)
        #expect(abs(numeric - Double(layer.lastWeightGradient[r, c])) <= 2e-5 + 1e-3 * abs(numeric), "dW[\(r),\(c)]")
      }
      let saved = b[r]
      b[r] = saved + h; let up = f(w, b)
      b[r] = saved - h; let down = f(w, b)
      b[r] = saved
      let numeric = (up - down) / (2 * h)
      #expect(abs(numeric - Double(layer.lastBiasGradient[r])) <= 2e-5 + 1e-3 * abs(numeric), "db[\(r)]")
    }
  }

  @Test func softplusIsStableForLargeInputs() {
    #expect(Elementwise.softplus(1000) == 1000)
    #expect(Elementwise.softplus(-1000) == 0)
    #expect(abs(Elementwise.softplus(0) - 0.6931472) < 1e-6)
    #expect(Elementwise.sigmoid(-1000) == 0)
    #expect(Elementwise.sigmoid(1000) == 1)
  }
}
