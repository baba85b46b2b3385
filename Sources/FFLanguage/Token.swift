/// A lexical token of the command language.
struct Token: Sendable, Equatable {
  enum Kind: Sendable, Equatable {
    case identifier(String)
    case integer(Int)
    case number(Double)
    case string(String)
    case equals, pipe, plus, minus, star, slash, comma
    case leftParen, rightParen, leftBracket, rightBracket
    /// The end of a physical line (statements end here unless a bracket is open).
    case newline
    /// Text the lexer already reported; the statement holding it is skipped silently.
    case invalid
    case end
  }

  var kind: Kind
  var range: SourceRange
  /// Whether whitespace (or a line break) comes right before: `f(x)` is a call, `f (x)` is not.
  var spaceBefore: Bool

  var isOpening: Bool { kind == .leftParen || kind == .leftBracket }
  var isClosing: Bool { kind == .rightParen || kind == .rightBracket }

  /// How messages name the token: `'='`, `number 1.5`, `identifier 'lr'`, `end of line`.
  var summary: String {
    switch kind {
    case .identifier(let name): "'\(Escaping.truncated(name))'"
    case .integer(let value): "number \(value)"
    case .number(let value): "number \(Value.number(value).description)"
    case .string(let text): "string \(Escaping.truncated(Escaping.quoted(text)))"
    case .equals: "'='"
    case .pipe: "'|'"
    case .plus: "'+'"
    case .minus: "'-'"
    case .star: "'*'"
    case .slash: "'/'"
    case .comma: "','"
    case .leftParen: "'('"
    case .rightParen: "')'"
    case .leftBracket: "'['"
    case .rightBracket: "']'"
    case .newline, .end: "end of line"
    case .invalid: "invalid text"
    }
  }
}
