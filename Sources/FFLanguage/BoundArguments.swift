/// A command's (or transform step's) arguments after binding: every parameter by name, with
/// defaults applied, values converted to the parameter's type (`lr=1` is the number 1.0), and
/// where each was written so the interpreter can point at it in a runtime error.
///
/// The typed accessors (`int`, `number`, ...) are for parameters the spec gives a default or
/// marks required: binding guarantees those are present with the right type, so a failing
/// accessor is a bug in the command table, reported with a precondition naming it. Use the
/// `optional...` forms for parameters that may be absent.
public struct BoundArguments: Sendable, Hashable {
  /// The command or step name.
  public var command: String
  /// Parameter name -> value, defaults included.
  public var values: [String: Value]
  /// The parameters the user wrote (by position or by name).
  public var explicit: Set<String>
  /// Extra positionals of a command that takes any number (`print`).
  public var rest: [Value]
  /// The bound transform steps, for a command with a pipeline parameter (`transform`).
  public var steps: [BoundArguments]
  /// Where each explicit argument's value was written.
  public var ranges: [String: SourceRange]
  /// The whole statement (or step).
  public var range: SourceRange

  public init(command: String, range: SourceRange) {
    self.command = command
    self.values = [:]
    self.explicit = []
    self.rest = []
    self.steps = []
    self.ranges = [:]
    self.range = range
  }

  /// Whether the user gave this argument (as opposed to its default applying).
  public func has(_ name: String) -> Bool { explicit.contains(name) }

  public func value(_ name: String) -> Value? { values[name] }

  /// Where the argument was written, or the whole statement for a default.
  public func range(of name: String) -> SourceRange { ranges[name] ?? range }

  public func optionalInt(_ name: String) -> Int? { values[name]?.intValue }
  public func optionalNumber(_ name: String) -> Double? { values[name]?.doubleValue }
  public func optionalBool(_ name: String) -> Bool? { values[name]?.boolValue }
  /// A string's text.
  public func optionalString(_ name: String) -> String? {
    if case .string(let text)? = values[name] { return text }
    return nil
  }
  /// A word's (or string's) text.
  public func optionalWord(_ name: String) -> String? { values[name]?.textValue }
  public func optionalList(_ name: String) -> [Value]? { values[name]?.listValue }

  public func int(_ name: String) -> Int { required(name, optionalInt(name), "an int") }
  public func number(_ name: String) -> Double { required(name, optionalNumber(name), "a number") }
  public func bool(_ name: String) -> Bool { required(name, optionalBool(name), "a bool") }
  public func string(_ name: String) -> String { required(name, optionalString(name), "a string") }
  public func word(_ name: String) -> String { required(name, optionalWord(name), "a word") }
  public func list(_ name: String) -> [Value] { required(name, optionalList(name), "a list") }
  /// A list of ints (`build dims`).
  public func intList(_ name: String) -> [Int] {
    required(name, optionalList(name).map { $0.compactMap(\.intValue) }, "a list of ints")
  }

  private func required<T>(_ name: String, _ value: T?, _ kind: String) -> T {
    guard let value else {
      preconditionFailure(
        "argument '\(name)' of '\(command)' is \(values[name].map { "the \($0.kindName) \($0)" } ?? "missing"), not \(kind): the command table must make it required or give it a default")
    }
    return value
  }
}
