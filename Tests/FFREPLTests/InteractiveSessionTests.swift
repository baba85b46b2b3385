import FFLanguage
import FFNotebook
import FFTestSupport
import Foundation
import Testing
@testable import FFREPL

/// The REPL loop driven by scripted lines (the same reader piped input uses), with output
/// captured: no terminal, no data files.
@Suite("REPL loop")
struct InteractiveSessionTests {
  static let notebookText = """
    %% markdown
    # Tiny
    Two code cells and a failing one.

    %% code params [parameters]
    set a = 2

    %% code double
    set b = a * 2
    print "b is" b

    %% code broken
    print nope

    %% code last
    print "last"
    """

  final class Output: @unchecked Sendable {
    var text = ""
  }

  /// Runs `lines` in a REPL over the tiny notebook (or an empty session); returns the output and status.
  func run(_ lines: [String], stepping: Bool = true) throws -> (output: String, status: Int32, repl: InteractiveSession) {
    let output = Output()
    let console = Console { output.text += $0 }
    let notebook = stepping ? Notebook.parse(text: Self.notebookText, path: "tiny.ffnb").0 : Notebook(path: "untitled.ffnb", cells: [])
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: console)
    let repl = InteractiveSession(runner: runner, stepping: stepping, reader: PlainLineReader(lines: lines))
    let status = repl.run()
    return (output.text, status, repl)
  }

  @Test("markdown under the cursor is printed at once; the prompt names the cursor's cell")
  func startsOnFirstCodeCell() throws {
    let (output, status, repl) = try run([])
    #expect(output.contains("# Tiny") || output.contains("Tiny"))
    #expect(repl.cursor == 2)
    #expect(repl.prompt == "[2/5 params] ffnb> ")
    #expect(status == 0)
  }

  @Test("empty lines step through the cells; a failing cell keeps the cursor and the exit status says so")
  func stepping() throws {
    let (output, status, repl) = try run(["", "", ""])
    #expect(output.contains("b is 4"))
    #expect(output.contains("tiny.ffnb:13:7: error:"))
    #expect(repl.cursor == 4, "the cursor stays on the failing cell")
    #expect(status == 1)
  }

  @Test("a typed fix, then Enter retries the failed cell; typed lines change the session")
  func typedLinesAndRetry() throws {
    let (output, status, repl) = try run(["", "", "", "set nope = 7", "", "", ":again"])
    #expect(output.contains("\n7\n"))
    #expect(output.components(separatedBy: "\nlast\n").count == 3, "cell 5 ran twice: :again re-ran it")
    #expect(repl.prompt == "[end] ffnb> ")
    #expect(repl.runner.log.typedCount == 1)
    #expect(status == 1, "the first run of cell 4 failed")
  }

  @Test(":run by number, range and name; bad selections name what exists")
  func runSelections() throws {
    let (output, _, repl) = try run([":run params", ":run 3", ":run 9", ":run 2-7", ":run doubel", ":run 5"])
    #expect(output.contains("b is 4"))
    #expect(output.contains("error: :run 9: there is no cell 9; the notebook has cells 1-5"))
    #expect(output.contains("error: :run 2-7: the notebook has cells 1-5"))
    #expect(output.contains("error: :run doubel: no cell is named 'doubel'; did you mean 'double'?"))
    #expect(repl.cursor == 6)
  }

  @Test(":cells lists status, counts and the cursor; :show prints a cell")
  func cellsAndShow() throws {
    let (output, _, _) = try run(["", "", ":cells", ":show", ":show double"])
    let table = output.components(separatedBy: "\n").filter { $0.contains("code") && $0.contains("[") }
    #expect(table.contains { $0.contains("params") && $0.contains("[1]") && $0.contains("ok") })
    #expect(table.contains { $0.hasPrefix(">") && $0.contains("broken") && $0.contains("not run") })
    #expect(output.contains("%% code broken   (cell 4/5)\nprint nope\n"))
    #expect(output.contains("%% code double   (cell 3/5)\nset b = a * 2\nprint \"b is\" b\n"))
  }

  @Test("errors in typed lines show a caret and keep the session")
  func errorsKeepState() throws {
    let (output, status, _) = try run(["set x = 3", "print x +", "print x * 2", ":vars", ":frob"], stepping: false)
    #expect(output.contains("<input>:1:10: error:"))
    #expect(output.contains("\n6\n"))
    #expect(output.contains("x = 3  (int)"))
    #expect(output.contains("error: unknown meta-command ':frob'; :help lists them"))
    #expect(status == 1)
  }

  @Test("an unclosed bracket continues on the next line")
  func continuation() throws {
    let (output, _, repl) = try run(["set dims = [784,", "  200, 10]", "print dims"], stepping: false)
    #expect(output.contains("[784, 200, 10]"))
    let record = repl.runner.log.notebook(path: "x.ffnb")
    #expect(record.cells.map(\.source) == ["set dims = [784,\n  200, 10]", "print dims"])
    #expect(record.cells.map(\.name) == ["typed-1", "typed-2"])
  }

  @Test(":save writes what ran in execution order: cells, typed lines where they ran, re-runs; it parses back")
  func save() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-save-\(UUID().uuidString).ffnb").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (output, _, repl) = try run(["", "set a = 5", "print a", "", "print \"again\"", ":run params", ":save \(path)"])
    #expect(output.contains("saved the session record to \(path): 6 code cells in the order they ran (3 typed lines)"))
    #expect(repl.unsavedTypedCount == 0)
    let (saved, diagnostics) = try Notebook.load(path: path)
    #expect(diagnostics.isEmpty, "a rerun cell repeats a name on purpose: no warning")
    #expect(saved.cells.map { $0.name ?? "-" } == ["-", "params", "typed-1", "typed-2", "double", "typed-3", "params"])
    #expect(saved.cells.map(\.tags) == [[], ["parameters"], [], [], [], [], ["parameters", "rerun"]])
    #expect(saved.cells[2].source == "set a = 5")
    #expect(saved.cells[4].source == "set b = a * 2\nprint \"b is\" b")
  }

  @Test(":save to a directory that does not exist reports it and keeps the typed cells unsaved")
  func saveFailure() throws {
    let (output, _, repl) = try run(["print 1", ":save /nonexistent-ffnb-dir/x.ffnb"], stepping: false)
    #expect(output.contains("error: cannot write /nonexistent-ffnb-dir/x.ffnb"))
    #expect(repl.unsavedTypedCount == 1)
  }

  @Test(":time runs the line and prints the time; :history lists entries; :help lists every meta-command")
  func timeHistoryHelp() throws {
    let (output, _, _) = try run([":time print \"timed\"", ":history", ":help"], stepping: false)
    #expect(output.contains("timed\ntime: "))
    #expect(output.contains("1  :time print \"timed\"\n2  :history\n"))
    for spec in MetaCommandSpec.all { #expect(output.contains(":" + spec.name)) }
  }

  @Test("nested :time is refused at once, in time linear in the line", .timeLimit(.minutes(1)))
  func nestedTime() throws {
    // 4,000 nested :time took 57 s (release) before, and the recursion was as deep as the
    // nesting; now the line is refused before anything runs. The limit is a hang guard.
    let line = String(repeating: ":time ", count: 50_000) + "print 1"
    let (output, status, repl) = try run([line, "print 2"], stepping: false)
    #expect(output.contains("error: :time cannot time another :time; time the command itself, as in :time learn epochs=5\n"))
    #expect(!output.contains("1\n"))
    #expect(output.contains("2\n"))
    #expect(status == 1)
    #expect(repl.failures == 1)
  }

  @Test("a statement continued over many lines is read in time linear in its lines", .timeLimit(.minutes(1)))
  func longContinuation() throws {
    // 20,000 continuation lines took more than 120 s (release): every line lexed all the
    // text read so far again. The limit is a hang guard.
    let lines = ["set l = ["] + Array(repeating: "1,", count: 20_000) + ["]", "print 7"]
    let (output, status, repl) = try run(lines, stepping: false)
    #expect(status == 0, "\(output.prefix(500))")
    #expect(output == "7\n")
    #expect(repl.runner.session.environment["l"]?.listValue?.count == 20_000)
  }

  @Test("`show cells` inside the language shows the REPL's cursor")
  func showCells() throws {
    let (output, _, _) = try run(["show cells"])
    #expect(output.contains(">  2 code params"))
  }

  @Test(":quit stops reading")
  func quit() throws {
    let (output, _, _) = try run([":q", "print \"not reached\""], stepping: false)
    #expect(!output.contains("not reached"))
  }
}
