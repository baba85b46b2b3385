import FFKernels

/// Layer 1's buffers for greedy training on the seed's labelled pairs (`LabelledPairs`),
/// allocated once per `learn` of the layer. The images are read in place from the caller's rows,
/// never stacked or normalised into a copy: each evaluation makes one product over the N images
/// instead of the 2N rows, and the weight gradient's product has K = N instead of 2N
/// (SharedFirstLayer.swift). Gradients and loss are those `LayerWorkspace` gives on the
/// materialised rows, up to float rounding.
final class SharedImageWorkspace: GreedyWorkspace {
  let pairs: LabelledPairs
  /// Every pair in the input's order: the full batch, and the rows `output` fills.
  let all: SharedPairRows
  /// A mini-batch of pairs gathered from `all`, when training takes them.
  let miniBatch: SharedPairRows?
  /// The products of a block of images (all N for the full batch, a mini-batch's otherwise),
  /// then their folded gradient rows; the label columns.
  let shared: SharedImageBuffers
  /// With bf16 products, the image pixels (10...) rounded once: the full batch's products read
  /// them every epoch unchanged. (N, in - 10)
  let roundedImages: BF16Matrix?

  /// `batch`: pairs per mini-batch; nil: full batch only.
  init(layer: FFLayer, pairs: LabelledPairs, batch: Int? = nil) {
    precondition(layer.inputs == pairs.images.cols, "layer expects \(layer.inputs) inputs, got \(pairs.images.cols)")
    let n = pairs.count
    self.pairs = pairs
    all = SharedPairRows(layer: layer, images: pairs.images, labels: pairs.labels, negativeLabels: pairs.negativeLabels)
    // A row's scale depends only on its image and the label value: fixed while the layer trains.
    let squares = Matrix(rows: 1, cols: n)
    layer.sharedImageSquares(pairs.images, rows: 0..<n, into: squares.base)
    layer.sharedScales(imageSquares: squares.base, labelSquares: pairs.value * pairs.value, count: n, into: all.scales.base)
    miniBatch = batch.map { SharedPairRows(layer: layer, capacity: $0) }
    shared = SharedImageBuffers(layer: layer, capacity: batch ?? n)
    roundedImages = layer.precision.effective == .bf16 && layer.inputs > LabelOverlay.classes
      ? BF16Matrix(rounding: pairs.images, columns: LabelOverlay.classes..<layer.inputs) : nil
  }

  var rows: Int { 2 * pairs.count }
  var positives: Int { pairs.count }

  func evaluate(_ layer: FFLayer) -> Double {
    evaluate(layer, all, pairs: pairs.count)
  }

  func evaluate(_ layer: FFLayer, pairs members: ArraySlice<Int>) -> Double {
    guard let b = miniBatch else { preconditionFailure("this workspace was made without mini-batch buffers") }
    for (k, i) in members.enumerated() {
      b.images.assignRows(from: all.images, i..<(i + 1), at: k)  // rounded, if bf16, in the product
      b.scales.base[k] = all.scales.base[i]
      b.labels[k] = all.labels[i]
      b.negativeLabels[k] = all.negativeLabels[i]
    }
    return evaluate(layer, b, pairs: members.count)
  }

  /// Every row's activations, in blocks of as many images as `shared` holds.
  func output(_ layer: FFLayer) -> Matrix {
    layer.sharedLabelColumns(value: pairs.value, into: shared.labelColumns)
    let n = pairs.count, h = all.activations.full
    var first = 0
    while first < n {
      let m = min(shared.capacity, n - first)
      activate(layer, all, rows: first..<(first + m), into: h, positiveRow: first, negativeRow: n + first)
      first += m
    }
    return h
  }

  /// One evaluation of the first n pairs of `r`: activations, loss and gradients.
  private func evaluate(_ layer: FFLayer, _ r: SharedPairRows, pairs n: Int) -> Double {
    layer.sharedLabelColumns(value: pairs.value, into: shared.labelColumns)
    if layer.fusesSharedPairs {
      return layer.fusedSharedLossAndGradients(
        images: r.images, scales: r.scales.base, labels: r.labels, negativeLabels: r.negativeLabels, value: pairs.value,
        pairs: n, buffers: shared, goodness: r.goodness.base, roundedImages: rounded(r, rows: 0..<n))
    }
    let h = r.activations.view(n)
    activate(layer, r, rows: 0..<n, into: h, positiveRow: 0, negativeRow: n)
    let loss = layer.lossGradient(h, goodness: r.goodness.base, positives: n, coefficients: r.coefficients.base)
    layer.accumulateSharedGradients(h, images: r.images, scales: r.scales.base, labels: r.labels, negativeLabels: r.negativeLabels,
                                    value: pairs.value, buffers: shared, ones: r.ones.base,
                                    roundedImages: rounded(r, rows: 0..<n))
    return loss
  }

