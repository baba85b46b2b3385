import FFKernels
import FFLanguage
import FFNotebook
import Foundation

/// The REPL: reads lines, runs command-language statements in the session at once (through
/// the same `Interpreter` as `ffnb run`), and acts on `:` meta-commands.
///
/// With a notebook open (`ffnb step`), a cursor marks the next cell; an empty line or `:next`
/// runs it, and the prompt says where the cursor is (`[3/6 model] ffnb> `, with a `*` when
/// that cell is stale). Markdown cells are "run" by printing them as the cursor reaches them,
/// so the cursor always rests on a code cell. Everything that runs (cells, typed lines, `-p`
/// values) goes into the runner's session record, which `:save` writes.
public final class InteractiveSession {
  public let runner: NotebookRunner
  public let reader: LineReader
  /// Whether a notebook is open: empty lines then run the next cell.
  public let isStepping: Bool
  /// The 1-based cell an empty line runs next; past the last cell when all have run.
  public internal(set) var cursor = 1
  /// The cell that ran last (for `:again`).
  var lastRun: Int?
  /// Entries of this session, for `:history`.
  public internal(set) var entries: [String] = []
  /// Commands and cells that failed, for the exit status of piped input.
  public internal(set) var failures = 0
  /// Reactive mode (`:reactive on`): stale cells re-run after every cell or line.
  public internal(set) var isReactive = false
  /// The typed lines (by unit key) in the session record when it was last saved. Keys, not a
  /// count: `:undo` takes lines out of the record, so a count could match by accident.
  var savedTypedKeys: Set<String> = []
  /// The state after every cell and typed line, for `:undo`, `:back` and `:snapshots`.
  package let snapshots = SnapshotHistory()
  /// The notebook file's text as last read or written, to refuse a `:write` over outside changes.
  var diskText: String?
  var quitRequested = false
  /// The editor `:edit` runs (a shell command given the file as "$1"); nil: $VISUAL, $EDITOR, vi.
  public var editorCommand: String?
  /// Where errors go (diagnostics of typed lines, REPL errors); nil means the console. Piped
  /// sessions send them to standard error, so standard output holds only results.
  public var errorOutput: ((String) -> Void)?
  /// Records each cell or line that runs `learn` or `predict` in the run registry (nil: none).
  package var recording: RunRecording?

  var console: Console { runner.console }
  var notebook: Notebook { runner.notebook }

  /// A REPL over `runner`'s notebook and session. `stepping` is false for an empty session.
  public init(runner: NotebookRunner, stepping: Bool, reader: LineReader) {
    self.runner = runner
    self.reader = reader
    self.isStepping = stepping
    runner.session.shouldStop = { Interrupt.isRequested }
    runner.interpreter.cellsDescription = { [unowned self] in self.cellsListing() }
    if stepping { diskText = Notebook.text(ofFile: runner.notebook.path) }
    runner.startSnapshots(snapshots)
  }

  /// Runs until `:quit`, Ctrl-D or the end of piped input. Returns the exit status: 0, or 1
  /// for piped input in which a command or cell failed (as `ffnb run` fails on a failing cell),
  /// so scripts fed to `ffnb` can be checked. An interactive session always ends with 0.
  public func run() -> Int32 {
    if reader.isInteractive {
      Interrupt.install()
      console.line(banner)
    }
    if isStepping { passMarkdown() }
    while !quitRequested {
      switch readEntry() {
      case .line(let text): handle(text)
      case .interrupted: continue
      case .endOfInput: if confirmQuit() { quitRequested = true }
      }
    }
    return reader.isInteractive || failures == 0 ? 0 : 1
  }

  var banner: String {
    let hint = ":help lists REPL commands, `help` the notebook commands; Ctrl-D quits."
    if isStepping {
      return "ffnb: stepping through \(notebook.path) (\(Plural.count(notebook.cells.count, "cell"))). Enter runs the next cell; " + hint
    }
    return "ffnb: an empty session. Type commands such as `load mnist train batch=1000`; " + hint
  }

