/// Line charts as text for a terminal: `plot loss` when the output is a TTY or a transcript.
///
/// Layout, for a total of `width` x `height` character cells:
///
///     0.7231 ┤⠑⢄
///            │  ⠈⠢⢄⡀
///     0.5016 ┤     ⠈⠉⠒⠤⣀
///            │          ⠉⠒⠒⠤⠤⣀⣀
///     0.2801 ┤                 ⠉⠉⠒⠒⠒
///            └──────────────────────
///             1                  350
///     ⣿ layer 1  ⣿ layer 2
///
/// The y labels are the exact data minimum, middle and maximum (4 significant digits), not
/// rounded ticks: in a dozen rows exact extremes say more than a grid does.
public enum TerminalChart {
  /// The smallest chart that still has a plot area: 16 columns, 4 rows.
  public static let minimumSize = (width: 16, height: 4)

  /// - Parameters:
  ///   - series: the curves (x = 1...count); NaN and infinite values are skipped.
  ///   - width, height: the total size in character cells, clamped to `minimumSize`.
  ///   - color: colour each series with an ANSI 256-colour code. Without colour no escape byte
  ///     is written and the legend lists the names in drawing order (later series on top).
  /// - Returns: exactly `height` lines joined by "\n" (no trailing newline), each `width`
  ///   columns wide.
  public static func render(series: [Series], width: Int = 72, height: Int = 12, color: Bool)
    -> String
  {
    let width = max(minimumSize.width, width)
    let height = max(minimumSize.height, height)
    let plotRows = height - 3
    let range = paddedRange(finiteRange(of: series))
    let labels = [range.upperBound, (range.lowerBound + range.upperBound) / 2, range.lowerBound]
      .map { PlotNumber.compact($0) }
    let labelWidth = min(labels.map(PlotText.displayWidth).max() ?? 1, width / 3)
    let plotColumns = width - labelWidth - 2

    var canvas = BrailleCanvas(columns: plotColumns, rows: plotRows)
    let longest = series.map(\.values.count).max() ?? 0
    for (index, s) in series.enumerated() {
      let dots = s.finitePoints.map { p -> (x: Int, y: Int) in
        let fx = longest > 1 ? (p.x - 1) / Double(longest - 1) : 0.5
        let fy = (p.y - range.lowerBound) / (range.upperBound - range.lowerBound)
        return (
          Int((fx * Double(canvas.dotWidth - 1)).rounded()),
          Int((fy * Double(canvas.dotHeight - 1)).rounded())
        )
      }
      guard let first = dots.first else { continue }
      canvas.set(x: first.x, y: first.y, series: index)
      for (a, b) in zip(dots, dots.dropFirst()) { canvas.line(from: a, to: b, series: index) }
    }

    var lines: [String] = []
    let middleRow = plotRows / 2
    for row in 0..<plotRows {
      let label: String
      switch row {
      case 0: label = labels[0]
      case plotRows - 1: label = labels[2]
      case middleRow where plotRows >= 5: label = labels[1]
      default: label = ""
      }
      let axis = label.isEmpty ? "│" : "┤"
      var line = PlotText.padLeft(PlotText.truncated(label, toWidth: labelWidth), labelWidth)
      line += " " + axis
      line += plotRow(canvas, row: row, color: color)
      lines.append(line)
    }
    lines.append(
      String(repeating: " ", count: labelWidth + 1) + "└"
        + String(repeating: "─", count: plotColumns))
    lines.append(xLabels(longest: longest, indent: labelWidth + 2, columns: plotColumns))
    lines.append(legend(series, width: width, color: color))
    return lines.joined(separator: "\n")
  }

  /// The data range, padded when it is a single value (or absent) so it has extent.
  private static func paddedRange(_ range: ClosedRange<Double>?) -> ClosedRange<Double> {
    guard let range else { return 0...1 }
    if range.upperBound > range.lowerBound { return range }
    let pad = range.lowerBound == 0 ? 1 : abs(range.lowerBound) * 0.1
    return (range.lowerBound - pad)...(range.upperBound + pad)
  }

  private static func plotRow(_ canvas: BrailleCanvas, row: Int, color: Bool) -> String {
    var out = ""
    var active: Int? = nil
    for column in 0..<canvas.columns {
      let owner = canvas.series(column: column, row: row)
      if color, owner != active {
        if active != nil { out += Palette.ansiReset }
        if let owner { out += Palette.ansiForeground(owner) }
        active = owner
      }
      // Empty cells are spaces, not U+2800, so the chart copies cleanly and stays light.
      out.append(owner == nil ? " " : canvas.character(column: column, row: row))
    }
    if color, active != nil { out += Palette.ansiReset }
    return out
  }

  /// "1" under the first plot column and the last x value right-aligned under the last.
  private static func xLabels(longest: Int, indent: Int, columns: Int) -> String {
    let first = longest > 0 ? "1" : ""
    let last = longest > 1 ? String(longest) : ""
    let gap = max(1, columns - first.count - last.count)
    var line = String(repeating: " ", count: indent) + first
    line += String(repeating: " ", count: gap) + last
    return PlotText.padRight(PlotText.truncated(line, toWidth: indent + columns), indent + columns)
  }

  private static func legend(_ series: [Series], width: Int, color: Bool) -> String {
    let named = series.enumerated().filter { !$0.element.name.isEmpty }
    let text: String
    if named.isEmpty {
      text = series.isEmpty || finiteRange(of: series) == nil ? "(no data)" : ""
    } else if color {
      // Colour lives only in the swatch; truncation below counts visible columns.
      var out = ""
      var used = 0
      for (index, s) in named {
        let entry = (used == 0 ? "" : "  ") + "⣿ " + s.name
        let w = PlotText.displayWidth(entry)
        if used + w > width {
          let room = width - used
          if room >= (used == 0 ? 4 : 6) {
            out += (used == 0 ? "" : "  ")
            out += Palette.ansiForeground(index) + "⣿" + Palette.ansiReset
            out += " " + PlotText.truncated(s.name, toWidth: room - (used == 0 ? 2 : 4))
          }
          used = width
          break
        }
        out += (used == 0 ? "" : "  ") + Palette.ansiForeground(index) + "⣿" + Palette.ansiReset
        out += " " + s.name
        used += w
      }
      return out + String(repeating: " ", count: max(0, width - PlotText.displayWidth(out)))
    } else {
      text = named.map(\.element.name).joined(separator: ", ")
    }
    return PlotText.padRight(PlotText.truncated(text, toWidth: width), width)
  }
}
