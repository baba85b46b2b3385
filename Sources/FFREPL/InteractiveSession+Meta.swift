import FFFiles
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
    case .runStale:
      runStale()
    case .all:
      guard cursor <= notebook.cells.count else {
        if notebook.cells.isEmpty { printError("no notebook is open (`ffnb step NOTEBOOK` opens one)") }
        else { console.line(allRun) }
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
      runner.interpreter.inspect(.vars)
    case .hyper:
      runner.interpreter.inspect(.hyper)
    case .history:
      let width = String(entries.count).count
      for (i, entry) in entries.enumerated() {
        let number = String(i + 1)
        console.line(String(repeating: " ", count: width - number.count) + number + "  " + VisibleText.escaping(entry).replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: width + 2)))
      }
    case .log:
      console.write(logListing())
    case .time(let line):
      let clock = ContinuousClock()
      let start = clock.now
      handle(line, remember: false)
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      console.line(console.styled("time: " + Self.formatSeconds(seconds), .dim))
    case .save(let path):
      save(to: path)
    case .edit(let selection):
      edit(try singleCell(selection, command: "edit"))
    case .runs(let count):
      listRuns(count ?? 10)
    case .compare(let ids):
      compareRuns(ids)
    case .reload:
      reload()
    case .write(let force):
      write(force: force)
    case .reactive(let on):
      if let on { isReactive = on }
      console.line("reactive mode is \(isReactive ? "on: stale cells re-run after each cell or line (cells that train ask first)" : "off: :run stale re-runs stale cells")")
      if isReactive { reactToChanges() }
    case .undo:
      undo()
    case .back(let selection):
      back(toCell: try singleCell(selection, command: "back"))
    case .snapshots(let budget):
      if let budget { changeSnapshotBudget(budget) } else { console.write(snapshotListing()) }
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

  /// `:log`: the session record, one unit per block: its header and what ran.
  func logListing() -> String {
    let record = runner.log.notebook(path: notebook.path)
    guard !record.cells.isEmpty else { return "nothing has run yet\n" }
    var text = ""
    for cell in record.cells {
      text += console.styled(cell.header, .dim) + "\n"
      if cell.kind == .code, !cell.source.isEmpty { text += VisibleText.escaping(cell.source) + "\n" }
    }
    return text
  }

  /// `:save PATH`: the session record (what ran, in order: cells, `-p` values, typed lines,
  /// re-runs, interrupted training as what it completed), written atomically.
  func save(to path: String) {
    let record = runner.log.notebook(path: path)
    do {
      try AtomicFile.write(record.serialized(), to: path)
    } catch {
      failures += 1
      printError(error.description)
      return
    }
    savedTypedKeys = Set(runner.log.typedUnits.map(\.key))
    let code = record.cells.filter { $0.kind == .code }.count
    console.line("saved the session record to \(path): \(Plural.count(code, "code cell")) in the order they ran (\(Plural.count(runner.log.typedCount, "typed line"))); `ffnb run \(path)` replays it")
  }

  /// `:edit N`: the cell in $VISUAL / $EDITOR; a changed cell that had run becomes stale.
  func edit(_ index: Int) {
    let cell = notebook.cells[index - 1]
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-edit-\(getpid())")
    let file = folder.appendingPathComponent("\(cell.name ?? "cell-\(index)").ffnb")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try AtomicFile.write(cell.source + "\n", to: file.path)
    } catch {
      failures += 1
      printError("cannot write a temporary file for the editor: \((error as? FileError)?.problem ?? error.localizedDescription)")
      return
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    let env = ProcessInfo.processInfo.environment
    let editor = [editorCommand, env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", editor + " \"$1\"", "sh", file.path]
    do {
      try process.run()
      process.waitUntilExit()
    } catch {
      failures += 1
      printError("cannot start the editor '\(editor)': \(error.localizedDescription)")
      return
    }
    guard process.terminationStatus == 0 else {
      failures += 1
      printError("the editor '\(editor)' exited with status \(process.terminationStatus); cell \(cell.displayName) is unchanged")
      return
    }
    guard let text = Notebook.text(ofFile: file.path) else {
      failures += 1
      printError("cannot read the edited cell back; cell \(cell.displayName) is unchanged")
      return
    }
    var source = text.replacingOccurrences(of: "\r\n", with: "\n")
    while source.hasSuffix("\n") { source.removeLast() }
    guard source != cell.source else {
      console.line("cell \(cell.displayName) is unchanged")
      return
    }
    runner.replaceSource(ofCell: index, with: source)
    reportStale(after: "edited cell \(cell.displayName)")
    reactToChanges()
  }

  /// `:reload`: the notebook file read again; the session's state stays.
  func reload() {
    guard isStepping else {
      printError("no notebook is open (`ffnb step NOTEBOOK` opens one)")
      return
    }
    let path = notebook.path
    let new: Notebook
    do {
      let (parsed, diagnostics) = try Notebook.load(path: path)
      if let error = diagnostics.first(where: { $0.severity == .error }) {
        failures += 1
        printError("\(error.location): \(error.message); the session keeps the cells it has")
        return
      }
      new = parsed
    } catch {
      failures += 1
      printError("cannot read \(path): \(error.message)")
      return
    }
    diskText = Notebook.text(ofFile: path)
    let changed = runner.reload(new)
    cursor = min(cursor, notebook.cells.count + 1)
    if changed.isEmpty {
      console.line("reloaded \(path): no cell changed")
    } else {
      reportStale(after: "reloaded \(path): \(Plural.count(changed.count, "cell")) changed or new (\(changed.map(String.init).joined(separator: ", ")))")
    }
    reactToChanges()
  }

  /// `:write`: the cells back to the notebook file, atomically; refused if the file changed
  /// on disk since it was read, unless forced.
  func write(force: Bool) {
    guard isStepping else {
      printError("no notebook is open; :save PATH writes the session record")
      return
    }
    let path = notebook.path
    let onDisk = Notebook.text(ofFile: path)
    if !force, onDisk != diskText {
      failures += 1
      printError("\(path) changed on disk since it was read; :reload takes those changes, :write! overwrites them")
      return
    }
    let text = notebook.serialized()
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      failures += 1
      printError(error.description)
      return
    }
    diskText = text
    console.line("wrote \(Plural.count(notebook.cells.count, "cell")) to \(path)")
  }

  /// Prints what happened and which cells are now stale.
  func reportStale(after what: String) {
    let stale = runner.staleCells()
    guard !stale.isEmpty else {
      console.line(what)
      return
    }
    let list = stale.keys.sorted().map { "\($0) (\(stale[$0]!.reason))" }.joined(separator: ", ")
    console.line("\(what); stale: \(list); :run stale re-runs them")
  }
}
