/// The type a command parameter expects; drives evaluation of bare words, coercion and the
/// checker's messages.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
  case int
  /// A number; ints are accepted and converted.
  case number
  case bool
  case string
  /// A bare word; with `choices`, one of them (an empty list accepts any word). A string
  /// value is accepted too (`set which = "test"` then `predict which`).
  case word(choices: [String])
  case list(ValueType)
  /// Transform steps: a `|` pipeline, or one step (a word or a call).
  case pipeline
  case any
  /// The first alternative that accepts the value.
  case oneOf([ValueType])

  /// "an int", "a list of ints", "one of random, wrong": as messages say it.
  public var description: String {
    switch self {
    case .int: "an int"
    case .number: "a number"
    case .bool: "true or false"
    case .string: "a string"
    case .word(let choices): choices.isEmpty ? "a name" : "one of \(choices.joined(separator: ", "))"
    case .list(let element): "a list of \(element.pluralName)"
    case .pipeline: "transform steps"
    case .any: "any value"
    case .oneOf(let types): types.map(\.description).joined(separator: " or ")
    }
  }

  private var pluralName: String {
    switch self {
    case .int: "ints"
    case .number: "numbers"
    case .bool: "bools"
    case .string: "strings"
    case .word(let choices): choices.isEmpty ? "names" : "names (\(choices.joined(separator: ", ")))"
    case .list(let element): "lists of \(element.pluralName)"
    case .pipeline: "pipelines"
    case .any: "values"
    case .oneOf: "values (\(description))"
    }
  }

  /// A short form for usage lines: `int`, `number`, `random|wrong`, `list of int`.
  public var shortName: String {
    switch self {
    case .int: "int"
    case .number: "number"
    case .bool: "bool"
    case .string: "string"
    case .word(let choices): choices.isEmpty ? "name" : choices.joined(separator: "|")
    case .list(let element): "[\(element.shortName), ...]"
    case .pipeline: "step | step ..."
    case .any: "value"
    case .oneOf(let types): types.map(\.shortName).joined(separator: " | ")
    }
  }

  /// The value converted to this type (`3` -> `3.0` for a number, a word -> a one-step
  /// pipeline), or nil if it does not fit.
  public func coerce(_ value: Value) -> Value? {
    switch (self, value) {
    case (.any, _): return value
    case (.int, .int): return value
    case (.number, .number): return value
    case (.number, .int(let n)): return .number(Double(n))
    case (.bool, .bool): return value
    case (.string, .string): return value
    case (.word(let choices), .word(let text)), (.word(let choices), .string(let text)):
      return choices.isEmpty || choices.contains(text) ? .word(text) : nil
    case (.list(let element), .list(let items)):
      var converted: [Value] = []
      converted.reserveCapacity(items.count)
      for item in items {
        guard let value = element.coerce(item) else { return nil }
        converted.append(value)
      }
      return .list(converted)
    case (.pipeline, .pipeline): return value
    case (.pipeline, .word), (.pipeline, .call): return .pipeline([value])
    case (.oneOf(let types), _):
      for type in types {
        if let converted = type.coerce(value) { return converted }
      }
      return nil
    default:
      return nil
    }
  }

  /// The words that, written bare, mean themselves here even if a variable has that name.
  var choiceWords: [String] {
    switch self {
    case .word(let choices): choices
    case .pipeline: CommandSpec.transformSteps.map(\.name)
    case .oneOf(let types): types.flatMap(\.choiceWords)
    default: []
    }
  }

  /// Whether a bare name that is not a variable is taken as a word here.
  var acceptsBareWords: Bool {
    switch self {
    case .word, .pipeline: true
    case .oneOf(let types): types.contains { $0.acceptsBareWords }
    default: false
    }
  }

  /// What list elements are expected to be.
  var elementType: ValueType? {
    switch self {
    case .list(let element): element
    case .any: .any
    case .oneOf(let types):
      types.lazy.compactMap { type -> ValueType? in
        if case .list(let element) = type { return element }
        return nil
      }.first
    default: nil
    }
  }
}