  /// Activations of the pairs in rows `rows` of `r` (at most `shared.capacity`) with the current
  /// weights and label columns: one product for their images, then the positives into rows
  /// `positiveRow...` and the negatives into rows `negativeRow...` of h and of `r.goodness`.
  private func activate(
    _ layer: FFLayer, _ r: SharedPairRows, rows: Range<Int>, into h: Matrix, positiveRow: Int, negativeRow: Int
  ) {
    layer.sharedImageProducts(r.images, rows: rows, into: shared.products, rounded: rounded(r, rows: rows))
    let first = rows.lowerBound, out = layer.outputs, scales = r.scales.base + first
    layer.activateShared(products: shared.products, scales: scales, labelColumns: shared.labelColumns, count: rows.count,
                         column: { r.labels[first + $0] }, into: h.base + positiveRow * out, goodness: r.goodness.base + positiveRow)
    layer.activateShared(products: shared.products, scales: scales, labelColumns: shared.labelColumns, count: rows.count,
                         column: { r.negativeLabels[first + $0] }, into: h.base + negativeRow * out,
                         goodness: r.goodness.base + negativeRow)
  }

  /// The rounded image pixels of rows `rows` of `r`, when they are the input's own (not a
  /// gathered mini-batch) and bf16 is on.
  private func rounded(_ r: SharedPairRows, rows: Range<Int>) -> BF16Rows? {
    r === all ? roundedImages?.rows(rows) : nil
  }

  /// Bytes this workspace allocates for `pairs` pairs of an `inputs -> outputs` layer (the
  /// images themselves are the caller's).
  static func estimatedBytes(pairs: Int, inputs: Int, outputs: Int, batch: Int?) -> Int {
    let rows = SharedPairRows.estimatedBytes(capacity: pairs, inputs: 0, outputs: outputs) + 4 * pairs
    let gathered = batch.map { SharedPairRows.estimatedBytes(capacity: $0, inputs: inputs, outputs: outputs) } ?? 0
    return rows + gathered + SharedImageBuffers.estimatedBytes(capacity: batch ?? pairs, outputs: outputs)
  }
}

/// Pairs that layer 1 evaluates together, image k with label pixel `labels[k]` in its positive
/// row and `negativeLabels[k]` in its negative one: every pair of the input, or a mini-batch
/// gathered from them.
final class SharedPairRows {
  /// Image k in pixels 10... of row k. (capacity, in)
  let images: Matrix
  /// Each image's normalisation scale, the same in both its rows. (1, capacity)
  let scales: Matrix
  var labels: [Int], negativeLabels: [Int]
  /// Positives in rows 0..<n, their negatives in rows n..<2n: activations, then dL/dz. (2 capacity, out)
  let activations: PairRows
  /// (1, 2 capacity) each.
  let goodness: Matrix, coefficients: Matrix, ones: Matrix

  /// Rows over given images (read in place) and labels. images: (N, in); labels: N each.
  init(layer: FFLayer, images: Matrix, labels: [Int], negativeLabels: [Int]) {
    let capacity = images.rows
    self.images = images
    self.labels = labels
    self.negativeLabels = negativeLabels
    scales = Matrix(rows: 1, cols: capacity)
    activations = PairRows(Matrix(rows: 2 * capacity, cols: layer.outputs))
    goodness = Matrix(rows: 1, cols: 2 * capacity)
    coefficients = Matrix(rows: 1, cols: 2 * capacity)
    ones = Matrix(rows: 1, cols: 2 * capacity)
    ones.fill(1)
  }

  /// Rows for up to `capacity` gathered pairs.
  convenience init(layer: FFLayer, capacity: Int) {
    // Two arrays, not one shared: the first write to either would otherwise copy it mid-batch.
    self.init(layer: layer, images: Matrix(rows: capacity, cols: layer.inputs),
              labels: [Int](repeating: 0, count: capacity), negativeLabels: [Int](repeating: 0, count: capacity))
  }

  /// Bytes of rows for `capacity` pairs, with `inputs` image pixels each held here (0: the caller's).
  static func estimatedBytes(capacity: Int, inputs: Int, outputs: Int) -> Int {
    4 * capacity * (inputs + 2 * outputs + 7) + 16 * capacity
  }
}
