import FFKernels
import FFLanguage
import FFNotebook
import Foundation

extension InteractiveSession {
  /// Carries out a meta-command.
  func perform(_ command: MetaCommand) throws(MetaCommandError) {
    switch command {
    case .next:
      runNext()
    case .run(let selection):
      runCells(try resolve(selection, command: "run"))
    case .all:
      guard cursor <= notebook.cells.count else {
        if notebook.cells.isEmpty { printError("no notebook is open (`ffnb step NOTEBOOK` opens one)") }
        else { console.line(notebook.cells.count == 1 ? "the only cell has run" : "all \(notebook.cells.count) cells have run") }
        return
      }
      runCells(cursor...notebook.cells.count)
    case .again:
      guard let lastRun else {
        printError("no cell has run yet; an empty line or :next runs the first")
        return
      }
      runCells(lastRun...lastRun)
    case .cells:
      console.write(cellsListing())
    case .show(let selection):
      try showCell(selection)
    case .vars:
      runner.session.showVariables()
    case .hyper:
      runner.session.showHyperparameters()
    case .history:
      let width = String(entries.count).count
      for (i, entry) in entries.enumerated() {
        let number = String(i + 1)
        console.line(String(repeating: " ", count: width - number.count) + number + "  " + entry.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: width + 2)))
      }
    case .time(let line):
      let clock = ContinuousClock()
      let start = clock.now
      handle(line, remember: false)
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      console.line(console.styled("time: " + Self.formatSeconds(seconds), .dim))
    case .save(let path):
      save(to: path)
    case .help:
      console.write(Self.helpText)
    case .quit:
      if confirmQuit() { quitRequested = true }
    }
  }

  /// `0.12 s`, `12.3 s`, `2 min 5 s`.
  static func formatSeconds(_ s: Double) -> String {
    if s < 10 { return String(format: "%.2f s", s) }
    if s < 60 { return String(format: "%.1f s", s) }
    let whole = Int(s.rounded())
    return "\(whole / 60) min \(whole % 60) s"
  }

  /// What `:help` prints: the meta-command table.
  static var helpText: String {
    let forms = MetaCommandSpec.all.map { spec in
      ([spec.name] + spec.aliases).map { ":" + $0 }.joined(separator: ", ") + (spec.argument.map { " " + $0 } ?? "")
    }
    let width = forms.map(\.count).max() ?? 0
    var text = "REPL commands (any other line runs as a notebook command; `help` lists those):\n"
    for (form, spec) in zip(forms, MetaCommandSpec.all) {
      text += "  " + form.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + spec.summary + "\n"
    }
    text += "Keys: Enter on an empty line runs the next cell; Tab completes; Up/Down browse history;\n"
    text += "Ctrl-C stops `learn` at the next epoch boundary (weights kept) or clears the line; Ctrl-D quits.\n"
    return text
  }

  /// `:save PATH`: the notebook's cells, then each typed cell as a code cell named `typed-N`,
  /// written atomically (a temporary file renamed into place), so a failed write never leaves
  /// half a notebook behind.
  func save(to path: String) {
    var nb = notebook
    nb.path = path
    var used = Set(nb.cellNames)
    var number = 1
    for source in typedCells {
      while used.contains("typed-\(number)") { number += 1 }
      used.insert("typed-\(number)")
      // headerLine 1 does not fit after the existing cells, so serialization lays the cell
      // out after them with one blank line between.
      nb.cells.append(Cell(index: nb.cells.count + 1, kind: .code, name: "typed-\(number)", source: source, firstLine: 2, headerLine: 1))
    }
    do {
      try Data(nb.serialized().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      failures += 1
      printError("cannot write \(path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
      return
    }
    hasUnsavedTypedCells = false
    extendsTypedCell = false
    console.line("saved \(Plural.count(nb.cells.count, "cell")) (\(typedCells.count) typed) to \(path)")
  }
}
