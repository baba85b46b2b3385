import FFLanguage
import FFNotebook
import FFTestSupport
import Foundation
import Testing
@testable import FFREPL

/// Stale cells, the session record and cell editing through the REPL loop, in process on the
/// tiny data set (no binary, no terminal).
@Suite("REPL: stale cells, record, editing")
struct ReactiveREPLTests {
  final class Output: @unchecked Sendable {
    var text = ""
  }

  /// A REPL stepping through `text` (written to a temporary notebook file) fed `lines`.
  func repl(_ lines: [String], text: String = TinyData.notebookText, editor: String? = nil, file: URL? = nil) throws -> (output: String, repl: InteractiveSession) {
    let output = Output()
    let console = Console { output.text += $0 }
    let url = file ?? FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-repl-\(UUID().uuidString).ffnb")
    if file == nil { try Data(text.utf8).write(to: url) }
    let notebook = Notebook.parse(text: try String(contentsOf: url, encoding: .utf8), path: url.path).0
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: console)
    let session = InteractiveSession(runner: runner, stepping: true, reader: PlainLineReader(lines: lines))
    session.editorCommand = editor
    _ = session.run()
    return (output.text, session)
  }

  @Test("a re-run build marks learn and evaluate stale with reasons; the prompt shows it; :run stale brings them back")
  func runStale() throws {
    let (output, session) = try repl([":all", ":run model"])
    #expect(output.contains("note: this replaces the model 784-20-10 that had been trained (steps per layer: layer 1: 4, layer 2: 4)"))
    let table = session.cellsListing()
    #expect(table.contains("learn every=2  (model rebuilt by cell 4)"))
    #expect(table.contains("predict train  (model rebuilt by cell 4)"))
    #expect(session.prompt == "[5/6 learn*] ffnb> ")
    let (after, again) = try repl([":all", ":run model", ":run stale", ":run stale"])
    #expect(!again.cellsListing().contains("stale"))
    #expect(after.contains("no cell is stale"))
    #expect(again.prompt == "[5/6 learn] ffnb> " || again.prompt == "[end] ffnb> ")
  }

  @Test("set then :hyper shows the value the next learn uses")
  func hyperFollowsVariable() throws {
    let (output, _) = try repl([":all", "set lr = 0.2", ":hyper"])
    #expect(output.contains("lr        = 0.2  (follows variable lr; the model has 0.05 until the next learn)"))
  }

  @Test(":edit of the learn cell marks it and the evaluate cell stale")
  func edit() throws {
    let (output, session) = try repl([":all", ":edit learn"], editor: "sed -i 's/every=2/every=1/'")
    #expect(session.notebook.cells[4].source == "learn every=1")
    let table = session.cellsListing()
    #expect(table.contains("learn every=1  (source edited since it ran)"))
    #expect(table.contains("predict train  (depends on stale cell 5)"))
    #expect(output.contains("edited cell 5 learn; stale: 5 (source edited since it ran), 6 (depends on stale cell 5)"))
  }

  @Test(":write saves edited cells atomically and refuses when the file changed on disk; :reload takes outside edits")
  func writeAndReload() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-write-\(UUID().uuidString).ffnb")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(TinyData.notebookText.utf8).write(to: url)
    let (_, session) = try repl([":all", ":edit evaluate", ":write"], editor: "sed -i 's/predict test/predict test confusion=true/'", file: url)
    #expect(try String(contentsOf: url, encoding: .utf8).contains("predict test confusion=true"))
    #expect(session.failures == 0)

    // Someone else edits the file: :write refuses, :reload takes it and marks the cell stale.
    let changed = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "learn every=2", with: "learn every=4")
    let (output, other) = try repl([":all", "", ":write"], file: url)
    _ = output
    try Data(changed.utf8).write(to: url)
    other.handle(":write")
    #expect(other.failures == 1)
    other.handle(":reload")
    #expect(other.notebook.cells[4].source == "learn every=4")
    #expect(other.cellsListing().contains("learn every=4  (source edited since it ran)"))
    other.handle(":write")
    #expect(other.failures == 1, "after :reload the file on disk is what the session read")
  }

  @Test("a scripted session saved with :save replays to the same numbers")
  func saveReplays() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-record-\(UUID().uuidString).ffnb").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (output, _) = try repl(["", "", "", "set lr = 0.02", "", "learn epochs=3", ":run model", ":run stale", ":run evaluate", "predict test", ":save \(path)"])
    let accuracies = output.split(separator: "\n").filter { $0.contains("accuracy:") }
    #expect(accuracies.count == 3)
    let record = try String(contentsOfFile: path, encoding: .utf8)
    let captured = Output()
    let (notebook, diagnostics) = Notebook.parse(text: record, path: path)
    #expect(diagnostics.isEmpty)
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: Console { captured.text += $0 })
    #expect(runner.runAll() == nil)
    #expect(captured.text.split(separator: "\n").filter { $0.contains("accuracy:") } == accuracies)
  }

  @Test("reactive mode re-runs stale cells; a cell that trains asks first")
  func reactive() throws {
    let (output, session) = try repl([":all", ":reactive on", "set epochs = 2", ":cells"])
    // Piped input cannot answer, so the learn cell is left stale and says so.
    #expect(output.contains("(cell 5 learn left stale; :run stale runs it)"))
    let table = session.cellsListing()
    #expect(table.contains("build dims=dims epochs=epochs lr=lr thr") && !table.contains("stale       build"))
    #expect(table.contains("stale       learn every=2"))
  }

  @Test("IPython habits get pointers; help takes a bare topic")
  func habits() throws {
    let (output, session) = try repl(["exit", "learn?", "help :run", "set lr = 0.3", "help lr"])
    #expect(output.contains("hint: ffnb's REPL leaves with :q (or Ctrl-D)"))
    #expect(output.contains("learn: train the layers: greedily one after another, or all together on mini-batches"))
    #expect(output.contains(":run N|N-M|name|stale: run cell N"))
    #expect(output.contains("invalid choice 'lr' for 'command'"))
    #expect(session.failures == 1)
  }
}
