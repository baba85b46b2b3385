import FFLanguage
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// Nothing a notebook holds reaches the terminal as a control sequence: markdown, `print`,
/// values, paths and names echoed in messages all show control characters (`^[`), and only
/// ffnb's own styling is sent as escapes.
@Suite struct TerminalSafetyTests {
  /// Runs `text` as a notebook on a console (colour on or off) and returns what it printed.
  func run(_ text: String, color: Bool = false) -> String {
    let captured = Captured()
    let console = Console(isTerminal: false, useColor: color) { captured.text += $0 }
    let (notebook, _) = Notebook.parse(text: text, path: "evil.ffnb")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-safety-\(UUID().uuidString)")
    let runner = try! NotebookRunner(notebook: notebook, session: Session(baseDirectory: directory), console: console)
    runner.runAll()
    return captured.text
  }

  static let hostile = [
    "\u{1B}]0;PWNED\u{7}", "\u{1B}]52;c;aGVsbG8=\u{7}", "\u{1B}[2J", "\u{9B}31m", "x\ry", "\u{202E}gnp.exe", "\u{0}",
  ]

  /// The only escapes in `text` are SGR colours ffnb adds (ESC [ digits ; m).
  func onlyStyling(_ text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    for (i, s) in scalars.enumerated() {
      if s == "\u{1B}" {
        guard i + 1 < scalars.count, scalars[i + 1] == "[" else { return false }
        var j = i + 2
        while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == ";" { j += 1 }
        guard j < scalars.count, scalars[j] == "m" else { return false }
        continue
      }
      if s.value < 0x20 && s != "\n" && s != "\t" || (0x7F..<0xA0).contains(s.value) || s == "\u{202E}" { return false }
    }
    return true
  }

  @Test("markdown cells show control characters, with and without colour")
  func markdown() {
    for color in [false, true] {
      for payload in Self.hostile {
        let out = run("%% markdown\n# Title \(payload)\nsome **bold \(payload)** and `\(payload)`\n", color: color)
        #expect(onlyStyling(out), "\(Array(out.unicodeScalars))")
      }
    }
    let out = run("%% markdown\nTitle \u{1B}]0;PWNED\u{7} and \u{1B}[2J\n")
    #expect(out.contains("Title ^[]0;PWNED^G and ^[[2J"))
  }

  @Test("print, values in messages, paths and data set names show control characters")
  func codeOutputs() {
    for payload in Self.hostile {
      let quoted = payload.replacingOccurrences(of: "\"", with: "\\\"")
      let out = run(
        """
        %% code a [raises]
        set s = "\(quoted)"
        print s "\(quoted)" [s]
        show vars
        %% code b [raises]
        learn epochs=s
        %% code c [raises]
        load model s
        %% code d [raises]
        load mnist train as=s root=s
        %% code e [raises]
        load mnist test batch=2 as=s root="\(TinyData.root.path)"
        show sample 0 data=s
        """)
      #expect(onlyStyling(out), "\(Array(out.unicodeScalars))")
    }
    let out = run("%% code\nprint \"\u{1B}]52;c;aGVsbG8=\u{7}\"\n")
    #expect(out.contains("^[]52;c;aGVsbG8=^G\n"))
  }

  @Test("markdown renders in time linear in the line", .timeLimit(.minutes(1)))
  func markdownIsLinear() {
    // A 1.9 MB line of **a** took 42 s in a release build; now it is cut at the line limit
    // and the rest is a single pass. The limit only guards against a quadratic return.
    let line = String(repeating: "**a**", count: 380_000)
    let rendered = MarkdownRenderer.render(line, color: true)
    #expect(rendered.hasSuffix(" … [line cut: it is 1,900,000 bytes long; ffnb shows at most 100,000]"))
    let plain = MarkdownRenderer.render(String(repeating: "**a**", count: 19_000) + "**b", color: false)
    #expect(plain == String(repeating: "a", count: 19_000) + "**b")
  }

  @Test("bold and code keep their rendering")
  func inlineStyles() {
    #expect(MarkdownRenderer.render("a **b** c **d", color: false) == "a b c **d")
    #expect(MarkdownRenderer.render("***x***", color: false) == "*x*")
    #expect(MarkdownRenderer.render("a **b** `c`", color: true) == "a \u{1B}[1mb\u{1B}[0m \u{1B}[36mc\u{1B}[0m")
    #expect(MarkdownRenderer.render("# T\n- item", color: false) == "T\n===\n  • item")
    // A cut keeps whole characters.
    let wide = String(repeating: "é", count: 60_000)
    let cut = MarkdownRenderer.render(wide, color: false)
    #expect(cut.hasPrefix(String(repeating: "é", count: 50_000) + " … [line cut"))
  }
}
