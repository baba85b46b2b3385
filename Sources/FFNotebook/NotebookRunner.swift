import FFLanguage
import FFRuntime
import Foundation

/// Replays a notebook's cells against one session, as Jupyter's "Run All" does, and keeps
/// each cell's status, execution count, outputs and effects for `:cells`, stale marking,
/// executed notebooks and the session record.
public final class NotebookRunner {
  public private(set) var notebook: Notebook
  public let interpreter: Interpreter
  public var session: Session { interpreter.session }
  public var console: Console { interpreter.console }
  /// One record per cell, in cell order.
  public internal(set) var records: [CellRecord]
  /// The `-p` overrides, each injected right after the parameters cell that sets it.
  public let overrides: [ParameterOverride]
  /// The overrides by the cell they follow, in command-line order.
  private let overridesByCell: [Int: [ParameterOverride]]
  /// Jupyter's execution counter: incremented every time a code cell runs.
  public private(set) var executionCounter = 0
  /// Whether markdown cells are printed when they "run".
  public var printsMarkdown = true
  /// Everything that ran, in order: what `:save` writes and `:log` shows.
  package internal(set) var log = SessionLog()
  /// How many lines have been typed (each is a unit `typed-N`).
  package private(set) var typedCount = 0

  /// A runner for `notebook`; fails when an override names no parameter of the notebook.
  public init(
    notebook: Notebook, session: Session, console: Console, overrides: [(name: String, value: Value)] = []
  ) throws(Diagnostic) {
    self.notebook = notebook
    self.interpreter = Interpreter(session: session, console: console)
    self.records = Array(repeating: CellRecord(), count: notebook.cells.count)
    self.overrides = try NotebookRunner.resolve(overrides, in: notebook)
    self.overridesByCell = Dictionary(grouping: self.overrides, by: \.cell)
    interpreter.cellsDescription = { [unowned self] in self.cellsTable() }
    if session.precision != .fp32 { log.append(.setting("precision \(session.precision)")) }
  }

  /// Names the parameters cells set, each with the cell that sets it (first wins).
  public static func parameters(of notebook: Notebook) -> [(name: String, cell: Int)] {
    var result: [(String, Int)] = []
    var seen = Set<String>()
    for cell in notebook.cells where cell.kind == .code && cell.isParameters {
      let (statements, _) = parseStatements(cell: cell, file: notebook.path)
      for s in statements {
        if case .set(let name, _) = s.kind, seen.insert(name.name).inserted { result.append((name.name, cell.index)) }
      }
    }
    return result
  }

  static func resolve(_ overrides: [(name: String, value: Value)], in notebook: Notebook) throws(Diagnostic) -> [ParameterOverride] {
    let known = parameters(of: notebook)
    let cells = Dictionary(known.map { ($0.name, $0.cell) }, uniquingKeysWith: { first, _ in first })
    return try overrides.map { (o) throws(Diagnostic) -> ParameterOverride in
      guard let cell = cells[o.name] else {
        let names = known.map(\.name)
        let location = SourceRange(start: SourceLocation(file: "-p \(o.name)=\(o.value)", line: 1, column: 1), length: o.name.count)
        if names.isEmpty {
          throw Diagnostic(.error, "unknown parameter '\(o.name)': \(notebook.path) has no cell tagged [parameters]", at: location)
        }
        let suggestion = Suggestions.closest(to: o.name, in: names)
        throw Diagnostic(.error, "unknown parameter '\(o.name)'\(Suggestions.didYouMean(suggestion)); the notebook's parameters are: \(Suggestions.listing(names))",
                         at: location, suggestion: suggestion)
      }
      return ParameterOverride(name: o.name, value: o.value, cell: cell)
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
      log.append(.markdown(cell))
      record.status = .ok
      return .ok
    case .code:
      if cell.isSkipped {
        record.status = .skipped
        return .skipped
      }
      executionCounter += 1
      record.executionCount = executionCounter
      let unit = UnitID(cell: cell)
      var report = interpreter.run(source: cell.source, origin: SourceOrigin(cell: cell, file: notebook.path), unit: unit)
      log.append(.cell(cell, report.executed, complete: report.error == nil && !report.isInterrupted))
      if cell.isParameters && report.error == nil { injectOverrides(after: cell, unit: unit, into: &report) }
      record.inputs = report.inputs
      record.writes = report.outputs
      record.setValues = report.setValues
      if let error = report.error {
        self.report(error, in: cell)
        record.status = .failed
      } else {
        record.status = report.isInterrupted ? .interrupted : .ok
      }
      return record.status
    }
  }

  /// Runs a line typed at the REPL as the unit `typed-N`; returns its report. Nothing is
  /// printed for an error: the REPL decides where errors go (`rendered(_:typed:)`).
  @discardableResult
  package func runTyped(_ text: String) -> UnitReport {
    typedCount += 1
    let unit = UnitID.typed(typedCount)
    let report = interpreter.run(source: text, origin: .input, unit: unit)
    log.append(.typed(unit, report.executed))
    return report
  }

