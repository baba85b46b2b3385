import ArgumentParser
import FFKernels
import FFLanguage
import FFNotebook
import Foundation

/// `ffnb check NOTEBOOK`: parse and validate without running anything.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Parse and validate a notebook without running it, reporting every problem found.")

  @ArgumentParser.Argument(help: "The .ffnb notebook to check.", completion: .file(extensions: ["ffnb"]))
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Check with this parameter override (repeatable).", valueName: "name=value"))
  var parameters: [String] = []

  func run() throws {
    // Through Notebook.load: a regular file only (never blocking on a FIFO), size-limited.
    let (nb, parseDiagnostics) = try NotebookLoading.read(notebook)
    let overrides = try NotebookLoading.overrides(parameters)
    let diagnostics = NotebookCheck.diagnostics(nb, parse: parseDiagnostics, overrides: overrides)
    NotebookCheck.report(diagnostics, path: notebook)
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    let code = nb.cells.filter { $0.kind == .code }.count
    print("\(VisibleText.escaping(notebook)): \(Plural.count(nb.cells.count, "cell")) (\(code) code), \(Plural.count(errors, "error")), \(Plural.count(warnings, "warning"))")
    if errors > 0 { throw ExitCode(1) }
  }
}

/// What `ffnb check` finds, shared with `run` and `step`, which check the whole notebook before
/// any cell runs: a typo in the last cell stops the run at once, not after the training.
enum NotebookCheck {
  /// Header problems from parsing, then the checker's (with the `-p` overrides in place; the
  /// checker also reports overrides that name no parameter).
  static func diagnostics(_ nb: Notebook, parse: [Diagnostic], overrides: [(name: String, value: Value)]) -> [Diagnostic] {
    let checked = Checker(overrides: Dictionary(overrides.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })).check(nb)
    // Invalid UTF-8 in code is reported once, by the parse, not again by the lexer.
    return parse + UTF8Validation.removingDuplicates(checked, of: parse)
  }

  /// Prints diagnostics on standard error, each with its source line and caret, as `ffnb check`
  /// does. `text` is the notebook's bytes (read from `path` when nil).
  static func report(_ diagnostics: [Diagnostic], path: String, text: Data? = nil) {
    guard !diagnostics.isEmpty else { return }
    // Only the lines shown are kept (a notebook of millions of lines is not split into an array).
    let wanted = Set(diagnostics.filter { $0.location.file == path }.map(\.location.line))
    let lines = text.map { Notebook.sourceLines(wanted, of: String(decoding: $0, as: UTF8.self)) }
      ?? Notebook.sourceLines(wanted, ofFile: path)
    for d in diagnostics {
      let line = d.location.file == path ? lines[d.location.line] : nil
      FileHandle.standardError.write(Data((d.rendered(sourceLine: line, color: false) + "\n").utf8))
    }
  }

  /// Before `run` or `step`: checks the whole notebook. With an error, prints every diagnostic
  /// as `ffnb check` does and exits with status 2 before any cell runs; warnings are printed
  /// and do not stop.
  static func beforeRunning(_ nb: Notebook, parse: [Diagnostic], overrides: [(name: String, value: Value)]) throws {
    let diagnostics = diagnostics(nb, parse: parse, overrides: overrides)
    let errors = diagnostics.filter { $0.severity == .error }.count
    guard errors > 0 else {
      report(diagnostics.filter { $0.severity == .warning }, path: nb.path)
      return
    }
    report(diagnostics, path: nb.path)
    NotebookLoading.printError("\(nb.path): \(Plural.count(errors, "error")) found by checking the notebook; no cell was run")
    throw ExitCode(2)
  }
}
