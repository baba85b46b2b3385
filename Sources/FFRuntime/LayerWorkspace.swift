import FFKernels

/// Scratch buffers for training one layer on a stacked batch: rows 0..<P are positives,
/// rows P..<R negatives.
final class LayerWorkspace: GreedyWorkspace {
  /// The input normalised as the layer's recipe says, computed once: a layer's input does not
  /// change while it trains. (R, in)
  let normalized: Matrix
  /// Pre-activations, then activations h, then dL/dz in place. (R, out)
  let activations: Matrix
  /// Goodness per row. (1, R)
  let goodness: Matrix
  /// dL/dg_i times the goodness derivative per row: scales h_i into dL/dz_i. (1, R)
  let coefficients: Matrix
  /// A vector of ones, so the bias gradient is one BLAS gemv. (1, R)
  let ones: Matrix
  let positives: Int
  /// Mini-batches of pairs gathered from `normalized`, when training takes them.
  let miniBatches: MiniBatchBuffers?
  /// With bf16 products, `normalized` rounded once: the full batch's products read it every
  /// epoch unchanged. (R, in)
  let rounded: BF16Matrix?
  /// With bf16 products, room for dL/dz written rounded by the fused pass. (R, out)
  let roundedGradient: BF16Matrix?

  /// `batch`: pairs per mini-batch (the input must then be pairs, R = 2P); nil: full batch only.
  init(layer: FFLayer, input: Matrix, positives: Int, batch: Int? = nil) {
    precondition(positives >= 0 && positives <= input.rows, "positives \(positives) outside 0...\(input.rows)")
    precondition(batch == nil || input.rows == 2 * positives, "mini-batches need pairs: \(input.rows) rows, \(positives) positives")
    normalized = Matrix(rows: input.rows, cols: input.cols)
    layer.normalize(input, into: normalized)
    activations = Matrix(rows: input.rows, cols: layer.outputs)
    goodness = Matrix(rows: 1, cols: input.rows)
    coefficients = Matrix(rows: 1, cols: input.rows)
    ones = Matrix(rows: 1, cols: input.rows)
    ones.fill(1)
    self.positives = positives
    miniBatches = batch.map { MiniBatchBuffers(layer: layer, batch: $0) }
    let bf16 = layer.precision.effective == .bf16
    rounded = bf16 ? BF16Matrix(rounding: normalized) : nil
    roundedGradient = bf16 && layer.fusesRows ? BF16Matrix(rows: input.rows, cols: layer.outputs) : nil
  }

  var rows: Int { normalized.rows }

  func evaluate(_ layer: FFLayer) -> Double {
    if layer.fusesRows {
      return layer.fusedLossAndGradients(normalized: normalized, positives: positives, into: activations,
                                         goodness: goodness.base, rounded: rounded, roundedGradient: roundedGradient)
    }
    layer.activate(normalized: normalized, into: activations, goodness: goodness, rounded: rounded)
    let loss = layer.lossGradient(activations, goodness: goodness.base, positives: positives, coefficients: coefficients.base)
    layer.accumulateGradients(activations, input: normalized, positives: positives, ones: ones.base, roundedInput: rounded)
    return loss
  }

  func evaluate(_ layer: FFLayer, pairs members: ArraySlice<Int>) -> Double {
    guard let b = miniBatches else { preconditionFailure("this workspace was made without mini-batch buffers") }
    let n = members.count
    let x = b.input.view(n), h = b.activations.view(n)
    for (k, i) in members.enumerated() {
      x.assignRows(from: normalized, i..<(i + 1), at: k)
      x.assignRows(from: normalized, (positives + i)..<(positives + i + 1), at: n + k)
    }
    if layer.fusesRows {
      return layer.fusedLossAndGradients(normalized: x, positives: n, into: h, goodness: b.goodness.base,
                                         roundedGradient: b.roundedGradient)
    }
    layer.activate(normalized: x, into: h, goodness: b.goodness)
    let loss = layer.lossGradient(h, goodness: b.goodness.base, positives: n, coefficients: b.coefficients.base)
    layer.accumulateGradients(h, input: x, positives: n, ones: b.ones.base)
    return loss
  }

  func output(_ layer: FFLayer) -> Matrix {
    layer.activate(normalized: normalized, into: activations, goodness: goodness, rounded: rounded)
    return activations
  }

  /// Bytes this workspace holds for `rows` rows of an `inputs -> outputs` layer.
  static func estimatedBytes(rows: Int, inputs: Int, outputs: Int) -> Int {
    4 * rows * (inputs + outputs + 3)
  }
}

/// The buffers of one mini-batch of `batch` pairs (2 * batch rows: positives, then their
/// negatives), gathered from a layer's normalised input. Allocated once per `learn` of a layer.
final class MiniBatchBuffers {
  /// (2B, in)
  let input: PairRows
  /// (2B, out)
  let activations: PairRows
  /// (1, 2B) each.
  let goodness: Matrix, coefficients: Matrix, ones: Matrix
  /// With bf16 products, room for dL/dz written rounded by the fused pass. (2B, out)
  let roundedGradient: BF16Matrix?

  init(layer: FFLayer, batch: Int) {
    input = PairRows(Matrix(rows: 2 * batch, cols: layer.inputs))
    activations = PairRows(Matrix(rows: 2 * batch, cols: layer.outputs))
    goodness = Matrix(rows: 1, cols: 2 * batch)
    coefficients = Matrix(rows: 1, cols: 2 * batch)
    ones = Matrix(rows: 1, cols: 2 * batch)
    ones.fill(1)
    roundedGradient = layer.precision.effective == .bf16 && layer.fusesRows
      ? BF16Matrix(rows: 2 * batch, cols: layer.outputs) : nil
  }
}

/// A buffer of 2B rows that holds mini-batches of n <= B pairs: `view(n)` is its first 2n
/// rows. The view of a shorter batch (the last of an epoch, the same size every epoch) is made
/// once and kept, so a mini-batch allocates nothing.
final class PairRows {
  let full: Matrix
  private var short: Matrix?

  init(_ full: Matrix) { self.full = full }

  /// The first 2n rows. (2n, cols)
  func view(_ n: Int) -> Matrix {
    if 2 * n == full.rows { return full }
    if let short, short.rows == 2 * n { return short }
    let made = full.prefixRows(2 * n)
    short = made
    return made
  }
}
