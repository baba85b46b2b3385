import FFKernels
import Testing
@testable import FFRuntime

@Suite struct PredictionTests {
  func model() throws -> (FFModel, Matrix) {
    var g = Generator(seed: 11, stream: "init")
    let m = try FFModel(dims: [16, 8, 5], hyper: LayerHyperparameters(), generator: &g)
    let x = Matrix(rows: 7, cols: 16)
    g.fillNormal(x.elements)
    return (m, x)
  }

  /// Every label's score is the goodness summed over layers of the overlaid input, computed
  /// here one label and one layer at a time with the public forward/goodness.
  @Test(arguments: [false, true])
  func labelGoodnessSumsLayerGoodness(skipFirst: Bool) throws {
    let (m, x) = try model()
    let maxValue = Elementwise.maximum(UnsafeBufferPointer(x.elements))
    let scores = try m.labelGoodness(x, skipFirstLayer: skipFirst)
    for label in 0..<10 {
      var a = Matrix(rows: x.rows, cols: x.cols)
      LabelOverlay.apply(x, labels: Array(repeating: label, count: x.rows), value: maxValue, into: a)
      var expected = [Float](repeating: 0, count: x.rows)
      for (k, layer) in m.layers.enumerated() {
        let g = layer.goodness(a)
        if !(skipFirst && k == 0) { for i in 0..<x.rows { expected[i] += g[i] } }
        a = layer.forward(a)
      }
      for i in 0..<x.rows { #expect(abs(scores[i, label] - expected[i]) < 1e-5) }
    }
    let predictions = try m.predict(x, skipFirstLayer: skipFirst)
    for i in 0..<x.rows {
      let row = Array(scores.row(i))
      #expect(predictions[i] == row.firstIndex(of: row.max()!)!)
    }
  }

  /// Layer 1 shares each image's product across the ten labels; the scores equal those of the
  /// materialised overlaid rows, for the seed's recipe (label pixel: the batch maximum, or a
  /// given value; L2, mean goodness) and Hinton's (one-hot strength; RMS, sum goodness).
  @Test(arguments: [("seed", nil), ("seed", 2.5), ("hinton", nil)] as [(String, Float?)])
  func sharedScoresEqualTheMaterialisedOnes(recipe name: String, overlayValue: Float?) throws {
    var g = Generator(seed: 13, stream: "init")
    let recipe: ModelRecipe = name == "hinton" ? .hinton(layers: 3) : .seed
    let m = try FFModel(dims: [24, 12, 8, 6], hyper: LayerHyperparameters(), recipe: recipe, generator: &g)
    let x = Matrix(rows: 9, cols: 24)
    g.fillNormal(x.elements)
    let value = m.labelValue(x, overlayValue: overlayValue)
    let scores = try m.layerGoodness(x, overlayValue: overlayValue)
    for label in 0..<10 {
      var a = Matrix(rows: x.rows, cols: x.cols)
      LabelOverlay.apply(x, labels: Array(repeating: label, count: x.rows), value: value, into: a)
      for (k, layer) in m.layers.enumerated() {
        let expected = layer.goodness(a)
        let scale = max(expected.map(abs).max() ?? 0, 1e-6)
        for i in 0..<x.rows {
          #expect(abs(scores[k][i, label] - expected[i]) <= 1e-5 * scale, "layer \(k + 1), sample \(i), label \(label)")
        }
        a = layer.forward(a)
      }
    }
  }

  /// An input of only the 10 label pixels leaves layer 1 no image product (K = 0): the scores
  /// come from the label columns alone, as on the materialised rows.
  @Test func labelPixelsOnlyInputScoresAsMaterialised() throws {
    var g = Generator(seed: 14, stream: "init")
    let m = try FFModel(dims: [10, 6, 4], hyper: LayerHyperparameters(), generator: &g)
    let x = Matrix(rows: 3, cols: 10)
    g.fillNormal(x.elements)
    let scores = try m.labelGoodness(x, overlayValue: 1.5)
    for label in 0..<10 {
      let a = Matrix(rows: 3, cols: 10)
      LabelOverlay.apply(x, labels: [label, label, label], value: 1.5, into: a)
      let expected = zip(m.layers[0].goodness(a), m.layers[1].goodness(m.layers[0].forward(a))).map { $0 + $1 }
      for i in 0..<3 { #expect(abs(scores[i, label] - expected[i]) <= 1e-5 * max(1, abs(expected[i]))) }
    }
  }

  @Test func manyBlocksGiveTheSameScoresAsOne() throws {
    let (m, _) = try model()
    var g = Generator(seed: 12)
    let x = Matrix(rows: 2100, cols: 16)  // more than one 2048-sample block
    g.fillNormal(x.elements)
    let all = try m.labelGoodness(x)
    let tail = Matrix(rows: 52, cols: 16)
    tail.assignRows(from: x, 2048..<2100)
    let tailScores = try m.labelGoodness(tail, overlayValue: Elementwise.maximum(UnsafeBufferPointer(x.elements)))
    for i in 0..<52 { for l in 0..<10 { #expect(abs(all[2048 + i, l] - tailScores[i, l]) < 1e-5) } }
  }

  @Test func evaluationCountsAccuracyAndConfusion() {
    let e = Evaluation(predictions: [0, 1, 1, 2, 9], labels: [0, 1, 2, 2, 3])
    #expect(e.correct == 3)
    #expect(e.accuracy == 60)
    #expect(e.confusion[2][1] == 1 && e.confusion[3][9] == 1 && e.confusion[1][1] == 1)
  }
}
