/// Splits command-language text into tokens in one left-to-right pass (linear time, no
/// recursion).
///
/// Lexical rules (see docs/language.md):
/// - numbers: `350` is an int; `0.15`, `1.`, `.5`, `1e-4` are numbers. A literal that does not
///   fit (`99999999999999999999`, `1e999`, or `1e-400`, which would round to 0) is an error, as
///   is a number glued to letters (`784x`).
/// - identifiers: `[A-Za-z_][A-Za-z0-9_]*`, and a `-` directly followed by a letter continues
///   one (`to-tensor`, `fashion-mnist`); so `epochs-1` is `epochs - 1`.
/// - strings: double quotes, escapes `\"` `\\` `\n` `\t`, on one line.
/// - `#` starts a comment to the end of the line.
///
/// A bad character is reported once and the rest of its line becomes one `.invalid` token, so
/// garbage costs one diagnostic per line, not one per byte.
struct Lexer {
  private let scalars: [Unicode.Scalar]
  private let origin: SourceOrigin
  private var position = 0
  private var line = 1
  private var lineStart = 0
  private(set) var tokens: [Token] = []
  private(set) var diagnostics: [Diagnostic] = []

  static func tokenize(_ text: String, origin: SourceOrigin) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(text: text, origin: origin)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
  }

  private init(text: String, origin: SourceOrigin) {
    scalars = Array(text.unicodeScalars)
    self.origin = origin
  }

  private func location(_ index: Int) -> SourceLocation {
    origin.location(line: line, column: index - lineStart + 1)
  }

  private func range(_ start: Int, _ end: Int) -> SourceRange {
    SourceRange(start: location(start), end: location(end))
  }

  private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    let index = position + offset
    return index < scalars.count ? scalars[index] : nil
  }

  private mutating func run() {
    var spaceBefore = true
    while position < scalars.count {
      let scalar = scalars[position]
      let start = position
      switch scalar {
      case " ", "\t", "\r":
        position += 1
        spaceBefore = true
        continue
      case "\n":
        add(.newline, start, start + 1, spaceBefore)
        position += 1
        line += 1
        lineStart = position
        spaceBefore = true
        continue
      case "#":
        while position < scalars.count, scalars[position] != "\n" { position += 1 }
        continue
      case "\"":
        lexString(spaceBefore: spaceBefore)
      case "0"..."9", ".":
        lexNumber(spaceBefore: spaceBefore)
      case _ where Self.isIdentifierStart(scalar):
        lexIdentifier(spaceBefore: spaceBefore)
      default:
        if let kind = Self.punctuation[scalar] {
          position += 1
          add(kind, start, position, spaceBefore)
        } else {
          var message = "unexpected character '\(Escaping.character(scalar))'"
          if scalar == "\u{FFFD}" { message = Self.replacementCharacterMessage + " (the file is not valid UTF-8 here)" }
          if scalar == "'" { message += "; strings use double quotes" }
          fail(message, at: start, length: 1)
        }
      }
      spaceBefore = false
    }
    add(.end, position, position, spaceBefore)
  }

  /// How an unexpected U+FFFD is reported; `UTF8Validation`, which reports invalid bytes in a
  /// file more precisely, leaves out this message at the same place.
  static let replacementCharacterMessage = "unexpected character '\\u{fffd}'"

  private static let punctuation: [Unicode.Scalar: Token.Kind] = [
    "=": .equals, "|": .pipe, "+": .plus, "-": .minus, "*": .star, "/": .slash, ",": .comma,
    "(": .leftParen, ")": .rightParen, "[": .leftBracket, "]": .rightBracket,
  ]

  static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_"
  }

  static func isIdentifierContinue(_ s: Unicode.Scalar) -> Bool {
    isIdentifierStart(s) || ("0"..."9").contains(s)
  }

  private mutating func add(_ kind: Token.Kind, _ start: Int, _ end: Int, _ spaceBefore: Bool) {
    tokens.append(Token(kind: kind, range: range(start, end), spaceBefore: spaceBefore))
  }

  /// Reports an error and turns the rest of the line into one `.invalid` token.
  private mutating func fail(_ message: String, at start: Int, length: Int) {
    diagnostics.append(Diagnostic(.error, message, at: location(start), length: length))
    let tokenStart = position
    while position < scalars.count, scalars[position] != "\n" { position += 1 }
    add(.invalid, min(start, tokenStart), position, false)
  }

  private mutating func lexIdentifier(spaceBefore: Bool) {
    let start = position
    position += 1
    while let s = peek() {
      if Self.isIdentifierContinue(s) {
        position += 1
      } else if s == "-", let next = peek(1), ("a"..."z").contains(next) || ("A"..."Z").contains(next) {
        position += 2
      } else {
        break
      }
    }
    add(.identifier(text(start, position)), start, position, spaceBefore)
  }

  private func text(_ start: Int, _ end: Int) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars[start..<end])
    return result
  }

  private mutating func lexNumber(spaceBefore: Bool) {
    let start = position
    var isInteger = true
    func isDigit(_ s: Unicode.Scalar?) -> Bool { s.map { ("0"..."9").contains($0) } ?? false }
    while isDigit(peek()) { position += 1 }
    if peek() == "." {
      isInteger = false
      position += 1
      while isDigit(peek()) { position += 1 }
      if position - start == 1 {
        // A lone '.' is not a number.
        fail("unexpected character '.'", at: start, length: 1)
        return
      }
    }
    if peek() == "e" || peek() == "E" {
      let sign = (peek(1) == "+" || peek(1) == "-") ? 1 : 0
      if isDigit(peek(1 + sign)) {
        isInteger = false
        position += 1 + sign
        while isDigit(peek()) { position += 1 }
      }
    }
    if let next = peek(), Self.isIdentifierContinue(next) || next == "." {
      // `784x`, `1e`, `1.2.3`: a number glued to more text.
      while let s = peek(), Self.isIdentifierContinue(s) || s == "." { position += 1 }
      let literal = text(start, position)
      fail("malformed number '\(Escaping.truncated(literal))'", at: start, length: position - start)
      return
    }
    let literal = text(start, position)
    if isInteger {
      guard let value = Int(literal) else {
        fail(
          "integer \(Escaping.truncated(literal)) is out of range (the largest is \(Int.max))",
          at: start, length: position - start)
        return
      }
      add(.integer(value), start, position, spaceBefore)
    } else {
      guard let value = Double(literal), value.isFinite else {
        fail(
          "number \(Escaping.truncated(literal)) is out of range (too large: the largest is about 1.8e308)",
          at: start, length: position - start)
        return
      }
      // `1e-400` rounds to 0: a written non-zero number must not silently become zero.
      if value == 0, Self.hasNonZeroDigit(literal) {
        fail(
          "number \(Escaping.truncated(literal)) is out of range (too small: it would be 0; the smallest is about 4.9e-324)",
          at: start, length: position - start)
        return
      }
      add(.number(value), start, position, spaceBefore)
    }
  }

  /// Whether the digits before the exponent include a non-zero one.
  static func hasNonZeroDigit(_ literal: String) -> Bool {
    for scalar in literal.unicodeScalars {
      if scalar == "e" || scalar == "E" { return false }
      if ("1"..."9").contains(scalar) { return true }
    }
    return false
  }

  private mutating func lexString(spaceBefore: Bool) {
    let start = position
    position += 1
    var value = ""
    while true {
      guard let s = peek(), s != "\n" else {
        fail("unterminated string: add a closing '\"' on this line", at: start, length: 1)
        return
      }
      position += 1
      switch s {
      case "\"":
        add(.string(value), start, position, spaceBefore)
        return
      case "\\":
        let escape = peek()
        switch escape {
        case "\"": value += "\""
        case "\\": value += "\\"
        case "n": value += "\n"
        case "t": value += "\t"
        default:
          let shown = escape.map { Escaping.character($0) } ?? ""
          fail(
            "unknown escape '\\\(shown)' in string; use \\\" \\\\ \\n or \\t",
            at: position - 1, length: escape == nil || escape == "\n" ? 1 : 2)
          return
        }
        position += 1
      default:
        value.unicodeScalars.append(s)
      }
    }
  }
}
