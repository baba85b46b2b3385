import FFFiles
import FFLanguage

/// Why an `.ipynb` cannot become a `.ffnb`, and which file.
public struct IpynbImportError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "cannot import \(path): \(reason)" }
}

/// `ffnb import`: a Jupyter notebook back as a `.ffnb`, the inverse of `IpynbDocument`'s
/// export. Cell kinds, names (`metadata.name`), tags (`metadata.tags`) and sources come back
/// exactly; outputs, execution counts, ids and other metadata are dropped, as a `.ffnb` has no
/// place for them.
///
/// Only notebooks whose code cells are ffnb's are taken (the kernelspec or language says
/// ffnb): a Python notebook's cells would be nonsense to the ffnb parser. A notebook whose
/// cells cannot be written as `.ffnb` (a raw cell; a line in a cell that `.ffnb` would read
/// as a `%%` header; a name or tag the header syntax cannot hold) is refused with the cell
/// named, never written half-right: the text is parsed back and must give the same cells.
public enum IpynbImport {
  /// Notebooks with outputs can be large, but what is imported is text: the largest `.ipynb`
  /// read, refused before reading. Four times the largest `.ffnb` (`Notebook.maximumFileBytes`).
  public static let maximumFileBytes = 4 * Notebook.maximumFileBytes

  /// Reads the `.ipynb` at `path` as the notebook that would be written to `ffnbPath`.
  public static func notebook(fromFile path: String, ffnbPath: String) throws(IpynbImportError) -> Notebook {
    let bytes: [UInt8]
    do {
      bytes = try ReadableFile.readAll(path: path, limit: maximumFileBytes, what: "a Jupyter notebook")
    } catch {
      throw IpynbImportError(path: path, reason: error.problem)
    }
    let json: JSONValue
    do {
      json = try JSONValue.parse(bytes)
    } catch {
      throw IpynbImportError(path: path, reason: "it is not a Jupyter notebook: \(error.description)")
    }
    do {
      return try notebook(from: json, ffnbPath: ffnbPath)
    } catch {
      throw IpynbImportError(path: path, reason: error.reason)
    }
  }

  /// The notebook a parsed `.ipynb` holds (errors name no path: the caller adds it).
  public static func notebook(from json: JSONValue, ffnbPath: String) throws(IpynbImportError) -> Notebook {
    func refuse(_ reason: String) -> IpynbImportError { IpynbImportError(path: "", reason: reason) }
    guard json.objectValue != nil else { throw refuse("it is not a Jupyter notebook (the JSON is not an object)") }
    guard let format = json["nbformat"]?.intValue else { throw refuse("it is not a Jupyter notebook (no \"nbformat\" number)") }
    guard format == 4 else { throw refuse("it is nbformat \(format); ffnb imports nbformat 4") }
    guard let cells = json["cells"]?.arrayValue else { throw refuse("it has no \"cells\" list") }

    var wanted: [Cell] = []
    var line = 1
    for (position, item) in cells.enumerated() {
      let number = position + 1
      guard item.objectValue != nil else { throw refuse("cell \(number) is not a JSON object") }
      let kind: CellKind
      switch item["cell_type"]?.stringValue {
      case "markdown": kind = .markdown
      case "code": kind = .code
      case let other?: throw refuse("cell \(number) is a \(other) cell; .ffnb has markdown and code cells only")
      case nil: throw refuse("cell \(number) has no \"cell_type\" string")
      }
      var source = try text(item["source"], what: "cell \(number)'s source")
      let metadata = item["metadata"] ?? .object([:])
      guard metadata.objectValue != nil else { throw refuse("cell \(number)'s metadata is not an object") }
      var name: String?
      if let value = metadata["name"] {
        guard let text = value.stringValue else { throw refuse("cell \(number)'s metadata.name is not a string") }
        name = text
      }
      // The identity line `ffnb export` writes: the cell's name when it states one (an edit
      // to it in JupyterLab renames the cell), dropped from the source either way.
      if kind == .code, let (identity, rest) = IpynbCellPragma.split(source) {
        if case .name(let stated) = identity { name = stated }
        source = String(rest)
      }
      var tags: [String] = []
      if let value = metadata["tags"] {
        guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
          throw refuse("cell \(number)'s metadata.tags is not a list of strings")
        }
        tags = list.compactMap(\.stringValue)
      }
      // A notebook saved on Windows may hold `\r\n`: .ffnb reads it as `\n`, so it is taken as one.
      let trimmed = trimmingTrailingBlankLines(source.replacing("\r\n", with: "\n"))
      let lineCount = trimmed.isEmpty ? 0 : trimmed.split(separator: "\n", omittingEmptySubsequences: false).count
      wanted.append(Cell(index: number, kind: kind, name: name, tags: tags, source: trimmed, firstLine: line + 1, headerLine: line))
      // The header, the source, one blank line before the next header.
      line += 1 + lineCount + 1
    }
    if wanted.contains(where: { $0.kind == .code }) { try checkKernel(json) }

