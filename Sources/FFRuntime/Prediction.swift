import FFKernels

/// Prediction by trying every label (the seed's `FF.predict`): overlay label l on every image,
/// run all layers, sum each layer's goodness; the prediction is the label with the most. And
/// prediction by the softmax head (ffcode's `ffsoftmaxtest`): one neutral-label pass.
extension FFModel {
  /// The label pixel prediction writes: the seed's `x.max()` of the batch (computed here when
  /// nil) with `labels = max`, the recipe's strength with `labels = onehot`.
  func labelValue(_ x: Matrix, overlayValue: Float?) -> Float {
    switch recipe.labels {
    case .max: overlayValue ?? Elementwise.maximum(UnsafeBufferPointer(x.elements))
    case .onehot: recipe.labelStrength
    }
  }

  /// Each layer's goodness for every sample and label: x (N, in) -> one (N, 10) per layer.
  ///
  /// Samples are processed in blocks; each block stacks its samples under all ten labels so
  /// the products are tall GEMMs, and every buffer is allocated once per call. `shouldStop` is
  /// asked between blocks (Ctrl-C in the REPL); a stop throws `.interrupted`.
  public func layerGoodness(
    _ x: Matrix, overlayValue: Float? = nil, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> [Matrix] {
    guard x.cols == layers[0].inputs else {
      throw .shapeMismatch("the model takes \(layers[0].inputs) inputs per sample, the data have \(x.cols)")
    }
    let classes = LabelOverlay.classes
    let value = labelValue(x, overlayValue: overlayValue)
    let scores = layers.map { _ in Matrix(rows: x.rows, cols: classes) }
    guard x.rows > 0 else { return scores }
    let block = max(1, min(x.rows, 2048))
    let stackedRows = block * classes
    let bytes = 4 * stackedRows * (layers[0].inputs + layers.reduce(0) { $0 + $1.outputs } + 1) + 4 * x.rows * classes * layers.count
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
        layer.normalize(view, into: view)
        let out = activations[k].prefixRows(n * classes)
        layer.activate(normalized: view, into: out, goodness: goodness)
        let g = goodness.elements
        for label in 0..<classes {
          for i in 0..<n { scores[k][start + i, label] = g[label * n + i] }
        }
        current = activations[k]
      }
      start += n
    }
    return scores
  }

  /// Goodness summed over layers for every sample and label: x (N, in) -> (N, 10). With
  /// `skipFirstLayer`, layer 1's goodness is left out of the sum, as Hinton's own code does.
  public func labelGoodness(
    _ x: Matrix, overlayValue: Float? = nil, skipFirstLayer: Bool = false, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> Matrix {
    Self.sum(try layerGoodness(x, overlayValue: overlayValue, shouldStop: shouldStop), skipFirst: skipFirstLayer)
  }

  /// The sum of per-layer scores, layer by layer in order (layer 1 left out with `skipFirst`).
  public static func sum(_ perLayer: [Matrix], skipFirst: Bool) -> Matrix {
    let total = Matrix(rows: perLayer[0].rows, cols: perLayer[0].cols)
    for (k, m) in perLayer.enumerated() where !(skipFirst && k == 0) {
      for i in 0..<m.count { total.base[i] += m.base[i] }
    }
    return total
  }

  /// Predicted label per sample: argmax over labels of the summed goodness.
  public func predict(
    _ x: Matrix, overlayValue: Float? = nil, skipFirstLayer: Bool = false, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> [Int] {
    Elementwise.argmaxRows(try labelGoodness(x, overlayValue: overlayValue, skipFirstLayer: skipFirstLayer, shouldStop: shouldStop))
  }

  /// The softmax head's probabilities from one neutral-label pass: x (N, in) -> (N, 10).
  public func headProbabilities(
    _ x: Matrix, overlayValue: Float? = nil, shouldStop: () -> Bool = { false }
  ) throws(FFRuntimeError) -> Matrix {
    guard let head else { throw .invalidArgument("this model has no softmax head (build with head=[...] or recipe=hinton)") }
    guard x.cols == layers[0].inputs else {
      throw .shapeMismatch("the model takes \(layers[0].inputs) inputs per sample, the data have \(x.cols)")
    }
    let value = labelValue(x, overlayValue: overlayValue)
    let classes = LabelOverlay.classes
    let probabilities = Matrix(rows: x.rows, cols: classes)
    guard x.rows > 0 else { return probabilities }
    let block = max(1, min(x.rows, 4096))
    try MemoryGuard.check("predicting \(Plural.count(x.rows, "sample"))",
                          bytes: 8 * block * (layers[0].inputs + layers.reduce(0) { $0 + $1.outputs }))
    let input = Matrix(rows: block, cols: layers[0].inputs)
    let activations = layers.map { Matrix(rows: block, cols: $0.outputs) }
    let normalized = layers.map { Matrix(rows: block, cols: $0.outputs) }
    let goodness = Matrix(rows: 1, cols: block)
    var start = 0
    while start < x.rows {
      if start > 0 && shouldStop() { throw .interrupted("predicting") }
      let n = min(block, x.rows - start)
      var current = input.prefixRows(n)
      current.assignRows(from: x, start..<(start + n))
      for r in 0..<n { LabelOverlay.writeNeutral(current.row(r), value: value) }
      layers[0].normalize(current, into: current)
      for (k, layer) in layers.enumerated() {
        let h = activations[k].prefixRows(n)
        layer.activate(normalized: current, into: h, goodness: goodness)
        let next = normalized[k].prefixRows(n)
        (k + 1 < layers.count ? layers[k + 1] : layer).normalize(h, into: next)
        current = next
      }
      let out = probabilities.rows(start..<(start + n))
      head.logits(normalized: normalized.map { $0.prefixRows(n) }, into: out)
      Elementwise.softmaxRows(out)
      start += n
    }
    return probabilities
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
