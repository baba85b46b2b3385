extension JSONValue {
  /// The value on one line, without spaces (`{"a":[1,2]}`), keys sorted: the form for wire
  /// messages (a Jupyter message frame), where the file layout of `encoded()` would only add
  /// bytes.
  public func compactEncoded() -> String {
    var out = ""
    writeCompact(to: &out)
    return out
  }

  private func writeCompact(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? JSONValue.number(d) : "null"
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.writeCompact(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
      for (i, member) in sorted.enumerated() {
        if i > 0 { out += "," }
        JSONValue.quote(member.key, into: &out)
        out += ":"
        member.value.writeCompact(to: &out)
      }
      out += "}"
    }
  }
}
