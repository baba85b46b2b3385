/// Finds the bytes of a notebook file that are not valid UTF-8.
///
/// A notebook is decoded with each invalid sequence replaced by U+FFFD, so nothing is lost
/// and every line keeps its number; but after decoding, a replaced byte cannot be told from a
/// U+FFFD written on purpose, and inside a string literal, a comment or a markdown cell
/// nothing else would notice it. This pass looks at the bytes themselves and reports each
/// line that holds invalid UTF-8 at the line and column where its first U+FFFD appears
/// (columns count Unicode scalars of the decoded text, as every diagnostic does).
public enum UTF8Validation {
  /// The most lines reported one by one; the rest are counted in one more diagnostic, so a
  /// binary file costs a screenful, not a diagnostic per line.
  public static let maximumReportedLines = 10

  /// Diagnostics for the invalid UTF-8 in `bytes`, the file `notebook` was parsed from, each
  /// naming its cell. A leading byte-order mark is skipped, as the parser drops it.
  public static func diagnostics<Bytes: Collection<UInt8>>(bytes: Bytes, notebook: Notebook) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var badLines = 0
    var line = 1
    var column = 1
    var lastBadLine = 0
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var isFirst = true
    let cells = CellLines(notebook)
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        let scalar = Unicode.UTF8.decode(encoded)
        defer { isFirst = false }
        if isFirst, scalar == "\u{FEFF}" { continue }
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .error(let length):
        isFirst = false
        if line != lastBadLine {
          lastBadLine = line
          badLines += 1
          if badLines <= maximumReportedLines {
            let cell = cells.cell(atLine: line)
            let location = SourceLocation(
              file: notebook.path, cell: cell?.index, cellName: cell?.name, line: line, column: column)
            diagnostics.append(
              Diagnostic(
                .error,
                "invalid UTF-8: \(length == 1 ? "a byte" : "\(length) bytes") here \(length == 1 ? "is" : "are") not part of any character (read as U+FFFD); save the notebook as UTF-8",
                at: location))
          }
        }
        column += 1
      case .emptyInput:
        if badLines > maximumReportedLines {
          let more = badLines - maximumReportedLines
          diagnostics.append(
            Diagnostic(
              .error, "invalid UTF-8 on \(ValueMeasure.count(more)) more line\(more == 1 ? "" : "s")",
              at: .file(notebook.path)))
        }
        return diagnostics
      }
    }
  }

  /// `diagnostics` without the lexer's "unexpected character '\u{fffd}'" at a place this pass
  /// already reports: one problem, one message.
  public static func removingDuplicates(_ diagnostics: [Diagnostic], of invalid: [Diagnostic]) -> [Diagnostic] {
    let places = Set(invalid.map { [$0.location.line, $0.location.column] })
    guard !places.isEmpty else { return diagnostics }
    return diagnostics.filter { d in
      !(d.message.hasPrefix(Lexer.replacementCharacterMessage) && places.contains([d.location.line, d.location.column]))
    }
  }
}

/// Which cell a file line belongs to: a cell runs from its header (or, for the implicit first
/// cell, its first line) to the line before the next header.
private struct CellLines {
  let starts: [(line: Int, cell: Cell)]

  init(_ notebook: Notebook) {
    starts = notebook.cells.map { ($0.headerLine ?? $0.firstLine, $0) }
  }

  /// The cell holding `line`, found by binary search; nil before the first cell.
  func cell(atLine line: Int) -> Cell? {
    var low = 0, high = starts.count
    while low < high {
      let mid = (low + high) / 2
      if starts[mid].line <= line { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? nil : starts[low - 1].cell
  }
}
