import Testing

@testable import FFLanguage

/// Bytes that are not UTF-8 are reported wherever they are (markdown, strings, comments,
/// headers, code), at the line and column of the U+FFFD they are read as.
@Suite("Invalid UTF-8")
struct UTF8ValidationTests {
  func parse(_ bytes: [UInt8]) -> (Notebook, [Diagnostic]) {
    Notebook.parse(bytes: bytes, path: "nb.ffnb")
  }

  func utf8Errors(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.filter { $0.message.hasPrefix("invalid UTF-8") }
  }

  @Test("in a markdown cell and inside a string literal, with line, column and cell")
  func markdownAndStrings() throws {
    let bytes = Array("%% markdown\nhello ".utf8) + [0xFF] + Array(" there\n%% code show\nprint \"a".utf8) + [0xFE]
      + Array("b\" # ok\n# comment ".utf8) + [0xC3] + Array("\n".utf8)
    let errors = utf8Errors(parse(bytes).1)
    #expect(errors.map { "\($0.location.line):\($0.location.column) cell \($0.location.cell ?? 0)" } == [
      "2:7 cell 1", "4:9 cell 2", "5:11 cell 2",
    ])
    #expect(errors.first?.message == "invalid UTF-8: a byte here is not part of any character (read as U+FFFD); save the notebook as UTF-8")
    #expect(errors.first?.isError == true)
    #expect(errors[1].location.cellName == "show")
  }

  @Test("U+FFFD written as valid UTF-8 is not reported; neither is a byte-order mark")
  func validReplacementCharacter() {
    let (_, diagnostics) = parse(Array("\u{FEFF}%% code\nprint \"\u{FFFD}\"\n".utf8))
    #expect(diagnostics.isEmpty)
    let bom = [0xEF, 0xBB, 0xBF] + Array("x".utf8) + [0x80]
    #expect(utf8Errors(parse(bom).1).map(\.location.column) == [2])
  }

  @Test("in code, one problem gives one message: the lexer's duplicate is left out")
  func noDuplicateInCode() {
    let (nb, parseDiagnostics) = parse(Array("seed ".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
    let all = parseDiagnostics + UTF8Validation.removingDuplicates(Checker.check(nb), of: parseDiagnostics)
    #expect(all.count == 1)
    #expect(all.first?.location.column == 6)
    #expect(all.first?.message.hasPrefix("invalid UTF-8: a byte here") == true)
  }

  @Test("every reported place holds the U+FFFD the decoded text has there")
  func columnsMatchTheDecodedText() {
    var random = RobustnessTests.SplitMix(state: 11)
    for _ in 0..<300 {
      let bytes = (0..<Int(random.next() % 200)).map { _ -> UInt8 in
        let r = random.next()
        return r % 4 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : Array("ab \n\u{E9}".utf8)[Int(r % 6)]
      }
      let text = String(decoding: bytes, as: UTF8.self)
      let source = SourceText(text)
      for d in utf8Errors(parse(bytes).1) where d.location.line > 0 {
        let line = Array((source.line(d.location.line) ?? "").unicodeScalars)
        #expect(d.location.column <= line.count && line[d.location.column - 1] == "\u{FFFD}", "\(bytes)")
      }
    }
  }

  @Test("a binary file costs ten lines and a count, not a diagnostic per line")
  func bounded() {
    let bytes = Array(repeating: [0xFF, 0x0A] as [UInt8], count: 5_000).flatMap { $0 }
    let errors = utf8Errors(parse(bytes).1)
    #expect(errors.count == 11)
    #expect(errors.last?.message == "invalid UTF-8 on 4,990 more lines")
  }
}
