import FFKernels

/// Writes a class label into an image, as the seed's `FF.Generate_data` does:
/// pixels 0..<classes are set to 0 and pixel `label` to `value`, where the seed uses the
/// maximum of the whole batch tensor (`x.max()`).
public enum LabelOverlay {
  /// The number of classes the overlay encodes (MNIST's ten digits).
  public static let classes = 10

  /// out_i = x_i with label[i] overlaid. x, out: (N, d) with d >= classes; out may be x.
  public static func apply(_ x: Matrix, labels: [Int], value: Float, into out: Matrix) {
    precondition(labels.count == x.rows, "\(labels.count) labels for \(x.rows) rows")
    apply(x, rows: 0..<x.rows, label: { labels[$0] }, value: value, into: out, at: 0)
  }

  /// Rows `rows` of x, each with label `label(row)`, written to `out` starting at row `at`.
  @inlinable
  public static func apply(
    _ x: Matrix, rows: Range<Int>, label: (Int) -> Int, value: Float, into out: Matrix, at: Int
  ) {
    precondition(x.cols == out.cols && x.cols >= classes, "overlay needs >= \(classes) columns, got \(x.cols)")
    if x !== out || at != rows.lowerBound { out.assignRows(from: x, rows, at: at) }
    for (k, r) in rows.enumerated() {
      let l = label(r)
      precondition(l >= 0 && l < classes, "label \(l) outside 0..<\(classes)")
      let row = out.row(at + k)
      for j in 0..<classes { row[j] = 0 }
      row[l] = value
    }
  }
}

extension LabelOverlay {
  /// Zeros in a row's label pixels, and `value` at `label`. row: >= classes.
  @inlinable
  public static func write(_ row: UnsafeMutableBufferPointer<Float>, label: Int, value: Float) {
    precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
    for j in 0..<classes { row[j] = 0 }
    row[label] = value
  }

  /// The neutral label (ffcode's): value / classes in every label pixel, so no label is favoured.
  @inlinable
  public static func writeNeutral(_ row: UnsafeMutableBufferPointer<Float>, value: Float) {
    let v = value / Float(classes)
    for j in 0..<classes { row[j] = v }
  }
}
