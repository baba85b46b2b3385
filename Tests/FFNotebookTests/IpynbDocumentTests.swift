import FFLanguage
import Foundation
import Testing

@testable import FFNotebook

/// Executed and converted notebooks from a real run of the interpreter (commands that need no
/// data), read back with a standard JSON parser.
@Suite struct IpynbDocumentTests {
  static let source = """
    %% markdown intro
    # Title

    %% code params [parameters]
    set n = 3
    set word = "x"

    %% code first [demo]
    print "n is" n

    %% code idle [skip]
    print "not run"

    %% code boom
    print "before"
    lern epochs=3

    %% code after
    print "never"
    """

  /// Runs `source` with colour on (so escape codes reach the recorder) and `-p n=5`.
  static func executed() throws -> (document: [String: Any], cells: [[String: Any]]) {
    let (notebook, diagnostics) = Notebook.parse(text: source, path: "t.ffnb")
    #expect(!diagnostics.contains { $0.severity == .error })
    let console = Console(isTerminal: false, useColor: true) { _ in }
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: console, overrides: [("n", .int(5))])
    #expect(runner.runAll() == 5)
    let text = IpynbDocument(runner: runner, ffnbVersion: "9.9.9", outputPath: "out.ipynb").encoded()
    #expect(!text.contains("\u{1B}"), "escape codes in the notebook")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return (document, try #require(document["cells"] as? [[String: Any]]))
  }

  static func outputs(_ cell: [String: Any]) -> [[String: Any]] { cell["outputs"] as? [[String: Any]] ?? [] }
  static func metadata(_ cell: [String: Any], _ key: String) -> [String: Any] {
    (cell["metadata"] as? [String: Any])?[key] as? [String: Any] ?? [:]
  }
  static func joined(_ lines: Any?) -> String? { (lines as? [String])?.joined() }

  @Test func cellsInOrderWithInjectedParametersAfterTheParametersCell() throws {
    let (document, cells) = try Self.executed()
    #expect(cells.map { $0["id"] as? String } == [
      "cell-1-intro", "cell-2-params", "injected-parameters-2", "cell-3-first", "cell-4-idle", "cell-5-boom", "cell-6-after",
    ])
    #expect(cells.map { $0["execution_count"] as? Int } == [nil, 1, nil, 2, nil, 3, nil])
    #expect(document["nbformat"] as? Int == 4 && document["nbformat_minor"] as? Int == 5)
    let injected = cells[2]
    #expect(Self.joined(injected["source"]) == "set n = 5")
    #expect((injected["metadata"] as? [String: Any])?["tags"] as? [String] == ["injected-parameters"])
    #expect(Self.metadata(injected, "papermill")["status"] as? String == "completed")
    // Each exported code cell first states who it is, so every Jupyter client runs it as `ffnb run` does.
    #expect(Self.joined(cells[1]["source"]) == "#| name: params\nset n = 3\nset word = \"x\"")
    #expect((cells[1]["metadata"] as? [String: Any])?["tags"] as? [String] == ["parameters"])
    #expect((cells[3]["metadata"] as? [String: Any])?["name"] as? String == "first")
  }

  @Test func markdownCellsHaveNoOutputsOrCounts() throws {
    let (_, cells) = try Self.executed()
    #expect(cells[0]["cell_type"] as? String == "markdown")
    #expect(cells[0]["outputs"] == nil && cells[0]["execution_count"] == nil)
    #expect(Self.joined(cells[0]["source"]) == "# Title")
  }

  @Test func printedTextIsAStreamWithoutTheTerminalHeader() throws {
    let (_, cells) = try Self.executed()
    let outputs = Self.outputs(cells[3])
    #expect(outputs.count == 1)
    #expect(outputs.first?["output_type"] as? String == "stream")
    #expect(outputs.first?["name"] as? String == "stdout")
    #expect(Self.joined(outputs.first?["text"]) == "n is 5\n")
  }

  @Test func failingCellHasItsErrorOnceAndLaterCellsArePending() throws {
    let (document, cells) = try Self.executed()
    let boom = Self.outputs(cells[5])
    #expect(boom.map { $0["output_type"] as? String } == ["stream", "error"])
    #expect(Self.joined(boom.first?["text"]) == "before\n", "the diagnostic is not printed twice")
    let error = boom.last ?? [:]
    #expect(error["ename"] as? String == "FFNBError")
    #expect((error["evalue"] as? String)?.contains("unknown command 'lern'") == true)
    let traceback = error["traceback"] as? [String] ?? []
    #expect(traceback.count == 3 && traceback.last?.contains("^~~~") == true, "\(traceback)")
    #expect(Self.metadata(cells[5], "papermill")["status"] as? String == "failed")
    #expect(Self.metadata(cells[5], "papermill")["exception"] as? Bool == true)

    for (index, status) in [(4, "skipped"), (6, "not run")] {
      #expect(Self.outputs(cells[index]).isEmpty)
      #expect(Self.metadata(cells[index], "papermill")["status"] as? String == "pending")
      #expect(Self.metadata(cells[index], "ffnb")["status"] as? String == status)
      #expect(Self.metadata(cells[index], "execution").isEmpty)
    }
    #expect(Self.metadata(cells[6], "papermill")["start_time"] is NSNull)
    let papermill = (document["metadata"] as? [String: Any])?["papermill"] as? [String: Any] ?? [:]
    #expect(papermill["exception"] as? Bool == true)
    #expect((papermill["parameters"] as? [String: Any])?["n"] as? Int == 5)
    #expect(papermill["output_path"] as? String == "out.ipynb")
  }

  @Test func ranCellsRecordTheirTimes() throws {
    let (_, cells) = try Self.executed()
    for cell in [cells[1], cells[3], cells[5]] {
      let papermill = Self.metadata(cell, "papermill")
      let start = try #require(papermill["start_time"] as? String)
      let end = try #require(papermill["end_time"] as? String)
      #expect(start.count == 26 && start <= end, "\(start) ... \(end)")
      #expect((papermill["duration"] as? Double).map { $0 >= 0 } == true)
      let execution = Self.metadata(cell, "execution")
      #expect(execution["iopub.status.busy"] as? String == start + "Z")
      #expect(execution["shell.execute_reply"] as? String == end + "Z")
    }
  }

  @Test func notebookMetadataNamesTheKernelAndVersion() throws {
    let (document, _) = try Self.executed()
    let metadata = try #require(document["metadata"] as? [String: Any])
    #expect(metadata["kernelspec"] as? [String: String] == ["name": "ffnb", "display_name": "ffnb", "language": "ffnb"])
    let language = try #require(metadata["language_info"] as? [String: String])
    #expect(language["name"] == "ffnb" && language["file_extension"] == ".ffnb" && language["version"] == "9.9.9")
    #expect((metadata["ffnb"] as? [String: String])?["version"] == "9.9.9")
  }

  @Test func exportWithoutRunningHasNoOutputsOrCounts() throws {
    let (notebook, _) = Notebook.parse(text: Self.source, path: "t.ffnb")
    let text = IpynbDocument(notebook: notebook, ffnbVersion: "1").encoded()
    let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let cells = try #require(document["cells"] as? [[String: Any]])
    #expect(cells.count == notebook.cells.count)
    for (cell, original) in zip(cells, notebook.cells) {
      let identity = original.kind == .code ? (original.name.map { "#| name: \($0)" } ?? "#| cell: \(original.index)") + "\n" : ""
      #expect(Self.joined(cell["source"]) ?? "" == identity + original.source)
      #expect((cell["metadata"] as? [String: Any])?["papermill"] == nil)
      if original.kind == .code {
        #expect(cell["execution_count"] is NSNull)
        #expect(Self.outputs(cell).isEmpty && cell["outputs"] != nil)
      }
    }
    #expect((document["metadata"] as? [String: Any])?["papermill"] == nil)
    #expect(text == IpynbDocument(notebook: notebook, ffnbVersion: "1").encoded(), "same notebook, same file")
  }

  @Test func displaysCarrySVGAndTextFallback() throws {
    let (notebook, _) = Notebook.parse(text: "%% code plot\nplot loss\n", path: "p.ffnb")
    var record = CellRecord()
    record.status = .ok
    record.executionCount = 1
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"5\">\n<rect width=\"10\" height=\"5\"/>\n</svg>\n"
    record.outputs = [.text("\u{1B}[1mloss\u{1B}[0m\n"), .display(DisplayData(text: "chart", svg: svg)), .display(DisplayData(text: "text only"))]
    var document = IpynbDocument(notebook: notebook, ffnbVersion: "1")
    document.records = [record]
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document.encoded().utf8)) as? [String: Any])
    let outputs = Self.outputs(try #require((parsed["cells"] as? [[String: Any]])?.first))
    #expect(outputs.map { $0["output_type"] as? String } == ["stream", "display_data", "display_data"])
    #expect(Self.joined(outputs[0]["text"]) == "loss\n")
    let data = try #require(outputs[1]["data"] as? [String: Any])
    #expect(Self.joined(data["image/svg+xml"]) == svg)
    #expect(Self.joined(data["text/plain"]) == "chart")
    #expect((outputs[2]["data"] as? [String: Any])?.keys.sorted() == ["text/plain"])
  }
}
