/// Maps a command's written arguments onto its `CommandSpec`: positionals to their names,
/// named arguments checked against the table, every value evaluated against its parameter's
/// type, defaults applied. `ffnb check` and the interpreter share it, so what check accepts
/// is exactly what a run accepts.
public enum Binder {
  /// Binds a command statement to `spec` in `env`.
  ///
  /// - Throws: the first problem, as a `Diagnostic` pointing at the argument.
  public static func bind(_ statement: Statement, spec: CommandSpec, env: Environment) throws(Diagnostic) -> BoundArguments {
    let (arguments, diagnostics) = diagnose(statement, spec: spec, env: env)
    if let first = diagnostics.first(where: \.isError) { throw first }
    return arguments
  }

  /// Binds a command statement to the built-in command it names.
  ///
  /// - Throws: "unknown command 'lern'; did you mean 'learn'?", or a binding problem.
  public static func bind(_ statement: Statement, env: Environment) throws(Diagnostic) -> BoundArguments {
    guard case .command(let name, _) = statement.kind else {
      throw .error("'set' is a statement, not a command", at: statement.range)
    }
    return try bind(statement, spec: try command(named: name), env: env)
  }

  /// The built-in command `name` names.
  ///
  /// - Throws: "unknown command 'lern'; did you mean 'learn'?"
  public static func command(named name: Identifier) throws(Diagnostic) -> CommandSpec {
    if let spec = CommandSpec.builtin(named: name.name) { return spec }
    let suggestion = Suggestions.closest(to: name.name, in: CommandSpec.builtins.map(\.name) + ["set"])
    var message = "unknown command '\(Escaping.truncated(name.name))'\(Suggestions.didYouMean(suggestion))"
    if suggestion == nil { message += " (try 'help' for the list)" }
    throw .error(message, at: name.range, suggestion: suggestion)
  }

  /// Binds the steps of a pipeline value (`transform`'s argument) to the transform step table.
  /// `range` is where the pipeline was written.
  public static func steps(of value: Value, at range: SourceRange) throws(Diagnostic) -> [BoundArguments] {
    var diagnostics: [Diagnostic] = []
    let steps = bindSteps(value, expr: nil, range: range, diagnostics: &diagnostics)
    if let first = diagnostics.first { throw first }
    return steps
  }

  /// Every problem with the statement, and the arguments bound as far as they could be.
  /// Arguments that read a name in `unknownNames` (variables whose value cannot be known
  /// before running) are accepted without a type check.
  static func diagnose(
    _ statement: Statement, spec: CommandSpec, env: Environment, unknownNames: Set<String> = []
  ) -> (BoundArguments, [Diagnostic]) {
    guard case .command(let name, let arguments) = statement.kind else {
      return (BoundArguments(command: "set", range: statement.range), [])
    }
    var binding = Binding(
      spec: spec, kind: "command", evaluator: Evaluator(environment: env), unknownNames: unknownNames,
      result: BoundArguments(command: spec.name, range: statement.range))
    let inputs = arguments.map { Binding.Input(label: $0.label, expr: $0.value, value: nil, range: $0.value.range) }
    binding.bind(inputs, nameRange: name.range)
    return (binding.result, binding.diagnostics)
  }

  static func bindSteps(_ value: Value, expr: Expr?, range: SourceRange, diagnostics: inout [Diagnostic]) -> [BoundArguments] {
    guard case .pipeline(let steps) = value else {
      diagnostics.append(.error("expected transform steps, got \(value.summary)", at: range))
      return []
    }
    // When the source is a literal pipeline (not a variable), point at each step.
    var stepExprs: [Expr]? = nil
    switch expr {
    case .pipeline(let items, _)? where items.count == steps.count: stepExprs = items
    case let single? where steps.count == 1: stepExprs = [single]
    default: break
    }
    let names = CommandSpec.transformSteps.map(\.name)
    var bound: [BoundArguments] = []
    for (index, step) in steps.enumerated() {
      let stepExpr = stepExprs?[index]
      let stepRange = stepExpr?.range ?? range
      let name: String
      let arguments: [CallArgument]
      switch step {
      case .word(let word): (name, arguments) = (word, [])
      case .call(let callee, let callArguments): (name, arguments) = (callee, callArguments)
      default:
        diagnostics.append(
          .error(
            "a transform step is a name or a call such as normalize(mean=0.1, std=0.1); got \(step.summary)",
            at: stepRange))
        continue
      }
      var nameRange = stepRange
      var argumentExprs: [Argument]? = nil
      if case .call(let callee, let exprs, _)? = stepExpr {
        nameRange = callee.range
        if exprs.count == arguments.count { argumentExprs = exprs }
      }
      guard let spec = CommandSpec.transformStep(named: name) else {
        let suggestion = Suggestions.closest(to: name, in: names)
        diagnostics.append(
          .error(
            "unknown transform step '\(Escaping.truncated(name))'\(Suggestions.didYouMean(suggestion)) (steps: \(names.joined(separator: ", ")))",
            at: nameRange, suggestion: suggestion))
        continue
      }
      var binding = Binding(
        spec: spec, kind: "step", evaluator: Evaluator(environment: Environment()), unknownNames: [],
        result: BoundArguments(command: name, range: stepRange))
      let inputs = arguments.enumerated().map { offset, argument in
        let argumentExpr = argumentExprs?[offset]
        let label = argument.label.map { Identifier($0, range: argumentExpr?.label?.range ?? stepRange) }
        return Binding.Input(label: label, expr: nil, value: argument.value, range: argumentExpr?.value.range ?? stepRange)
      }
      binding.bind(inputs, nameRange: nameRange)
      diagnostics += binding.diagnostics
      bound.append(binding.result)
    }
    return bound
  }
}
