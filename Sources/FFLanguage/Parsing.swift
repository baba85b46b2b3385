/// Parses every statement of a text, one per line (a line ending inside `(` or `[` continues
/// on the next one). Each statement that fails adds a diagnostic and is left out; parsing goes
/// on with the next statement. Never fails, never recurses without bound, linear time.
public func parseStatements(text: String, origin: SourceOrigin) -> ([Statement], [Diagnostic]) {
  let (text, overlong) = withoutOverlongLines(text, origin: origin)
  let (tokens, lexDiagnostics) = Lexer.tokenize(text, origin: origin)
  var diagnostics = overlong + lexDiagnostics
  var statements: [Statement] = []
  guard let endToken = tokens.last else { return ([], diagnostics) }
  for segment in StatementSegmenter.segments(of: tokens) {
    // The lexer already reported what is wrong with this statement.
    if segment.hasInvalid { continue }
    if let open = segment.unclosed {
      let closing = open.kind == .leftParen ? ")" : "]"
      let opening = open.kind == .leftParen ? "(" : "["
      diagnostics.append(
        Diagnostic(
          .error,
          "unclosed '\(opening)': add '\(closing)' (a line that ends inside brackets continues on the next line)",
          at: open.range))
      continue
    }
    var statementTokens = tokens[segment.range].filter { $0.kind != .newline }
    var end = endToken
    if let last = statementTokens.last { end.range = SourceRange(start: last.range.end, length: 0) }
    statementTokens.append(end)
    var parser = Parser(tokens: statementTokens)
    do {
      statements.append(try parser.parseStatement())
    } catch {
      diagnostics.append(error)
    }
  }
  diagnostics.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
  return (statements, diagnostics)
}

/// Parses the statements of a code cell; locations are file lines (`cell.firstLine` based)
/// and name the cell. A markdown cell has no statements.
public func parseStatements(cell: Cell, file: String) -> ([Statement], [Diagnostic]) {
  guard cell.kind == .code else { return ([], []) }
  return parseStatements(text: cell.source, origin: SourceOrigin(cell: cell, file: file))
}

/// Parses one typed REPL line (which may span several lines inside brackets, see
/// `isIncomplete`). A blank or comment-only line gives no statement and no diagnostic; more
/// than one statement is an error.
public func parseStatement(line: String, origin: SourceOrigin = .input) -> (Statement?, [Diagnostic]) {
  let (statements, diagnostics) = parseStatements(text: line, origin: origin)
  if statements.count > 1 {
    let extra = statements[1]
    return (nil, diagnostics + [.error("expected one statement, found a second one", at: extra.range)])
  }
  return (statements.first, diagnostics)
}

/// Whether the text ends inside an open `(` or `[`, so a REPL should read another line before
/// parsing (as a notebook line would continue).
public func isIncomplete(_ text: String) -> Bool {
  var brackets = OpenBrackets()
  brackets.add(text)
  return brackets.isIncomplete
}

/// The brackets left open by text read so far, a line at a time: a REPL reading a statement
/// that continues over many lines looks at each new line once, instead of lexing all the
/// text again for every line (time quadratic in the lines of a long list). Strings and
/// comments end with their line, so a line can be lexed on its own.
public struct OpenBrackets: Sendable {
  public private(set) var depth = 0
  /// Text the lexer rejects: the statement is complete (the parser reports the problem).
  public private(set) var isInvalid = false

  public init() {}

  /// Whether the text so far ends inside an open `(` or `[`.
  public var isIncomplete: Bool { !isInvalid && depth > 0 }

  /// Takes the next piece of text (a line, or several).
  public mutating func add(_ text: String) {
    guard !isInvalid else { return }
    let (tokens, _) = Lexer.tokenize(text, origin: .input)
    for token in tokens {
      if token.kind == .invalid {
        isInvalid = true
        return
      }
      if token.isOpening { depth += 1 } else if token.isClosing, depth > 0 { depth -= 1 }
    }
  }
}

/// Parses and evaluates a command-line override such as `lr=0.05`, `dims=[784, 500]` or
/// `negatives=wrong`, as given to `ffnb run -p`.
///
/// The value is any expression without variables; a bare name stands for itself (a word), as
/// papermill's `-p name value` passes plain text.
///
/// - Throws: a `Diagnostic` located in the override text (file `origin.file`).
public func parseAssignment(_ text: String, origin: SourceOrigin = SourceOrigin(file: "-p")) throws(Diagnostic) -> (
  name: String, value: Value
) {
  let (tokens, diagnostics) = Lexer.tokenize(text, origin: origin)
  if let first = diagnostics.first { throw first }
  guard tokens.count >= 2, case .identifier(let name) = tokens[0].kind, tokens[1].kind == .equals else {
    throw Diagnostic(
      .error, "expected name=value, as in lr=0.05", at: tokens.first?.range ?? SourceRange(start: origin.location(line: 1, column: 1), length: 1))
  }
  if let newline = tokens.first(where: { $0.kind == .newline }) {
    throw Diagnostic(.error, "an override is one line", at: newline.range)
  }
  // Parsed as `set name = value` so the name rules (no reserved words) are the same.
  let statementTokens = [Token(kind: .identifier("set"), range: tokens[0].range, spaceBefore: true)] + tokens
  var parser = Parser(tokens: statementTokens)
  let statement = try parser.parseStatement()
  guard case .set(_, let expr) = statement.kind else {
    throw Diagnostic(.error, "expected name=value, as in lr=0.05", at: statement.range)
  }
  var evaluator = Evaluator(environment: Environment())
  evaluator.bareWords = true
  let value = try evaluator.evaluate(expr, expecting: nil)
  return (name, value)
}

/// The longest line, in bytes, the parser reads. A statement is one line; nothing a notebook
/// needs comes near this, and it bounds the memory a single malformed line can cost (every
/// token carries its source range).
public let maximumLineLength = 100_000

/// `text` with every line longer than `maximumLineLength` emptied (so line numbers stay
/// right), and one diagnostic for each.
func withoutOverlongLines(_ text: String, origin: SourceOrigin) -> (String, [Diagnostic]) {
  guard text.utf8.count > maximumLineLength else { return (text, []) }
  var diagnostics: [Diagnostic] = []
  // Split on the newline byte (a "\r\n" pair is one Character, so Character splitting would
  // miss CRLF line ends); the pieces are whole UTF-8 sequences since "\n" is ASCII.
  var lines = Array(text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false))
  var changed = false
  for (i, line) in lines.enumerated() where line.count > maximumLineLength {
    diagnostics.append(Diagnostic(
      .error, "line is \(line.count) bytes long; ffnb reads lines of at most \(maximumLineLength) bytes",
      at: origin.location(line: i + 1, column: 1), length: 1))
    lines[i] = lines[i].prefix(0)
    changed = true
  }
  guard changed else { return (text, []) }
  var bytes: [UInt8] = []
  bytes.reserveCapacity(text.utf8.count)
  for (i, line) in lines.enumerated() {
    if i > 0 { bytes.append(UInt8(ascii: "\n")) }
    bytes.append(contentsOf: line)
  }
  return (String(decoding: bytes, as: UTF8.self), diagnostics)
}
