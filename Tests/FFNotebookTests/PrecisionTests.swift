import FFKernels
import FFLanguage
import FFTestSupport
import Foundation
import Testing
@testable import FFNotebook

/// `precision`, `precision=` and `--precision`: where bf16 runs it says so once, where it
/// cannot it says why once and runs fp32; a change of precision makes learns stale; the session
/// record replays with the same precision.
@Suite struct PrecisionTests {
  func replay(_ record: Notebook) throws -> Captured {
    let (notebook, diagnostics) = Notebook.parse(text: record.serialized(), path: "record.ffnb")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let (runner, out) = try tinyRunner(notebook.serialized())
    #expect(runner.runAll() == nil)
    return out
  }

  @Test func theCommandSetsTheSessionsPrecisionAndLearnsReadIt() throws {
    let (runner, out) = try tinyRunner()
    for cell in 1...6 { runner.runCell(cell) }
    #expect(runner.session.precision == .fp32)
    #expect(!out.text.contains("bf16"))
    let report = runner.runTyped("precision bf16")
    #expect(report.error == nil)
    #expect(runner.session.precision == .bf16)
    // The learn and everything after it read the precision: stale, with the reason.
    let table = runner.cellsTable()
    #expect(table.contains("stale"), "\(table)")
    runner.runCell(5)
    let note = BF16.isAvailable ? "note: bf16 products on oneDNN" : "note: bf16 is not available here"
    #expect(out.text.components(separatedBy: note).count == 2, "the note once: \(out.text)")
    runner.runCell(5)
    #expect(out.text.components(separatedBy: note).count == 2, "still once")
    #expect(runner.runTyped("precision fp16").error != nil)
  }

  @Test func anArgumentOverridesTheSession() throws {
    let (runner, _) = try tinyRunner()
    for cell in 1...4 { runner.runCell(cell) }
    runner.session.precision = .bf16
    #expect(runner.runTyped("learn precision=fp32").error == nil)
    #expect(runner.session.model?.precision == .fp32)
    #expect(runner.runTyped("predict test").error == nil)
    #expect(runner.session.model?.precision == Precision.bf16.effective)
  }

  @Test func theRecordOfABF16SessionReplaysInBF16() throws {
    let captured = Captured()
    let (notebook, _) = Notebook.parse(text: TinyData.notebookText, path: "tiny.ffnb")
    let session = Session()
    session.precision = .bf16
    let runner = try NotebookRunner(notebook: notebook, session: session, console: Console { captured.text += $0 }, overrides: [])
    for cell in 1...6 { runner.runCell(cell) }
    let record = runner.log.notebook(path: "record.ffnb")
    #expect(record.cells.first { $0.name == "command-line" }?.source == "precision bf16")
    let replayed = try replay(record)  // in a session that starts in fp32
    #expect(replayed.accuracies == captured.accuracies)
    #expect(!captured.accuracies.isEmpty)
  }
}
