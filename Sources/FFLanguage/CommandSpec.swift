/// One parameter of a command or transform step: its name, type, default and help text.
public struct ParameterSpec: Sendable, Hashable {
  public var name: String
  public var type: ValueType
  /// Applied when the argument is not given. Nil for required parameters and for optional
  /// ones whose absence means something (`learn layer=` absent: all layers).
  public var defaultValue: Value?
  public var isRequired: Bool
  public var doc: String
  /// What absence means when there is no default value ("all layers"), for help text.
  public var absentMeaning: String?
  /// The smallest allowed int/number (also applied to list elements).
  public var minimum: Double?
  /// Whether `minimum` itself is allowed (`epochs >= 1`) or not (`std > 0`).
  public var minimumIsInclusive: Bool
  /// The largest allowed int/number (also applied to list elements): what the runtime can
  /// hold (`build epochs=` fits a model file's field).
  public var maximum: Double?
  /// Whether `maximum` itself is allowed (`shift <= 8`) or not (`momentum < 1`).
  public var maximumIsInclusive: Bool
  /// The number is used as a float32 (the model's hyperparameters): it must not overflow, a
  /// non-zero value must not become 0, and the bounds apply to the float32 value.
  public var isFloat32: Bool
  /// A list's entries must increase, each listed once (`build head=[2, 3]`).
  public var isStrictlyIncreasing: Bool
  /// The fewest elements a list may have.
  public var minimumCount: Int?
  /// The value names a data set loaded earlier (`learn data=train`); the checker verifies it.
  public var isDatasetName: Bool
  /// For a positional that can be one of several parameters (the second word of `load`:
  /// a split or a model path): the value goes to the first alternative whose type accepts it.
  /// Each alternative can also be given by its own name.
  public var alternatives: [ParameterSpec]
  /// A bare name here is taken as written, never as a variable (`help lr`).
  public var isBareWord: Bool

  public init(
    _ name: String, _ type: ValueType, default defaultValue: Value? = nil, required isRequired: Bool = false,
    doc: String, absent absentMeaning: String? = nil, minimum: Double? = nil, inclusive: Bool = true,
    maximum: Double? = nil, maximumInclusive: Bool = true, float32 isFloat32: Bool = false, increasing: Bool = false,
    minimumCount: Int? = nil, dataset isDatasetName: Bool = false, alternatives: [ParameterSpec] = [],
    bare isBareWord: Bool = false
  ) {
    self.isBareWord = isBareWord
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.isRequired = isRequired
    self.doc = doc
    self.absentMeaning = absentMeaning
    self.minimum = minimum
    self.minimumIsInclusive = inclusive
    self.maximum = maximum
    self.maximumIsInclusive = maximumInclusive
    self.isFloat32 = isFloat32
    self.isStrictlyIncreasing = increasing
    self.minimumCount = minimumCount
    self.isDatasetName = isDatasetName
    self.alternatives = alternatives
  }

  /// The names this parameter answers to: its own, or those of its alternatives.
  var names: [String] { alternatives.isEmpty ? [name] : alternatives.map(\.name) }
}

/// The schema of a command: what `help` prints, what `ffnb check` verifies and what the
/// binder maps arguments onto. One table (`CommandSpec.builtins`) serves all three, so the
/// help text can never disagree with what is accepted.
public struct CommandSpec: Sendable, Hashable {
  public var name: String
  public var summary: String
  /// Positional parameters in order; each can also be given by name (`build dims=[...]`).
  public var positionals: [ParameterSpec]
  /// Parameters given only by name.
  public var named: [ParameterSpec]
  /// Takes any number of further positionals (`print a b c`).
  public var rest: ParameterSpec?
  public var examples: [String]
  /// A usage line written by hand, for forms the parameter list cannot express (`set`).
  public var syntax: String?

  public init(
    name: String, summary: String, positionals: [ParameterSpec] = [], named: [ParameterSpec] = [],
    rest: ParameterSpec? = nil, examples: [String] = [], syntax: String? = nil
  ) {
    self.syntax = syntax
    self.name = name
    self.summary = summary
    self.positionals = positionals
    self.named = named
    self.rest = rest
    self.examples = examples
  }

  /// Every parameter that can be given by name, alternatives expanded, in declaration order.
  public var allParameters: [ParameterSpec] {
    positionals.flatMap { $0.alternatives.isEmpty ? [$0] : $0.alternatives } + named
  }

  /// The names accepted as `name=value`.
  public var parameterNames: [String] { allParameters.map(\.name) }

  public func parameter(named name: String) -> ParameterSpec? {
    allParameters.first { $0.name == name }
  }

  /// `load <dataset> [split|path] [batch=int] [shuffle=bool] ...`
  public var usage: String {
    if let syntax { return syntax }
    var parts = [name]
    for positional in positionals {
      let label = positional.alternatives.isEmpty ? positional.name : positional.names.joined(separator: "|")
      parts.append(positional.isRequired ? "<\(label)>" : "[\(label)]")
    }
    if let rest { parts.append("[\(rest.name)...]") }
    for parameter in named { parts.append("[\(parameter.name)=\(parameter.type.shortName)]") }
    return parts.joined(separator: " ")
  }

  /// The text `help <command>` prints: summary, usage, each parameter with its type and
  /// default, and examples.
  public var helpText: String {
    var lines = ["\(name): \(summary)", "usage: \(usage)"]
    let parameters = allParameters + (rest.map { [$0] } ?? [])
    if !parameters.isEmpty {
      lines.append("arguments:")
      let width = parameters.map(\.name.count).max() ?? 0
      for parameter in parameters {
        var detail = parameter.type.shortName
        if let value = parameter.defaultValue {
          detail += ", default \(value)"
        } else if let absent = parameter.absentMeaning {
          detail += ", default: \(absent)"
        } else if parameter.isRequired {
          detail += ", required"
        }
        let padded = parameter.name.padding(toLength: width, withPad: " ", startingAt: 0)
        lines.append("  \(padded)  \(parameter.doc) (\(detail))")
      }
    }
    if !examples.isEmpty {
      lines.append("examples:")
      lines += examples.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }

  /// A built-in command by name.
  public static func builtin(named name: String) -> CommandSpec? {
    builtins.first { $0.name == name }
  }

  /// A transform step by name.
  public static func transformStep(named name: String) -> CommandSpec? {
    transformSteps.first { $0.name == name }
  }

  /// What `help <topic>` accepts: the commands, `set`, and the transform steps.
  public static var helpTopics: [String] {
    builtins.map(\.name) + [assignment.name] + transformSteps.map(\.name)
  }

  /// The help entry for a topic, or nil.
  public static func help(topic: String) -> CommandSpec? {
    if topic == assignment.name { return assignment }
    return builtin(named: topic) ?? transformStep(named: topic)
  }
}

extension String {
  fileprivate func padding(toLength length: Int, withPad pad: String, startingAt: Int) -> String {
    count >= length ? self : self + String(repeating: pad, count: length - count)
  }
}
