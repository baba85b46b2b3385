import FFLanguage
import FFNotebook
import FFREPL
import Foundation

/// A failure to show as Jupyter's `error`: a name, the first line, and every line (the
/// diagnostic with its source line and caret).
package struct ErrorReport: Sendable, Equatable {
  package var name: String
  package var value: String
  package var traceback: [String]

  init(name: String, text: String) {
    let lines = text.hasSuffix("\n") ? String(text.dropLast()) : text
    self.name = name
    self.traceback = lines.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    self.value = traceback.first ?? ""
  }
}

/// How one execute request ended.
package struct ExecutionOutcome: Sendable {
  /// The execution count the cell ran as (unchanged for a request not stored in history).
  package var count: Int
  /// Nil when every statement ran; otherwise the diagnostic of the failing one, or the note
  /// that an interrupt stopped it.
  package var failure: ErrorReport?
}

/// The kernel's state: one persistent session (the same `NotebookRunner` and `Interpreter`
/// as `ffnb run` and the REPL) that every execute request runs in, the execution counter and
/// the input history. Each request is answered by a method returning its result as a value;
/// the kernel sends it. Used from the shell thread only.
package final class KernelSession {
  let runner: NotebookRunner
  /// Jupyter's execution counter: requests stored in history increment it.
  package private(set) var executionCount = 0
  package private(set) var history: [HistoryEntry] = []

  /// Runs cells in `session` (its base directory is where relative paths go: Jupyter starts
  /// a kernel in the notebook's folder).
  package init(session: Session = Session()) {
    session.shouldStop = { Interrupt.isRequested }
    // Nothing is printed: every piece of output reaches the client through the listener.
    let console = Console(isTerminal: false, useColor: false) { _ in }
    do {
      runner = try NotebookRunner(notebook: Notebook(path: "untitled.ffnb", cells: []), session: session, console: console)
    } catch {
      // Only -p overrides can make a runner fail, and a kernel has none.
      preconditionFailure("a runner without overrides failed: \(error.message)")
    }
  }

  /// Requests run so far, stored or not: numbers the units of cells without an id.
  private var requests = 0

  /// Runs `code` as one cell, sending each piece of output to `output` as it is shown (so
  /// `learn` progress arrives while it trains). `cellID` is the front end's id for the cell
  /// (JupyterLab sends it as `cellId` in the request's metadata): it names the cell's random
  /// streams, as a cell's name does in `ffnb run` (see `CellUnit`).
  package func execute(
    _ code: String, cellID: String? = nil, storeHistory: Bool, output: @escaping (OutputItem) -> Void
  ) -> ExecutionOutcome {
    if storeHistory { executionCount += 1 }
    requests += 1
    runner.console.listener = output
    defer { runner.console.listener = nil }
    Interrupt.clear()
    runner.console.beginRecording()
    let unit = CellUnit.unit(cellID: cellID, request: requests, source: code)
    let report = runner.interpreter.run(source: code, origin: .input, unit: unit)
    let shown = runner.console.beginRecording()
    var failure: ErrorReport?
    if let error = report.error {
      failure = ErrorReport(name: "FFNBError", text: runner.rendered(error, typed: code))
    } else if report.isInterrupted {
      let what = report.stopped
        ? "the command stopped; nothing of it was kept"
        : "learn stopped at an epoch boundary; the model and its optimizer state are kept (run learn to continue)"
      failure = ErrorReport(name: "Interrupted", text: what)
    }
    if storeHistory {
      let text = shown.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
      history.append(HistoryEntry(line: executionCount, input: code, output: text))
    }
    return ExecutionOutcome(count: executionCount, failure: failure)
  }

  /// The completions for the word before `cursor` (in Unicode scalars, as protocol 5.2 counts
  /// it): the REPL's completer, given the session's variables and data sets.
  package func complete(_ code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
    let (line, cursor) = Self.lineBefore(cursor, in: code)
    let context = CompletionContext(
      variables: runner.session.environment.names, datasets: runner.session.datasetOrder,
      baseDirectory: runner.session.baseDirectory.path)
    let completion = Completer.complete(line, context: context)
    let word = Completer.word(in: line)
    return (completion.candidates, cursor - word.unicodeScalars.count, cursor)
  }

  /// The help of the command or transform step under `cursor`, or of the command its line
  /// starts with; nil when there is none.
  package func inspect(_ code: String, cursor: Int) -> String? {
    let scalars = Array(code.unicodeScalars)
    let cursor = min(max(cursor, 0), scalars.count)
    func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" }
    var start = cursor
    while start > 0, isWord(scalars[start - 1]) { start -= 1 }
    var end = cursor
    while end < scalars.count, isWord(scalars[end]) { end += 1 }
    let word = String(String.UnicodeScalarView(scalars[start..<end]))
    if let spec = CommandSpec.help(topic: word) { return spec.helpText }
    let (line, _) = Self.lineBefore(cursor, in: code)
    let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
    return CommandSpec.help(topic: first)?.helpText
  }

  /// Whether `code` is ready to run: an open bracket continues it; text the lexer or parser
  /// rejects is invalid (running it shows the diagnostic).
  package func completeness(of code: String) -> Completeness {
    var brackets = OpenBrackets()
    brackets.add(code)
    if brackets.isInvalid { return .invalid }
    if brackets.isIncomplete { return .incomplete }
    let (_, diagnostics) = parseStatements(text: code, origin: .input)
    return diagnostics.contains { $0.severity == .error } ? .invalid : .complete
  }

  package enum Completeness: String, Sendable {
    case complete, incomplete, invalid
  }

  /// The line of `code` the cursor is on, up to the cursor, and the cursor clamped to `code`.
  static func lineBefore(_ cursor: Int, in code: String) -> (line: String, cursor: Int) {
    let scalars = Array(code.unicodeScalars)
    let cursor = min(max(cursor, 0), scalars.count)
    var start = cursor
    while start > 0, scalars[start - 1] != "\n" { start -= 1 }
    return (String(String.UnicodeScalarView(scalars[start..<cursor])), cursor)
  }
}
