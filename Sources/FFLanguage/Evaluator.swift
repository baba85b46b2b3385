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
    try measured(expr, expecting: expecting).value
  }

  /// Evaluates `expr` and measures the result on the way up, so every list, call, pipeline
  /// and string join is checked against `ValueLimits` where it is written, in constant time
  /// per node (a variable's measure comes from the environment, not from walking it).
  private func measured(_ expr: Expr, expecting: ValueType?) throws(Diagnostic) -> (value: Value, measure: ValueMeasure) {
    switch expr {
    case .int(let value, _): return (.int(value), ValueMeasure())
    case .number(let value, _): return (.number(value), ValueMeasure())
    case .string(let text, _): return (.string(text), ValueMeasure(textBytes: text.utf8.count))
    case .bool(let value, _): return (.bool(value), ValueMeasure())
    case .identifier(let identifier):
      let value = try resolve(identifier, expecting: expecting)
      let isChoice = expecting?.choiceWords.contains(identifier.name) == true
      if !isChoice, let measure = environment.measure(of: identifier.name) { return (value, measure) }
      return (value, value.measure)  // a word
    case .list(let items, let range):
      let element = expecting?.elementType
      var values: [Value] = []
      values.reserveCapacity(items.count)
      var children = ValueMeasure.Children()
      for item in items {
        let (value, measure) = try measured(item, expecting: element)
        children.add(measure)
        try Self.checkLimits(children.node, "this list", at: range)
        values.append(value)
      }
      return (.list(values), children.node)
    case .call(let name, let arguments, let range):
      var values: [CallArgument] = []
      var children = ValueMeasure.Children()
      children.addText(name.name.utf8.count)
      let spec = CommandSpec.transformStep(named: name.name)
      for (index, argument) in arguments.enumerated() {
        let parameter =
          argument.label.flatMap { label in spec?.parameter(named: label.name) }
          ?? (argument.label == nil ? spec?.positionals[safe: index] : nil)
        let (value, measure) = try measured(argument.value, expecting: parameter?.type)
        children.add(measure)
        children.addText(argument.label?.name.utf8.count ?? 0)
        try Self.checkLimits(children.node, "this call", at: range)
        values.append(CallArgument(label: argument.label?.name, value: value))
      }
      return (.call(name: name.name, arguments: values), children.node)
    case .pipeline(let steps, let range):
      var values: [Value] = []
      var children = ValueMeasure.Children()
      for step in steps {
        let (value, measure) = try measured(step, expecting: .pipeline)
        if case .pipeline(let inner) = value {
          children.addSpliced(measure)
          try Self.checkLimits(children.node, "this pipeline", at: range)
          values.append(contentsOf: inner)
        } else {
          children.add(measure)
          try Self.checkLimits(children.node, "this pipeline", at: range)
          values.append(value)
        }
      }
      return (.pipeline(values), children.node)
    case .unaryMinus(let operand, let range):
      let value = try measured(operand, expecting: nil).value
      switch value {
      case .int(let n):
        let (negated, overflow) = (0 as Int).subtractingReportingOverflow(n)
        if overflow { throw .error("integer overflow in -(\(n))", at: range) }
        return (.int(negated), ValueMeasure())
      case .number(let x): return (.number(-x), ValueMeasure())
      default: throw .error("cannot negate \(value.summary)", at: range)
      }
    case .binary(let op, let lhs, let rhs, let range):
      let left = try measured(lhs, expecting: nil)
      let right = try measured(rhs, expecting: nil)
      if op == .add, case .string = left.value, case .string = right.value {
        // Checked before joining: the joined string is never built when it is too long.
        let joined = ValueMeasure(textBytes: ValueMeasure.Children.saturatingSum(left.measure.textBytes, right.measure.textBytes))
        try Self.checkLimits(joined, "this string", at: range)
      }
      let value = try Self.apply(op, left.value, right.value, at: range)
      return (value, ValueMeasure.scalar(value))
    }
  }

  /// Throws at `range` when a value of measure `measure` would pass a limit.
  private static func checkLimits(_ measure: ValueMeasure, _ what: String, at range: SourceRange) throws(Diagnostic) {
    if let problem = measure.problem(what) { throw .error(problem, at: range) }
  }

  private func resolve(_ identifier: Identifier, expecting: ValueType?) throws(Diagnostic) -> Value {
    let name = identifier.name
    if let expecting, expecting.choiceWords.contains(name) { return .word(name) }
    if let value = environment[name] { return value }
    if bareWords || expecting?.acceptsBareWords == true { return .word(name) }
    // Sorted only when there are few enough names to look among.
    let suggestion =
      environment.variables.count <= Suggestions.maximumCandidates
      ? Suggestions.closest(to: name, in: environment.names) : nil
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
    // A product or quotient of non-zero numbers that rounds to 0 lost every digit, as the
    // literal 1e-400 would; sums and differences that give 0 are exact.
    if result == 0, a != 0, op == .multiply ? b != 0 : op == .divide {
      throw .error("number underflow in \(left) \(op.rawValue) \(right): the result is too small and would be 0", at: range)
    }
    return .number(result)
  }
}

extension Array {
  subscript(safe index: Int) -> Element? {
    index >= 0 && index < count ? self[index] : nil
  }
}
