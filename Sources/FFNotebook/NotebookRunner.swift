import FFLanguage
import FFRuntime
import Foundation

/// Replays a notebook's cells against one session, as Jupyter's "Run All" does, and keeps
/// each cell's status, execution count and outputs for `:cells` and executed notebooks.
public final class NotebookRunner {
  public private(set) var notebook: Notebook
  public let interpreter: Interpreter
  public var session: Session { interpreter.session }
  /// One record per cell, in cell order.
  public private(set) var records: [CellRecord]
  /// The `-p` overrides, each injected right after the parameters cell that sets it.
  public let overrides: [ParameterOverride]
  /// Jupyter's execution counter: incremented every time a code cell runs.
  public private(set) var executionCounter = 0
  /// Whether markdown cells are printed when they "run".
  public var printsMarkdown = true

  /// A runner for `notebook`; fails when an override names no parameter of the notebook.
  public init(notebook: Notebook, session: Session, overrides: [(name: String, value: Value)] = []) throws(Diagnostic) {
    self.notebook = notebook
    self.interpreter = Interpreter(session: session)
    self.records = Array(repeating: CellRecord(), count: notebook.cells.count)
    self.overrides = try NotebookRunner.resolve(overrides, in: notebook)
    interpreter.cellsDescription = { [unowned self] in self.cellsTable() }
  }

  /// Names the parameters cells set, each with the cell that sets it (first wins).
  public static func parameters(of notebook: Notebook) -> [(name: String, cell: Int)] {
    var result: [(String, Int)] = []
    for cell in notebook.cells where cell.kind == .code && cell.isParameters {
      let (statements, _) = parseStatements(cell: cell, file: notebook.path)
      for s in statements {
        if case .set(let name, _) = s.kind, !result.contains(where: { $0.0 == name.name }) { result.append((name.name, cell.index)) }
      }
    }
    return result
  }

  static func resolve(_ overrides: [(name: String, value: Value)], in notebook: Notebook) throws(Diagnostic) -> [ParameterOverride] {
    let known = parameters(of: notebook)
    return try overrides.map { (o) throws(Diagnostic) -> ParameterOverride in
      guard let match = known.first(where: { $0.name == o.name }) else {
        let names = known.map(\.name)
        let location = SourceRange(start: SourceLocation(file: "-p \(o.name)=\(o.value)", line: 1, column: 1), length: o.name.count)
        if names.isEmpty {
          throw Diagnostic(.error, "unknown parameter '\(o.name)': \(notebook.path) has no cell tagged [parameters]", at: location)
        }
        let suggestion = Suggestions.closest(to: o.name, in: names)
        throw Diagnostic(.error, "unknown parameter '\(o.name)'\(Suggestions.didYouMean(suggestion)); the notebook's parameters are: \(names.joined(separator: ", "))",
                         at: location, suggestion: suggestion)
      }
      return ParameterOverride(name: o.name, value: o.value, cell: match.cell)
    }
  }

  /// Runs every cell from `start` (1-based) in order; stops at the first cell that fails
  /// (unless it is tagged `raises`), is interrupted, or after which the session was asked to
  /// stop. Returns the cell it stopped at, if any.
  @discardableResult
  public func runAll(from start: Int = 1) -> Int? {
    guard start <= notebook.cells.count else { return nil }
    for index in max(start, 1)...notebook.cells.count {
      let status = runCell(index)
      if status == .failed && !notebook.cells[index - 1].expectsError { return index }
      // A stop request (Ctrl-C) ends the run after the cell it arrived in.
      if status == .interrupted || session.shouldStop() { return index }
    }
    return nil
  }

