/// Confusion matrices as aligned text: `predict ... confusion=true` in a terminal.
///
///     true\pred    0    1    2  total  recall
///             0    5    1    0      6   83.3%
///             1    0    4    2      6   66.7%
///             2    1    0    7      8   87.5%
///         total    6    5    9     20
///     accuracy 80.0% (16/20)
public enum ConfusionMatrixText {
  /// - Parameters:
  ///   - counts: `counts[t][p]` is how many samples of true class t were predicted as p.
  ///   - labels: class names in index order; missing names are the indices.
  /// - Returns: the table lines joined by "\n" without a trailing newline; recall is "–" for a
  ///   class with no samples.
  public static func render(counts: [[Int]], labels: [String]) -> String {
    let table = ConfusionTable(counts: counts, labels: labels)
    let corner = "true\\pred"
    let rowTotals = table.rowTotals
    let columnTotals = table.columnTotals
    let recalls = (0..<table.size).map {
      table.recall($0).map { PlotNumber.fixed($0, decimals: 1) + "%" } ?? "–"
    }

    let headWidth = ([corner, "total"] + table.labels).map(PlotText.displayWidth).max() ?? 0
    let cellWidth =
      (table.labels + (table.counts.flatMap { $0 } + columnTotals).map(String.init))
      .map(PlotText.displayWidth).max() ?? 1
    let totalWidth = max(5, String(table.total).count)
    let recallWidth = max(6, recalls.map(PlotText.displayWidth).max() ?? 0)

    func row(_ head: String, _ cells: [String], _ total: String, _ recall: String) -> String {
      var line = PlotText.padLeft(head, headWidth)
      for cell in cells { line += "  " + PlotText.padLeft(cell, cellWidth) }
      line += "  " + PlotText.padLeft(total, totalWidth)
      if !recall.isEmpty { line += "  " + PlotText.padLeft(recall, recallWidth) }
      return line
    }

    var lines = [row(corner, table.labels, "total", "recall")]
    for r in 0..<table.size {
      lines.append(
        row(table.labels[r], table.counts[r].map(String.init), String(rowTotals[r]), recalls[r]))
    }
    lines.append(row("total", columnTotals.map(String.init), String(table.total), ""))
    if let accuracy = table.accuracy {
      lines.append(
        "accuracy \(PlotNumber.fixed(accuracy, decimals: 2))% (\(table.correct)/\(table.total))")
    } else {
      lines.append("accuracy – (no samples)")
    }
    return lines.joined(separator: "\n")
  }
}
