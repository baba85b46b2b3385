extension Notebook {
  /// Parses `.ffnb` text into cells.
  ///
  /// A line whose first two characters are `%%` starts a cell; non-blank lines before the first
  /// header form an implicit code cell. Header problems (unknown kind, bad name, unclosed tag
  /// list) are reported and the cell is kept, so one typo does not lose the rest of the file.
  /// Never fails and runs in time linear in the text.
  public static func parse(text: String, path: String) -> (Notebook, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    var cells: [Cell] = []
    var pending: PendingCell? = nil
    var lineNumber = 0

    func finish(_ cell: PendingCell?) {
      guard let cell else { return }
      // Trailing blank lines are not part of a cell's source.
      var lines = cell.lines[...]
      while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines = lines.dropLast() }
      if cell.header == nil, lines.isEmpty { return }
      cells.append(
        Cell(
          index: cells.count + 1, kind: cell.header?.kind ?? .code, name: cell.header?.name,
          tags: cell.header?.tags ?? [], source: lines.joined(separator: "\n"),
          firstLine: cell.firstLine, headerLine: cell.header?.line))
    }

    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineSeparator) {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.hasPrefix("%%") {
        finish(pending)
        let origin = SourceOrigin(file: path, cell: cells.count + 1, firstLine: lineNumber)
        let header = CellHeader.parse(line, origin: origin, diagnostics: &diagnostics)
        pending = PendingCell(header: header, firstLine: lineNumber + 1, lines: [])
      } else if pending == nil {
        // Before the first header: blank lines are dropped; the first non-blank line starts
        // the implicit code cell.
        if line.allSatisfy(\.isWhitespace) { continue }
        pending = PendingCell(header: nil, firstLine: lineNumber, lines: [line])
      } else {
        pending?.lines.append(line)
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

/// A cell whose lines are still being collected.
private struct PendingCell {
  var header: CellHeader?
  var firstLine: Int
  var lines: [Substring]
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