  /// A typed line's diagnostic with its source line and caret.
  package func rendered(_ error: Diagnostic, typed text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let number = error.location.line
    let line = number >= 1 && number <= lines.count ? String(lines[number - 1]) : nil
    let rendered = error.rendered(sourceLine: line, color: console.useColor)
    return rendered.hasSuffix("\n") ? rendered : rendered + "\n"
  }

  /// `-p` values replace the parameters cell's: applied right after it runs, as papermill
  /// injects a cell after the one tagged `parameters`.
  private func injectOverrides(after cell: Cell, unit: UnitID, into report: inout UnitReport) {
    let mine = overridesByCell[cell.index] ?? []
    guard !mine.isEmpty else { return }
    for o in mine {
      let key = StateKey.variable(o.name)
      if session.environment[o.name] != o.value { session.recordChange(key, by: unit, verb: "set by -p") }
      session.environment[o.name] = o.value
      report.setValues[o.name] = o.value
      report.outputs.insert(key)
    }
    log.append(.injected(mine.map { ($0.name, $0.value) }))
    console.line(VisibleText.escaping("injected parameters: " + mine.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")))
  }

  /// Prints a diagnostic with the source line and a caret, and records it as the cell's error.
  public func report(_ diagnostic: Diagnostic, in cell: Cell?) {
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
    if cell.kind == .markdown && !printsMarkdown { return }
    var title = "[\(cell.index)/\(notebook.cells.count)]"
    if cell.kind == .markdown { title += " markdown" }
    if let name = cell.name { title += " \(name)" }
    if !cell.tags.isEmpty { title += " [\(cell.tags.joined(separator: ", "))]" }
    if let note { title += " (\(note))" }
    let rule = String(repeating: "─", count: max(3, 72 - title.count - 4))
    console.emit("\n" + console.styled("── \(title) \(rule)", .dim) + "\n")
  }
}

// MARK: Stale cells

extension NotebookRunner {
  /// Every cell that ran and no longer matches the session, with the first reason found:
  /// its source was edited; something it read changed since (`model rebuilt by cell 4`); or
  /// an earlier stale cell writes something it reads (`depends on stale cell 4`).
  package func staleCells() -> [Int: Staleness] {
    var stale: [Int: Staleness] = [:]
    scanStale { index, staleness in
      stale[index] = staleness
      return true
    }
    return stale
  }

  /// Whether cell `index` is stale: false at once for a cell that has not run (the REPL asks
  /// for the prompt's cell after every line; stepping forward, it has not run yet), else a
  /// scan that stops at the cell.
  package func isStale(_ index: Int) -> Bool {
    guard let record = records[safe: index - 1], record.status == .ok || record.status == .interrupted else { return false }
    var found = false
    scanStale { i, _ in
      if i == index { found = true }
      return i < index
    }
    return found
  }

  /// The first stale cell after cell `after`, found by a scan that stops there.
  package func firstStale(after: Int) -> Int? {
    var first: Int?
    scanStale { index, _ in
      if index > after { first = index }
      return first == nil
    }
    return first
  }

  /// Finds the stale cells in order, calling `visit` for each until it returns false. One
  /// pass, each cell's inputs looked up once: the writes of the stale cells found so far are
  /// indexed by key (and by family, for reads of a wildcard such as `show vars`), so a cell's
  /// upstream is found without going through every earlier stale cell.
  private func scanStale(_ visit: (Int, Staleness) -> Bool) {
    var firstWriter: [StateKey: Int] = [:]
    var firstInFamily: [StateKey: Int] = [:]
    func upstream(of record: CellRecord) -> Int? {
      var best: Int?
      func consider(_ u: Int?) { if let u, u < (best ?? Int.max) { best = u } }
      for key in record.inputs.keys {
        consider(firstWriter[key])
        if let wildcard = key.wildcard {
          if key == wildcard { consider(firstInFamily[wildcard]) } else { consider(firstWriter[wildcard]) }
        }
      }
      return best
    }
    for (i, record) in records.enumerated() where record.status == .ok || record.status == .interrupted {
      let index = i + 1
      var staleness: Staleness?
      if record.edited {
        staleness = Staleness(reason: "source edited since it ran")
      } else if let rewound = record.rewound {
        staleness = rewound
      } else if let key = record.inputs.compactMap({ session.version(of: $0.key) != $0.value ? $0.key : nil }).min() {
        staleness = Staleness(reason: session.lastChange(of: key)?.reason ?? "\(key) changed")
      } else if let u = upstream(of: record) {
        staleness = Staleness(reason: "depends on stale cell \(u)")
      }
      guard let staleness else { continue }
      for key in record.writes {
        if firstWriter[key] == nil { firstWriter[key] = index }
        if let wildcard = key.wildcard, firstInFamily[wildcard] == nil { firstInFamily[wildcard] = index }
      }
      if !visit(index, staleness) { return }
    }
  }

  /// For a cell that set variables: those whose value differs now (a typed `set`), as
  /// `lr is 0.2, the cell sets 0.05`.
  package func differences(ofCell index: Int) -> [String] {
    let record = records[index - 1]
    return record.setValues.keys.sorted().compactMap { name in
      guard let value = record.setValues[name], let now = session.environment[name], now != value else { return nil }
      return "\(name) is \(now), the cell sets \(value)"
    }
  }

  /// The `:cells` table: number, kind, name, execution count, status (with why a cell is
  /// stale or differs from its source), first line.
  public func cellsTable(cursor: Int? = nil) -> String {
    let stale = staleCells()
    var out = ""
    for (i, cell) in notebook.cells.enumerated() {
      let r = records[i]
      let mark = cursor == i + 1 ? ">" : " "
      let count = r.executionCount.map { "[\($0)]" } ?? "[ ]"
      let first = cell.source.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
        .map { VisibleText.escaping($0.count > 40 ? String($0.prefix(39)) + "…" : String($0)) } ?? ""
      let kind = cell.kind == .markdown ? "md  " : "code"
      var status = cell.kind == .markdown ? "" : r.status.rawValue
      var note = ""
      if let s = stale[i + 1] {
        status = "stale"
        note = "  (\(s.reason))"
      } else if r.status == .ok, case let diff = differences(ofCell: i + 1), !diff.isEmpty {
        status = "differs"
        note = "  (" + diff.joined(separator: "; ") + ")"
      }
      let name = pad(cell.name ?? "", 16)
      out += "\(mark)\(String(format: "%3d", cell.index)) \(kind) \(name) \(pad(count, 5)) \(pad(status, 11)) \(cell.kind == .code ? first : "")\(note)\n"
    }
    return out
  }
}

// MARK: Editing cells

extension NotebookRunner {
  /// Replaces a cell's source (`:edit`); the cell, if it ran, becomes stale, and with it
  /// everything downstream.
  package func replaceSource(ofCell index: Int, with source: String) {
    guard notebook.cells[index - 1].source != source else { return }
    notebook.cells[index - 1].source = source
    if records[index - 1].hasRun { records[index - 1].edited = true }
  }

  /// Takes a new version of the notebook (`:reload`): cells are matched by name, then by
  /// position; a matched cell keeps its record (stale if its source changed); new cells have
  /// not run. Returns the indices of cells whose source changed or that are new.
  @discardableResult
  package func reload(_ new: Notebook) -> [Int] {
    var newRecords: [CellRecord] = []
    var changed: [Int] = []
    var used = Set<Int>()
    for cell in new.cells {
      let match = notebook.cells.first { old in !used.contains(old.index) && old.name != nil && old.name == cell.name }
        ?? notebook.cells.first { old in !used.contains(old.index) && old.name == nil && cell.name == nil && old.index == cell.index }
      guard let old = match else {
        newRecords.append(CellRecord())
        changed.append(cell.index)
        continue
      }
      used.insert(old.index)
      var record = records[old.index - 1]
      if old.source != cell.source || old.kind != cell.kind {
        changed.append(cell.index)
        if record.hasRun { record.edited = true }
      }
      newRecords.append(record)
    }
    notebook = new
    records = newRecords
    return changed
  }
}

// MARK: Cost of training

/// What re-running a cell would train: epochs over all its `learn`s, and an estimate of the
/// time from the last measured seconds per epoch (nil before any training was timed).
package struct TrainingCost: Sendable, Equatable {
  package var epochs: Int
  package var seconds: Double?
}

extension NotebookRunner {
  /// The training a cell's `learn` statements would do now, or nil if it has none.
  package func trainingCost(ofCell index: Int) -> TrainingCost? {
    let cell = notebook.cells[index - 1]
    let (statements, _) = parseStatements(cell: cell, file: notebook.path)
    var cost: TrainingCost?
    for statement in statements {
      guard case .learn(let a)? = try? interpreter.typed(statement) else { continue }
      let layerCount = session.model?.layers.count ?? 1
      let layers = a.layer.map { [$0] } ?? Array(1...max(layerCount, 1))
      let epochs = a.epochs ?? ((try? session.pendingHyperparameters().hyper.epochs) ?? session.hyper.epochs)
      var total = cost ?? TrainingCost(epochs: 0, seconds: 0)
      total.epochs += epochs * layers.count
      for layer in layers {
        if let perEpoch = session.secondsPerEpoch[layer], let s = total.seconds { total.seconds = s + perEpoch * Double(epochs) } else { total.seconds = nil }
      }
      cost = total
    }
    return cost
  }
}
