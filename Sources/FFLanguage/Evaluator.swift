/// Evaluates expressions to values. Pure: no side effects, so `ffnb check` can evaluate `set`
/// statements ahead of a run and report `1 / 0` before any training starts.
///
/// Names: a bare identifier is
/// 1. the word itself if the expected type lists it as a choice (`negatives=random` means the
///    choice even if a variable `random` exists);
/// 2. otherwise the variable's value if one is defined;
/// 3. otherwise the word itself if the expected type takes words (a dataset name, a step);
/// 4. otherwise an error: "undefined variable 'lrr'; did you mean 'lr'?".
///
/// Arithmetic: `+ - * /` on ints and numbers. Int op int stays an int (overflow is an error),
/// except `/` which always gives a number; division by zero and results too large for a
/// Double are errors. `+` also joins two strings (`"plots/" + name + ".svg"`).
public struct Evaluator: Sendable {
  public var environment: Environment
  /// Every undefined name is a word (for `-p name=value`, where there are no variables).
  public var bareWords = false

  public init(environment: Environment) {
    self.environment = environment
  }

  /// Evaluates `expr` in `env`; `expecting` (the parameter's type, or nil) decides what bare
  /// names mean.
  public static func evaluate(_ expr: Expr, in env: Environment, expecting: ValueType?) throws(Diagnostic) -> Value {
    try Evaluator(environment: env).evaluate(expr, expecting: expecting)
  }

  /// The recursion is bounded by the parser's depth limit.
  public func evaluate(_ expr: Expr, expecting: ValueType?) throws(Diagnostic) -> Value {
    switch expr {
    case .int(let value, _): return .int(value)
    case .number(let value, _): return .number(value)
    case .string(let text, _): return .string(text)
    case .bool(let value, _): return .bool(value)
    case .identifier(let identifier):
      return try resolve(identifier, expecting: expecting)
    case .list(let items, _):
      let element = expecting?.elementType
      var values: [Value] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try evaluate(item, expecting: element)) }
      return .list(values)
    case .call(let name, let arguments, _):
      var values: [CallArgument] = []
      let spec = CommandSpec.transformStep(named: name.name)
      for (index, argument) in arguments.enumerated() {
        let parameter =
          argument.label.flatMap { label in spec?.parameter(named: label.name) }
          ?? (argument.label == nil ? spec?.positionals[safe: index] : nil)
        values.append(
          CallArgument(label: argument.label?.name, value: try evaluate(argument.value, expecting: parameter?.type)))
      }
      return .call(name: name.name, arguments: values)
    case .pipeline(let steps, _):
      var values: [Value] = []
      for step in steps {
        let value = try evaluate(step, expecting: .pipeline)
        if case .pipeline(let inner) = value { values.append(contentsOf: inner) } else { values.append(value) }
      }
      return .pipeline(values)
    case .unaryMinus(let operand, let range):
      let value = try evaluate(operand, expecting: nil)
      switch value {
      case .int(let n):
        let (negated, overflow) = (0 as Int).subtractingReportingOverflow(n)
        if overflow { throw .error("integer overflow in -(\(n))", at: range) }
        return .int(negated)
      case .number(let x): return .number(-x)
      default: throw .error("cannot negate \(value.summary)", at: range)
      }
    case .binary(let op, let lhs, let rhs, let range):
      let left = try evaluate(lhs, expecting: nil)
      let right = try evaluate(rhs, expecting: nil)
      return try Self.apply(op, left, right, at: range)
    }
  }

  private func resolve(_ identifier: Identifier, expecting: ValueType?) throws(Diagnostic) -> Value {
    let name = identifier.name
    if let expecting, expecting.choiceWords.contains(name) { return .word(name) }
    if let value = environment[name] { return value }
    if bareWords || expecting?.acceptsBareWords == true { return .word(name) }
    let suggestion = Suggestions.closest(to: name, in: environment.names)
    throw .error(
      "undefined variable '\(Escaping.truncated(name))'\(Suggestions.didYouMean(suggestion))",
      at: identifier.range, suggestion: suggestion)
  }

  static func apply(_ op: BinaryOperator, _ left: Value, _ right: Value, at range: SourceRange) throws(Diagnostic) -> Value {
    switch (left, right) {
    case (.int(let a), .int(let b)):
      let result: (partialValue: Int, overflow: Bool)
      switch op {
      case .add: result = a.addingReportingOverflow(b)
      case .subtract: result = a.subtractingReportingOverflow(b)
      case .multiply: result = a.multipliedReportingOverflow(by: b)
      case .divide: return try applyDouble(op, Double(a), Double(b), left, right, at: range)
      }
      if result.overflow {
        throw .error("integer overflow in \(a) \(op.rawValue) \(b)", at: range)
      }
      return .int(result.partialValue)
    case (.string(let a), .string(let b)) where op == .add:
      return .string(a + b)
    default:
      guard let a = left.doubleValue, let b = right.doubleValue else {
        let verb = op == .add ? "'+' needs two numbers or two strings" : "'\(op.rawValue)' needs numbers"
        throw .error("\(verb), got \(left.summary) and \(right.summary)", at: range)
      }
      return try applyDouble(op, a, b, left, right, at: range)
    }
  }

  private static func applyDouble(
    _ op: BinaryOperator, _ a: Double, _ b: Double, _ left: Value, _ right: Value, at range: SourceRange
  ) throws(Diagnostic) -> Value {
    let result: Double
    switch op {
    case .add: result = a + b
    case .subtract: result = a - b
    case .multiply: result = a * b
    case .divide:
      if b == 0 { throw .error("division by zero in \(left) / \(right)", at: range) }
      result = a / b
    }
    guard result.isFinite else {
      throw .error("number overflow in \(left) \(op.rawValue) \(right)", at: range)
    }
    return .number(result)
  }
}

extension Array {
  subscript(safe index: Int) -> Element? {
    index >= 0 && index < count ? self[index] : nil
  }
}
