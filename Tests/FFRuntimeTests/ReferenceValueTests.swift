import FFKernels
import Testing
@testable import FFRuntime

/// The figures of the runtime issue, computed with PyTorch 2.15 on the seed's `Learning` class.
@Suite struct ReferenceValueTests {
  static let w: [[Float]] = [[0.5, -0.3, 0.8, 0.1, -0.6, 0.2], [-0.4, 0.9, -0.2, 0.7, 0.3, -0.5],
                             [0.6, 0.4, -0.7, -0.1, 0.5, 0.9], [-0.8, -0.6, 0.3, 0.4, -0.2, 0.1]]
  static let b: [Float] = [0.3, -0.2, 0.1, -0.4]
  static let xPos: [[Float]] = [[1, 0, 2, -1, 0.5, 3], [0, 1.5, -0.5, 2, 1, 0], [2, 2, 0, 0, -1, 1]]
  static let xNeg: [[Float]] = [[-1, 0.5, 0, 1, 2, -2], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [3, -1, 1, 0, 0, 2]]

  func layer() -> FFLayer {
    FFLayer(weights: Matrix(Self.w), bias: Self.b, hyper: LayerHyperparameters(epochs: 3, lr: 0.15, threshold: 2))
  }

  func expectClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) {
      #expect(abs(x - y) <= tolerance, "\(a) vs \(b)", sourceLocation: sourceLocation)
    }
  }

  @Test func forwardMatchesPyTorch() {
    let h = layer().forward(Matrix(Self.xPos))
    let expected: [[Float]] = [[0.888955, 0, 0.676151, 0], [0, 0.950175, 0.556419, 0], [0.679461, 0, 0.858923, 0]]
    expectClose(h.array, expected.flatMap { $0 })
  }

  @Test func goodnessAndLossMatchPyTorch() {
    let l = layer()
    expectClose(l.goodness(Matrix(Self.xPos)), [0.311855, 0.303109, 0.299854])
    expectClose(l.goodness(Matrix(Self.xNeg)), [0.153611, 0.231587, 0.427614])
    let loss = l.lossAndGradients(positive: Matrix(Self.xPos), negative: Matrix(Self.xNeg))
    #expect(abs(loss - 1.013913) <= 1e-5)
  }

  @Test func gradientsMatchPyTorch() {
    let l = layer()
    _ = l.lossAndGradients(positive: Matrix(Self.xPos), negative: Matrix(Self.xNeg))
    let gw = l.lastWeightGradient
    expectClose(Array(gw.row(0)), [-0.031463, -0.031349, -0.025142, 0.018914, 0.010039, -0.052317])
    expectClose(Array(gw.row(3)), [0, 0, 0, 0, 0, 0])
    expectClose(l.lastBiasGradient, [-0.087893, -0.056478, -0.127440, 0])
  }

  @Test func threeAdamStepsMatchPyTorch() throws {
    let l = layer()
    let model = FFModel(layers: [l])
    let outcome = try model.learn(positive: Matrix(Self.xPos), negative: Matrix(Self.xNeg))
    #expect(outcome == .completed)
    expectClose(l.lossHistory, [1.013913, 0.884384, 0.733159])
    expectClose(Array(l.weights.row(0)), [0.947670, 0.147891, 1.249724, -0.347308, -1.042617, 0.649856])
    expectClose(l.bias.array, [0.749558, 0.247921, 0.549932, -0.400000])
    #expect(l.adamSteps == 3)
  }

  @Test func labelOverlayMatchesPyTorch() {
    let x = Matrix(rows: 2, cols: 12, values: (0..<24).map { Float($0) / 4 - 1 })
    let out = Matrix(rows: 2, cols: 12)
    LabelOverlay.apply(x, labels: [3, 0], value: Elementwise.maximum(UnsafeBufferPointer(x.elements)), into: out)
    expectClose(Array(out.row(0)), [0, 0, 0, 4.75, 0, 0, 0, 0, 0, 0, 1.5, 1.75])
    expectClose(Array(out.row(1)), [4.75, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4.5, 4.75])
  }
}
