import FFRuntime
import Testing

@testable import FFNotebook

/// The live `learn` line on a terminal: redrawn in place with `\r` + erase-line, so it must
/// never be as wide as the terminal (a wrapped line leaves its first row behind on every redraw).
@Suite struct ConsoleProgressTests {
  /// Every progress redraw a `learn` of `epochs` epochs makes on a terminal `columns` wide.
  func redraws(columns: Int, epochs: Int, secondsPerEpoch: Double) -> [String] {
    var written: [String] = []
    let console = Console(isTerminal: true, useColor: false, terminalWidth: { columns }) { written.append($0) }
    let reporter = ProgressReporter(console: console, interval: max(1, epochs / 10))
    reporter.observe(.layerStarted(layer: 1, epochs: epochs, inputs: 784, outputs: 1000, rows: 20000, batch: nil))
    for epoch in 1...epochs {
      reporter.observe(.epochFinished(layer: 1, epoch: epoch, epochs: epochs, loss: 0.6403, elapsed: Double(epoch) * secondsPerEpoch))
    }
    let redraw = "\r\u{1B}[2K"
    return written.filter { $0.hasPrefix(redraw) && $0.count > redraw.count }.map { String($0.dropFirst(redraw.count)) }
  }

  @Test("the progress line fits a terminal of 60 or 80 columns, and keeps epoch and loss",
        arguments: [(60, 350, 0.6), (80, 350, 0.6), (60, 20_000, 0.2), (80, 20_000, 0.2)])
  func fitsTheTerminal(columns: Int, epochs: Int, secondsPerEpoch: Double) {
    let lines = redraws(columns: columns, epochs: epochs, secondsPerEpoch: secondsPerEpoch)
    #expect(lines.count > 10)
    for line in lines {
      #expect(PlotTextWidth.of(line) <= columns - 1, "\(columns) columns: '\(line)'")
      #expect(line.contains("/\(epochs) --- Loss: 0.6403"), "'\(line)'")
    }
  }

  @Test("a wide terminal shows the bar, the rate and the times")
  func wideTerminal() {
    let last = redraws(columns: 120, epochs: 350, secondsPerEpoch: 0.6).last
    #expect(last?.hasPrefix("[████████████████████] 350/350 --- Loss: 0.6403  1.7 epochs/s  3 m 30 s elapsed, 0.00 s left") == true, "\(last ?? "")")
  }

  @Test("80 columns keep the times; 60 columns drop the bar first")
  func narrowTerminals() throws {
    let eighty = try #require(redraws(columns: 80, epochs: 350, secondsPerEpoch: 0.6).last)
    #expect(eighty == "350/350 --- Loss: 0.6403  1.7 epochs/s  3 m 30 s elapsed, 0.00 s left")
    let sixty = try #require(redraws(columns: 60, epochs: 350, secondsPerEpoch: 0.6).last)
    #expect(sixty == "350/350 --- Loss: 0.6403  1.7 epochs/s")
  }

  @Test("the width is asked on every redraw, so a resized window is followed")
  func followsResize() {
    var columns = 120
    var written: [String] = []
    let console = Console(isTerminal: true, terminalWidth: { columns }) { written.append($0) }
    console.progress(String(repeating: "x", count: 100))
    columns = 40
    console.progress(String(repeating: "x", count: 100))
    #expect(written.map { PlotTextWidth.of($0) } == [100, 39])
  }
}

/// Visible columns, ignoring the escape sequences of the redraw.
enum PlotTextWidth {
  static func of(_ text: String) -> Int {
    var columns = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        if scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "[" { inEscape = false }
        continue
      }
      if scalar == "\u{1B}" { inEscape = true; continue }
      if scalar.value >= 0x20 { columns += 1 }
    }
    return columns
  }
}
