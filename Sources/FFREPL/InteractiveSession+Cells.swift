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
      console.line((notebook.cells.count == 1 ? "the only cell has run" : "all \(notebook.cells.count) cells have run") + "; `:run N` runs one again, `:save PATH` writes the notebook")
      return
    }
    runCells(cursor...cursor)
  }

  /// Runs cells in order, moving the cursor past each; stops at a cell that fails (unless it
  /// is tagged `raises`) or is interrupted, leaving the cursor on it so Enter retries (or,
  /// for `learn`, continues training).
  func runCells(_ range: ClosedRange<Int>) {
    for index in range {
      Interrupt.clear()
      let status = runner.runCell(index)
      lastRun = index
      extendsTypedCell = false
      let cell = notebook.cells[index - 1]
      if status == .interrupted || (status == .failed && !cell.expectsError) {
        if status == .failed { failures += 1 }
        cursor = index
        return
      }
      cursor = index + 1
    }
    passMarkdown()
  }

  /// Prints markdown cells under the cursor and moves past them.
  func passMarkdown() {
    while cursor <= notebook.cells.count, notebook.cells[cursor - 1].kind == .markdown {
      runner.runCell(cursor)
      cursor += 1
    }
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
        let known = names.isEmpty ? "no cell has a name" : "cells are named " + names.joined(separator: ", ")
        throw bad("no cell is named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; \(known)"))
      }
      return cell.index...cell.index
    }
  }

  /// `:cells`: the runner's table with the cursor, and the typed cells `:save` would add.
  func cellsListing() -> String {
    var text = notebook.cells.isEmpty ? "no notebook is open\n" : runner.cellsTable(cursor: isStepping ? cursor : nil)
    if !typedCells.isEmpty {
      text += "typed cells: \(typedCells.count)\(hasUnsavedTypedCells ? " (not saved; :save PATH writes them)" : " (saved)")\n"
    }
    return text
  }

  /// `:show`: a cell's header and source.
  func showCell(_ selection: CellSelection?) throws(MetaCommandError) {
    let index: Int
    if let selection {
      let range = try resolve(selection, command: "show")
      guard range.count == 1 else {
        for i in range { printCell(i) }
        return
      }
      index = range.lowerBound
    } else {
      guard cursor <= notebook.cells.count else {
        throw MetaCommandError(.missingArgument(command: "show", expected: "a cell (the cursor is past the last one)"))
      }
      index = cursor
    }
    printCell(index)
  }

  private func printCell(_ index: Int) {
    let cell = notebook.cells[index - 1]
    console.line(console.styled("\(cell.header)   (cell \(index)/\(notebook.cells.count))", .dim))
    if !cell.source.isEmpty { console.line(cell.source) }
  }
}