  /// `[3/6 model] ffnb> ` in step mode (`[5/6 learn*]` when that cell is stale), `ffnb> ` otherwise.
  public var prompt: String {
    guard isStepping else { return "ffnb> " }
    guard cursor <= notebook.cells.count else { return "[end] ffnb> " }
    let cell = notebook.cells[cursor - 1]
    let star = runner.isStale(cursor) ? "*" : ""
    return "[\(cursor)/\(notebook.cells.count)\(cell.name.map { " " + $0 } ?? "")\(star)] ffnb> "
  }

  /// The continuation prompt for a statement whose brackets are still open.
  public static let continuationPrompt = "...> "

  /// One entry: a line, plus continuation lines while brackets are open.
  func readEntry() -> LineInput {
    var text: String
    switch reader.read(prompt: prompt) {
    case .line(let line): text = line
    case let other: return other
    }
    var brackets = OpenBrackets()
    brackets.add(text)
    while !MetaCommand.isMetaCommand(text) && brackets.isIncomplete {
      switch reader.read(prompt: Self.continuationPrompt) {
      case .line(let line):
        text += "\n" + line
        brackets.add(line)
      case .interrupted: return .interrupted
      // The parser reports the unclosed bracket.
      case .endOfInput: return .line(text)
      }
    }
    return .line(text)
  }

  /// Runs one entry: an empty line (the next cell in step mode), a meta-command or a statement.
  public func handle(_ text: String, remember: Bool = true) {
    let trimmed = text.trimmingBlanks()
    if trimmed.isEmpty {
      if isStepping { runNext() }
      return
    }
    if remember {
      entries.append(text)
      reader.remember(text.replacingOccurrences(of: "\n", with: " "))
    }
    if MetaCommand.isMetaCommand(trimmed) {
      do throws(MetaCommandError) {
        try perform(try MetaCommand.parse(trimmed))
      } catch {
        failures += 1
        printError(error.description)
      }
      return
    }
    if let habit = Habit(trimmed) {
      respond(to: habit)
      return
    }
    runTyped(text)
  }

  /// Runs a typed statement as the next typed unit; in reactive mode, then the stale cells.
  func runTyped(_ text: String) {
    Interrupt.clear()
    let observation = recording?.begin(runner)
    let report = runner.runTyped(text)
    if let recording, let observation { recording.recordTyped(text, report: report, of: runner, since: observation) }
    // A line that ran nothing (a syntax error) changed nothing and is not in the record.
    if !report.executed.isEmpty || !report.outputs.isEmpty {
      keepSnapshot(after: SnapshotPoint.typed(UnitID.typed(runner.typedCount), text: text), wrote: report.outputs)
    }
    if let error = report.error {
      failures += 1
      console.clearProgress()
      writeError(runner.rendered(error, typed: text))
    }
    reactToChanges()
  }

  /// Prints an error of the REPL itself (not of a statement).
  func printError(_ message: String) {
    writeError(console.styled("error:", .boldRed) + " " + VisibleText.escaping(message) + "\n")
  }

  /// Writes an error's text to `errorOutput`, or to the console when there is none.
  func writeError(_ text: String) {
    guard let errorOutput else { return console.write(text) }
    console.clearProgress()
    errorOutput(text)
  }

  /// Typed lines run since the last `:save`.
  var unsavedTypedCount: Int { runner.log.typedUnits.filter { !savedTypedKeys.contains($0.key) }.count }

  /// Whether to end the session: asks first when typed lines are unsaved and a person is there.
  func confirmQuit() -> Bool {
    let count = unsavedTypedCount
    guard count > 0, reader.isInteractive else { return true }
    let question = "\(Plural.count(count, "typed line")) not saved (:save PATH writes the session record); quit anyway? [y/N] "
    return ask(question)
  }

  /// A yes/no question; no answer (end of input) is yes only for `defaultYes`.
  func ask(_ question: String, defaultYes: Bool = true) -> Bool {
    switch reader.read(prompt: question) {
    case .line(let answer): return answer.trimmingBlanks().lowercased().hasPrefix("y")
    case .endOfInput: return defaultYes
    case .interrupted: return false
    }
  }

}
