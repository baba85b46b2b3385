import FFKernels

/// Scratch buffers for training one layer on a stacked batch: rows 0..<P are positives,
/// rows P..<R negatives. Allocated once per `learn` of a layer, reused by every epoch.
final class LayerWorkspace {
  /// x_ = x / (||x|| + eps), computed once: a layer's input does not change while it trains. (R, in)
  let normalized: Matrix
  /// Pre-activations, then activations h, then dL/dz in place. (R, out)
  let activations: Matrix
  /// Goodness per row. (1, R)
  let goodness: Matrix
  /// dL/dg_i * 2/out per row: scales h_i into dL/dz_i. (1, R)
  let coefficients: Matrix
  /// A vector of ones, so the bias gradient is one BLAS gemv. (1, R)
  let ones: Matrix
  let positives: Int

  init(input: Matrix, positives: Int, outputs: Int, eps: Float) {
    precondition(positives >= 0 && positives <= input.rows, "positives \(positives) outside 0...\(input.rows)")
    normalized = Matrix(rows: input.rows, cols: input.cols)
    Elementwise.normalizeRows(input, into: normalized, eps: eps)
    activations = Matrix(rows: input.rows, cols: outputs)
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
