extension Notebook {
  /// Parses `.ffnb` text into cells.
  ///
  /// A line whose first two characters are `%%` starts a cell; non-blank lines before the first
  /// header form an implicit code cell. Header problems (unknown kind, bad name, unclosed tag
  /// list) are reported and the cell is kept, so one typo does not lose the rest of the file.
  /// Never fails and runs in time linear in the text.
  ///
  /// Memory stays near the size of the text: lines are found by scanning the UTF-8 bytes once
  /// (no array of lines, no Character iteration), and a cell's source is one copy of its span
  /// of the text (rebuilt line by line only when a line break other than `\n` must become one).
  /// Line breaks are those of `Character.isNewline`: `\n`, `\r\n`, `\r`, VT, FF, NEL, U+2028,
  /// U+2029, each always a grapheme boundary, so every line is a whole number of Characters.
  public static func parse(text: String, path: String) -> (Notebook, [Diagnostic]) {
    var text = text
    text.makeContiguousUTF8()
    var diagnostics: [Diagnostic] = []
    var cells: [Cell] = []
    var pending: PendingCell? = nil

    func finish(_ cell: PendingCell?) {
      guard let cell else { return }
      // Trailing blank lines are not part of a cell's source.
      if cell.header == nil, cell.contentEnd == nil { return }
      cells.append(
        Cell(
          index: cells.count + 1, kind: cell.header?.kind ?? .code, name: cell.header?.name,
          tags: cell.header?.tags ?? [], source: cell.source(in: text),
          firstLine: cell.firstLine, headerLine: cell.header?.line))
    }

    LineScanner.forEachLine(in: text) { line in
      if line.isHeaderCandidate, text[line.range].hasPrefix("%%") {
        finish(pending)
        let origin = SourceOrigin(file: path, cell: cells.count + 1, firstLine: line.number)
        let header = CellHeader.parse(text[line.range], origin: origin, diagnostics: &diagnostics)
        pending = PendingCell(header: header, firstLine: line.number + 1, bodyStart: line.nextStart)
      } else if pending == nil {
        // Before the first header: blank lines are dropped; the first non-blank line starts
        // the implicit code cell.
        if line.isBlank(in: text) { return }
        pending = PendingCell(header: nil, firstLine: line.number, bodyStart: line.start)
        pending?.include(line, in: text)
      } else {
        pending?.include(line, in: text)
      }
    }
    finish(pending)
    diagnostics += duplicateNameWarnings(cells, path: path)
    return (Notebook(path: path, cells: cells), diagnostics)
  }

  private static func duplicateNameWarnings(_ cells: [Cell], path: String) -> [Diagnostic] {
    var firstUse: [String: Cell] = [:]
    var warnings: [Diagnostic] = []
    for cell in cells {
      guard let name = cell.name else { continue }
      if let first = firstUse[name] {
        // A saved session record repeats a re-run cell under its name on purpose.
        if cell.hasTag(CellTag.rerun) { continue }
        let location = SourceLocation(
          file: path, cell: cell.index, cellName: name, line: cell.headerLine ?? cell.firstLine, column: 1)
        warnings.append(
          Diagnostic(
            .warning, "duplicate cell name '\(name)' (cell \(first.index) has it too); selecting it picks cell \(first.index)",
            at: location, length: 2))
      } else {
        firstUse[name] = cell
      }
    }
    return warnings
  }
}

/// A cell whose lines are still being collected, as byte offsets into the text.
private struct PendingCell {
  var header: CellHeader?
  var firstLine: Int
  /// Where the cell's first source line starts.
  var bodyStart: Int
  /// Where its last non-blank line ends so far; nil while every line is blank.
  var contentEnd: Int?
  /// Where the first line break other than a lone `\n` after a source line starts, if any.
  var firstOtherBreak: Int?

  /// Takes a source line into the cell.
  mutating func include(_ line: LineScanner.Line, in text: String) {
    if !line.isBlank(in: text) { contentEnd = line.end }
    if firstOtherBreak == nil, line.hasOtherBreak { firstOtherBreak = line.end }
  }

