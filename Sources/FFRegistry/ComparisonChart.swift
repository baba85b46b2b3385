import FFFiles
import FFPlots

/// The loss curves of compared runs (or a sweep's points) overlaid in one SVG, written atomically.
package enum ComparisonChart {
  package static func svg(_ comparison: RunComparison, title: String) -> String {
    LineChartSVG.render(
      series: comparison.lossSeries.map { Series(name: $0.name, values: $0.values) },
      title: title, xLabel: "epoch", yLabel: "loss", width: 760, height: 460)
  }

  /// Writes the chart to `path`; the error names the file.
  package static func write(_ comparison: RunComparison, title: String, to path: String) throws(FileError) {
    try AtomicFile.write(svg(comparison, title: title), to: path)
  }

  /// The curves in the terminal (the REPL's `:compare`).
  package static func terminal(_ comparison: RunComparison, width: Int, color: Bool) -> String {
    TerminalChart.render(series: comparison.lossSeries.map { Series(name: $0.name, values: $0.values) }, width: width, height: 12, color: color)
  }
}
