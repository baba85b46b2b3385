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
  /// values are cut, and only the part shown is ever written out, so a message about a value
  /// of a million elements costs as little as one about `3`.
  public var summary: String {
    let (text, complete) = description(limit: 60)
    return "\(kindName) \(text)\(complete ? "" : "…")"
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
    var text = ValueText(limit: nil)
    write(to: &text)
    return text.text
  }

  /// The first `limit` scalars of `description`, and whether that is all of it. Stops as soon
  /// as the limit is reached.
  public func description(limit: Int) -> (text: String, complete: Bool) {
    var text = ValueText(limit: limit)
    write(to: &text)
    return (text.text, !text.isFull)
  }

  /// Writes the description; returns early once `text` is full. Recursion is bounded by
  /// `ValueLimits.maximumDepth`.
  func write(to text: inout ValueText) {
    switch self {
    case .int(let value): text.append(String(value))
    case .number(let value): text.append(Self.format(value))
    case .bool(let value): text.append(value ? "true" : "false")
    case .string(let string): text.appendQuoted(string)
    case .word(let word): text.append(word)
    case .list(let items):
      text.append("[")
      for (i, item) in items.enumerated() {
        if text.isFull { return }
        if i > 0 { text.append(", ") }
        item.write(to: &text)
      }
      text.append("]")
    case .call(let name, let arguments):
      text.append(name + "(")
      for (i, argument) in arguments.enumerated() {
        if text.isFull { return }
        if i > 0 { text.append(", ") }
        if let label = argument.label { text.append(label + "=") }
        argument.value.write(to: &text)
      }
      text.append(")")
    case .pipeline(let steps):
      for (i, step) in steps.enumerated() {
        if text.isFull { return }
        if i > 0 { text.append(" | ") }
        step.write(to: &text)
      }
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

/// Text being written out for a value, up to an optional limit in Unicode scalars.
struct ValueText {
  let limit: Int?
  private(set) var text = ""
  private var count = 0
  /// Set once more than `limit` scalars were offered: what is kept is the first `limit`.
  private(set) var isFull = false

  init(limit: Int?) { self.limit = limit }

  mutating func append(_ piece: String) {
    guard let limit else { return text += piece }
    for scalar in piece.unicodeScalars {
      if !appendScalar(scalar, limit: limit) { return }
    }
  }

  /// A string literal in command-language syntax, as `Escaping.quoted` writes it.
  mutating func appendQuoted(_ string: String) {
    guard limit != nil else { return text += Escaping.quoted(string) }
    append("\"")
    for scalar in string.unicodeScalars {
      if isFull { return }
      switch scalar {
      case "\"": append("\\\"")
      case "\\": append("\\\\")
      case "\n": append("\\n")
      case "\t": append("\\t")
      default: append(String(scalar))
      }
    }
    append("\"")
  }

  private mutating func appendScalar(_ scalar: Unicode.Scalar, limit: Int) -> Bool {
    if count >= limit {
      isFull = true
      return false
    }
    text.unicodeScalars.append(scalar)
    count += 1
    return true
  }
}
