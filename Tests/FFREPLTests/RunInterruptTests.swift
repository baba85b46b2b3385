import FFTestSupport
import Foundation
import Testing

/// `ffnb run` on a terminal: Ctrl-C stops `learn` at an epoch boundary, no later cell runs,
/// the executed notebook is still written, and the exit status is 130.
@Suite("ffnb run in a terminal", .serialized, .enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)),
       .enabled(if: Binary.hasTmux, "needs tmux (make test installs it)"))
struct RunInterruptTests {
  @Test("Ctrl-C during run stops gently and still writes the executed notebook", .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func interruptRun() throws {
    let ffnb = TmuxTerminal.shellQuoted(Binary.path ?? "ffnb")
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-run-\(UUID().uuidString).ipynb").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let term = try TmuxTerminal(
      "\(ffnb) run notebooks/quickstart.ffnb -p num_epochs=100000 --output \(TmuxTerminal.shellQuoted(output)); echo EXIT=$?; sleep 60")
    defer { term.close() }
    _ = try term.waitFor("Layer 1 :")
    try term.keys("C-c")
    let text = try term.waitFor("EXIT=", timeout: .seconds(30))
    #expect(text.contains("interrupted: layer 1 stopped after epoch"))
    #expect(text.contains("stopped by Ctrl-C in cell 5 learn"))
    #expect(text.contains("EXIT=130"))
    #expect(!text.contains("── [6/6] evaluate"), "no cell runs after the interrupted one")
    let notebook = try String(contentsOfFile: output, encoding: .utf8)
    #expect(notebook.contains("\"nbformat\": 4"))
    #expect(notebook.contains("interrupted: layer 1 stopped after epoch"))
  }
}