  /// The lines from `bodyStart` to `contentEnd`, joined by `\n`.
  func source(in text: String) -> String {
    guard let contentEnd, contentEnd > bodyStart else { return "" }
    let utf8 = text.utf8
    let range = utf8.index(utf8.startIndex, offsetBy: bodyStart)..<utf8.index(utf8.startIndex, offsetBy: contentEnd)
    // One copy of the span, unless a `\r\n` (or another break) inside it becomes `\n`.
    guard let other = firstOtherBreak, other < contentEnd else { return String(text[range]) }
    var source = ""
    source.reserveCapacity(contentEnd - bodyStart)
    var first = true
    LineScanner.forEachLine(in: text, from: bodyStart, to: contentEnd) { line in
      if !first { source += "\n" }
      first = false
      source += text[line.range]
    }
    return source
  }
}

/// Finds the lines of a text by scanning its UTF-8 bytes once, as
/// `split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineSeparator)` would (line
/// breaks `\n` and `\r\n`, always grapheme boundaries) with one trailing `\r` dropped from each
/// line, but without making an array of lines or iterating Characters.
enum LineScanner {
  /// One line: its byte range (without its line break) and number.
  struct Line {
    var number: Int
    var start: Int
    var end: Int
    /// Where the next line starts (after this line's break).
    var nextStart: Int
    /// Whether the line starts with the bytes `%%`.
    var isHeaderCandidate: Bool
    /// Whether more than a lone `\n` separates it from the next line (`\r\n`, or a dropped `\r`).
    var hasOtherBreak: Bool
    /// Whether the line is ASCII (then blankness is decided from its bytes).
    var isASCII: Bool
    /// Whether every byte is ASCII whitespace (meaningful when `isASCII`).
    var isASCIIBlank: Bool
    let range: Range<String.Index>

    /// A line of whitespace only, as `Character.isWhitespace` judges it.
    func isBlank(in text: String) -> Bool {
      isASCII ? isASCIIBlank : text[range].allSatisfy(\.isWhitespace)
    }
  }

  /// Calls `body` with every line of `text` between the byte offsets `from` and `to` (all of
  /// it by default), numbered from 1. A text ending in a line break has an empty last line.
  /// The last line loses a trailing `\r` only when the scan runs to the end of the text.
  static func forEachLine(in text: String, from: Int = 0, to: Int? = nil, _ body: (Line) -> Void) {
    let utf8 = text.utf8
    let end = to ?? utf8.count
    let stripLastCR = to == nil
    var text = text
    text.withUTF8 { bytes in
      var number = 1
      var start = from
      var i = from
      var ascii = true
      var blank = true
      func emit(contentEnd: Int, nextStart: Int) {
        let range = utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: contentEnd)
        let header = contentEnd - start >= 2 && bytes[start] == 0x25 && bytes[start + 1] == 0x25
        body(Line(number: number, start: start, end: contentEnd, nextStart: nextStart, isHeaderCandidate: header,
                  hasOtherBreak: nextStart - contentEnd > 1, isASCII: ascii, isASCIIBlank: blank, range: range))
        number += 1
        start = nextStart
        ascii = true
        blank = true
      }
      /// `upTo` without the `\r` of a `\r\n` break and then one more trailing `\r`.
      func stripped(_ upTo: Int, crs: Int) -> Int {
        var e = upTo
        for _ in 0..<crs where e > start && bytes[e - 1] == 0x0D { e -= 1 }
        return e
      }
      while i < end {
        let byte = bytes[i]
        if byte == 0x0A {
          emit(contentEnd: stripped(i, crs: 2), nextStart: i + 1)
        } else if byte >= 0x80 {
          ascii = false
        } else if byte != 0x20 && (byte < 0x09 || byte > 0x0D) {
          blank = false
        }
        i += 1
      }
      // The last line (empty when the text ends with a line break), as `split` gives it.
      emit(contentEnd: stripLastCR ? stripped(end, crs: 1) : end, nextStart: end)
    }
  }
}

/// The parsed form of a `%% kind [name] [tags]` line.
struct CellHeader {
  var kind: CellKind
  var name: String?
  var tags: [String]
  var line: Int

