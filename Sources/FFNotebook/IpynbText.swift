/// Text as a notebook stores it: free of terminal escape codes, split into lines.
enum IpynbText {
  /// `text` without ANSI/VT100 escape sequences: CSI (`ESC [ … final`, colours and line
  /// erasing), OSC (`ESC ] … BEL` or `ESC ] … ESC \`, titles and hyperlinks) and two-character
  /// escapes. The console only colours a terminal, but a notebook must never carry escapes
  /// (Jupyter shows them raw in `text/plain`), so they are removed whatever the console did.
  static func strippingANSI(_ text: String) -> String {
    guard text.unicodeScalars.contains("\u{1B}") else { return text }
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let c = scalars.next() {
      guard c == "\u{1B}" else { out.append(c); continue }
      guard let kind = scalars.next() else { break }
      switch kind {
      case "[":
        // Parameter and intermediate bytes (0x20–0x3F), then one final byte (0x40–0x7E).
        while let b = scalars.next(), !(0x40...0x7E).contains(b.value) {}
      case "]":
        while let b = scalars.next() {
          if b == "\u{07}" { break }
          if b == "\u{1B}" { _ = scalars.next(); break }
        }
      default:
        break  // ESC followed by one character (ESC 7, ESC M, ...): both dropped.
      }
    }
    return String(out)
  }

  /// Jupyter's multi-line string: lines keeping their `\n`, the last without one unless the
  /// text ends with a newline (`"a\nb"` -> `["a\n", "b"]`). Empty text gives no lines.
  static func lines(_ text: String) -> [String] {
    var result: [String] = []
    var current = String.UnicodeScalarView()
    // Scalars, not Characters: "\r\n" is one Character and would never equal "\n".
    for c in text.unicodeScalars {
      current.append(c)
      if c == "\n" {
        result.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { result.append(String(current)) }
    return result
  }

  /// A multi-line string value for a notebook field.
  static func json(_ text: String) -> JSONValue {
    .array(lines(text).map(JSONValue.string))
  }
}
