import FFLanguage
import FFPlots
import FFRuntime
import Foundation

/// What a command shows, as a value: handlers return these and the console (the one presenter)
/// decides how they look on its medium (colour, width, SVG for executed notebooks).
package enum Output: Sendable, Equatable, Codable {
  /// A line of text (may hold several lines).
  case line(String)
  /// Each layer's loss per epoch.
  case lossChart([Series])
  /// Error rates `learn eval=` measured, per epoch (NaN where none was measured).
  case errorChart([Series])
  /// One image with its label written in, as the model sees positive data.
  case image(ImageSample)
  /// A confusion matrix: counts[true][predicted].
  case confusion(counts: [[Int]], labels: [String], title: String)
  /// A training event as it happens (`learn`), with the progress-line interval.
  case training(TrainingEvent, every: Int)
}

/// An image to show: pixels row by row and what to call it.
package struct ImageSample: Sendable, Equatable, Codable {
  package var pixels: [Float]
  package var rows: Int
  package var cols: Int
  package var label: Int
  package var title: String
}

/// One piece of a cell's output, as Jupyter records it: stream text, a rich display (an SVG
/// with a text fallback), or an error.
public enum OutputItem: Sendable, Equatable {
  case text(String)
  case display(DisplayData)
  case error(name: String, message: String)
}

/// Something shown rather than printed: the terminal gets `text`, an executed notebook gets
/// `svg` (as `image/svg+xml`) with `text` as its `text/plain` fallback.
public struct DisplayData: Sendable, Equatable {
  public var text: String
  public var svg: String?
  public init(text: String, svg: String? = nil) {
    self.text = text
    self.svg = svg
  }
}

/// Where a session's output goes: the presenter. The console prints as it goes; every item is
/// also recorded for the current cell so `--output x.ipynb` can write what was shown.
public final class Console {
  /// Whether output goes to a terminal: progress then redraws one line in place, and colour
  /// is used unless NO_COLOR is set; otherwise progress prints plain lines and never escapes.
  public let isTerminal: Bool
  public let useColor: Bool
  /// The terminal's width in columns, asked on every progress redraw (so a resized window is
  /// followed) and by charts; 80 unless given. Injectable so tests can pick a width.
  public var terminalWidth: () -> Int
  private let sink: (String) -> Void
  private var progressShown = false
  /// Items recorded since the last `beginRecording()`.
  public private(set) var recorded: [OutputItem] = []
  /// The progress-line state of the `learn` being shown.
  private var progress: ProgressReporter?
  /// Told of each piece of output as it is recorded (text as written, each display), so a
  /// Jupyter kernel can send it while the command still runs (`learn` progress live), not
  /// when the cell ends.
  package var listener: ((OutputItem) -> Void)?
  /// Outputs presented since `startTapping()`: what a command showed, for the replay cache.
  private var tapped: [Output]?

