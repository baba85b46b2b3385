import FFLanguage

/// The first line `ffnb export` writes in each code cell: the cell's identity, `#| name: data`
/// for a named cell, `#| cell: 4` for unnamed cell 4, in the `#|` cell-option style of Quarto
/// and Jupytext. To ffnb it is a comment.
///
/// Why: a cell's random draws come from streams named after it (its name, or `cell-N`), and a
/// Jupyter client sends a kernel only the cell's source; JupyterLab adds the cell's id, nbclient
/// and `nbconvert --execute` add nothing. With the identity in the source every client runs an
/// exported cell as `ffnb run` does, drawing the same numbers. `ffnb import` reads it back as
/// the cell's name and drops the line, so export then import gives back the same `.ffnb`.
package enum IpynbCellPragma {
  /// Who a cell is.
  package enum Identity: Sendable, Equatable {
    case name(String)
    case index(Int)

    /// The key of the unit it runs as (`UnitID.key`): the name, or `cell-N`.
    package var unitKey: String {
      switch self {
      case .name(let name): name
      case .index(let index): "cell-\(index)"
      }
    }
  }

  /// The line for `cell` (without its newline).
  static func line(for cell: Cell) -> String {
    if let name = cell.name, !name.isEmpty { return "#| name: \(name)" }
    return "#| cell: \(cell.index)"
  }

  /// The identity a source's first line states, and the source after that line; nil when the
  /// first line is not such a line.
  package static func split(_ source: String) -> (identity: Identity, rest: Substring)? {
    let end = source.firstIndex(of: "\n") ?? source.endIndex
    let first = source[..<end]
    let rest = end == source.endIndex ? source[end...] : source[source.index(after: end)...]
    if first.hasPrefix("#| name: ") {
      let name = first.dropFirst("#| name: ".count)
      guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else { return nil }
      return (.name(String(name)), rest)
    }
    if first.hasPrefix("#| cell: "), let index = Int(first.dropFirst("#| cell: ".count)), index >= 1 {
      return (.index(index), rest)
    }
    return nil
  }
}
