/// The binding of one argument list to one spec, collecting every problem (the checker
/// reports them all; `Binder.bind` throws the first).
struct Binding {
  struct Input {
    var label: Identifier?
    /// The written expression (commands), evaluated against the parameter's type...
    var expr: Expr?
    /// ...or an already evaluated value (the arguments of a step call).
    var value: Value?
    var range: SourceRange
  }

  let spec: CommandSpec
  /// "command" or "step", for messages.
  let kind: String
  let evaluator: Evaluator
  let unknownNames: Set<String>
  var result: BoundArguments
  var diagnostics: [Diagnostic] = []
  /// Parameters given by position, to explain a duplicate.
  var byPosition: Set<String> = []

  mutating func bind(_ inputs: [Input], nameRange: SourceRange) {
    let positionalCount = inputs.filter { $0.label == nil }.count
    var nextPositional = 0
    var reportedTooMany = false
    for input in inputs {
      if let label = input.label {
        guard let parameter = spec.parameter(named: label.name) else {
          reportUnknown(label)
          continue
        }
        if result.explicit.contains(parameter.name) {
          let how = byPosition.contains(parameter.name) ? " (given by position and by name)" : ""
          diagnostics.append(.error("duplicate argument '\(parameter.name)'\(how)", at: label.range.union(input.range)))
          continue
        }
        assign(input, to: parameter)
      } else if nextPositional < spec.positionals.count {
        let parameter = spec.positionals[nextPositional]
        nextPositional += 1
        assign(input, to: parameter)
        byPosition.formUnion(parameter.names)
      } else if spec.rest != nil {
        if let value = evaluate(input, type: .any) { result.rest.append(value) }
      } else if !reportedTooMany {
        reportedTooMany = true
        diagnostics.append(.error(tooManyMessage(given: positionalCount), at: input.range))
      }
    }
    for parameter in spec.positionals + spec.named where parameter.isRequired {
      if !parameter.names.contains(where: result.explicit.contains) {
        diagnostics.append(
          .error("'\(spec.name)' needs a '\(parameter.name)' argument (usage: \(spec.usage))", at: nameRange))
      }
    }
    for parameter in spec.allParameters where result.values[parameter.name] == nil && !result.explicit.contains(parameter.name) {
      if let value = parameter.defaultValue { result.values[parameter.name] = value }
    }
  }

  private func tooManyMessage(given: Int) -> String {
    let count = spec.positionals.count
    if count == 0 {
      let names = spec.named.map { "\($0.name)=" }.joined(separator: ", ")
      return names.isEmpty
        ? "'\(spec.name)' takes no arguments"
        : "'\(spec.name)' takes only named arguments (\(names))"
    }
    let noun = count == 1 ? "positional argument" : "positional arguments"
    return "too many arguments: '\(spec.name)' takes \(count) \(noun), got \(given) (usage: \(spec.usage))"
  }

  private mutating func reportUnknown(_ label: Identifier) {
    let names = spec.parameterNames
    let suggestion = Suggestions.closest(to: label.name, in: names)
    let valid = names.isEmpty ? "it takes no named arguments" : "valid: \(names.joined(separator: ", "))"
    diagnostics.append(
      .error(
        "unknown argument '\(Escaping.truncated(label.name))' for '\(spec.name)'\(Suggestions.didYouMean(suggestion)) (\(valid))",
        at: label.range, suggestion: suggestion))
  }

  /// The input's value, or nil if evaluation failed (reported) or its value cannot be known.
  private mutating func evaluate(_ input: Input, type: ValueType) -> Value? {
    if let value = input.value { return value }
    guard let expr = input.expr else { return nil }
    if !unknownNames.isEmpty, expr.referencedNames.contains(where: { unknownNames.contains($0.name) }) {
      return nil
    }
    do {
      return try evaluator.evaluate(expr, expecting: type)
    } catch {
      diagnostics.append(error)
      return nil
    }
  }

