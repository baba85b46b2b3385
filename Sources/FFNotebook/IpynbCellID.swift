import FFLanguage

/// Cell ids for nbformat 4.5, which requires every cell to have one, unique in the notebook,
/// 1 to 64 characters of `[a-zA-Z0-9-_]`. Jupyter makes random ids; ffnb derives them from the
/// cell's position and name so exporting the same notebook twice gives the same file.
enum IpynbCellID {
  static let maximumLength = 64

  /// `cell-3-data` for cell 3 named `data`, `cell-1` for an unnamed cell 1. The index makes
  /// it unique; the name makes it readable.
  static func id(for cell: Cell) -> String {
    guard let name = cell.name, !name.isEmpty else { return "cell-\(cell.index)" }
    return clipped("cell-\(cell.index)-" + sanitized(name))
  }

  /// The id of the cell papermill injects after parameters cell `index`. Cell ids all start
  /// with `cell-`, so this one cannot collide with them, even after a cell named
  /// `injected-parameters`.
  static func injectedParameters(after index: Int) -> String {
    "injected-parameters-\(index)"
  }

  /// Whether `id` is a valid nbformat 4.5 cell id.
  static func isValid(_ id: String) -> Bool {
    !id.isEmpty && id.unicodeScalars.count <= maximumLength && id.unicodeScalars.allSatisfy(isIDScalar)
  }

  /// Cell names may hold any Unicode letter; ids only ASCII ones: others become `_`.
  private static func sanitized(_ name: String) -> String {
    String(String.UnicodeScalarView(name.unicodeScalars.map { isIDScalar($0) ? $0 : "_" }))
  }

  private static func clipped(_ id: String) -> String {
    String(String.UnicodeScalarView(id.unicodeScalars.prefix(maximumLength)))
  }

  private static func isIDScalar(_ s: Unicode.Scalar) -> Bool {
    switch s {
    case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
    default: false
    }
  }
}
