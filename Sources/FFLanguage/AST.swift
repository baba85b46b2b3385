/// A name in the source with where it was written.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
  public var name: String
  public var range: SourceRange

  public init(_ name: String, range: SourceRange) {
    self.name = name
    self.range = range
  }

  public var description: String { name }
}

/// The arithmetic operators, from lowest to highest precedence pair.
public enum BinaryOperator: String, Sendable, Hashable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
}

/// An expression: a literal, a name, a list, a call like `normalize(mean=0.1, std=0.1)`, a
/// `|` pipeline of transform steps, or arithmetic. Each case carries its source range.
///
/// An `indirect enum` rather than a class hierarchy (as in slox): evaluation and printing are
/// extensions that switch over it. The parser never builds one deeper than
/// `Parser.maximumDepth`, so the recursive functions over it are bounded.
public indirect enum Expr: Sendable, Hashable {
  case int(Int, SourceRange)
  case number(Double, SourceRange)
  case string(String, SourceRange)
  case bool(Bool, SourceRange)
  /// A variable, or a bare word where a word is expected (`negatives=random`).
  case identifier(Identifier)
  case list([Expr], SourceRange)
  case call(Identifier, [Argument], SourceRange)
  /// Two or more steps joined by `|`.
  case pipeline([Expr], SourceRange)
  case unaryMinus(Expr, SourceRange)
  case binary(BinaryOperator, Expr, Expr, SourceRange)

  public var range: SourceRange {
    switch self {
    case .int(_, let range), .number(_, let range), .string(_, let range), .bool(_, let range),
      .list(_, let range), .call(_, _, let range), .pipeline(_, let range),
      .unaryMinus(_, let range), .binary(_, _, _, let range):
      return range
    case .identifier(let identifier):
      return identifier.range
    }
  }

  /// Every identifier the expression reads (call names excluded: they name steps, not variables).
  public var referencedNames: [Identifier] {
    var names: [Identifier] = []
    collectNames(into: &names)
    return names
  }

  private func collectNames(into names: inout [Identifier]) {
    switch self {
    case .int, .number, .string, .bool: break
    case .identifier(let identifier): names.append(identifier)
    case .list(let items, _), .pipeline(let items, _): for item in items { item.collectNames(into: &names) }
    case .call(_, let arguments, _): for argument in arguments { argument.value.collectNames(into: &names) }
    case .unaryMinus(let operand, _): operand.collectNames(into: &names)
    case .binary(_, let lhs, let rhs, _):
      lhs.collectNames(into: &names)
      rhs.collectNames(into: &names)
    }
  }
}

/// An argument to a command or call: named (`epochs=10`) or positional (`10`).
public struct Argument: Sendable, Hashable {
  public var label: Identifier?
  public var value: Expr

  public init(label: Identifier? = nil, value: Expr) {
    self.label = label
    self.value = value
  }

  /// From the label (if any) to the end of the value.
  public var range: SourceRange {
    label.map { $0.range.union(value.range) } ?? value.range
  }
}

/// One line of a code cell (or of REPL input).
public struct Statement: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// `set name = expr`
    case set(Identifier, Expr)
    /// `name arg arg key=value ...`
    case command(name: Identifier, arguments: [Argument])
  }

  public var kind: Kind
  public var range: SourceRange

  public init(kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The command name, or `"set"` for an assignment: what `help` and the schema look up.
  public var commandName: String {
    switch kind {
    case .set: "set"
    case .command(let name, _): name.name
    }
  }
}
