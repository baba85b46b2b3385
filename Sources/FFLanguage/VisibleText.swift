/// Text from a notebook or from a value, made safe to print on a terminal.
///
/// A notebook is untrusted input: a markdown cell, a string printed with `print`, a path
/// echoed in a message or a line quoted in a diagnostic can hold ESC sequences that set the
/// window title, write the clipboard (OSC 52), clear the screen or move the cursor, or a
/// carriage return that overwrites what was printed. Everything ffnb prints that came from
/// the notebook or a value goes through `VisibleText.escaping`, which shows control characters
/// instead of sending them: C0 controls and DEL in caret notation as `cat -v` does (`^[` for
/// ESC, `^M` for a carriage return), C1 controls and bidirectional overrides (which can make
/// text read differently from what it is) as `\u{9b}`. Newlines and tabs stay as they are.
/// ffnb's own styling is added after escaping, so it still works.
package enum VisibleText {
  /// `text` with every control character shown, newlines and tabs kept.
  package static func escaping(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if needsEscaping(scalar) { result += shown(scalar) } else { result.unicodeScalars.append(scalar) }
    }
    return result
  }

  /// Whether a scalar is shown escaped rather than sent as it is.
  package static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00..<0x20, 0x7F..<0xA0: true
    case 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// How an escaped scalar is shown: `^[`, `^?`, `\u{9b}`. Other scalars are themselves.
  package static func shown(_ scalar: Unicode.Scalar) -> String {
    switch scalar.value {
    case 0x00..<0x20: "^" + String(Unicode.Scalar(UInt8(scalar.value) + 0x40))
    case 0x7F: "^?"
    case _ where needsEscaping(scalar): "\\u{" + String(scalar.value, radix: 16) + "}"
    default: String(scalar)
    }
  }
}