  /// Runs one cell (1-based): prints its header and output, records status and outputs.
  @discardableResult
  public func runCell(_ index: Int) -> CellRecord.Status {
    precondition(index >= 1 && index <= notebook.cells.count, "cell \(index) outside 1...\(notebook.cells.count)")
    let cell = notebook.cells[index - 1]
    let console = session.console
    var record = CellRecord()
    printHeader(cell, note: cell.kind == .code && cell.isSkipped ? "skipped" : nil)
    record.start = Date()
    console.beginRecording()
    defer {
      record.end = Date()
      record.outputs = console.beginRecording()
      records[index - 1] = record
    }
    switch cell.kind {
    case .markdown:
      if printsMarkdown {
        console.line(MarkdownRenderer.render(cell.source, color: console.useColor))
      }
      record.status = .ok
      return .ok
    case .code:
      if cell.isSkipped {
        record.status = .skipped
        return .skipped
      }
      executionCounter += 1
      record.executionCount = executionCounter
      interpreter.lastOutcome = nil
      do {
        try interpreter.run(source: cell.source, origin: SourceOrigin(cell: cell, file: notebook.path))
        if cell.isParameters { injectOverrides(after: cell) }
        if case .interrupted? = interpreter.lastOutcome {
          record.status = .interrupted
          return .interrupted
        }
        record.status = .ok
      } catch {
        report(error, in: cell)
        record.status = .failed
      }
      return record.status
    }
  }

  /// `-p` values replace the parameters cell's: applied right after it runs, as papermill
  /// injects a cell after the one tagged `parameters`.
  private func injectOverrides(after cell: Cell) {
    let mine = overrides.filter { $0.cell == cell.index }
    guard !mine.isEmpty else { return }
    for o in mine { session.environment.variables[o.name] = o.value }
    session.console.line("injected parameters: " + mine.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
  }

  /// Prints a diagnostic with the source line and a caret, and records it as the cell's error.
  public func report(_ diagnostic: Diagnostic, in cell: Cell?) {
    let console = session.console
    let line = cell.flatMap { sourceLine(diagnostic.location.line, in: $0) }
    let text = diagnostic.rendered(sourceLine: line, color: console.useColor)
    console.emit(text.hasSuffix("\n") ? text : text + "\n")
    console.recordError(name: "FFNBError", message: diagnostic.rendered(sourceLine: line, color: false))
  }

  /// The text of file line `line` if it falls inside `cell`.
  func sourceLine(_ line: Int, in cell: Cell) -> String? {
    let offset = line - cell.firstLine
    let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
    guard offset >= 0, offset < lines.count else { return nil }
    return String(lines[offset])
  }

  private func printHeader(_ cell: Cell, note: String? = nil) {
    let console = session.console
    if cell.kind == .markdown && !printsMarkdown { return }
    var title = "[\(cell.index)/\(notebook.cells.count)]"
    if cell.kind == .markdown { title += " markdown" }
    if let name = cell.name { title += " \(name)" }
    if !cell.tags.isEmpty { title += " [\(cell.tags.joined(separator: ", "))]" }
    if let note { title += " (\(note))" }
    let rule = String(repeating: "─", count: max(3, 72 - title.count - 4))
    console.emit("\n" + console.styled("── \(title) \(rule)", .dim) + "\n")
  }

  /// The `:cells` table: number, kind, name, status, execution count, first line.
  public func cellsTable(cursor: Int? = nil) -> String {
    var out = ""
    for (i, cell) in notebook.cells.enumerated() {
      let r = records[i]
      let mark = cursor == i + 1 ? ">" : " "
      let count = r.executionCount.map { "[\($0)]" } ?? "[ ]"
      let first = cell.source.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
        .map { $0.count > 40 ? String($0.prefix(39)) + "…" : String($0) } ?? ""
      let kind = cell.kind == .markdown ? "md  " : "code"
      let status = cell.kind == .markdown ? "" : r.status.rawValue
      let name = (cell.name ?? "").padding(toLength: 16, withPad: " ", startingAt: 0)
      out += "\(mark)\(String(format: "%3d", cell.index)) \(kind) \(name) \(count.padding(toLength: 5, withPad: " ", startingAt: 0)) \(status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(cell.kind == .code ? first : "")\n"
    }
    return out
  }

  /// Appends a cell (typed in the REPL) to the notebook, so `:save` writes it too.
  public func append(_ cell: Cell) {
    var c = cell
    c.index = notebook.cells.count + 1
    notebook.cells.append(c)
    records.append(CellRecord())
  }
}
