import FFLanguage

/// The identity of something that runs: a notebook cell or a line typed at the REPL.
///
/// Its `key` (the cell's name, `cell-N` for an unnamed cell, `typed-N` for the N-th typed
/// line) names the random streams its statements draw from, so re-running a cell draws the
/// same numbers and a typed line never shifts a cell's draws. A saved session record writes
/// every unit as a cell named by its key, which is why a replay of the record draws alike.
package struct UnitID: Sendable, Hashable, CustomStringConvertible {
  package enum Kind: Sendable, Hashable {
    /// A notebook cell, by 1-based index.
    case cell(Int)
    /// The N-th typed line of a REPL session.
    case typed(Int)
  }
  package var kind: Kind
  package var key: String

  package init(kind: Kind, key: String) {
    self.kind = kind
    self.key = key
  }

  /// The unit of a notebook cell.
  package init(cell: Cell) {
    self.init(kind: .cell(cell.index), key: cell.name ?? "cell-\(cell.index)")
  }

  /// The unit of the N-th typed line.
  package static func typed(_ n: Int) -> UnitID { UnitID(kind: .typed(n), key: "typed-\(n)") }

  /// `cell 4`, `typed line 2`.
  package var description: String {
    switch kind {
    case .cell(let index): "cell \(index)"
    case .typed(let n): "typed line \(n)"
    }
  }

  /// The stream a statement at 1-based `position` of this unit draws `purpose` from.
  package func stream(_ purpose: String, position: Int) -> String { "\(purpose)/\(key)/\(position)" }
}
