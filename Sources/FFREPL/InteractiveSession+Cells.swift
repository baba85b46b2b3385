import FFKernels
import FFLanguage
import FFNotebook
import Foundation

extension InteractiveSession {
  /// Runs the cell under the cursor.
  func runNext() {
    guard !notebook.cells.isEmpty else {
      printError("no notebook is open (`ffnb step NOTEBOOK` opens one)")
      return
    }
    guard cursor <= notebook.cells.count else {
      console.line(allRun + "; `:run N` runs one again, `:save PATH` writes the session record")
      return
    }
    runCells(cursor...cursor)
  }

  /// Runs cells in order, moving the cursor past each; stops at a cell that fails (unless it
  /// is tagged `raises`) or is interrupted, leaving the cursor on it so Enter retries (or,
  /// for `learn`, continues training). In reactive mode the stale cells follow.
  func runCells(_ range: ClosedRange<Int>, react: Bool = true) {
    for index in range {
      guard runOne(index) else { return }
    }
    passMarkdown()
    if react { reactToChanges() }
  }

  /// Runs one cell and moves the cursor; false when the run should stop there.
  /// `jump` moves the cursor past the cell wherever it was (`:run 2`); otherwise it only
  /// moves forward (a stale cell re-run behind the cursor leaves it in place).
  @discardableResult
  func runOne(_ index: Int, jump: Bool = true) -> Bool {
    Interrupt.clear()
    let observation = recording?.begin(runner)
    let status = runner.runCell(index)
    if let recording, let observation { recording.recordCell(index, of: runner, since: observation) }
    lastRun = index
    let cell = notebook.cells[index - 1]
    if cell.kind == .code && status != .skipped {
      keepSnapshot(after: .cell(cell), wrote: runner.records[index - 1].writes)
    }
    if status == .interrupted || (status == .failed && !cell.expectsError) {
      if status == .failed { failures += 1 }
      cursor = index
      return false
    }
    if jump || cursor <= index { cursor = index + 1 }
    return true
  }

  /// "all 6 cells have run", "the only cell has run".
  var allRun: String {
    notebook.cells.count == 1 ? "the only cell has run" : "all \(notebook.cells.count) cells have run"
  }

  /// Prints markdown cells under the cursor and moves past them.
  func passMarkdown() {
    while cursor <= notebook.cells.count, notebook.cells[cursor - 1].kind == .markdown {
      runner.runCell(cursor)
      cursor += 1
    }
  }

  /// `:run stale`: re-runs the stale cells in notebook order. With `asking` (reactive mode),
  /// a cell that trains asks first, showing its cost. Each cell runs at most once per call.
  func runStale(asking: Bool = false) {
    var after = 0
    var ran = 0
    while let index = runner.firstStale(after: after) {
      after = index
      if asking, let cost = runner.trainingCost(ofCell: index) {
        let estimate = cost.seconds.map { " (about \(Self.formatSeconds($0)))" } ?? ""
        let cell = notebook.cells[index - 1]
        let question = "cell \(cell.displayName) is stale and trains \(Plural.count(cost.epochs, "epoch"))\(estimate); run it? [y/N] "
        guard reader.isInteractive ? ask(question, defaultYes: false) : false else {
          console.line(console.styled("(cell \(cell.displayName) left stale; :run stale runs it)", .dim))
          continue
        }
      }
      ran += 1
      guard runOne(index, jump: false) else { return }
    }
    if ran == 0 && !asking { console.line("no cell is stale") }
  }

  /// After a cell or line ran: in reactive mode, bring the stale cells up to date.
  func reactToChanges() {
    guard isReactive, isStepping, !Interrupt.isRequested else { return }
    runStale(asking: true)
  }

  /// The cells a selection names, or an error naming what exists.
  func resolve(_ selection: CellSelection, command: String) throws(MetaCommandError) -> ClosedRange<Int> {
    let count = notebook.cells.count
    func bad(_ why: String) -> MetaCommandError { MetaCommandError(.badSelection(command: command, text: selection.description, why: why)) }
    guard count > 0 else { throw bad("no notebook is open (`ffnb step NOTEBOOK` opens one)") }
    switch selection {
    case .index(let i):
      guard i <= count else { throw bad("there is no cell \(i); the notebook has cells 1-\(count)") }
      return i...i
    case .range(let r):
      guard r.upperBound <= count else { throw bad("the notebook has cells 1-\(count)") }
      return r
    case .name(let name):
      guard let cell = notebook.cell(name) else {
        let names = notebook.cellNames
        let suggestion = Suggestions.closest(to: name, in: names)
        let known = names.isEmpty ? "no cell has a name" : "cells are named " + Suggestions.listing(names)
        throw bad("no cell is named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; \(known)"))
      }
      return cell.index...cell.index
    }
  }

  /// The one cell a selection names, or the cursor's.
  func singleCell(_ selection: CellSelection?, command: String) throws(MetaCommandError) -> Int {
    if let selection {
      let range = try resolve(selection, command: command)
      guard range.count == 1 else {
        throw MetaCommandError(.badSelection(command: command, text: selection.description, why: "name one cell"))
      }
      return range.lowerBound
    }
    guard !notebook.cells.isEmpty, cursor <= notebook.cells.count else {
      throw MetaCommandError(.missingArgument(command: command, expected: "a cell (the cursor is past the last one)"))
    }
    return cursor
  }

  /// `:cells`: the runner's table with the cursor, and the typed lines `:save` would add.
  func cellsListing() -> String {
    var text = notebook.cells.isEmpty ? "no notebook is open\n" : runner.cellsTable(cursor: isStepping ? cursor : nil)
    let typed = runner.log.typedCount
    if typed > 0 {
      let unsaved = unsavedTypedCount
      text += "typed lines: \(typed)\(unsaved > 0 ? " (\(unsaved) not saved; :save PATH writes the session record)" : " (saved)")\n"
    }
    return text
  }

  /// `:show`: a cell's header and source.
  func showCell(_ selection: CellSelection?) throws(MetaCommandError) {
    if let selection {
      for i in try resolve(selection, command: "show") { printCell(i) }
      return
    }
    printCell(try singleCell(nil, command: "show"))
  }

  private func printCell(_ index: Int) {
    let cell = notebook.cells[index - 1]
    console.line(console.styled("\(cell.header)   (cell \(index)/\(notebook.cells.count))", .dim))
    if !cell.source.isEmpty { console.line(VisibleText.escaping(cell.source)) }
  }
}