    let notebook = Notebook(path: ffnbPath, cells: wanted)
    let (parsed, diagnostics) = Notebook.parse(text: notebook.serialized(), path: ffnbPath)
    for (i, cell) in wanted.enumerated() {
      guard let back = parsed.cells[safe: i], back.kind == cell.kind, back.name == cell.name, back.tags == cell.tags, back.source == cell.source
      else {
        let why = diagnostics.first { $0.severity == .error && $0.location.line == cell.headerLine }?.message
        throw refuse("cell \(i + 1) cannot be written as .ffnb: " + (why ?? reason(cell)))
      }
    }
    guard parsed.cells.count == wanted.count else {
      let header = wanted.first { $0.source.split(separator: "\n").contains { $0.hasPrefix("%%") } }
      throw refuse("cell \(header?.index ?? wanted.count) cannot be written as .ffnb: " + (header.map(reason) ?? "its text reads back as more cells"))
    }
    return parsed
  }

  /// The likely reason a cell does not read back as itself.
  private static func reason(_ cell: Cell) -> String {
    if cell.source.split(separator: "\n").contains(where: { $0.hasPrefix("%%") }) {
      return "a line of it starts with %%, which .ffnb reads as a cell header"
    }
    if cell.source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0.last == "\r" }) {
      return "a line of it ends with a carriage return (\\r) that is not part of a \\r\\n, which .ffnb drops"
    }
    return "its name or tags do not fit a .ffnb header (`%% code name [tag, tag]`: names of letters, digits, _ and -)"
  }

  /// A multi-line string field: a string, or a list of strings joined (nbformat allows both).
  private static func text(_ value: JSONValue?, what: String) throws(IpynbImportError) -> String {
    switch value {
    case .string(let s)?: return s
    case .array(let lines)?:
      var out = ""
      for line in lines {
        guard let s = line.stringValue else { throw IpynbImportError(path: "", reason: "\(what) is not text (a list holding a non-string)") }
        out += s
      }
      return out
    case nil: return ""
    default: throw IpynbImportError(path: "", reason: "\(what) is not text")
    }
  }

  /// .ffnb keeps no blank lines at the end of a cell (they separate cells); Jupyter may.
  static func trimmingTrailingBlankLines(_ source: String) -> String {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { lines.removeLast() }
    return lines.joined(separator: "\n")
  }

  /// Refuses a notebook whose code cells belong to another kernel.
  private static func checkKernel(_ json: JSONValue) throws(IpynbImportError) {
    let spec = json["metadata"]?["kernelspec"]
    let kernel = spec?["name"]?.stringValue
    let language = spec?["language"]?.stringValue ?? json["metadata"]?["language_info"]?["name"]?.stringValue
    if kernel == "ffnb" || language == "ffnb" { return }
    let described = [kernel.map { "kernel '\($0)'" }, language.map { "language \($0)" }].compactMap { $0 }.joined(separator: ", ")
    let whose = described.isEmpty ? "it names no kernel or language" : "its code cells are for \(described), not ffnb"
    throw IpynbImportError(path: "", reason: "\(whose); ffnb imports notebooks whose kernel is ffnb (from `ffnb export`, `ffnb run --output`, or Jupyter with the ffnb kernel)")
  }
}

extension Notebook {
  /// Writes the notebook's `.ffnb` text to `path` atomically (through `AtomicFile`).
  public func write(to path: String) throws(IpynbWriteError) {
    try IpynbFile.writeAtomically(serialized(), to: path)
  }
}
