extension Expr: CustomStringConvertible {
  /// The expression as canonical source text. Nested arithmetic is fully parenthesized
  /// (`1 + (2 * 3)`), so the text shows how the parser grouped it and parses back to the
  /// same tree.
  public var description: String { text(nested: false) }

  private func text(nested: Bool) -> String {
    switch self {
    case .int(let value, _): return String(value)
    case .number(let value, _): return Value.number(value).description
    case .string(let text, _): return Escaping.quoted(text)
    case .bool(let value, _): return value ? "true" : "false"
    case .identifier(let identifier): return identifier.name
    case .list(let items, _): return "[" + items.map { $0.text(nested: false) }.joined(separator: ", ") + "]"
    case .call(let name, let arguments, _):
      return name.name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    case .pipeline(let steps, _):
      let body = steps.map { $0.text(nested: true) }.joined(separator: " | ")
      return nested ? "(\(body))" : body
    case .unaryMinus(let operand, _):
      return "-" + operand.text(nested: true)
    case .binary(let op, let lhs, let rhs, _):
      let body = "\(lhs.text(nested: true)) \(op.rawValue) \(rhs.text(nested: true))"
      return nested ? "(\(body))" : body
    }
  }
}

extension Argument: CustomStringConvertible {
  /// `label=value` or `value`.
  public var description: String {
    if let label { return "\(label.name)=\(value)" }
    return value.description
  }
}

extension Statement: CustomStringConvertible {
  /// The statement as canonical one-line source text.
  public var description: String {
    switch kind {
    case .set(let name, let value):
      return "set \(name.name) = \(value)"
    case .command(let name, let arguments):
      // A positional that starts with '-' would read as subtraction from the argument before
      // it (`print a -1` is `a - 1`), so it is parenthesized after the first argument.
      let texts = arguments.enumerated().map { index, argument in
        let text = argument.description
        return index > 0 && argument.label == nil && text.hasPrefix("-") ? "(\(text))" : text
      }
      return ([name.name] + texts).joined(separator: " ")
    }
  }
}
