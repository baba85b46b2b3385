import ArgumentParser
import FFLanguage
import FFNotebook
import FFREPL
import Foundation

/// `ffnb run NOTEBOOK`: every cell in order, as Jupyter's "Run All".
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay every cell of a notebook in order, printing each cell's output.",
    discussion: """
      Exits with status 1 when a cell fails (cells tagged [raises] may fail) or the executed \
      notebook cannot be written, 2 when the notebook cannot be read or checking it (as \
      `ffnb check` does, before any cell runs) finds an error, 130 when stopped with \
      Ctrl-C (on a terminal, `learn` then stops at the next epoch boundary and the run ends \
      after that cell). With --output, the executed notebook is written even when a cell \
      failed or the run was stopped, as papermill does.
      """)

  @ArgumentParser.Argument(help: "The .ffnb notebook to run.", completion: .file(extensions: ["ffnb"]))
  var notebook: String

  @OptionGroup var options: SessionOptions

  @Option(name: [.customShort("o"), .customLong("output")],
          help: ArgumentHelp("Also write the executed notebook as Jupyter .ipynb, with outputs, plots and timings.", valueName: "path"),
          completion: .file(extensions: ["ipynb"]))
  var output: String?

  func run() throws {
    try options.applyThreads()
    let (nb, parseDiagnostics) = try NotebookLoading.read(notebook)
    let overrides = try NotebookLoading.overrides(options.parameters)
    if let output {
      // Before the run, not after minutes of training.
      do {
        try IpynbDocument.refuseOverwriting(input: notebook, with: output)
        try IpynbDocument.checkWritable(output)
      } catch {
        NotebookLoading.printError(error.description)
        throw ExitCode(2)
      }
    }
    let console = Console.standardOutput()
    let session = options.session(baseDirectory: URL(fileURLWithPath: notebook).deletingLastPathComponent())
    let runner: NotebookRunner
    do {
      runner = try NotebookRunner(notebook: nb, session: session, console: console, overrides: overrides)
    } catch {
      NotebookLoading.printError(error.rendered(sourceLine: nil, color: false))
      throw ExitCode(2)
    }
    try NotebookCheck.beforeRunning(nb, parse: parseDiagnostics, overrides: overrides)
    runner.interpreter.cache = options.resultCache(beside: notebook)
    if isatty(STDIN_FILENO) == 1 {
      // Ctrl-C ends the run gently: `learn` stops at an epoch boundary, no later cell runs,
      // and the executed notebook is still written.
      Interrupt.install()
      session.shouldStop = { Interrupt.isRequested }
    }
    let failed = runner.runAll()
    if let cache = runner.interpreter.cache { NotebookLoading.printError(cache.summary) }
    if let output {
      do {
        try IpynbDocument(runner: runner, ffnbVersion: VersionInfo.version, outputPath: output).write(to: output)
        console.line("wrote executed notebook to \(VisibleText.escaping(output))")
      } catch {
        NotebookLoading.printError(error.description)
        throw ExitCode(1)
      }
    }
    if let failed {
      let cell = nb.cells[failed - 1]
      if runner.records[failed - 1].status == .failed {
        NotebookLoading.printError("\(nb.path): cell \(cell.displayName) failed; stopped there")
        throw ExitCode(1)
      }
      NotebookLoading.printError("\(nb.path): stopped by Ctrl-C in cell \(cell.displayName)")
      throw ExitCode(130)
    }
  }
}

/// Reading notebooks and `-p` values, with errors printed the same way by every subcommand.
enum NotebookLoading {
  /// Reads a notebook, exiting with status 2 only when the file cannot be read; the parse
  /// diagnostics are returned for `NotebookCheck` to report with the checker's.
  static func read(_ path: String) throws -> (Notebook, [Diagnostic]) {
    do {
      return try Notebook.load(path: path)
    } catch {
      printError(error.rendered(sourceLine: nil, color: false))
      throw ExitCode(2)
    }
  }

  /// Reads a notebook whose header problems are fatal (`export`): they are printed as `ffnb
  /// check` prints them, with the source line and a caret, and ffnb exits with status 2.
  static func load(_ path: String) throws -> Notebook {
    let (nb, diagnostics) = try read(path)
    let errors = diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
      NotebookCheck.report(errors, path: path)
      throw ExitCode(2)
    }
    return nb
  }

  static func overrides(_ texts: [String]) throws -> [(name: String, value: Value)] {
    var result: [(name: String, value: Value)] = []
    for text in texts {
      do {
        let (name, value) = try parseAssignment(text)
        result.append((name, value))
      } catch {
        printError(error.rendered(sourceLine: text, color: false))
        throw ExitCode(2)
      }
    }
    return result
  }

  /// Prints an error on standard error. Control characters (from a path or a notebook) are
  /// shown, not sent to the terminal.
  static func printError(_ text: String) {
    let visible = VisibleText.escaping(text)
    FileHandle.standardError.write(Data(("ffnb: " + visible + (visible.hasSuffix("\n") ? "" : "\n")).utf8))
  }
}