  private mutating func assign(_ input: Input, to parameter: ParameterSpec) {
    let given = parameter.alternatives.isEmpty ? [parameter] : parameter.alternatives
    var input = input
    if parameter.isBareWord, case .identifier(let word)? = input.expr {
      // Taken as written (`help lr` asks about the topic lr, not the variable's value).
      input = Input(label: input.label, expr: nil, value: .word(word.name), range: input.range)
    }
    guard let value = evaluate(input, type: parameter.type) else {
      // Unknown or failed: mark as given so no "missing argument" follows.
      result.explicit.formUnion(given.map(\.name))
      return
    }
    let target: ParameterSpec
    let converted: Value
    if parameter.alternatives.isEmpty {
      guard let coerced = check(value, against: parameter, at: input.range) else {
        result.explicit.insert(parameter.name)
        return
      }
      (target, converted) = (parameter, coerced)
    } else if let match = parameter.alternatives.lazy.compactMap({ alt in alt.type.coerce(value).map { (alt, $0) } }).first {
      (target, converted) = match
      guard validate(converted, against: target, at: input.range) else { return }
    } else {
      let label = parameter.names.joined(separator: "|")
      diagnostics.append(.error("'\(label)' expects \(parameter.type), got \(value.summary)", at: input.range))
      result.explicit.formUnion(given.map(\.name))
      return
    }
    if result.explicit.contains(target.name) {
      diagnostics.append(
        .error("duplicate argument '\(target.name)' (given by position and by name)", at: input.range))
      return
    }
    result.explicit.insert(target.name)
    result.values[target.name] = converted
    result.ranges[target.name] = input.range
    if target.type == .pipeline {
      result.steps = Binder.bindSteps(converted, expr: input.expr, range: input.range, diagnostics: &diagnostics)
    }
  }

  /// The value converted to the parameter's type and within its limits, or nil (reported).
  private mutating func check(_ value: Value, against parameter: ParameterSpec, at range: SourceRange) -> Value? {
    guard let converted = parameter.type.coerce(value) else {
      if case .word(let choices) = parameter.type, !choices.isEmpty, let text = value.textValue {
        let suggestion = Suggestions.closest(to: text, in: choices)
        diagnostics.append(
          .error(
            "invalid choice '\(Escaping.truncated(text))' for '\(parameter.name)'\(Suggestions.didYouMean(suggestion)) (choices: \(choices.joined(separator: ", ")))",
            at: range, suggestion: suggestion))
      } else {
        diagnostics.append(.error("'\(parameter.name)' expects \(parameter.type), got \(value.summary)", at: range))
      }
      return nil
    }
    return validate(converted, against: parameter, at: range) ? converted : nil
  }

  /// Checks minimums and list lengths; reports and returns false when violated.
  private mutating func validate(_ value: Value, against parameter: ParameterSpec, at range: SourceRange) -> Bool {
    if let minimumCount = parameter.minimumCount, let items = value.listValue, items.count < minimumCount {
      diagnostics.append(
        .error("'\(parameter.name)' needs at least \(minimumCount) entries, got \(items.count)", at: range))
      return false
    }
    if parameter.isStrictlyIncreasing, let items = value.listValue {
      let numbers = items.compactMap(\.doubleValue)
      if zip(numbers, numbers.dropFirst()).contains(where: { $0 >= $1 }) {
        let twice = Set(numbers).count < numbers.count
        diagnostics.append(.error("entries of '\(parameter.name)' must increase, each listed once: got \(value)"
                                  + (twice ? " (one is listed twice)" : ""), at: range))
        return false
      }
    }
    guard parameter.minimum != nil || parameter.maximum != nil || parameter.isFloat32 else { return true }
    let isList = value.listValue != nil
    for item in value.listValue ?? [value] {
      guard var number = item.doubleValue else { continue }
      let subject = isList ? "entries of '\(parameter.name)'" : "'\(parameter.name)'"
      var written = "\(item)"
      // A value on the wrong side of the minimum is refused for that first, whatever its size.
      if let minimum = parameter.minimum, !(parameter.minimumIsInclusive ? number >= minimum : number > minimum) {
        let bound = parameter.type == .number ? Value.format(minimum) : String(Int(minimum))
        let relation = parameter.minimumIsInclusive ? "at least" : "greater than"
        diagnostics.append(.error("\(subject) must be \(relation) \(bound), got \(written)", at: range))
        return false
      }
      if parameter.isFloat32 {
        // The runtime holds it as a float32: refuse what that cannot hold, and bound the value it holds.
        let single = Float(number)
        guard single.isFinite else {
          diagnostics.append(.error("\(subject) must fit in float32 (at most about 3.4e38 in size), got \(item)", at: range))
          return false
        }
        guard number == 0 || single != 0 else {
          diagnostics.append(.error("\(subject) is too close to 0 for float32 (it would become 0; the smallest non-zero size is about 1.4e-45), got \(item)", at: range))
          return false
        }
        // Said only when float32 changes what is printed (0.99999999 is 1.0 there; 0.1 stays 0.1).
        if String(single) != Value.format(number) { written += " (\(single) in float32)" }
        number = Double(single)  // a minimum of 0 stays met: a non-zero value that would round to 0 is refused above
      }
      if let maximum = parameter.maximum, !(parameter.maximumIsInclusive ? number <= maximum : number < maximum) {
        let bound = parameter.type == .number ? Value.format(maximum) : String(Int(maximum))
        let relation = parameter.maximumIsInclusive ? "at most" : "below"
        diagnostics.append(.error("\(subject) must be \(relation) \(bound), got \(written)", at: range))
        return false
      }
    }
    return true
  }

}
