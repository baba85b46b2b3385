import FFLanguage

/// Light terminal rendering of markdown cells: headings stand out, bullets become "•",
/// `**bold**` and `code` are styled when colour is on and left readable when it is not.
///
/// The source is untrusted: control characters are shown, never sent (`VisibleText`), before
/// any styling is added, and a line longer than `maximumLineLength` bytes (the longest code
/// line ffnb reads) is cut with a note saying so. Rendering takes time linear in the text.
enum MarkdownRenderer {
  static func render(_ source: String, color: Bool) -> String {
    var out: [String] = []
    for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = VisibleText.escaping(cut(raw))
      let trimmed = line.drop { $0 == " " }
      if let level = headingLevel(trimmed) {
        let text = inline(String(trimmed.dropFirst(level)).trimmingLeadingSpaces, color: color)
        if color {
          out.append("\u{1B}[1m" + (level == 1 ? "\u{1B}[4m" : "") + text + "\u{1B}[0m")
        } else {
          out.append(text)
          if level <= 2 { out.append(String(repeating: level == 1 ? "=" : "-", count: max(3, text.count))) }
        }
      } else if trimmed.hasPrefix("* ") || trimmed.hasPrefix("- ") {
        let indent = String(repeating: " ", count: line.count - trimmed.count)
        out.append(indent + "  • " + inline(String(trimmed.dropFirst(2)), color: color))
      } else if trimmed == "---" {
        out.append(String(repeating: "─", count: 40))
      } else {
        out.append(inline(line, color: color))
      }
    }
    return out.joined(separator: "\n")
  }

  /// The line, or its first `maximumLineLength` bytes (whole characters) and a note.
  static func cut(_ line: Substring) -> String {
    let bytes = line.utf8.count
    guard bytes > maximumLineLength else { return String(line) }
    var kept = ""
    var used = 0
    for scalar in line.unicodeScalars {
      let size = UTF8.width(scalar)
      if used + size > maximumLineLength { break }
      kept.unicodeScalars.append(scalar)
      used += size
    }
    return kept + " … [line cut: it is \(Format.grouped(bytes)) bytes long; ffnb shows at most \(Format.grouped(maximumLineLength))]"
  }

  private static func headingLevel(_ line: Substring) -> Int? {
    let hashes = line.prefix { $0 == "#" }.count
    guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
    return hashes
  }

  /// `**bold**` -> bold (or plain text), `` `code` `` -> cyan (or kept with backticks).
  ///
  /// One pass: the `**` markers are found left to right without overlapping, and paired in
  /// order (first with second, third with fourth); an unpaired last one stays as text.
  private static func inline(_ text: String, color: Bool) -> String {
    let characters = Array(text)
    var markers: [Int] = []
    var i = 0
    while i + 1 < characters.count {
      if characters[i] == "*" && characters[i + 1] == "*" {
        markers.append(i)
        i += 2
      } else {
        i += 1
      }
    }
    if markers.count % 2 == 1 { markers.removeLast() }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    var next = 0
    var bold = false
    i = 0
    while i < characters.count {
      if next < markers.count, markers[next] == i {
        if color { result += bold ? "\u{1B}[0m" : "\u{1B}[1m" }
        bold.toggle()
        next += 1
        i += 2
        continue
      }
      result.append(characters[i])
      i += 1
    }
    guard color else { return result }
    var styled = ""
    var inCode = false
    for ch in result {
      if ch == "`" {
        styled += inCode ? "\u{1B}[0m" : "\u{1B}[36m"
        inCode.toggle()
      } else {
        styled.append(ch)
      }
    }
    return styled + (inCode ? "\u{1B}[0m" : "")
  }
}

extension String {
  var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
