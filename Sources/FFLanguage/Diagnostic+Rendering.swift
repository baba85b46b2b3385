extension Diagnostic {
  /// The widest source excerpt a rendered diagnostic shows, in columns. Longer lines are cut
  /// around the caret so a 10 MB line cannot flood the terminal.
  public static let maximumExcerptWidth = 120

  /// The full terminal form: the one-line summary, then the source line and a caret under the
  /// culprit, as compilers print them:
  /// ```
  /// notebooks/mnist.ffnb:42:1: error: unknown command 'lern'; did you mean 'learn'?   [cell 5 main]
  ///    42 | lern epochs=10
  ///       | ^~~~
  /// ```
  /// Tabs are expanded to 4 columns and control characters shown as `cat -v` shows them
  /// (`^[`), the caret staying under the right character. The message, the path and the cell
  /// name are shown the same way: they can hold text from the notebook (a path, a string),
  /// and only ffnb's own colours may reach the terminal as escapes. Without a source line (or
  /// for whole-file problems) only the summary is returned. `color` adds ANSI colors for a
  /// terminal.
  public func rendered(sourceLine: String?, color: Bool) -> String {
    let style = RenderStyle(color: color)
    let place = VisibleText.escaping(location.description)
    var summary = "\(style.bold)\(place): \(style.severityColor(severity))\(severity.rawValue):"
    summary += "\(style.reset)\(style.bold) \(VisibleText.escaping(message))\(style.reset)"
    if let cell = location.cell {
      summary += VisibleText.escaping("   [cell \(cell)\(location.cellName.map { " " + $0 } ?? "")]")
    }
    guard let sourceLine, location.line > 0 else { return summary }

    let excerpt = SourceExcerpt(line: sourceLine, column: max(location.column, 1), length: length)
    // The line number right-aligned in at least 5 columns, as "   42 | ".
    let number = String(location.line)
    let field = max(5, number.count + 3)
    let gutter = String(repeating: " ", count: field + 1)
    var text = summary + "\n"
    text += String(repeating: " ", count: field - number.count)
    text += "\(style.blue)\(number) |\(style.reset) \(excerpt.text)"
    if location.column > 0 {
      let marker = "^" + String(repeating: "~", count: max(excerpt.caretWidth - 1, 0))
      text += "\n\(gutter)\(style.blue)|\(style.reset) "
      text += String(repeating: " ", count: excerpt.caretOffset)
      text += "\(style.severityColor(severity))\(marker)\(style.reset)"
    }
    return text
  }

  /// Renders with the source line taken from the whole text of the file the location names.
  public func rendered(in source: SourceText?, color: Bool) -> String {
    rendered(sourceLine: source?.line(location.line), color: color)
  }
}

/// The text of a notebook file split into lines, to fetch the line a diagnostic points at.
public struct SourceText: Sendable {
  private let lines: [Substring]

  public init(_ text: String) {
    lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineSeparator)
  }

  /// The 1-based file line without its line terminator, or nil past the end.
  public func line(_ number: Int) -> String? {
    guard number >= 1, number <= lines.count else { return nil }
    var line = lines[number - 1]
    if line.hasSuffix("\r") { line = line.dropLast() }
    return String(line)
  }
}

/// ANSI escapes, or empty strings when color is off.
private struct RenderStyle {
  let color: Bool
  var bold: String { color ? "\u{1B}[1m" : "" }
  var reset: String { color ? "\u{1B}[0m" : "" }
  var blue: String { color ? "\u{1B}[34m" : "" }
  func severityColor(_ severity: Diagnostic.Severity) -> String {
    guard color else { return "" }
    switch severity {
    case .error: return "\u{1B}[1;31m"
    case .warning: return "\u{1B}[1;33m"
    case .note: return "\u{1B}[1;36m"
    }
  }
}

/// A display-safe window of a source line with the caret position inside it.
private struct SourceExcerpt {
  var text: String
  /// Display columns before the caret.
  var caretOffset: Int
  /// Display columns the caret covers.
  var caretWidth: Int

  static let tabWidth = 4

  init(line: String, column: Int, length: Int) {
    // Map each scalar to its display cells; only what can be shown is kept, so the work is
    // bounded by the window even for a huge line once we are past the caret.
    let limit = Diagnostic.maximumExcerptWidth
    var cells: [Character] = []
    var startCell = 0, endCell = 0
    var index = 1
    let span = max(length, 1)
    let caretEnd = column > Int.max - span ? Int.max : column + span
    for scalar in line.unicodeScalars {
      if index == column { startCell = cells.count }
      if index == caretEnd { endCell = cells.count }
      switch scalar.value {
      case 0x09:
        let pad = Self.tabWidth - cells.count % Self.tabWidth
        cells.append(contentsOf: repeatElement(" ", count: pad))
      case _ where VisibleText.needsEscaping(scalar):
        for character in VisibleText.shown(scalar) { cells.append(character) }
      case 0x2028, 0x2029:
        cells.append("\u{FFFD}")
      default:
        cells.append(Character(scalar))
      }
      index += 1
      // Stop once the caret and enough context after it are collected.
      if index > column, cells.count > startCell + limit { break }
    }
    if column >= index { startCell = cells.count }
    if caretEnd >= index || endCell < startCell { endCell = max(cells.count, startCell + 1) }
    var caretWidth = max(endCell - startCell, 1)

    var first = 0
    var last = cells.count
    var prefix = "", suffix = ""
    if cells.count > limit {
      // Keep the caret about a third of the way in.
      first = max(0, min(startCell - limit / 3, cells.count - limit))
      last = min(cells.count, first + limit)
      if first > 0 { prefix = "…" }
      if last < cells.count || index <= line.unicodeScalars.count { suffix = "…" }
    }
    caretWidth = max(1, min(caretWidth, max(last - startCell, 1)))
    text = prefix + String(cells[first..<last]) + suffix
    caretOffset = prefix.count + (startCell - first)
    self.caretWidth = caretWidth
  }
}
