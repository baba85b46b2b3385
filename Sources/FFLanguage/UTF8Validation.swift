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

  /// Where a file's bytes are not valid UTF-8: the first invalid sequence of each line (at
  /// most `maximumReportedLines` of them), and how many more lines have one. Found in one pass
  /// over the bytes, so a loader can keep this and free the bytes before parsing the text.
  public struct Places: Sendable, Equatable {
    /// 1-based file line and column (in Unicode scalars of the decoded text), and the number
    /// of bytes of the invalid sequence.
    public var reported: [(line: Int, column: Int, length: Int)] = []
    public var moreLines = 0

    public static func == (lhs: Places, rhs: Places) -> Bool {
      lhs.moreLines == rhs.moreLines && lhs.reported.elementsEqual(rhs.reported) { $0 == $1 }
    }
  }

  /// The invalid UTF-8 in `bytes`. A leading byte-order mark is skipped, as the parser drops it.
  public static func places<Bytes: Collection<UInt8>>(in bytes: Bytes) -> Places {
    var places = Places()
    var line = 1
    var column = 1
    var lastBadLine = 0
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var isFirst = true
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
          if places.reported.count < maximumReportedLines {
            places.reported.append((line, column, length))
          } else {
            places.moreLines += 1
          }
        }
        column += 1
      case .emptyInput:
        return places
      }
    }
  }

  /// Diagnostics for `places` in the file `notebook` was parsed from, each naming its cell.
  public static func diagnostics(_ places: Places, notebook: Notebook) -> [Diagnostic] {
    let cells = CellLines(notebook)
    var diagnostics = places.reported.map { place in
      let cell = cells.cell(atLine: place.line)
      let location = SourceLocation(
        file: notebook.path, cell: cell?.index, cellName: cell?.name, line: place.line, column: place.column)
      let what = place.length == 1 ? "a byte here is" : "\(place.length) bytes here are"
      return Diagnostic(
        .error, "invalid UTF-8: \(what) not part of any character (read as U+FFFD); save the notebook as UTF-8",
        at: location)
    }
    if places.moreLines > 0 {
      diagnostics.append(
        Diagnostic(
          .error, "invalid UTF-8 on \(ValueMeasure.count(places.moreLines)) more line\(places.moreLines == 1 ? "" : "s")",
          at: .file(notebook.path)))
    }
    return diagnostics
  }

  /// Diagnostics for the invalid UTF-8 in `bytes`, the file `notebook` was parsed from.
  public static func diagnostics<Bytes: Collection<UInt8>>(bytes: Bytes, notebook: Notebook) -> [Diagnostic] {
    diagnostics(places(in: bytes), notebook: notebook)
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
