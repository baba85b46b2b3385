import Testing

@testable import FFLanguage

@Suite("Diagnostic rendering")
struct DiagnosticRenderingTests {
  func diagnostic(line: Int = 42, column: Int, length: Int, cell: Int? = 5, name: String? = "main") -> Diagnostic {
    Diagnostic(
      .error, "unknown command 'lern'; did you mean 'learn'?",
      at: SourceLocation(file: "notebooks/mnist.ffnb", cell: cell, cellName: name, line: line, column: column),
      length: length, suggestion: "learn")
  }

  @Test("summary, source line and caret")
  func basic() {
    let text = diagnostic(column: 1, length: 4).rendered(sourceLine: "lern epochs=10", color: false)
    #expect(text == """
      notebooks/mnist.ffnb:42:1: error: unknown command 'lern'; did you mean 'learn'?   [cell 5 main]
         42 | lern epochs=10
            | ^~~~
      """)
  }

  @Test("caret under a later column; no cell outside notebooks; no excerpt without a line")
  func variants() {
    let text = diagnostic(line: 1, column: 7, length: 6, cell: nil, name: nil).rendered(sourceLine: "learn epoch=10", color: false)
    #expect(text == """
      notebooks/mnist.ffnb:1:7: error: unknown command 'lern'; did you mean 'learn'?
          1 | learn epoch=10
            |       ^~~~~~
      """)
    #expect(!diagnostic(column: 1, length: 1).rendered(sourceLine: nil, color: false).contains("\n"))
    let whole = Diagnostic(.error, "cannot read notebook: no such file", at: .file("x.ffnb"))
    #expect(whole.rendered(sourceLine: "anything", color: false) == "x.ffnb: error: cannot read notebook: no such file")
  }

  @Test("tabs expand and control characters are shown as cat -v shows them, keeping the caret aligned")
  func tabsAndControls() {
    let text = diagnostic(line: 3, column: 3, length: 1, cell: nil).rendered(sourceLine: "\t\u{0}@x", color: false)
    let lines = text.split(separator: "\n")
    #expect(lines[1] == "    3 |     ^@@x")
    #expect(lines[2] == "      |       ^")
    let escape = diagnostic(line: 1, column: 8, length: 1, cell: nil).rendered(sourceLine: "print \"\u{1B}]0;x\u{7}\" y", color: false)
    #expect(escape.split(separator: "\n")[1] == "    1 | print \"^[]0;x^G\" y")
  }

  @Test("messages, paths and cell names show control characters instead of sending them")
  func controlsInMessages() {
    let location = SourceLocation(file: "evil\u{1B}]0;title\u{7}.ffnb", cell: 2, cellName: "c", line: 1, column: 1)
    let d = Diagnostic(.error, "cannot write the plot to x\u{1B}[2J\u{9B}31m\u{202E}y: no", at: location)
    for text in [d.rendered(sourceLine: "a\rb", color: true), d.description] {
      #expect(!text.unicodeScalars.contains { $0 == "\u{7}" || $0 == "\u{9B}" || $0 == "\u{202E}" || $0 == "\r" })
      #expect(text.contains("evil^[]0;title^G.ffnb:1:1:"))
      #expect(text.contains("x^[[2J\\u{9b}31m\\u{202e}y: no"))
    }
    // Only ffnb's own colours are escapes.
    let colored = d.rendered(sourceLine: nil, color: true)
    #expect(colored.components(separatedBy: "\u{1B}").count - 1 == 5)
  }

  @Test("a caret running past the end of the line is clipped")
  func clipped() {
    let text = diagnostic(line: 1, column: 5, length: Int.max, cell: nil).rendered(sourceLine: "abcdefg", color: false)
    #expect(text.hasSuffix("\n    1 | abcdefg\n      |     ^~~"))
  }

  @Test("very long lines are cut around the caret")
  func longLines() {
    let line = String(repeating: "a", count: 5_000_000) + "@" + String(repeating: "b", count: 5_000_000)
    let text = diagnostic(line: 1, column: 5_000_001, length: 1, cell: nil).rendered(sourceLine: line, color: false)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[1].count < Diagnostic.maximumExcerptWidth + 20)
    #expect(lines[1].contains("…a") && lines[1].contains("@b") && lines[1].hasSuffix("…"))
    // The caret sits under the '@'.
    let caretColumn = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
    let atColumn = lines[1].firstIndex(of: "@").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
    #expect(caretColumn == atColumn)
  }

  @Test("color adds ANSI escapes only when asked")
  func color() {
    let colored = diagnostic(column: 1, length: 4).rendered(sourceLine: "lern", color: true)
    #expect(colored.contains("\u{1B}[1;31merror:"))
    #expect(!diagnostic(column: 1, length: 4).rendered(sourceLine: "lern", color: false).contains("\u{1B}"))
  }

  @Test("rendering from the file text picks the right line")
  func fromSourceText() {
    let source = SourceText("seed 0\r\nlern\n")
    #expect(source.line(2) == "lern")
    #expect(source.line(1) == "seed 0")
    #expect(source.line(9) == nil)
    let text = diagnostic(line: 2, column: 1, length: 4, cell: nil).rendered(in: source, color: false)
    #expect(text.hasSuffix("    2 | lern\n      | ^~~~"))
  }
}
