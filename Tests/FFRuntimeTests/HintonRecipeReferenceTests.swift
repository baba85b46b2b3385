import FFKernels
import Foundation
import Testing

@testable import FFRuntime

/// The recipe issue's reference values: one mini-batch step of Hinton's ffcode logic (`ffnew.m`)
/// on a tiny network, computed independently in NumPy from the MATLAB. 14 visible units (10 label
/// pixels, 4 image pixels), hidden 5-4-3, a batch of 4, hard negatives given, gain 1.
@Suite struct HintonRecipeReferenceTests {
  static let dims = [14, 5, 4, 3]
  static let labels = [3, 0, 9, 5]
  static let negatives = [7, 2, 1, 0]

  /// The model with the weights: W_l[i, j] = sin(0.7 (i fan_out + j) + l) / sqrt(fan_in) in
  /// ffcode's (fan_in, fan_out) layout (ours is (out, in)), b_l[j] = 0.01 j - 0.02; head weights
  /// 0.05 cos(0.3 (i 10 + k) + l) from hidden layers 2 and 3.
  static func model() -> FFModel {
    let recipe = ModelRecipe.hinton(layers: 3)
    var layers: [FFLayer] = []
    for l in 1...3 {
      let fanIn = dims[l - 1], fanOut = dims[l]
      let w = Matrix(rows: fanOut, cols: fanIn)
      for i in 0..<fanIn {
        for j in 0..<fanOut { w[j, i] = Float(sin(0.7 * Double(i * fanOut + j) + Double(l)) / Double(fanIn).squareRoot()) }
      }
      let b = (0..<fanOut).map { Float(0.01 * Double($0) - 0.02) }
      layers.append(FFLayer(weights: w, bias: b, hyper: LayerHyperparameters(lr: 0.01, eps: 1e-30), recipe: recipe))
    }
    let head = SoftmaxHead(layers: [2, 3], units: [5, 4, 3])
    for (k, l) in [2, 3].enumerated() {
      let m = head.weights[k]
      for i in 0..<m.cols {
        for c in 0..<10 { m[c, i] = Float(0.05 * cos(0.3 * Double(i * 10 + c) + Double(l))) }
      }
    }
    return FFModel(layers: layers, recipe: recipe, head: head)
  }

  /// Images: pixel p of case c is ((4c + p) mod 7) / 7 after the 10 label pixels.
  static func images() -> Matrix {
    let x = Matrix(rows: 4, cols: 14)
    for c in 0..<4 { for p in 0..<4 { x[c, 10 + p] = Float((c * 4 + p) % 7) / 7 } }
    return x
  }

  /// Runs the step and returns the model and its buffers (holding the passes' goodness, the
  /// head's probabilities minus targets, and the hard-negative distribution).
  static func stepped(precision: Precision = .fp32) throws -> (FFModel, TogetherBuffers) {
    let m = model()
    m.precision = precision
    let buffers = TogetherBuffers(model: m, batch: 4)
    var draws = Generator(seed: 0), shifts = Generator(seed: 0)
    var losses = [Double](repeating: 0, count: 3)
    buffers.labels = labels
    _ = try m.step(images(), members: [0, 1, 2, 3], negatives: .hard, value: 1, gain: 1, epoch: 1,
                   buffers: buffers, draws: &draws, losses: &losses, given: negatives, shifts: &shifts)
    return (m, buffers)
  }

