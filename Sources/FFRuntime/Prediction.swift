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
  /// Samples are processed in blocks, and every buffer is allocated once per call. Layer 1
  /// computes each block's image products once for all ten labels (SharedFirstLayer.swift): a
  /// label adds one column of W, and every label of an image has the same norm. Its
  /// activations stack the block under all ten labels, so the later layers' products are tall
  /// GEMMs. `shouldStop` is asked between blocks (Ctrl-C in the REPL); a stop throws `.interrupted`.
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
    let first = layers[0]
    let block = max(1, min(x.rows, 2048))
    let stackedRows = block * classes
    let bytes = 4 * stackedRows * (layers.reduce(0) { $0 + $1.outputs } + 1) + 4 * x.rows * classes * layers.count
      + 4 * block + SharedImageBuffers.estimatedBytes(capacity: block, outputs: first.outputs)
    try MemoryGuard.check("predicting \(Plural.count(x.rows, "sample"))", bytes: bytes)
    let shared = SharedImageBuffers(layer: first, capacity: block)
    let scales = Matrix(rows: 1, cols: block)
    let activations = layers.map { Matrix(rows: stackedRows, cols: $0.outputs) }
    let goodness = Matrix(rows: 1, cols: stackedRows)
    first.sharedLabelColumns(value: value, into: shared.labelColumns)

    var start = 0
    while start < x.rows {
      if start > 0 && shouldStop() { throw .interrupted("predicting") }
      let n = min(block, x.rows - start), images = start..<(start + n)
      first.sharedImageSquares(x, rows: images, into: shared.imageSquares.base)
      first.sharedScales(imageSquares: shared.imageSquares.base, labelSquares: value * value, count: n, into: scales.base)
      first.sharedImageProducts(x, rows: images, into: shared.products)
      for label in 0..<classes {
        first.activateShared(products: shared.products, scales: scales.base, labelColumns: shared.labelColumns, count: n,
                             column: { _ in label }, into: activations[0].base + label * n * first.outputs,
                             goodness: goodness.base + label * n)
      }
      Self.record(goodness, samples: n, from: start, into: scores[0])
      for k in 1..<layers.count {
        let view = activations[k - 1].prefixRows(n * classes)
        layers[k].normalize(view, into: view)
        layers[k].activate(normalized: view, into: activations[k].prefixRows(n * classes), goodness: goodness)
        Self.record(goodness, samples: n, from: start, into: scores[k])
      }
      start += n
    }
    return scores
  }

  /// A block's goodness into the scores of its samples: row (label * n + i) of the block is
  /// sample start + i under label `label`. goodness: (1, >= 10n), scores: (N, 10).
  private static func record(_ goodness: Matrix, samples n: Int, from start: Int, into scores: Matrix) {
    let g = goodness.elements
    for label in 0..<LabelOverlay.classes {
      for i in 0..<n { scores[start + i, label] = g[label * n + i] }
    }
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

/// Stored as its predictions, labels and class count (the confusion follows from them). A
/// stored evaluation whose counts disagree is refused, never trusted to the initializer.
extension Evaluation: Codable {
  enum CodingKeys: String, CodingKey { case predictions, labels, classes }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let predictions = try c.decode([Int].self, forKey: .predictions)
    let labels = try c.decode([Int].self, forKey: .labels)
    let classes = try c.decode(Int.self, forKey: .classes)
    guard predictions.count == labels.count, (1...1024).contains(classes) else {
      throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
        debugDescription: "\(predictions.count) predictions for \(labels.count) labels in \(classes) classes"))
    }
    self.init(predictions: predictions, labels: labels, classes: classes)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(predictions, forKey: .predictions)
    try c.encode(labels, forKey: .labels)
    try c.encode(confusion.count, forKey: .classes)
  }
}
