/// A runtime value of the command language.
public enum Value: Sendable, Hashable {
  case int(Int)
  case number(Double)
  case bool(Bool)
  case string(String)
  /// A bare name used as a value: a choice (`wrong`), a dataset (`mnist`), a transform step
  /// (`flatten`).
  case word(String)
  case list([Value])
  /// A call such as `normalize(mean=0.1, std=0.1)`: a transform step with its arguments,
  /// evaluated but not applied (the interpreter applies it).
  case call(name: String, arguments: [CallArgument])
  /// Transform steps joined by `|`, flattened (a pipeline inside a pipeline is spliced in).
  case pipeline([Value])

  /// What kind of value this is, as messages say it: `int`, `number`, `bool`, `string`,
  /// `word`, `list`, `call`, `pipeline`.
  public var kindName: String {
    switch self {
    case .int: "int"
    case .number: "number"
    case .bool: "bool"
    case .string: "string"
    case .word: "word"
    case .list: "list"
    case .call: "call"
    case .pipeline: "pipeline"
    }
  }

  /// `int 3`, `string "ten"`: the kind and the value, for "expects X, got Y" messages. Long
  /// values are cut.
  public var summary: String {
    let text = description
    let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
    return "\(kindName) \(shown)"
  }

  public var intValue: Int? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// The value as a Double: numbers, and ints converted.
  public var doubleValue: Double? {
    switch self {
    case .number(let value): value
    case .int(let value): Double(value)
    default: nil
    }
  }

  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The text of a string or a word.
  public var textValue: String? {
    switch self {
    case .string(let text), .word(let text): text
    default: nil
    }
  }

  public var listValue: [Value]? {
    if case .list(let items) = self { return items }
    return nil
  }
}

/// One argument of a call value: `mean=0.1` or a positional `0.1`.
public struct CallArgument: Sendable, Hashable, CustomStringConvertible {
  public var label: String?
  public var value: Value

  public init(label: String? = nil, value: Value) {
    self.label = label
    self.value = value
  }

  public var description: String {
    if let label { return "\(label)=\(value)" }
    return value.description
  }
}

extension Value: CustomStringConvertible {
  /// The value as command-language source: `0.15`, `[784, 1000]`, `"x"`, `wrong`,
  /// `normalize(mean=0.1, std=0.1)`, `to-tensor | flatten`. Parsing and evaluating the text
  /// gives the value back (words evaluate to themselves where a word is expected).
  public var description: String {
    switch self {
    case .int(let value): return String(value)
    case .number(let value): return Self.format(value)
    case .bool(let value): return value ? "true" : "false"
    case .string(let text): return Escaping.quoted(text)
    case .word(let word): return word
    case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .call(let name, let arguments):
      return name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    case .pipeline(let steps): return steps.map(\.description).joined(separator: " | ")
    }
  }

  /// Shortest text that reads back as the same Double, always with a `.` or exponent so it
  /// reads back as a number, not an int: `0.15`, `2.0`, `1e-05`.
  static func format(_ value: Double) -> String {
    let text = value.description
    if text.contains(".") || text.contains("e") || !value.isFinite { return text }
    return text + ".0"
  }
}
