/// Recursive-descent parser for one statement (see the grammar in docs/language.md).
///
/// Works on the tokens of one statement with line breaks removed (the segmenter already
/// decided where the statement ends). The first error ends the statement: the caller goes on
/// with the next one, so one bad line never hides errors on later lines.
///
/// Depth is bounded: brackets, calls and unary minus may nest at most `maximumDepth` levels,
/// and no expression tree (long `+` chains included) may be taller, so nothing that walks an
/// `Expr` recursively can overflow the stack.
struct Parser {
  /// The deepest nesting accepted, in brackets, calls, unary minus and operator chains.
  static let maximumDepth = 64

  private let tokens: [Token]
  private var position = 0
  private var nesting = 0

  init(tokens: [Token]) {
    precondition(tokens.last?.kind == .end, "parser input must end with an end token, got \(String(describing: tokens.last?.kind))")
    self.tokens = tokens
  }

  private var current: Token { tokens[position] }
  private func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

  private mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private func error(_ message: String, at token: Token, suggestion: String? = nil) -> Diagnostic {
    Diagnostic(.error, message, at: token.range, suggestion: suggestion)
  }

  // MARK: Statements

  mutating func parseStatement() throws(Diagnostic) -> Statement {
    let first = current
    guard case .identifier(let name) = first.kind else {
      throw error("expected a command name, found \(first.summary)", at: first)
    }
    if case .equals = peek(1).kind, name != "set" {
      throw error(
        "to assign a variable write 'set \(Escaping.truncated(name)) = …'", at: first,
        suggestion: "set \(name)")
    }
    _ = advance()
    let nameIdentifier = Identifier(name, range: first.range)
    let statement: Statement
    if name == "set" {
      statement = try parseSet(keyword: first)
    } else {
      var arguments: [Argument] = []
      while current.kind != .end {
        if current.kind == .comma {
          throw error("unexpected ','; command arguments are separated by spaces", at: current)
        }
        arguments.append(try parseArgument())
      }
      let end = arguments.last?.range.end ?? first.range.end
      statement = Statement(
        kind: .command(name: nameIdentifier, arguments: arguments),
        range: SourceRange(start: first.range.start, end: end))
    }
    return statement
  }

  private mutating func parseSet(keyword: Token) throws(Diagnostic) -> Statement {
    let nameToken = current
    guard case .identifier(let name) = nameToken.kind else {
      throw error("expected a variable name after 'set', found \(nameToken.summary)", at: nameToken)
    }
    if Self.reservedWords.contains(name) {
      throw error("'\(name)' is a reserved word and cannot be a variable name", at: nameToken)
    }
    _ = advance()
    guard current.kind == .equals else {
      throw error("expected '=' after 'set \(Escaping.truncated(name))', found \(current.summary)", at: current)
    }
    _ = advance()
    let value = try parseTopLevelValue()
    if current.kind != .end {
      throw error("unexpected \(current.summary) after the value of 'set \(Escaping.truncated(name))'", at: current)
    }
    return Statement(
      kind: .set(Identifier(name, range: nameToken.range), value),
      range: SourceRange(start: keyword.range.start, end: value.range.end))
  }

  static let reservedWords: Set<String> = ["set", "true", "false"]

  /// `name=value` or `value`.
  private mutating func parseArgument() throws(Diagnostic) -> Argument {
    if case .identifier(let name) = current.kind, peek(1).kind == .equals {
      let label = Identifier(name, range: advance().range)
      _ = advance()
      let value = try parseTopLevelValue()
      return Argument(label: label, value: value)
    }
    return Argument(value: try parseTopLevelValue())
  }

  private mutating func parseTopLevelValue() throws(Diagnostic) -> Expr {
    if current.kind == .end {
      throw error("expected a value at the end of the line", at: current)
    }
    return try parsePipe().expr
  }

  // MARK: Expressions. Each returns the tree and its height.

  private typealias Parsed = (expr: Expr, height: Int)

  private func checkHeight(_ height: Int, at range: SourceRange) throws(Diagnostic) {
    // A literal inside `maximumDepth` brackets has height `maximumDepth + 1`.
    if height > Self.maximumDepth + 1 {
      throw Diagnostic(
        .error, "expression nested too deeply (more than \(Self.maximumDepth) levels)", at: range)
    }
  }

  private mutating func enter(_ token: Token) throws(Diagnostic) {
    nesting += 1
    if nesting > Self.maximumDepth {
      throw error("nesting too deep (more than \(Self.maximumDepth) levels)", at: token)
    }
  }

  private mutating func leave() { nesting -= 1 }

  /// pipe = expr { "|" expr }
  private mutating func parsePipe() throws(Diagnostic) -> Parsed {
    let first = try parseExpr()
    guard current.kind == .pipe else { return first }
    var steps = [first.expr]
    var height = first.height
    while current.kind == .pipe {
      _ = advance()
      let step = try parseExpr()
      steps.append(step.expr)
      height = max(height, step.height)
    }
    let range = first.expr.range.union(steps[steps.count - 1].range)
    try checkHeight(height + 1, at: range)
    return (.pipeline(steps, range), height + 1)
  }

  /// expr = term { ("+" | "-") term }
  private mutating func parseExpr() throws(Diagnostic) -> Parsed {
    try parseLeftAssociative([(.plus, .add), (.minus, .subtract)]) { (p: inout Parser) throws(Diagnostic) in try p.parseTerm() }
  }