  /// A console writing to standard output.
  public static func standardOutput() -> Console {
    // A dumb terminal (TERM=dumb, as in Emacs shells) gets neither colour nor redraws.
    let tty = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    let color = tty && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    return Console(isTerminal: tty, useColor: color, terminalWidth: { TerminalWidth.current() }) { text in
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  /// A console writing to `sink` (tests, captured runs).
  public init(
    isTerminal: Bool = false, useColor: Bool = false, terminalWidth: @escaping () -> Int = { TerminalWidth.fallback },
    sink: @escaping (String) -> Void
  ) {
    self.isTerminal = isTerminal
    self.useColor = useColor
    self.terminalWidth = terminalWidth
    self.sink = sink
  }

  /// Shows one output of a command.
  package func present(_ output: Output) {
    tapped?.append(output)
    switch output {
    case .line(let text):
      // Handlers' text holds what the notebook wrote (`print`, paths, names): control
      // characters are shown, not sent. ffnb's own styling never travels in a `.line`.
      line(VisibleText.escaping(text))
    case .lossChart(let series):
      let svg = LineChartSVG.render(series: series, title: "Forward-Forward loss per layer", xLabel: "epoch", yLabel: "loss")
      let text = TerminalChart.render(series: series, width: min(terminalWidth(), 100), height: 12, color: useColor)
      display(DisplayData(text: text, svg: svg))
    case .errorChart(let series):
      let svg = LineChartSVG.render(series: series, title: "Error while training", xLabel: "epoch", yLabel: "error %")
      let text = TerminalChart.render(series: series, width: min(terminalWidth(), 100), height: 12, color: useColor)
      display(DisplayData(text: "error % per epoch\n" + text, svg: svg))
    case .image(let image):
      let text = DigitImage.terminal(pixels: image.pixels, rows: image.rows, cols: image.cols, label: image.label, color: useColor)
      let svg = DigitImage.svg(pixels: image.pixels, rows: image.rows, cols: image.cols, label: image.label, title: image.title)
      // The title names the data set, which `load ... as=` may have named with any text.
      display(DisplayData(text: VisibleText.escaping(image.title) + "\n" + text, svg: svg))
    case let .confusion(counts, labels, title):
      let svg = ConfusionMatrixSVG.render(counts: counts, labels: labels, title: title)
      display(DisplayData(text: ConfusionMatrixText.render(counts: counts, labels: labels), svg: svg))
    case let .training(event, every):
      if case .layerStarted = event { progress = nil }
      if progress?.interval != every { progress = ProgressReporter(console: self, interval: every) }
      progress?.observe(event)
    }
  }

  /// Starts keeping every output presented, as values, until `stopTapping()`: what a command
  /// shows while it runs (`learn`'s progress) is stored with its result by the replay cache.
  package func startTapping() { tapped = [] }

  /// The outputs presented since `startTapping()`; stops keeping them.
  package func stopTapping() -> [Output] {
    defer { tapped = nil }
    return tapped ?? []
  }

  /// Prints text as-is (add the newline yourself) and records it as stream output.
  public func write(_ text: String) {
    clearProgress()
    sink(text)
    if case .text(let previous)? = recorded.last {
      recorded[recorded.count - 1] = .text(previous + text)
    } else {
      recorded.append(.text(text))
    }
    listener?(.text(text))
  }

  /// Prints a line.
  public func line(_ text: String = "") { write(text + "\n") }

  /// Prints text that is not part of any cell's output: cell headers, and diagnostics whose
  /// record is the `.error` item instead.
  public func emit(_ text: String) {
    clearProgress()
    sink(text)
  }

  /// Shows a display item: its text on the console, both forms recorded.
  public func display(_ data: DisplayData) {
    clearProgress()
    sink(data.text.hasSuffix("\n") ? data.text : data.text + "\n")
    recorded.append(.display(data))
    listener?(.display(data))
  }

  /// Records an error for the current cell (the message is printed by the caller, with its caret).
  public func recordError(name: String, message: String) {
    recorded.append(.error(name: name, message: message))
  }

  /// A transient status line, redrawn in place on a terminal; nothing at all otherwise.
  ///
  /// The line never wraps: `\r` + erase-line redraws only the cursor's row, so a wrapped line
  /// would leave a copy of its first row behind on every redraw. It is cut to one column less
  /// than the terminal is wide (a line of exactly the width makes some terminals wrap).
  public func progress(_ text: String) {
    guard isTerminal else { return }
    sink("\r\u{1B}[2K" + PlotText.truncated(text, toWidth: progressWidth))
    progressShown = true
  }

  /// A progress line with a bar filled to `fraction`, fitted to the terminal: the bar narrows
  /// and goes first, then the `optional` pieces (last first), then the essential text is cut.
  public func progress(fraction: Double?, essential: String, optional: [String]) {
    guard isTerminal else { return }
    progress(ProgressFormat.line(fraction: fraction, essential: essential, optional: optional, width: progressWidth))
  }

  /// The columns a progress line may use.
  var progressWidth: Int { max(1, terminalWidth() - 1) }

  /// Erases a transient status line, if one is shown.
  public func clearProgress() {
    guard progressShown else { return }
    sink("\r\u{1B}[2K")
    progressShown = false
  }

  /// Starts a new cell's record, returning the previous one.
  @discardableResult
  public func beginRecording() -> [OutputItem] {
    defer { recorded = [] }
    return recorded
  }

  /// Wraps text in an ANSI style when colour is on.
  public func styled(_ text: String, _ style: Style) -> String {
    useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }

  public enum Style: String, Sendable {
    case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36", boldRed = "1;31"
  }
}
