import Testing

@testable import FFLanguage

@Suite("Notebook format")
struct NotebookFormatTests {
  static let sample = """
    # implicit cell: before any header
    seed 0

    %% markdown
    # Data loading and transforms
    Plain markdown prose lines.

    %% code data [parameters]
    # comments in code cells
    set train_size = 10000


    %% md notes
    text
    %%code   main   [skip,raises]
    learn
    """

  @Test("cells, kinds, names, tags, sources and lines")
  func cells() throws {
    let (nb, diagnostics) = Notebook.parse(text: Self.sample, path: "nb.ffnb")
    #expect(diagnostics.isEmpty)
    #expect(nb.cells.count == 5)
    #expect(nb.cells.map(\.index) == [1, 2, 3, 4, 5])
    #expect(nb.cells.map(\.kind) == [.code, .markdown, .code, .markdown, .code])
    #expect(nb.cells.map(\.name) == [nil, nil, "data", "notes", "main"])
    #expect(nb.cells.map(\.tags) == [[], [], ["parameters"], [], ["skip", "raises"]])
    #expect(nb.cells.map(\.firstLine) == [1, 5, 9, 14, 16])
    #expect(nb.cells.map(\.headerLine) == [nil, 4, 8, 13, 15])
    #expect(nb.cells[0].source == "# implicit cell: before any header\nseed 0")
    #expect(nb.cells[1].source == "# Data loading and transforms\nPlain markdown prose lines.")
    #expect(nb.cells[2].source == "# comments in code cells\nset train_size = 10000")
    #expect(nb.cells[4].source == "learn")
    #expect(nb.cells[2].isParameters && !nb.cells[2].isSkipped)
    #expect(nb.cells[4].isSkipped && nb.cells[4].expectsError)
    #expect(nb.cells.map(\.displayName) == ["1", "2", "3 data", "4 notes", "5 main"])
    #expect(nb.cell("data")?.index == 3)
    #expect(nb.cell("5")?.name == "main")
    #expect(nb.cell("nope") == nil)
    #expect(nb.codeCells.count == 3)
  }

  @Test("serialization round-trips, line numbers included")
  func roundTrip() {
    let (nb, _) = Notebook.parse(text: Self.sample, path: "nb.ffnb")
    let text = nb.serialized()
    let (again, diagnostics) = Notebook.parse(text: text, path: "nb.ffnb")
    #expect(diagnostics.isEmpty)
    #expect(again == nb)
    #expect(text.contains("%% code main [skip, raises]\n"))
    #expect(text.contains("%% markdown notes\n"))
    #expect(again.serialized() == text)
  }

  @Test("notebooks built in code serialize to parseable text")
  func builtInCode() {
    let nb = Notebook(
      path: "x.ffnb",
      cells: [
        Cell(index: 1, kind: .markdown, source: "# Title", firstLine: 1, headerLine: 1),
        Cell(index: 2, kind: .code, name: "main", tags: ["skip"], source: "seed 1\nlearn", firstLine: 1, headerLine: 1),
      ])
    let text = nb.serialized()
    #expect(text == "%% markdown\n# Title\n\n%% code main [skip]\nseed 1\nlearn\n")
    let parsed = notebook(text)
    #expect(parsed.cells.map(\.source) == ["# Title", "seed 1\nlearn"])
    #expect(parsed.cells[1].tags == ["skip"])
  }