  /// term = unary { ("*" | "/") unary }
  private mutating func parseTerm() throws(Diagnostic) -> Parsed {
    try parseLeftAssociative([(.star, .multiply), (.slash, .divide)]) { (p: inout Parser) throws(Diagnostic) in try p.parseUnary() }
  }

  /// One precedence level: operands from `operand`, joined left to right by `operators`,
  /// each join counted in the expression's height so long chains stay bounded.
  private mutating func parseLeftAssociative(
    _ operators: [(Token.Kind, BinaryOperator)], operand: (inout Parser) throws(Diagnostic) -> Parsed
  ) throws(Diagnostic) -> Parsed {
    var result = try operand(&self)
    while let op = operators.first(where: { $0.0 == current.kind })?.1 {
      _ = advance()
      let rhs = try operand(&self)
      let range = result.expr.range.union(rhs.expr.range)
      let height = max(result.height, rhs.height) + 1
      try checkHeight(height, at: range)
      result = (.binary(op, result.expr, rhs.expr, range), height)
    }
    return result
  }

  /// unary = "-" unary | postfix
  private mutating func parseUnary() throws(Diagnostic) -> Parsed {
    guard current.kind == .minus else { return try parsePostfix() }
    let minus = advance()
    try enter(minus)
    let operand = try parseUnary()
    leave()
    let range = minus.range.union(operand.expr.range)
    try checkHeight(operand.height + 1, at: range)
    return (.unaryMinus(operand.expr, range), operand.height + 1)
  }

  /// postfix = identifier "(" arguments ")"   (no space before "(")
  ///         | primary
  private mutating func parsePostfix() throws(Diagnostic) -> Parsed {
    if case .identifier(let name) = current.kind, !Self.reservedWords.contains(name),
      peek(1).kind == .leftParen, !peek(1).spaceBefore
    {
      let nameToken = advance()
      let open = advance()
      try enter(open)
      var arguments: [Argument] = []
      var height = 1
      while current.kind != .rightParen {
        let argument = try parseCallArgument(open: open)
        arguments.append(argument.argument)
        height = max(height, argument.height)
        if current.kind == .comma {
          _ = advance()
        } else if current.kind != .rightParen {
          throw error(
            "expected ',' or ')' in the arguments of '\(Escaping.truncated(name))', found \(current.summary)",
            at: current)
        }
      }
      let close = advance()
      leave()
      let range = nameToken.range.union(close.range)
      try checkHeight(height + 1, at: range)
      return (.call(Identifier(name, range: nameToken.range), arguments, range), height + 1)
    }
    return try parsePrimary()
  }

  private mutating func parseCallArgument(open: Token) throws(Diagnostic) -> (argument: Argument, height: Int) {
    if current.kind == .end {
      throw unclosed(open, found: current)
    }
    if case .identifier(let name) = current.kind, peek(1).kind == .equals {
      let label = Identifier(name, range: advance().range)
      _ = advance()
      let value = try parsePipe()
      return (Argument(label: label, value: value.expr), value.height)
    }
    let value = try parsePipe()
    return (Argument(value: value.expr), value.height)
  }

  private func unclosed(_ open: Token, found: Token) -> Diagnostic {
    let closing = open.kind == .leftParen ? ")" : "]"
    let opening = open.kind == .leftParen ? "(" : "["
    let start = open.range.start
    return error(
      "expected '\(closing)' to close '\(opening)' at \(start.line):\(start.column), found \(found.summary)",
      at: found)
  }

  /// primary = number | string | "true" | "false" | identifier | list | "(" pipe ")"
  private mutating func parsePrimary() throws(Diagnostic) -> Parsed {
    let token = current
    switch token.kind {
    case .integer(let value):
      _ = advance()
      return (.int(value, token.range), 1)
    case .number(let value):
      _ = advance()
      return (.number(value, token.range), 1)
    case .string(let text):
      _ = advance()
      return (.string(text, token.range), 1)
    case .identifier(let name):
      _ = advance()
      switch name {
      case "true": return (.bool(true, token.range), 1)
      case "false": return (.bool(false, token.range), 1)
      default: return (.identifier(Identifier(name, range: token.range)), 1)
      }
    case .leftBracket:
      return try parseList()
    case .leftParen:
      _ = advance()
      try enter(token)
      let inner = try parsePipe()
      guard current.kind == .rightParen else { throw unclosed(token, found: current) }
      _ = advance()
      leave()
      return inner
    case .end:
      throw error("expected a value at the end of the line", at: token)
    default:
      throw error("expected a value, found \(token.summary)", at: token)
    }
  }

  /// list = "[" [ pipe { "," pipe } [","] ] "]"
  private mutating func parseList() throws(Diagnostic) -> Parsed {
    let open = advance()
    try enter(open)
    var items: [Expr] = []
    var height = 1
    while current.kind != .rightBracket {
      if current.kind == .end { throw unclosed(open, found: current) }
      let item = try parsePipe()
      items.append(item.expr)
      height = max(height, item.height)
      if current.kind == .comma {
        _ = advance()
      } else if current.kind != .rightBracket {
        if current.kind == .end { throw unclosed(open, found: current) }
        throw error("expected ',' or ']' in list, found \(current.summary)", at: current)
      }
    }
    let close = advance()
    leave()
    let range = open.range.union(close.range)
    try checkHeight(height + 1, at: range)
    return (.list(items, range), height + 1)
  }
}
