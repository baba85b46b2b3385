import FFNotebook

/// Which unit a Jupyter cell runs as. A unit's key names the random streams its statements
/// draw from (`UnitID`): in `ffnb run` a cell's name, or `cell-N`. A notebook from
/// `ffnb export` keeps that in its cell ids (`cell-3-data`, `cell-4`), and JupyterLab sends the
/// id of the cell it runs, so the kernel draws exactly what `ffnb run` draws for it, and
/// re-running a cell draws the same numbers again, as in the REPL's step mode.
///
/// The identity line `ffnb export` writes first in each code cell (`#| name: data`) names the
/// unit for every client, those that send no id (nbclient, `nbconvert --execute`) included.
/// Another id (a cell made in JupyterLab) keys the unit by that id, so re-running it repeats
/// its draws too. A request with neither (a console) is the request's own typed unit, as a
/// line typed at the REPL.
enum CellUnit {
  static func unit(cellID: String?, request: Int, source: String = "") -> UnitID {
    // The identity line of an exported cell (`IpynbCellPragma`) names it whatever the client
    // sends: nbclient and `nbconvert --execute` send no id.
    if let (identity, _) = IpynbCellPragma.split(source) {
      switch identity {
      case .index(let index): return UnitID(kind: .cell(index), key: identity.unitKey)
      case .name: return UnitID(kind: cellID.flatMap(exported).map { .cell($0.index) } ?? .typed(request), key: identity.unitKey)
      }
    }
    guard let id = cellID, !id.isEmpty else { return .typed(request) }
    if let (index, name) = exported(id) {
      return UnitID(kind: .cell(index), key: name ?? "cell-\(index)")
    }
    return UnitID(kind: .typed(request), key: "jupyter-\(id)")
  }

  /// The cell index and name an `ffnb export` id spells: `cell-3-data` -> (3, "data"),
  /// `cell-4` -> (4, nil); nil for any other id.
  static func exported(_ id: String) -> (index: Int, name: String?)? {
    guard id.hasPrefix("cell-") else { return nil }
    let rest = id.dropFirst("cell-".count)
    let digits = rest.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, let index = Int(digits), index >= 1 else { return nil }
    let after = rest.dropFirst(digits.count)
    if after.isEmpty { return (index, nil) }
    guard after.hasPrefix("-"), after.count > 1 else { return nil }
    return (index, String(after.dropFirst()))
  }
}
