import FFKernels

/// Scratch buffers for training one layer on a stacked batch: rows 0..<P are positives,
/// rows P..<R negatives. Allocated once per `learn` of a layer, reused by every epoch.
final class LayerWorkspace {
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

  init(layer: FFLayer, input: Matrix, positives: Int) {
    precondition(positives >= 0 && positives <= input.rows, "positives \(positives) outside 0...\(input.rows)")
    normalized = Matrix(rows: input.rows, cols: input.cols)
    layer.normalize(input, into: normalized)
    activations = Matrix(rows: input.rows, cols: layer.outputs)
    goodness = Matrix(rows: 1, cols: input.rows)
    coefficients = Matrix(rows: 1, cols: input.rows)
    ones = Matrix(rows: 1, cols: input.rows)
    ones.fill(1)
    self.positives = positives
  }

  var rows: Int { normalized.rows }

  /// Bytes this workspace holds for `rows` rows of an `inputs -> outputs` layer.
  static func estimatedBytes(rows: Int, inputs: Int, outputs: Int) -> Int {
    4 * rows * (inputs + outputs + 3)
  }
}

/// The buffers of one mini-batch of `batch` pairs (2 * batch rows: positives, then their
/// negatives), gathered from a layer's normalised input. Allocated once per `learn` of a layer.
final class MiniBatchBuffers {
  /// (2B, in)
  let input: Matrix
  /// (2B, out)
  let activations: Matrix
  /// (1, 2B) each.
  let goodness: Matrix, coefficients: Matrix, ones: Matrix

  init(layer: FFLayer, batch: Int) {
    input = Matrix(rows: 2 * batch, cols: layer.inputs)
    activations = Matrix(rows: 2 * batch, cols: layer.outputs)
    goodness = Matrix(rows: 1, cols: 2 * batch)
    coefficients = Matrix(rows: 1, cols: 2 * batch)
    ones = Matrix(rows: 1, cols: 2 * batch)
    ones.fill(1)
  }
}
