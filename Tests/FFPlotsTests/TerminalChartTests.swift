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
    // Colour changes nothing visible in the plot, axes and labels (the legend gains swatches).
    #expect(
      strippingANSI(colored).split(separator: "\n").dropLast()
        == plain.split(separator: "\n").dropLast())
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
    #expect(lines[9].hasPrefix("rising"))
  }

  @Test func legendNamesSeriesInOrder() {
    let plain = TerminalChart.render(series: layerLosses(), color: false)
    let legend = String(plain.split(separator: "\n").last!)
    #expect(legend.hasPrefix("layer 1, layer 2, layer 3"))
    let colored = TerminalChart.render(series: layerLosses(), color: true)
    let coloredLegend = String(colored.split(separator: "\n").last!)
    #expect(coloredLegend.contains("\u{1B}[38;5;33m⣿\u{1B}[0m layer 1"))
    #expect(coloredLegend.contains("\u{1B}[38;5;208m⣿\u{1B}[0m layer 2"))
  }

  @Test func emptyAndNonFiniteInputs() {
    let empty = TerminalChart.render(series: [], color: false)
    #expect(empty.split(separator: "\n", omittingEmptySubsequences: false).count == 12)
    #expect(empty.contains("(no data)"))
    #expect(!empty.contains { hasDots($0) })
    let single = TerminalChart.render(
      series: [Series(name: "one", values: [.nan, 3, .infinity])], color: false)
    // One finite point: one dot, in the middle of the plot's width.
    let dotted = single.split(separator: "\n").flatMap { Array($0) }.filter(hasDots)
    #expect(dotted.count == 1)
  }
}
