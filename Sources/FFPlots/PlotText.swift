/// Text helpers shared by the SVG and terminal renderers.
public enum PlotText {
  /// `text` made safe for XML character data and attribute values (both quote kinds).
  ///
  /// Control characters that XML 1.0 forbids (everything below U+0020 except tab, LF, CR) are
  /// replaced with U+FFFD so a stray byte in a notebook title cannot make the SVG unreadable.
  public static func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// The number of terminal columns `text` occupies, ignoring ANSI escape sequences.
  ///
  /// Combining marks and zero-width characters take no column, East Asian wide characters
  /// (CJK, Hangul, fullwidth forms, most emoji) take two, everything else one. This is a small
  /// `wcwidth`: enough to keep legends and tables aligned without a dependency.
  public static func displayWidth(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        // CSI sequences end with a byte in 0x40...0x7E (the final byte, e.g. "m").
        if scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "[" { inEscape = false }
        continue
      }
      if scalar == "\u{1B}" {
        inEscape = true
        continue
      }
      width += columns(of: scalar)
    }
    return width
  }

  /// `text` cut to at most `width` terminal columns, ending in "…" when something was cut.
  public static func truncated(_ text: String, toWidth width: Int) -> String {
    guard width > 0 else { return "" }
    if displayWidth(text) <= width { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = displayWidth(String(character))
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }

  /// `text` padded with spaces on the left to `width` columns (right-aligned).
  static func padLeft(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - displayWidth(text))) + text
  }

  /// `text` padded with spaces on the right to `width` columns (left-aligned).
  static func padRight(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - displayWidth(text)))
  }

  private static func columns(of scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v == 0 || v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
  }
}
