import FFLanguage

/// What a session actually ran, in execution order: notebook cells as they ran (`-p` values
/// injected after the parameters cell, as papermill does), lines typed at the REPL where
/// they ran, re-runs as re-runs, a `learn` stopped by Ctrl-C as the epochs it completed.
///
/// `notebook(path:)` writes it as a `.ffnb` whose replay reproduces the session's numbers:
/// every unit becomes a cell named by its unit key, so its statements draw from the same
/// random streams as they did in the session.
package struct SessionLog: Sendable {
  package enum Entry: Sendable {
    /// A markdown cell the session passed.
    case markdown(Cell)
    /// A code cell that ran: the statements that completed, and whether all of them did.
    case cell(Cell, [ExecutedStatement], complete: Bool)
    /// `-p` values injected after a parameters cell.
    case injected([(name: String, value: Value)])
    /// A typed line: its unit and the statements that completed.
    case typed(UnitID, [ExecutedStatement])
    /// A command-line option the session started with, as the statement that has its effect
    /// (`--precision bf16`: `precision bf16`), so the record replays the same without it.
    case setting(String)
  }

  package private(set) var entries: [Entry] = []

  package mutating func append(_ entry: Entry) { entries.append(entry) }

  /// Forgets every entry after the first `count`, but the markdown cells passed since: the
  /// record as it was then (`:undo`, `:back`). Entries are only ever appended, so that prefix
  /// is exactly what had run. A markdown cell changes nothing, and the cursor does not pass it
  /// again, so it stays (the notebook's title would otherwise leave the saved record).
  package mutating func truncate(to count: Int) {
    guard count < entries.count else { return }
    let passed = entries[count...].filter { if case .markdown = $0 { true } else { false } }
    entries.removeSubrange(count...)
    entries += passed
  }

  static let rerunTag = CellTag.rerun
  static let injectedTag = CellTag.injectedParameters
  /// The name of the cell holding the command line's settings.
  static let settingsName = "command-line"

  /// The record as a notebook. Cells and lines that changed nothing (they failed at their
  /// first statement) are left out; a markdown cell appears where it was first passed.
  package func notebook(path: String) -> Notebook {
    var cells: [Cell] = []
    var seenKeys = Set<String>()
    var seenMarkdown = Set<Int>()
    func add(kind: CellKind, name: String?, tags: [String], source: String) {
      cells.append(Cell(index: cells.count + 1, kind: kind, name: name, tags: tags, source: source, firstLine: 2, headerLine: 1))
    }
    for entry in entries {
      switch entry {
      case .markdown(let cell):
        guard seenMarkdown.insert(cell.index).inserted else { continue }
        add(kind: .markdown, name: cell.name, tags: cell.tags, source: cell.source)
      case let .cell(cell, executed, complete):
        guard !executed.isEmpty else { continue }
        let key = UnitID(cell: cell).key
        var tags = cell.tags.filter { $0 != CellTag.raises }
        if !seenKeys.insert(key).inserted { tags.append(Self.rerunTag) }
        let asWritten = complete && executed.allSatisfy { $0.recorded == [$0.source] }
        add(kind: .code, name: key, tags: tags, source: asWritten ? cell.source : Self.source(of: executed))
      case .injected(let values):
        let source = values.map { "set \($0.name) = \($0.value)" }.joined(separator: "\n")
        add(kind: .code, name: Self.injectedTag, tags: [Self.injectedTag], source: source)
      case .setting(let source):
        add(kind: .code, name: Self.settingsName, tags: [Self.injectedTag], source: source)
      case let .typed(unit, executed):
        guard !executed.isEmpty else { continue }
        seenKeys.insert(unit.key)
        add(kind: .code, name: unit.key, tags: [], source: Self.source(of: executed))
      }
    }
    return Notebook(path: path, cells: cells)
  }

  static func source(of executed: [ExecutedStatement]) -> String {
    executed.flatMap(\.recorded).joined(separator: "\n")
  }

  /// How many typed lines the record holds.
  package var typedCount: Int { typedUnits.count }

  /// The typed lines the record holds (those that ran a statement), in order.
  package var typedUnits: [UnitID] {
    entries.compactMap { e in
      if case .typed(let unit, let executed) = e, !executed.isEmpty { return unit }
      return nil
    }
  }
}
