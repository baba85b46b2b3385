import FFTestSupport
import Foundation
import Testing

/// `ffnb` with standard input not a terminal: no prompts, no echo, no readline; output that
/// can be compared byte for byte.
@Suite("REPL on piped input", .enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)))
struct PipedTests {
  @Test("a script into an empty session: exact output, exit status 1 after a failed line, :save writes the typed cell")
  func emptySessionScript() throws {
    let saved = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-piped-\(UUID().uuidString).ffnb").path
    defer { try? FileManager.default.removeItem(atPath: saved) }
    let script = """
      set epochs = 3
      print "epochs" epochs * 2
      lern
      :nxt
      set dims = [784,
        10]
      print dims
      :vars
      :run 1
      :history
      :save \(saved)

      """
    let (stdout, stderr, status) = try runPiped([], input: script, environment: ["FFNB_HISTORY": "/dev/null"])
    // Results on standard output, errors on standard error.
    let expected = """
      epochs 6
      [784, 10]
      dims   = [784, 10]  (list)
      epochs = 3  (int)
      1  set epochs = 3
      2  print "epochs" epochs * 2
      3  lern
      4  :nxt
      5  set dims = [784,
           10]
      6  print dims
      7  :vars
      8  :run 1
      9  :history
      saved the session record to \(saved): 4 code cells in the order they ran (4 typed lines); `ffnb run \(saved)` replays it

      """
    #expect(stdout == expected)
    #expect(stderr == """
      <input>:1:1: error: unknown command 'lern'; did you mean 'learn'?
          1 | lern
            | ^~~~
      error: unknown meta-command ':nxt'; did you mean ':next'?
      error: :run 1: no notebook is open (`ffnb step NOTEBOOK` opens one)

      """)
    #expect(status == 1)
    let notebook = try String(contentsOfFile: saved, encoding: .utf8)
    // Each typed line is a cell named for its place in the session; the failed one is left out.
    #expect(notebook == """
      %% code typed-1
      set epochs = 3

      %% code typed-2
      print "epochs" epochs * 2

      %% code typed-4
      set dims = [784,
        10]

      %% code typed-5
      print dims

      """)
  }

  @Test("stepping through a notebook with empty lines prints exactly what `ffnb run` prints",
        .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func stepMatchesRun() throws {
    let notebook = "notebooks/quickstart.ffnb"
    let text = try String(contentsOfFile: Binary.packageRoot.appendingPathComponent(notebook).path, encoding: .utf8)
    let cells = text.components(separatedBy: "\n").filter { $0.hasPrefix("%% ") }.count
    // Markdown cells are printed as the cursor reaches them: one empty line per code cell.
    let codeCells = text.components(separatedBy: "\n").filter { $0.hasPrefix("%% code") }.count
    let run = try runPiped(["run", notebook], input: "")
    #expect(run.status == 0)
    let step = try runPiped(["step", notebook], input: String(repeating: "\n", count: codeCells + 1), environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(step.status == 0)
    #expect(step.stderr == "")
    // One empty line more than there are code cells: the REPL says the notebook has run to its end.
    let end = "all \(cells) cells have run; `:run N` runs one again, `:save PATH` writes the session record\n"
    #expect(maskTimings(step.stdout) == maskTimings(run.stdout) + end)
  }

  @Test("meta-commands in a piped step session: -p, :cells, :run by name, :again, a failing typed line",
        .enabled(if: Binary.hasMNIST, "needs data/mnist"))
  func stepMeta() throws {
    let script = """
      :run parameters
      print "seed is" seed_value
      :cells
      :show
      :run modle
      learn

      """
    let (stdout, stderr, status) = try runPiped(["step", "notebooks/quickstart.ffnb", "-p", "seed_value=7"], input: script,
                                                environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(stdout.contains("injected parameters: seed_value = 7\n"))
    #expect(stdout.contains("\nseed is 7\n"))
    let table = stdout.components(separatedBy: "\n")
    #expect(table.contains { $0.hasPrefix("   2 code parameters") && $0.contains("[1]") && $0.contains("ok") })
    #expect(table.contains { $0.hasPrefix(">  3 code data") && $0.contains("not run") })
    #expect(stdout.contains("%% code data   (cell 3/6)\nseed seed_value\n"))
    #expect(stderr.contains("error: :run modle: no cell is named 'modle'; did you mean 'model'?"))
    #expect(stderr.contains("<input>:1:1: error: no model yet"))
    #expect(!stdout.contains("error:"))
    #expect(status == 1)
  }

  /// A notebook that needs no data, in a fresh folder.
  func smallNotebook() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-piped-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("small.ffnb").path
    try """
      %% markdown
      # Title

      %% code one
      print "one"

      %% code two
      print "two"

      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test("--echo prints each line after its prompt before its output; errors still go to stderr")
  func echoEmptySession() throws {
    let script = """
      set epochs = 3
      print "epochs" epochs * 2
      lern
      set dims = [784,
        10]
      print dims

      """
    let (stdout, stderr, status) = try runPiped(["--echo"], input: script, environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(stdout == """
      ffnb> set epochs = 3
      ffnb> print "epochs" epochs * 2
      epochs 6
      ffnb> lern
      ffnb> set dims = [784,
      ...>   10]
      ffnb> print dims
      [784, 10]

      """)
    #expect(stderr == """
      <input>:1:1: error: unknown command 'lern'; did you mean 'learn'?
          1 | lern
            | ^~~~

      """)
    #expect(status == 1)
    // Without --echo, the same script prints only the results.
    let plain = try runPiped([], input: script, environment: ["FFNB_HISTORY": "/dev/null"])
    #expect(plain.stdout == "epochs 6\n[784, 10]\n")
  }

  @Test("step --echo shows the prompt with the cursor's cell before each cell and typed line")
  func echoStep() throws {
    let notebook = try smallNotebook()
    defer { try? FileManager.default.removeItem(atPath: (notebook as NSString).deletingLastPathComponent) }
    let (stdout, stderr, status) = try runPiped(["step", notebook, "--echo"], input: "\nprint 1 + 1\n\n:run 9\n",
                                                environment: ["FFNB_HISTORY": "/dev/null"])
    let rule = { (title: String) in "── \(title) " + String(repeating: "─", count: 72 - title.count - 4) }
    #expect(stdout == """

      \(rule("[1/3] markdown"))
      Title
      =====
      [2/3 one] ffnb>

      \(rule("[2/3] one"))
      one
      [3/3 two] ffnb> print 1 + 1
      2
      [3/3 two] ffnb>

      \(rule("[3/3] two"))
      two
      [end] ffnb> :run 9

      """)
    #expect(stderr == "error: :run 9: there is no cell 9; the notebook has cells 1-3\n")
    #expect(status == 1)
  }
}
