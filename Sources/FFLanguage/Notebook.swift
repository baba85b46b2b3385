/// What a cell holds: prose to show, or command-language statements to run.
public enum CellKind: String, Sendable, Hashable, CaseIterable {
  case markdown
  case code
}

/// The tags a cell header may carry, as papermill and jupytext name them.
public enum CellTag {
  /// The cell holds defaults that `-p name=value` overrides replace.
  public static let parameters = "parameters"
  /// The cell is not run.
  public static let skip = "skip"
  /// The cell is expected to fail; a run goes on past its error.
  public static let raises = "raises"
  /// In a saved session record: the cell repeats an earlier cell of the same name (a re-run);
  /// both draw from the same random streams.
  public static let rerun = "rerun"
  /// Papermill's tag for the cell holding `-p` values, after the parameters cell.
  public static let injectedParameters = "injected-parameters"
  /// Tags with a meaning; other tags are kept (and warned about) so nothing is lost.
  public static let known = [parameters, skip, raises, rerun, injectedParameters]
}

/// One cell of a `.ffnb` notebook: a `%%` header and the lines after it.
public struct Cell: Sendable, Hashable {
  /// 1-based position in the file.
  public var index: Int
  public var kind: CellKind
  /// The optional name after the kind (`%% code data` -> `"data"`): letters, digits, `_`, `-`.
  public var name: String?
  /// Tags in header order, without duplicates.
  public var tags: [String]
  /// The cell's lines joined by `\n`, without the header and without trailing blank lines.
  public var source: String
  /// The file line of the first source line (for an empty cell: the line after the header).
  public var firstLine: Int
  /// The file line of the `%%` header, or nil for the implicit cell before the first header.
  public var headerLine: Int?

  public init(
    index: Int, kind: CellKind, name: String? = nil, tags: [String] = [], source: String,
    firstLine: Int, headerLine: Int? = nil
  ) {
    self.index = index
    self.kind = kind
    self.name = name
    self.tags = tags
    self.source = source
    self.firstLine = firstLine
    self.headerLine = headerLine
  }

  /// How diagnostics and transcripts name the cell: `"3 data"`, or `"3"` without a name.
  public var displayName: String {
    if let name { return "\(index) \(name)" }
    return String(index)
  }

  public func hasTag(_ tag: String) -> Bool { tags.contains(tag) }
  /// Tagged `parameters`: its `set` defaults give way to `-p` overrides.
  public var isParameters: Bool { hasTag(CellTag.parameters) }
  /// Tagged `skip`: not run.
  public var isSkipped: Bool { hasTag(CellTag.skip) }
  /// Tagged `raises`: an error is expected.
  public var expectsError: Bool { hasTag(CellTag.raises) }

  /// The `%%` header line that introduces this cell, in canonical form.
  public var header: String {
    var text = "%% \(kind.rawValue)"
    if let name { text += " \(name)" }
    if !tags.isEmpty { text += " [\(tags.joined(separator: ", "))]" }
    return text
  }
}

/// A parsed `.ffnb` file: its path (for diagnostics) and its cells in file order.
public struct Notebook: Sendable, Hashable {
  public var path: String
  public var cells: [Cell]

  public init(path: String, cells: [Cell]) {
    self.path = path
    self.cells = cells
  }

  /// The code cells, in order.
  public var codeCells: [Cell] { cells.filter { $0.kind == .code } }

  /// The cell a user names on the command line: a 1-based index (`"3"`) or a cell name
  /// (`"data"`).
  public func cell(_ selector: String) -> Cell? {
    if let index = Int(selector) {
      return cells.first { $0.index == index }
    }
    return cells.first { $0.name == selector }
  }

  /// The names of all named cells, for "did you mean" suggestions on a bad selector.
  public var cellNames: [String] { cells.compactMap(\.name) }
}
