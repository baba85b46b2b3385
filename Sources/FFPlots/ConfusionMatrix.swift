/// A square confusion matrix read leniently: rows are true classes, columns predictions.
///
/// Ragged or non-square input is padded with zero counts to the largest dimension, negative
/// counts count as zero, and classes without a label are named by their index, so a renderer
/// never fails on what a notebook computed.
struct ConfusionTable {
  let counts: [[Int]]
  let labels: [String]

  init(counts raw: [[Int]], labels rawLabels: [String]) {
    let n = max(raw.count, raw.map(\.count).max() ?? 0)
    counts = (0..<n).map { r in
      (0..<n).map { c in r < raw.count && c < raw[r].count ? max(0, raw[r][c]) : 0 }
    }
    labels = (0..<n).map { i in i < rawLabels.count ? rawLabels[i] : String(i) }
  }

  var size: Int { counts.count }
  var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }
  var columnTotals: [Int] { (0..<size).map { c in counts.reduce(0) { $0 + $1[c] } } }
  var total: Int { rowTotals.reduce(0, +) }
  var correct: Int { (0..<size).reduce(0) { $0 + counts[$1][$1] } }

  /// The share of true class `row` predicted as `column` (0 for an empty row).
  func rowShare(_ row: Int, _ column: Int) -> Double {
    let t = rowTotals[row]
    return t > 0 ? Double(counts[row][column]) / Double(t) : 0
  }

  /// Recall of class `row` in percent, or nil when the class never occurs.
  func recall(_ row: Int) -> Double? {
    let t = rowTotals[row]
    return t > 0 ? 100 * Double(counts[row][row]) / Double(t) : nil
  }

  /// Overall accuracy in percent, or nil for an empty matrix.
  var accuracy: Double? { total > 0 ? 100 * Double(correct) / Double(total) : nil }
}
