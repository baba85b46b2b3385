/// Light terminal rendering of markdown cells: headings stand out, bullets become "•",
/// `**bold**` and `code` are styled when colour is on and left readable when it is not.
enum MarkdownRenderer {
  static func render(_ source: String, color: Bool) -> String {
    var out: [String] = []
    for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(raw)
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

  private static func headingLevel(_ line: Substring) -> Int? {
    let hashes = line.prefix { $0 == "#" }.count
    guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
    return hashes
  }

  /// `**bold**` -> bold (or plain text), `` `code` `` -> cyan (or kept with backticks).
  private static func inline(_ text: String, color: Bool) -> String {
    var result = ""
    var rest = Substring(text)
    while let open = rest.range(of: "**") {
      guard let close = rest[open.upperBound...].range(of: "**") else { break }
      result += rest[..<open.lowerBound]
      let inner = rest[open.upperBound..<close.lowerBound]
      result += color ? "\u{1B}[1m\(inner)\u{1B}[0m" : String(inner)
      rest = rest[close.upperBound...]
    }
    result += rest
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
