import FFKernels

/// The seed's training pairs as layer 1 sees them: positive row i and negative row i are the
/// same image i with its 10 label pixels zeroed and one of them set to `value` (the batch
/// maximum, or the recipe's strength): the true label in the positive row, a drawn one in the
/// negative. Both rows then have the same norm, so layer 1 computes the image's product once for
/// both (SharedFirstLayer.swift, SharedImageWorkspace.swift) with the same mathematics.
///
/// Found by comparing the rows, not declared by the caller: whoever builds pairs with
/// `LabelOverlay` (the interpreter, the benchmark, a test) gets the shared path, and any other
/// input (a later layer's activations, arbitrary matrices) keeps the materialised one.
package struct LabelledPairs {
  /// Image i in pixels 10..<in of row i: the positive rows, read in place (their label pixels
  /// are never read). (N, in)
  let images: Matrix
  /// The label pixel set in each positive row, and in each negative row. N each.
  let labels: [Int], negativeLabels: [Int]
  /// The value of the one non-zero label pixel of every row.
  let value: Float

  /// Pairs of images.
  var count: Int { images.rows }

  /// The structure of `positive` (N, in) over `negative` (N, in) when it holds exactly, else
  /// nil: the same number of rows, at least one image pixel, every row's image pixels
  /// (10..<in) bitwise equal between row i of both, and in every row exactly one label pixel
  /// non-zero, holding the same finite non-zero value in every row of both.
  package init?(positive: Matrix, negative: Matrix) {
    let classes = LabelOverlay.classes, d = positive.cols
    guard positive.rows == negative.rows, negative.cols == d, d > classes, positive.rows > 0,
          let value = Self.labelValue(positive.row(0)), value.isFinite
    else { return nil }
    var labels = [Int](repeating: 0, count: positive.rows), negativeLabels = labels
    for i in 0..<positive.rows {
      let p = positive.row(i), q = negative.row(i)
      guard let y = Self.label(p, value: value), let z = Self.label(q, value: value) else { return nil }
      // One OR of XORs per row: vectorises, and any differing bit leaves it non-zero.
      var differs: UInt32 = 0
      for j in classes..<d { differs |= p[j].bitPattern ^ q[j].bitPattern }
      guard differs == 0 else { return nil }
      labels[i] = y
      negativeLabels[i] = z
    }
    self.init(images: positive, labels: labels, negativeLabels: negativeLabels, value: value)
  }

  /// Pairs given as they are, for code that builds them itself. images: (N, in), labels: N each.
  init(images: Matrix, labels: [Int], negativeLabels: [Int], value: Float) {
    precondition(labels.count == images.rows && negativeLabels.count == images.rows,
                 "\(labels.count) and \(negativeLabels.count) labels for \(images.rows) images")
    self.images = images
    self.labels = labels
    self.negativeLabels = negativeLabels
    self.value = value
  }

  /// The one non-zero label pixel of a row, nil when there is not exactly one.
  private static func labelValue(_ row: UnsafeMutableBufferPointer<Float>) -> Float? {
    var found: Float?
    for j in 0..<LabelOverlay.classes where row[j] != 0 {
      guard found == nil else { return nil }
      found = row[j]
    }
    return found
  }

  /// The label a row's pixels encode with `value`: the one label pixel bitwise equal to it,
  /// every other one zero; nil otherwise.
  private static func label(_ row: UnsafeMutableBufferPointer<Float>, value: Float) -> Int? {
    var label: Int?
    for j in 0..<LabelOverlay.classes where row[j] != 0 {
      guard label == nil, row[j].bitPattern == value.bitPattern else { return nil }
      label = j
    }
    return label
  }
}