  static func expectClose(_ actual: [Float], _ expected: [Double], _ what: String, tolerance: Double = 1e-5) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)")
    for (a, e) in zip(actual, expected) {
      #expect(abs(Double(a) - e) <= tolerance, "\(what): \(actual) vs \(expected)")
    }
  }

  /// p = logistic((sum h^2 - units) / T) from the goodness the pass left, rows `rows`.
  static func probabilities(_ buffers: TogetherBuffers, layer: Int, rows: Range<Int>) -> [Float] {
    let units = Float(dims[layer + 1])
    return rows.map { Elementwise.sigmoid(buffers.goodness[layer][0, $0] - units) }
  }

  @Test func positiveAndNegativeProbabilities() throws {
    let (_, b) = try Self.stepped()
    let pos: [[Double]] = [[0.014548, 0.0119, 0.019897, 0.009168], [0.023325, 0.017986, 0.01915, 0.018669],
                           [0.047955, 0.047426, 0.047426, 0.050096]]
    let neg: [[Double]] = [[0.024585, 0.007489, 0.008786, 0.015421], [0.018004, 0.019232, 0.144157, 0.019099],
                           [0.048093, 0.047426, 0.047426, 0.047426]]
    for l in 0..<3 {
      Self.expectClose(Self.probabilities(b, layer: l, rows: 4..<8), pos[l], "posprobs of hidden \(l + 1)")
      Self.expectClose(Self.probabilities(b, layer: l, rows: 8..<12), neg[l], "negprobs of hidden \(l + 1)")
    }
  }

  @Test func headPredictionsAndHardDistribution() throws {
    let (_, b) = try Self.stepped()
    // The head's step leaves probabilities - targets in `logits`; row 0's target is label 3.
    var row0 = Array(b.logits.row(0))
    row0[3] += 1
    Self.expectClose(row0, [0.100935, 0.099482, 0.098438, 0.097883, 0.097857, 0.098363, 0.099363, 0.100782, 0.102505, 0.104392],
                     "head predictions row 0")
    Self.expectClose(Array(b.hard.row(0)), [0.111886, 0.110276, 0.109119, 0, 0.108475, 0.109036, 0.110145, 0.111717, 0.113628, 0.115719],
                     "hard-negative distribution row 0")
  }

  @Test func parametersAfterTheStep() throws {
    let (m, _) = try Self.stepped()
    let l1 = m.layers[0], l2 = m.layers[1], l3 = m.layers[2]
    Self.expectClose(l1.peerMeans.array, [0.472655, 0.481241, 0.480458, 0.481064, 0.473825], "peer-norm means of hidden 1")
    // Row 0 in ffcode's (fan_in, fan_out) layout is column 0 of ours.
    Self.expectClose((0..<5).map { l1.weights[$0, 0] }, [0.224965, 0.265271, 0.180813, 0.011314, -0.163506], "W1 row 0")
    Self.expectClose(l1.bias.array, [-0.019783, -0.0097, 0.000295, 0.010305, 0.020234], "b1")
    Self.expectClose((0..<4).map { l2.weights[$0, 0] }, [0.406739, 0.191155, -0.11428, -0.365941], "W2 row 0")
    Self.expectClose(l2.bias.array, [-0.019944, -0.009929, 0.000084, 0.010075], "b2")
    Self.expectClose((0..<3).map { l3.weights[$0, 0] }, [0.070563, -0.264911, -0.475796], "W3 row 0")
    Self.expectClose(l3.bias.array, [-0.019934, -0.009953, 0.000002], "b3")
    let head = try #require(m.head)
    Self.expectClose((0..<10).map { head.weights[0][$0, 0] },
                     [-0.021008, -0.034796, -0.044313, -0.045299, -0.051379, -0.043771, -0.041039, -0.030255, -0.016907, 0.002338],
                     "head weights from hidden 2, row 0")
    Self.expectClose((0..<10).map { head.weights[1][$0, 0] },
                     [-0.045752, -0.049751, -0.04522, -0.036687, -0.024913, -0.010951, 0.003952, 0.018465, 0.031291, 0.041285],
                     "head weights from hidden 3, row 0")
  }

  @Test func energyTestAfterTheStep() throws {
    let (m, _) = try Self.stepped()
    let perLayer = try m.layerGoodness(Self.images())
    let energy = FFModel.sum(perLayer, skipFirst: true)
    Self.expectClose(Array(energy.row(0)),
                     [0.079236, 1.867819, 0.08676, 0.277808, 0.965616, 0.097842, 0.965616, 0.015718, 2.220018, 0.071614],
                     "energy row 0", tolerance: 1e-4)
    #expect(Elementwise.argmaxRows(energy) == [8, 6, 8, 1])
  }

  /// The same step with bf16 products: every reference value within a documented tolerance
  /// (docs: README, "bf16"): 5e-3 absolute on probabilities, 1e-4 on parameters after the step
  /// (a step moves them by lr times a gradient), 1 % of the row's largest on the energies (a
  /// small energy is a difference of squares near zero, so its own relative error is larger).
  @Test func referenceValuesInBF16() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let (m, b) = try Self.stepped(precision: .bf16)
    let pos: [[Double]] = [[0.014548, 0.0119, 0.019897, 0.009168], [0.023325, 0.017986, 0.01915, 0.018669],
                           [0.047955, 0.047426, 0.047426, 0.050096]]
    for l in 0..<3 {
      Self.expectClose(Self.probabilities(b, layer: l, rows: 4..<8), pos[l], "bf16 posprobs of hidden \(l + 1)", tolerance: 5e-3)
    }
    Self.expectClose(l1Weights(m), [0.224965, 0.265271, 0.180813, 0.011314, -0.163506], "bf16 W1 row 0", tolerance: 1e-4)
    Self.expectClose(m.layers[2].bias.array, [-0.019934, -0.009953, 0.000002], "bf16 b3", tolerance: 1e-4)
    let energy = FFModel.sum(try m.layerGoodness(Self.images()), skipFirst: true)
    let expected = [0.079236, 1.867819, 0.08676, 0.277808, 0.965616, 0.097842, 0.965616, 0.015718, 2.220018, 0.071614]
    let largest = expected.map(abs).max() ?? 1
    for (a, e) in zip(Array(energy.row(0)), expected) {
      #expect(abs(Double(a) - e) <= 0.01 * largest, "bf16 energy row 0: \(Array(energy.row(0))) vs \(expected)")
    }
    #expect(Elementwise.argmaxRows(energy) == [8, 6, 8, 1])
    // bf16 really ran: fp32 gives other bits.
    let (exact, _) = try Self.stepped()
    #expect(l1Weights(exact) != l1Weights(m))
  }

  private func l1Weights(_ m: FFModel) -> [Float] { (0..<5).map { m.layers[0].weights[$0, 0] } }
}
