/// Where a piece of notebook text lives: the file, the cell it belongs to, and a 1-based
/// line and column.
///
/// Lines are FILE lines (a cell's first source line is `Cell.firstLine`), so an editor can
/// jump straight to them. Columns count Unicode scalars, which is what an editor shows as
/// characters for everything the command language accepts; tabs count as one column here and
/// are expanded only when a diagnostic is rendered.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The notebook path as the user gave it, or `"<input>"` for a line typed at the REPL.
  public var file: String
  /// The 1-based cell index, or nil outside a notebook (REPL input, `-p` overrides).
  public var cell: Int?
  /// The cell's name (`%% code data` -> `"data"`), shown next to the index in diagnostics.
  public var cellName: String?
  /// 1-based file line; 0 when the problem concerns the whole file (it could not be read).
  public var line: Int
  /// 1-based column in Unicode scalars; 0 when the problem concerns the whole line or file.
  public var column: Int

  public init(file: String, cell: Int? = nil, cellName: String? = nil, line: Int, column: Int) {
    self.file = file
    self.cell = cell
    self.cellName = cellName
    self.line = line
    self.column = column
  }

  /// A location for problems that concern a whole file, such as "cannot read".
  public static func file(_ path: String) -> SourceLocation {
    SourceLocation(file: path, line: 0, column: 0)
  }

  /// `file:line:column`, leaving out the parts that are 0.
  public var description: String {
    if line <= 0 { return file }
    if column <= 0 { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }

  /// The same place moved `count` columns to the right on the same line.
  func advanced(by count: Int) -> SourceLocation {
    var copy = self
    copy.column += count
    return copy
  }
}

/// A span of source text: `start` is the first character, `end` is one past the last.
///
/// Every AST node carries one so that the checker and the interpreter can point a caret at the
/// exact argument that is wrong, even when a statement wraps over several lines.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
  public var start: SourceLocation
  public var end: SourceLocation

  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }

  /// A range of `length` characters on one line.
  public init(start: SourceLocation, length: Int) {
    self.start = start
    self.end = start.advanced(by: max(length, 0))
  }

  /// The smallest range covering both `self` and `other` (which must be in the same cell).
  public func union(_ other: SourceRange) -> SourceRange {
    let first = (other.start.line, other.start.column) < (start.line, start.column) ? other.start : start
    let last = (other.end.line, other.end.column) > (end.line, end.column) ? other.end : end
    return SourceRange(start: first, end: last)
  }

  /// How many characters a caret underline should cover: the span on its first line, at
  /// least 1. A range that continues on later lines is underlined to `Int.max` and the
  /// renderer clips it at the end of the shown line.
  public var caretLength: Int {
    if end.line != start.line { return Int.max }
    return max(end.column - start.column, 1)
  }

  public var description: String { "\(start)-\(end.line):\(end.column)" }
}

/// Where the text handed to the parser comes from: used to turn line numbers inside a cell (or
/// a typed REPL line) into file locations.
public struct SourceOrigin: Sendable, Hashable {
  public var file: String
  public var cell: Int?
  public var cellName: String?
  /// The file line of the text's first line.
  public var firstLine: Int

  public init(file: String, cell: Int? = nil, cellName: String? = nil, firstLine: Int = 1) {
    self.file = file
    self.cell = cell
    self.cellName = cellName
    self.firstLine = firstLine
  }

  /// A line typed at the REPL or passed on the command line.
  public static let input = SourceOrigin(file: "<input>")

  /// The origin of a notebook cell's source.
  public init(cell: Cell, file: String) {
    self.init(file: file, cell: cell.index, cellName: cell.name, firstLine: cell.firstLine)
  }

  /// The location of a 1-based line (relative to this text) and column.
  func location(line: Int, column: Int) -> SourceLocation {
    SourceLocation(file: file, cell: cell, cellName: cellName, line: firstLine + line - 1, column: column)
  }
}

extension Character {
  /// A line break: `\n`, or `\r\n` (one Character in Swift, so splitting on "\n" alone would
  /// not split Windows line endings).
  var isNewlineSeparator: Bool { self == "\n" || self == "\r\n" }
}
