import ArgumentParser
import FFLanguage
import FFNotebook
import FFREPL
import Foundation

/// `ffnb repl [NOTEBOOK]` (and plain `ffnb`): an empty session, or `step` when given a notebook.
struct Repl: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open an interactive session (empty, or stepping through NOTEBOOK as `ffnb step` does).",
    discussion: "History is kept in $FFNB_HISTORY, else $XDG_STATE_HOME/ffnb/history, else ~/.ffnb_history.")

  @ArgumentParser.Argument(help: "A .ffnb notebook to step through.", completion: .file(extensions: ["ffnb"]))
  var notebook: String?

  @OptionGroup var options: SessionOptions

  @OptionGroup var snapshots: SnapshotOptions

  @Flag(help: "With standard input not a terminal: print each line read after its prompt (`ffnb> learn`) before its output.")
  var echo = false

  func validate() throws {
    if notebook == nil && !options.parameters.isEmpty {
      throw ValidationError("-p overrides a notebook's parameters; give a notebook (ffnb repl NOTEBOOK -p name=value)")
    }
  }

  func run() throws {
    try ReplLauncher.start(notebook: notebook, options: options, snapshotBudget: snapshots.snapshotBudget, echo: echo)
  }
}

/// Wires a session, a notebook runner and a line reader together for `step` and `repl`.
enum ReplLauncher {
  /// `echo`: with piped input, print each line read after its prompt (`--echo`); a terminal
  /// shows typed lines already.
  static func start(notebook path: String?, options: SessionOptions, snapshotBudget: SnapshotBudget = .standard, echo: Bool = false) throws {
    try options.applyThreads()
    let console = Console.standardOutput()
    let notebook: Notebook
    var overrides: [(name: String, value: Value)] = []
    let base: URL?
    var parseDiagnostics: [Diagnostic] = []
    if let path {
      (notebook, parseDiagnostics) = try NotebookLoading.read(path)
      overrides = try NotebookLoading.overrides(options.parameters)
      base = URL(fileURLWithPath: path).deletingLastPathComponent()
    } else {
      notebook = Notebook(path: "untitled.ffnb", cells: [])
      base = nil
    }
    let runner: NotebookRunner
    do {
      runner = try NotebookRunner(notebook: notebook, session: options.session(baseDirectory: base), console: console, overrides: overrides)
    } catch {
      NotebookLoading.printError(error.rendered(sourceLine: nil, color: false))
      throw ExitCode(2)
    }
    if path != nil { try NotebookCheck.beforeRunning(notebook, parse: parseDiagnostics, overrides: overrides) }
    runner.interpreter.cache = options.resultCache(beside: path)
    let reader: LineReader
    let piped = isatty(STDIN_FILENO) != 1
    if !piped {
      reader = TerminalLineReader(historyPath: HistoryFile.current) { [unowned runner] in
        CompletionContext(
          variables: runner.session.environment.names, cellNames: runner.notebook.cellNames,
          datasets: runner.session.datasetOrder, baseDirectory: runner.session.baseDirectory.path)
      }
    } else {
      let plain = PlainLineReader()
      if echo { plain.echo = { console.emit($0 + "\n") } }
      reader = plain
    }
    let session = InteractiveSession(runner: runner, stepping: path != nil, reader: reader)
    session.setSnapshotBudget(snapshotBudget)
    if piped {
      // Standard output keeps the results; errors go where errors go.
      session.errorOutput = { FileHandle.standardError.write(Data($0.utf8)) }
    }
    let status = session.run()
    if status != 0 { throw ExitCode(status) }
  }
}