  @Test("blank lines: leading kept, trailing dropped, empty cells kept")
  func blankLines() {
    let nb = notebook("\n\n%% code\n\n  \nseed 1\n\n\n%% code empty\n%% markdown\n")
    #expect(nb.cells.count == 3)
    #expect(nb.cells[0].source == "\n  \nseed 1")
    #expect(nb.cells[0].firstLine == 4)
    #expect(nb.cells[1].source == "")
    #expect(nb.cells[1].name == "empty")
    #expect(nb.cells[2].kind == .markdown)
    #expect(notebook("").cells.isEmpty)
    #expect(notebook("\n \n").cells.isEmpty)
    #expect(Notebook.parse(text: "\n\n%% code\n\n  \nseed 1\n\n\n%% code empty\n%% markdown\n", path: "p").0.serialized()
      == "\n\n%% code\n\n  \nseed 1\n\n\n%% code empty\n%% markdown\n")
  }

  @Test("CRLF line endings and a byte-order mark")
  func lineEndings() {
    let bytes = Array("\u{FEFF}%% code a\r\nseed 1\r\n".utf8)
    let (nb, diagnostics) = Notebook.parse(bytes: bytes, path: "w.ffnb")
    #expect(diagnostics.isEmpty)
    #expect(nb.cells.first?.name == "a")
    #expect(nb.cells.first?.source == "seed 1")
  }

  @Test("header problems are diagnostics and the cell is kept", arguments: [
    ("%% python", "unknown cell kind 'python'; expected code, markdown or md", 4, Diagnostic.Severity.error),
    ("%% cod", "unknown cell kind 'cod'; did you mean 'code'?; expected code, markdown or md", 4, .error),
    ("%%", "cell header needs a kind: '%% code' or '%% markdown'", 1, .error),
    ("%% code my.cell", "cell name 'my.cell' may only contain letters, digits, '_' and '-'", 9, .error),
    ("%% code a [parameters", "unclosed '[' in cell header: tags are written [tag, tag]", 11, .error),
    ("%% code a [parameters] extra", "unexpected 'extra' in cell header; expected '%% kind [name] [tag, ...]'", 24, .error),
    ("%% code a b", "unexpected 'b' in cell header; expected '%% kind [name] [tag, ...]'", 11, .error),
    ("%% code [skip, skip]", "duplicate tag 'skip'", 16, .warning),
    ("%% code [paramters]", "unknown tag 'paramters'; did you mean 'parameters'?; known tags: parameters, skip, raises, rerun, injected-parameters (kept, but it has no effect)", 10, .warning),
    ("%% code [, skip]", "empty tag in cell header", 10, .error),
    ("%% code [bad tag]", "tag 'bad tag' may only contain letters, digits, '_' and '-'", 10, .error),
  ])
  func headerErrors(_ header: String, _ message: String, _ column: Int, _ severity: Diagnostic.Severity) throws {
    let (nb, diagnostics) = Notebook.parse(text: "seed 0\n" + header + "\nlearn\n", path: "nb.ffnb")
    #expect(nb.cells.count == 2)
    #expect(nb.cells[1].source == "learn")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.message == message)
    #expect(diagnostic.severity == severity)
    #expect(diagnostic.location == SourceLocation(file: "nb.ffnb", cell: 2, line: 2, column: column))
  }

  @Test("unknown tags are kept; an unknown kind is checked as code")
  func keptTags() {
    let (nb, _) = Notebook.parse(text: "%% code [slow, skip]\nlearn\n%% pyton\nseed 1\n", path: "nb.ffnb")
    #expect(nb.cells[0].tags == ["slow", "skip"])
    #expect(nb.cells[1].kind == .code)
  }

  @Test("duplicate cell names warn")
  func duplicateNames() {
    let (_, diagnostics) = Notebook.parse(text: "%% code a\nseed 1\n%% code a\nlearn\n", path: "nb.ffnb")
    #expect(diagnostics.map(\.message) == ["duplicate cell name 'a' (cell 1 has it too); selecting it picks cell 1"])
    #expect(diagnostics.first?.location.line == 3)
  }

  @Test("loading a missing file is a whole-file diagnostic")
  func missingFile() {
    #expect(throws: Diagnostic.self) { try Notebook.load(path: "/nonexistent/dir/x.ffnb") }
    do {
      _ = try Notebook.load(path: "/nonexistent/dir/x.ffnb")
    } catch {
      #expect(error.description == "/nonexistent/dir/x.ffnb: error: cannot read notebook: no such file")
    }
  }
}
