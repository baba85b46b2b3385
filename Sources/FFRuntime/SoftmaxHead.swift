import FFKernels

/// A linear softmax read-out of some hidden layers' normalised activities (ffcode's
/// `supweightsfrom`): logits = sum over fed layers l of N_l W_l^T, no bias (ffcode's label
/// biases stay 0). It predicts the label from one neutral-label pass, and it picks hard negatives.
///
/// Trained with the smoothed-gradient update whatever the layers' optimizer, as in ffcode.
public final class SoftmaxHead {
  /// The hidden layers (1-based) that feed it, in increasing order.
  public let layers: [Int]
  /// One weight matrix per fed layer: (classes, units of that layer), zero at the start.
  public let weights: [Matrix]
  /// Their smoothed gradients, same shapes.
  let gradients: [Matrix]
  /// Steps taken.
  public internal(set) var steps: Int = 0

  /// A zero head reading `layers` (1-based) of a model whose hidden sizes are `units`.
  public init(layers: [Int], units: [Int], classes: Int = LabelOverlay.classes) {
    precondition(!layers.isEmpty && layers.allSatisfy { $0 >= 1 && $0 <= units.count }, "head layers \(layers) outside 1...\(units.count)")
    self.layers = layers
    weights = layers.map { Matrix(rows: classes, cols: units[$0 - 1]) }
    gradients = layers.map { Matrix(rows: classes, cols: units[$0 - 1]) }
  }

  /// A head holding these matrices (a copy's, see `ModelCopy.swift`).
  init(layers: [Int], weights: [Matrix], gradients: [Matrix]) {
    precondition(layers.count == weights.count && weights.count == gradients.count, "one weight and one gradient matrix per fed layer")
    self.layers = layers
    self.weights = weights
    self.gradients = gradients
  }

  /// Parameters (weights only).
  public var parameterCount: Int { weights.reduce(0) { $0 + $1.count } }

  /// logits = sum_l N_l W_l^T for the rows of `normalized[l - 1]` (each (rows, units_l)), into
  /// `logits` (rows, classes).
  func logits(normalized: [Matrix], into logits: Matrix) {
    for (k, l) in layers.enumerated() {
      BLAS.gemm(normalized[l - 1], .none, weights[k], .transpose, into: logits, beta: k == 0 ? 0 : 1)
    }
  }

  /// The smoothed gradients of a step towards `labels` from probabilities `probabilities`
  /// (rows, classes) of the rows in `normalized` (consumed: it becomes probabilities - targets):
  /// G_l = m G_l + (1 - m) D^T N_l / rows. Returns whether every gradient is finite; the weights
  /// change only in `update`, once the step as a whole is accepted.
  func accumulateGradients(normalized: [Matrix], probabilities d: Matrix, labels: ArraySlice<Int>, momentum: Float) -> Bool {
    for (r, label) in zip(0..<d.rows, labels) { d[r, label] -= 1 }
    let alpha = (1 - momentum) / Float(d.rows)
    for (k, l) in layers.enumerated() {
      BLAS.gemm(d, .transpose, normalized[l - 1], .none, into: gradients[k], alpha: alpha, beta: momentum)
    }
    return gradients.allSatisfy { Elementwise.allFinite(UnsafeBufferPointer($0.elements)) }
  }

  /// W_l -= rate (G_l + decay W_l) from the gradients `accumulateGradients` left: one step.
  /// Returns false, changing nothing, when the step would make a weight not finite (a rate or
  /// decay large enough to overflow): the head is small, so the step is worked out once
  /// without writing it first.
  func update(rate: Float, decay: Float) -> Bool {
    for (w, g) in zip(weights, gradients)
    where !Elementwise.smoothedStepStaysFinite(parameters: w.base, gradients: g.base, count: w.count, rate: rate, decay: decay) {
      return false
    }
    for (w, g) in zip(weights, gradients) {
      Elementwise.smoothedStep(parameters: w.base, gradients: g.base, count: w.count, rate: rate, decay: decay)
    }
    steps += 1
    return true
  }

  /// The smoothed gradients from zero (after a refused step, which entered them).
  func restartSmoothedGradients() {
    for g in gradients { g.fill(0) }
  }
}
