/// Line charts as text for a terminal: `plot loss` when the output is a TTY or a transcript.
///
/// Layout, for a total of `width` x `height` character cells:
///
///     0.7231 ┤⠑•
///            │  ⠈⠢⢄+
///     0.5016 ┤     ⠈⠉•⠤⣀
///            │        +⠉⠒⠒⠤⠤•⣀
///     0.2801 ┤                 ⠉⠉+⠒⠒
///            └──────────────────────
///             1                  350
///     • layer 1  + layer 2
///
/// Each curve is drawn in braille (2 x 4 dots per cell) and carries its own marker (`•`, `+`,
/// `x`, `o`, `*`, ...) every few columns, staggered between series, so the curves can be told
/// apart without colour (NO_COLOR, pipes, transcripts); the legend names each series after
/// its marker. With colour, each curve and its marker also get the series' colour.
///
/// The y labels are the exact data minimum, middle and maximum (4 significant digits), not
/// rounded ticks: in a dozen rows exact extremes say more than a grid does.
public enum TerminalChart {
  /// The smallest chart that still has a plot area: 16 columns, 4 rows.
  public static let minimumSize = (width: 16, height: 4)

  /// Each series' marker, in order, cycling after ten: one text column each, and distinct in
  /// shape so that they stay apart without colour.
  public static let markers: [Character] = ["•", "+", "x", "o", "*", "#", "@", "%", "&", "="]

  /// The marker of series `index`.
  public static func marker(_ index: Int) -> Character { markers[index % markers.count] }

  /// - Parameters:
  ///   - series: the curves (x = 1...count); NaN and infinite values are skipped.
  ///   - width, height: the total size in character cells, clamped to `minimumSize`.
  ///   - color: colour each series with an ANSI 256-colour code. Without colour no escape byte
  ///     is written; the markers and the legend (`• name  + name`, in drawing order, later
  ///     series on top) are the same either way.
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
    // Each series on its own canvas too: which cells it passes through, for its markers.
    var traces: [BrailleCanvas] = []
    for (index, s) in series.enumerated() {
      var own = BrailleCanvas(columns: plotColumns, rows: plotRows)
      defer { traces.append(own) }
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
      own.set(x: first.x, y: first.y, series: index)
      for (a, b) in zip(dots, dots.dropFirst()) {
        canvas.line(from: a, to: b, series: index)
        own.line(from: a, to: b, series: index)
      }
    }
    let marks = markerCells(traces)

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
      line += plotRow(canvas, row: row, marks: marks, color: color)
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

  /// Where each series shows its marker: (row, column) -> series. Markers go every `spacing`
  /// columns along the curve, each series shifted by a fraction of the spacing so markers of
  /// different series rarely share a column, never in the first or last column (the curve's
  /// ends stay visible); a series too short for that gets one marker in its middle column.
  /// In a column the marker sits on the middle one of the rows the curve passes through.
  static func markerCells(_ traces: [BrailleCanvas]) -> [Cell: Int] {
    guard let columns = traces.first?.columns, let rows = traces.first?.rows else { return [:] }
    let spacing = max(6, columns / 6)
    let count = max(1, traces.count)
    var marks: [Cell: Int] = [:]
    for (index, trace) in traces.enumerated() {
      let occupied = (0..<columns).map { column in (0..<rows).filter { trace.series(column: column, row: $0) != nil } }
      let used = occupied.indices.filter { !occupied[$0].isEmpty }
      guard !used.isEmpty else { continue }
      let offset = spacing * (2 * index + 1) / (2 * count)
      var chosen = used.filter { $0 % spacing == offset % spacing && $0 > 0 && $0 < columns - 1 }
      if chosen.isEmpty { chosen = [used[used.count / 2]] }
      for column in chosen {
        let rowsHere = occupied[column]
        marks[Cell(row: rowsHere[rowsHere.count / 2], column: column)] = index
      }
    }
    return marks
  }

  struct Cell: Hashable {
    var row: Int
    var column: Int
  }

  private static func plotRow(_ canvas: BrailleCanvas, row: Int, marks: [Cell: Int], color: Bool) -> String {
    var out = ""
    var active: Int? = nil
    for column in 0..<canvas.columns {
      let mark = marks[Cell(row: row, column: column)]
      let owner = mark ?? canvas.series(column: column, row: row)
      if color, owner != active {
        if active != nil { out += Palette.ansiReset }
        if let owner { out += Palette.ansiForeground(owner) }
        active = owner
      }
      // Empty cells are spaces, not U+2800, so the chart copies cleanly and stays light.
      if let mark {
        out.append(marker(mark))
      } else {
        out.append(owner == nil ? " " : canvas.character(column: column, row: row))
      }
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

  /// `• layer 1  + layer 2`: each named series after its marker (coloured with colour on),
  /// cut to `width` visible columns.
  private static func legend(_ series: [Series], width: Int, color: Bool) -> String {
    let named = series.enumerated().filter { !$0.element.name.isEmpty }
    guard !named.isEmpty else {
      let text = series.isEmpty || finiteRange(of: series) == nil ? "(no data)" : ""
      return PlotText.padRight(text, width)
    }
    var out = ""
    var used = 0
    for (index, s) in named {
      let gap = used == 0 ? "" : "  "
      let swatch = color ? Palette.ansiForeground(index) + String(marker(index)) + Palette.ansiReset : String(marker(index))
      let w = PlotText.displayWidth(gap) + 2 + PlotText.displayWidth(s.name)
      if used + w > width {
        // Room for the marker and a little of the name, cut with "…"; else nothing more.
        let room = width - used - PlotText.displayWidth(gap) - 2
        if room >= 2 { out += gap + swatch + " " + PlotText.truncated(s.name, toWidth: room) }
        break
      }
      out += gap + swatch + " " + s.name
      used += w
    }
    return out + String(repeating: " ", count: max(0, width - PlotText.displayWidth(out)))
  }
}
