import FFLanguage
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
        """)
      #expect(onlyStyling(out), "\(Array(out.unicodeScalars))")
    }
    let out = run("%% code\nprint \"\u{1B}]52;c;aGVsbG8=\u{7}\"\n")
    #expect(out.contains("^[]52;c;aGVsbG8=^G\n"))
  }
}
