import Testing

@testable import FFLanguage

@Suite("Lexer")
struct LexerTests {
  @Test("ints and numbers are told apart")
  func numbers() {
    #expect(tokenKinds("350") == [.integer(350), .end])
    #expect(tokenKinds("0.15") == [.number(0.15), .end])
    #expect(tokenKinds("1e-4") == [.number(1e-4), .end])
    #expect(tokenKinds("2E+3") == [.number(2000), .end])
    #expect(tokenKinds(".5") == [.number(0.5), .end])
    #expect(tokenKinds("1.") == [.number(1), .end])
    #expect(tokenKinds("0") == [.integer(0), .end])
    #expect(tokenKinds("9223372036854775807") == [.integer(Int.max), .end])
  }

  @Test("a hyphen followed by a letter continues an identifier")
  func hyphenIdentifiers() {
    #expect(tokenKinds("to-tensor") == [.identifier("to-tensor"), .end])
    #expect(tokenKinds("fashion-mnist skip-first") == [.identifier("fashion-mnist"), .identifier("skip-first"), .end])
    #expect(tokenKinds("epochs-1") == [.identifier("epochs"), .minus, .integer(1), .end])
    #expect(tokenKinds("a - b") == [.identifier("a"), .minus, .identifier("b"), .end])
    #expect(tokenKinds("a -b") == [.identifier("a"), .minus, .identifier("b"), .end])
    #expect(tokenKinds("x--y") == [.identifier("x"), .minus, .minus, .identifier("y"), .end])
    #expect(tokenKinds("name-") == [.identifier("name"), .minus, .end])
    #expect(tokenKinds("_a1_b2") == [.identifier("_a1_b2"), .end])
  }

  @Test("punctuation and operators")
  func punctuation() {
    #expect(
      tokenKinds("= | + - * / , ( ) [ ]")
        == [.equals, .pipe, .plus, .minus, .star, .slash, .comma, .leftParen, .rightParen, .leftBracket, .rightBracket, .end])
  }

  @Test("strings with escapes")
  func strings() {
    #expect(tokenKinds(#""plain""#) == [.string("plain"), .end])
    #expect(tokenKinds(#""a\"b\\c\nd\te""#) == [.string("a\"b\\c\nd\te"), .end])
    #expect(tokenKinds(##""# not a comment""##) == [.string("# not a comment"), .end])
    #expect(tokenKinds(#""""#) == [.string(""), .end])
  }

  @Test("comments run to the end of the line")
  func comments() {
    #expect(tokenKinds("seed 0 # the seed\nlearn") == [
      .identifier("seed"), .integer(0), .newline, .identifier("learn"), .end,
    ])
    #expect(tokenKinds("# only a comment") == [.end])
  }

  @Test("positions are 1-based file lines and character columns")
  func positions() {
    let origin = SourceOrigin(file: "nb.ffnb", cell: 2, cellName: "data", firstLine: 10)
    let tokens = Lexer.tokenize("seed 0\n  lérn", origin: origin).tokens
    #expect(tokens[0].range.start == SourceLocation(file: "nb.ffnb", cell: 2, cellName: "data", line: 10, column: 1))
    #expect(tokens[1].range.start.column == 6)
    #expect(tokens[3].range.start.line == 11)
    #expect(tokens[3].range.start.column == 3)
  }

  @Test("a call needs its '(' right after the name")
  func spaceBefore() {
    let tokens = Lexer.tokenize("f(x) f (x)", origin: .input).tokens
    #expect(tokens[1].spaceBefore == false)
    #expect(tokens[5].spaceBefore == true)
  }

  @Test("lexical errors are diagnostics with exact positions")
  func errors() throws {
    let unterminated = try onlyDiagnostic("print \"abc")
    #expect(unterminated.message == "unterminated string: add a closing '\"' on this line")
    #expect(unterminated.location.column == 7)

    let nul = try onlyDiagnostic("seed \u{0}")
    #expect(nul.message == "unexpected character '\\u{0}'")
    #expect(nul.location.column == 6)

    let invalidUTF8 = try onlyDiagnostic("seed \u{FFFD}")
    #expect(invalidUTF8.message == "unexpected character '\\u{fffd}' (the file is not valid UTF-8 here)")

    #expect(try onlyDiagnostic("print 'x'").message == "unexpected character '''; strings use double quotes")
    #expect(try onlyDiagnostic("seed @").message == "unexpected character '@'")
    #expect(try onlyDiagnostic("seed \u{A0}1").message == "unexpected character '\\u{a0}'")

    let escape = try onlyDiagnostic(#"print "a\qb""#)
    #expect(escape.message == #"unknown escape '\q' in string; use \" \\ \n or \t"#)
    #expect(escape.location.column == 9)
    #expect(escape.length == 2)
  }

  @Test("numbers that do not fit or are malformed")
  func badNumbers() throws {
    let big = try onlyDiagnostic("seed 99999999999999999999")
    #expect(big.message == "integer 99999999999999999999 is out of range (the largest is 9223372036854775807)")
    #expect(big.location.column == 6)
    #expect(big.length == 20)
    #expect(try onlyDiagnostic("set x = 1e999").message == "number 1e999 is out of range (too large: the largest is about 1.8e308)")
    // Too small to be anything but 0: an error at the literal, not a silent zero.
    let tiny = try onlyDiagnostic("set x = 2 * 1e-400")
    #expect(tiny.message == "number 1e-400 is out of range (too small: it would be 0; the smallest is about 4.9e-324)")
    #expect(tiny.location.column == 13)
    #expect(tiny.length == 6)
    #expect(try onlyDiagnostic("set x = 0.0000000001e-320").message.hasPrefix("number 0.0000000001e-320 is out of range (too small"))
    // Zero written as zero, and the smallest subnormal, are fine.
    for text in ["0.0", "0e-400", "00.000e5", "5e-324", "1e308"] {
      #expect(parseStatements(text: "set x = " + text, origin: .input).1.isEmpty, "\(text)")
    }
    #expect(try onlyDiagnostic("build [784x]").message == "malformed number '784x'")
    #expect(try onlyDiagnostic("set x = 1.2.3").message == "malformed number '1.2.3'")
    #expect(try onlyDiagnostic("set x = 1e").message == "malformed number '1e'")
    #expect(try onlyDiagnostic("set x = .").message == "unexpected character '.'")
  }

  @Test("one error per line, later lines still lexed")
  func recovery() {
    let (tokens, diagnostics) = Lexer.tokenize("a @ @ @\nb $", origin: .input)
    #expect(diagnostics.map(\.location.line) == [1, 2])
    #expect(tokens.map(\.kind) == [.identifier("a"), .invalid, .newline, .identifier("b"), .invalid, .end])
  }
}