  /// Parses a header line (which starts with `%%`). Problems become diagnostics and the
  /// closest sensible header is returned: an unknown kind is taken as `code` so the checker
  /// still looks at the cell's statements.
  static func parse(_ text: Substring, origin: SourceOrigin, diagnostics: inout [Diagnostic]) -> CellHeader {
    let scalars = Array(text.unicodeScalars)
    var header = CellHeader(kind: .code, name: nil, tags: [], line: origin.firstLine)
    var position = 2  // after "%%"

    func location(_ index: Int) -> SourceLocation { origin.location(line: 1, column: index + 1) }
    func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }
    func isNameScalar(_ s: Unicode.Scalar) -> Bool {
      s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-")
    }
    func skipSpaces() { while position < scalars.count, isSpace(scalars[position]) { position += 1 } }
    /// A maximal run of non-space, non-bracket characters.
    func word() -> (String, Int) {
      let start = position
      while position < scalars.count, !isSpace(scalars[position]), scalars[position] != "[" {
        position += 1
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars[start..<position])
      return (text, start)
    }
    func report(_ message: String, at index: Int, length: Int, suggestion: String? = nil) {
      diagnostics.append(Diagnostic(.error, message, at: location(index), length: length, suggestion: suggestion))
    }

    skipSpaces()
    let (kindWord, kindStart) = word()
    switch kindWord {
    case "code": header.kind = .code
    case "markdown", "md": header.kind = .markdown
    case "":
      report("cell header needs a kind: '%% code' or '%% markdown'", at: 0, length: 2)
    default:
      let suggestion = Suggestions.closest(to: kindWord, in: ["code", "markdown", "md"])
      report(
        "unknown cell kind '\(Escaping.truncated(kindWord))'\(Suggestions.didYouMean(suggestion)); expected code, markdown or md",
        at: kindStart, length: kindWord.unicodeScalars.count, suggestion: suggestion)
    }

    skipSpaces()
    if position < scalars.count, scalars[position] != "[" {
      let (name, start) = word()
      if name.unicodeScalars.allSatisfy(isNameScalar) {
        header.name = name
      } else {
        report(
          "cell name '\(Escaping.truncated(name))' may only contain letters, digits, '_' and '-'",
          at: start, length: name.unicodeScalars.count)
      }
      skipSpaces()
    }

    if position < scalars.count, scalars[position] == "[" {
      let open = position
      position += 1
      var seen = Set<String>()
      var closed = false
      while position < scalars.count {
        skipSpaces()
        let start = position
        while position < scalars.count, scalars[position] != ",", scalars[position] != "]" { position += 1 }
        var tag = ""
        tag.unicodeScalars.append(contentsOf: scalars[start..<position])
        let trimmed = tag.trimmingSpaces()
        let tagLength = max(trimmed.unicodeScalars.count, 1)
        if trimmed.isEmpty {
          if position < scalars.count, scalars[position] == "," {
            report("empty tag in cell header", at: start, length: 1)
          }
        } else if !trimmed.unicodeScalars.allSatisfy(isNameScalar) {
          report(
            "tag '\(Escaping.truncated(trimmed))' may only contain letters, digits, '_' and '-'",
            at: start, length: tagLength)
        } else if seen.contains(trimmed) {
          diagnostics.append(
            Diagnostic(.warning, "duplicate tag '\(trimmed)'", at: location(start), length: tagLength))
        } else {
          seen.insert(trimmed)
          header.tags.append(trimmed)
          if !CellTag.known.contains(trimmed) {
            let suggestion = Suggestions.closest(to: trimmed, in: CellTag.known)
            diagnostics.append(
              Diagnostic(
                .warning,
                "unknown tag '\(trimmed)'\(Suggestions.didYouMean(suggestion)); known tags: \(CellTag.known.joined(separator: ", ")) (kept, but it has no effect)",
                at: location(start), length: tagLength, suggestion: suggestion))
          }
        }
        if position < scalars.count, scalars[position] == "]" {
          position += 1
          closed = true
          break
        }
        position += 1  // the comma
      }
      if !closed {
        report("unclosed '[' in cell header: tags are written [tag, tag]", at: open, length: 1)
      }
      skipSpaces()
    }

    if position < scalars.count {
      let rest = scalars.count - position
      var extra = ""
      extra.unicodeScalars.append(contentsOf: scalars[position..<min(scalars.count, position + 40)])
      report(
        "unexpected '\(Escaping.truncated(extra))' in cell header; expected '%% kind [name] [tag, ...]'",
        at: position, length: rest)
    }
    return header
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
      let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
    else { return "" }
    return String(scalars[first...last])
  }
}
