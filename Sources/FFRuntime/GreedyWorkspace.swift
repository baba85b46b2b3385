import FFKernels

/// What one layer of greedy training reads: the seed's labelled pairs (layer 1, when the rows
/// have that structure: see LabelledPairs), or stacked rows (positives first, then negatives).
enum GreedyInput {
  case pairs(LabelledPairs)
  case stacked(Matrix, positives: Int)

  /// Stacked rows: positives, then negatives.
  var rows: Int {
    switch self {
    case let .pairs(p): 2 * p.count
    case let .stacked(x, _): x.rows
    }
  }

  var positives: Int {
    switch self {
    case let .pairs(p): p.count
    case let .stacked(_, positives): positives
    }
  }
}

/// The buffers greedy training of one layer evaluates on, allocated once per `learn` of the
/// layer and reused by every epoch: the materialised rows (`LayerWorkspace`), or layer 1's
/// shared images (`SharedImageWorkspace`). Both leave the same gradients in the layer's buffers.
protocol GreedyWorkspace: AnyObject {
  /// Stacked rows: `positives` positives, then the negatives.
  var rows: Int { get }
  var positives: Int { get }
  /// The loss summed over every row with the current weights; leaves dL/dW and dL/db in the
  /// layer's gradient buffers.
  func evaluate(_ layer: FFLayer) -> Double
  /// The same for the mini-batch of pairs `members` (positive i with negative `positives + i`),
  /// summed over its 2 * members.count rows. Only for a workspace made with a `batch`.
  func evaluate(_ layer: FFLayer, pairs members: ArraySlice<Int>) -> Double
  /// The layer's activations of every row with the current weights: the next layer's input.
  /// (rows, out)
  func output(_ layer: FFLayer) -> Matrix
}
