import Testing

@testable import FFPlots

/// The visible text of a line: ANSI SGR sequences removed.
func strippingANSI(_ line: String) -> String {
  var out = ""
  var inEscape = false
  for scalar in line.unicodeScalars {
    if inEscape {
      if scalar == "m" { inEscape = false }
      continue
    }
    if scalar == "\u{1B}" {
      inEscape = true
      continue
    }
    out.unicodeScalars.append(scalar)
  }
  return out
}

/// Whether a character is a braille cell with at least one dot.
func hasDots(_ c: Character) -> Bool {
  guard let v = c.unicodeScalars.first?.value else { return false }
  return v > 0x2800 && v <= 0x28FF
}

@Suite struct TerminalChartTests {
  let rising = Series(name: "rising", values: (0..<100).map(Double.init))

  @Test(arguments: [(72, 12), (40, 6), (120, 20), (16, 4)])
  func hasExactDimensions(size: (Int, Int)) {
    for color in [false, true] {
      let chart = TerminalChart.render(
        series: layerLosses(), width: size.0, height: size.1, color: color)
      let lines = chart.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == size.1)
      for line in lines {
        #expect(PlotText.displayWidth(String(line)) == size.0, "\(line)")
        #expect(strippingANSI(String(line)).count == size.0)
      }
    }
  }

  @Test func tooSmallSizesAreClampedNotBroken() {
    let chart = TerminalChart.render(series: [rising], width: 3, height: 1, color: false)
    let lines = chart.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == TerminalChart.minimumSize.height)
    #expect(lines.allSatisfy { $0.count == TerminalChart.minimumSize.width })
  }

  @Test func noEscapeBytesWithoutColor() {
    let plain = TerminalChart.render(series: layerLosses(), color: false)
    #expect(!plain.utf8.contains(0x1B))
    let colored = TerminalChart.render(series: layerLosses(), color: true)
    #expect(colored.utf8.contains(0x1B))
    // Colour changes nothing visible: plot, markers, axes, labels and legend are the same.
    #expect(strippingANSI(colored) == plain)
  }

  @Test func increasingSeriesRunsFromBottomLeftToTopRight() {
    let lines = TerminalChart.render(series: [rising], width: 40, height: 10, color: false)
      .split(separator: "\n").map { Array(String($0)) }
    let plotRows = 10 - 3
    // The plot starts right after the axis character of each row.
    let axisColumn = lines[0].firstIndex { $0 == "┤" }!
    let firstPlotColumn = axisColumn + 1
    #expect(hasDots(lines[plotRows - 1][firstPlotColumn]))
    #expect(hasDots(lines[0][lines[0].count - 1]))
    #expect(!hasDots(lines[0][firstPlotColumn]))
    #expect(!hasDots(lines[plotRows - 1][lines[0].count - 1]))
    // The bottom-left dot is the lowest-left dot of its cell (braille dot 7 = bit 0x40).
    let corner = lines[plotRows - 1][firstPlotColumn].unicodeScalars.first!.value - 0x2800
    #expect(corner & 0x40 != 0)
  }

  @Test func labelsShowExtremesAndXRange() {
    let lines = TerminalChart.render(series: [rising], width: 40, height: 10, color: false)
      .split(separator: "\n").map(String.init)
    // Labels are right-aligned to the widest one ("49.5").
    #expect(lines[0].hasPrefix("  99 ┤"))
    #expect(lines[3].hasPrefix("49.5 ┤"))
    #expect(lines[6].hasPrefix("   0 ┤"))
    #expect(lines[1].hasPrefix("     │"))
    #expect(lines[7].contains("└───"))
    let xAxis = lines[8].trimmingCharacters(in: .whitespaces)
    #expect(xAxis.hasPrefix("1 ") && xAxis.hasSuffix(" 100"))
    #expect(lines[9].hasPrefix("• rising"))
  }

  @Test func legendNamesSeriesInOrder() {
    let plain = TerminalChart.render(series: layerLosses(), color: false)
    let legend = String(plain.split(separator: "\n").last!)
    #expect(legend.hasPrefix("• layer 1  + layer 2  x layer 3"))
    let colored = TerminalChart.render(series: layerLosses(), color: true)
    let coloredLegend = String(colored.split(separator: "\n").last!)
    #expect(coloredLegend.hasPrefix("\u{1B}[38;5;33m•\u{1B}[0m layer 1  \u{1B}[38;5;208m+\u{1B}[0m layer 2"))
  }

  @Test func emptyAndNonFiniteInputs() {
    let empty = TerminalChart.render(series: [], color: false)
    #expect(empty.split(separator: "\n", omittingEmptySubsequences: false).count == 12)
    #expect(empty.contains("(no data)"))
    #expect(!empty.contains { hasDots($0) })
    let single = TerminalChart.render(
      series: [Series(name: "one", values: [.nan, 3, .infinity])], color: false)
    // One finite point: one cell, in the middle of the plot's width, showing the marker.
    let rows = single.split(separator: "\n").map { Array(String($0)) }
    #expect(rows.flatMap { $0 }.filter(hasDots).isEmpty)
    let marked = rows.prefix(9).flatMap { row in row.indices.filter { row[$0] == "•" } }
    #expect(marked.count == 1)
    let axis = rows[0].firstIndex { $0 == "┤" }!
    #expect(marked.first.map { abs($0 - (axis + 1 + (rows[0].count - axis - 1) / 2)) <= 1 } == true)
  }

  /// The plot rows (above the x axis) of a chart, as character arrays, with the column where
  /// the plot starts.
  func plotRows(_ chart: String) -> (rows: [[Character]], start: Int) {
    let lines = chart.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0)) }
    let plot = Array(lines.prefix { !$0.contains("└") })
    let start = plot[0].firstIndex { $0 == "┤" }! + 1
    return (plot, start)
  }

  @Test("without colour every series has its own marker along its own curve")
  func markersTellSeriesApart() {
    // Two flat series: one along the top row, one along the bottom row.
    let high = Series(name: "high", values: Array(repeating: 1, count: 100))
    let low = Series(name: "low", values: Array(repeating: 0, count: 100))
    let chart = TerminalChart.render(series: [high, low], width: 60, height: 10, color: false)
    let (rows, start) = plotRows(chart)
    let top = rows.first!, bottom = rows.last!
    #expect(top.filter { $0 == "•" }.count >= 4, "\(chart)")
    #expect(bottom.filter { $0 == "+" }.count >= 4, "\(chart)")
    #expect(!top.contains("+") && !bottom.contains("•"), "\(chart)")
    #expect(rows.dropFirst().dropLast().allSatisfy { row in !row.contains("•") && !row.contains("+") })
    // The curves' ends stay braille; markers of the two series never share a column.
    #expect(hasDots(top[start]) && hasDots(top[top.count - 1]))
    let highColumns = Set(top.indices.filter { top[$0] == "•" })
    let lowColumns = Set(bottom.indices.filter { bottom[$0] == "+" })
    #expect(highColumns.isDisjoint(with: lowColumns))
    #expect(chart.split(separator: "\n").last!.hasPrefix("• high  + low"))
  }

  @Test("every series of the loss plot shows its marker, in colour and without", arguments: [false, true])
  func everySeriesIsMarked(color: Bool) {
    let series = layerLosses()
    let chart = TerminalChart.render(series: series, width: 72, height: 12, color: color)
    let (rows, _) = plotRows(strippingANSI(chart))
    for index in series.indices {
      let marker = TerminalChart.marker(index)
      #expect(rows.joined().filter { $0 == marker }.count >= 3, "series \(index) '\(marker)':\n\(chart)")
    }
    if color {
      // The marker takes its series' colour.
      #expect(chart.contains("\u{1B}[38;5;208m+"))
    }
  }

  @Test("markers are distinct and one column wide")
  func markerShapes() {
    #expect(Set(TerminalChart.markers).count == TerminalChart.markers.count)
    #expect(TerminalChart.markers.allSatisfy { PlotText.displayWidth(String($0)) == 1 && !hasDots($0) })
    #expect(TerminalChart.marker(10) == TerminalChart.marker(0))
  }

  @Test("a legend wider than the chart is cut with an ellipsis, markers kept")
  func longLegend() {
    let series = (1...4).map { Series(name: "a rather long series name number \($0)", values: [1, 2, 3]) }
    let legend = String(TerminalChart.render(series: series, width: 60, height: 6, color: false).split(separator: "\n").last!)
    #expect(PlotText.displayWidth(legend) == 60)
    // 36 columns for the first entry, 2 between, "+ ", and 20 columns of the second name.
    #expect(legend == "• a rather long series name number 1  + a rather long serie…")
  }
}
