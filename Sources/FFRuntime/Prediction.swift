import FFKernels

/// Prediction by trying every label (the seed's `FF.predict`): overlay label l on every image,
/// run all layers, sum each layer's goodness; the prediction is the label with the most.
extension FFModel {
  /// Goodness summed over layers for every sample and label: x (N, in) -> (N, 10).
  ///
  /// `overlayValue` is the seed's `x.max()` of the batch (computed here when nil). With
  /// `skipFirstLayer`, layer 1's goodness is left out of the sum, as Hinton's own code does.
  /// Samples are processed in blocks; each block stacks its samples under all ten labels so
  /// the products are tall GEMMs, and every buffer is allocated once per call. `shouldStop` is
  /// asked between blocks (Ctrl-C in the REPL); a stop throws `.interrupted`.
  public func labelGoodness(
    _ x: Matrix, overlayValue: Float? = nil, skipFirstLayer: Bool = false, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> Matrix {
    guard x.cols == layers[0].inputs else {
      throw .shapeMismatch("the model takes \(layers[0].inputs) inputs per sample, the data have \(x.cols)")
    }
    let classes = LabelOverlay.classes
    let value = overlayValue ?? Elementwise.maximum(UnsafeBufferPointer(x.elements))
    let scores = Matrix(rows: x.rows, cols: classes)
    guard x.rows > 0 else { return scores }
    let block = max(1, min(x.rows, 2048))
    let stackedRows = block * classes
    let bytes = 4 * stackedRows * (layers[0].inputs + layers.reduce(0) { $0 + $1.outputs } + 1) + 4 * x.rows * classes
    try MemoryGuard.check("predicting \(Plural.count(x.rows, "sample"))", bytes: bytes)
    let input = Matrix(rows: stackedRows, cols: layers[0].inputs)
    let activations = layers.map { Matrix(rows: stackedRows, cols: $0.outputs) }
    let goodness = Matrix(rows: 1, cols: stackedRows)

    var start = 0
    while start < x.rows {
      if start > 0 && shouldStop() { throw .interrupted("predicting") }
      let n = min(block, x.rows - start)
      // Row (label * n + i) holds sample start + i with label `label`.
      for label in 0..<classes {
        LabelOverlay.apply(x, rows: start..<(start + n), label: { _ in label }, value: value, into: input, at: label * n)
      }
      var current = input
      for (k, layer) in layers.enumerated() {
        let view = current.prefixRows(n * classes)
        Elementwise.normalizeRows(view, into: view, eps: layer.hyper.eps)
        let out = activations[k].prefixRows(n * classes)
        layer.activate(normalized: view, into: out, goodness: goodness)
        if !(skipFirstLayer && k == 0) {
          let g = goodness.elements
          for label in 0..<classes {
            for i in 0..<n { scores[start + i, label] += g[label * n + i] }
          }
        }
        current = activations[k]
      }
      start += n
    }
    return scores
  }

  /// Predicted label per sample: argmax over labels of the summed goodness.
  public func predict(
    _ x: Matrix, overlayValue: Float? = nil, skipFirstLayer: Bool = false, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> [Int] {
    let scores = try labelGoodness(x, overlayValue: overlayValue, skipFirstLayer: skipFirstLayer, shouldStop: shouldStop)
    return (0..<scores.rows).map { r in
      let row = scores.row(r)
      var best = 0
      for l in 1..<row.count where row[l] > row[best] { best = l }  // first max wins, as torch.argmax
      return best
    }
  }
}

/// Accuracy and confusion of predictions against true labels.
public struct Evaluation: Sendable, Equatable {
  public let predictions: [Int]
  public let labels: [Int]
  /// counts[true][predicted]
  public let confusion: [[Int]]
  public var correct: Int { zip(predictions, labels).filter { $0 == $1 }.count }
  /// Percent correct, as the seed prints it.
  public var accuracy: Double { labels.isEmpty ? 0 : 100 * Double(correct) / Double(labels.count) }

  public init(predictions: [Int], labels: [Int], classes: Int = LabelOverlay.classes) {
    precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
    self.predictions = predictions
    self.labels = labels
    var c = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    for (p, l) in zip(predictions, labels) where p < classes && l < classes && p >= 0 && l >= 0 { c[l][p] += 1 }
    confusion = c
  }
}
