/// A JSON value, as much of JSON as a Jupyter notebook needs, with an encoder that writes what
/// Jupyter itself writes: `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False)` and a
/// final newline. Sorted keys and a fixed layout keep `git diff` of executed notebooks small.
///
/// Hand-written rather than `JSONSerialization` because Foundation on Linux escapes `/` (every
/// `image/svg+xml` key would read `image\/svg+xml`), indents by two spaces, and prints doubles
/// through `NSNumber`, none of which match Jupyter's files.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  /// Non-finite doubles have no JSON form and are written as `null`.
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// A string, or `null` when there is none.
  static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

  /// The document as Jupyter writes it: one-space indent, sorted keys, UTF-8 left unescaped,
  /// ending with a newline.
  public func encoded() -> String {
    var out = ""
    write(to: &out, indent: 0)
    out.append("\n")
    return out
  }

  private func write(to out: inout String, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? JSONValue.number(d) : "null"
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      guard !items.isEmpty else { out += "[]"; return }
      out += "[\n"
      for (i, item) in items.enumerated() {
        out += String(repeating: " ", count: indent + 1)
        item.write(to: &out, indent: indent + 1)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      out += String(repeating: " ", count: indent) + "]"
    case .object(let members):
      guard !members.isEmpty else { out += "{}"; return }
      out += "{\n"
      // Python's sort_keys orders by code point; Swift's String `<` does not (it compares
      // normalised grapheme clusters), so compare scalars.
      let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
      for (i, member) in sorted.enumerated() {
        out += String(repeating: " ", count: indent + 1)
        JSONValue.quote(member.key, into: &out)
        out += ": "
        member.value.write(to: &out, indent: indent + 1)
        out += i + 1 < sorted.count ? ",\n" : "\n"
      }
      out += String(repeating: " ", count: indent) + "}"
    }
  }

  /// Shortest text that reads back as the same double (`0.25`, `1e-05`, `3.0`); integral
  /// values keep a `.0` as Python's `repr` does.
  static func number(_ d: Double) -> String {
    let text = d.description
    if text.contains(".") || text.contains("e") { return text }
    return text + ".0"
  }

  /// Appends `s` as a JSON string literal: quotes, backslashes and every control character
  /// escaped (RFC 8259 §7), everything else written as UTF-8.
  static func quote(_ s: String, into out: inout String) {
    out.append("\"")
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out.append("\"")
  }
}
