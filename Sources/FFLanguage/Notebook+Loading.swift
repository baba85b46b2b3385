import FFFiles

extension Notebook {
  /// The largest notebook file `load` reads: 64 MiB (the seed notebook is 6 KB). A larger file
  /// is refused before it is read, so a huge or endless file cannot exhaust memory.
  public static let maximumFileBytes = 64 << 20

  /// Parses `.ffnb` bytes. Invalid UTF-8 is decoded with U+FFFD replacement characters and
  /// reported where it is (`UTF8Validation`), and a leading byte-order mark is dropped.
  public static func parse<Bytes: Collection<UInt8>>(bytes: Bytes, path: String) -> (Notebook, [Diagnostic]) {
    let (notebook, diagnostics) = parse(text: decode(bytes), path: path)
    return (notebook, UTF8Validation.diagnostics(bytes: bytes, notebook: notebook) + diagnostics)
  }

  /// The text of `.ffnb` bytes; the mark is dropped from the bytes, not from the decoded text
  /// (which would copy it).
  static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
    bytes.starts(with: [0xEF, 0xBB, 0xBF])
      ? String(decoding: bytes.dropFirst(3), as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
  }

  /// Reads and parses the notebook at `path`: a regular file (never a FIFO, socket or device,
  /// which could block or never end) of at most `maximumFileBytes`.
  ///
  /// - Throws: a whole-file `Diagnostic` naming the path when the file cannot be read.
  public static func load(path: String) throws(Diagnostic) -> (Notebook, [Diagnostic]) {
    let text: String
    let invalid: UTF8Validation.Places
    do {
      // Decoded inside this block, so the bytes are freed before parsing begins; where they
      // are not UTF-8 is noted first, in one pass.
      let bytes = try ReadableFile.readAll(path: path, limit: maximumFileBytes, what: "a notebook")
      invalid = UTF8Validation.places(in: bytes)
      text = decode(bytes)
    } catch {
      throw Diagnostic(.error, "cannot read notebook: \(error.problem)", at: .file(path))
    }
    let (notebook, diagnostics) = parse(text: text, path: path)
    return (notebook, UTF8Validation.diagnostics(invalid, notebook: notebook) + diagnostics)
  }

  /// The text of the notebook file at `path` as `load` reads it (nil when it cannot be read):
  /// for comparing with what is on disk before writing over it.
  package static func text(ofFile path: String) -> String? {
    (try? ReadableFile.readAll(path: path, limit: maximumFileBytes, what: "a notebook")).map { decode($0) }
  }

  /// Lines `numbers` (1-based) of `text`, as diagnostics show them: found in one scan, without
  /// splitting the whole text into lines.
  package static func sourceLines(_ numbers: Set<Int>, of text: String) -> [Int: String] {
    var lines: [Int: String] = [:]
    guard let last = numbers.max(), last >= 1 else { return lines }
    var text = text
    text.makeContiguousUTF8()
    LineScanner.forEachLine(in: text) { line in
      if numbers.contains(line.number) { lines[line.number] = String(text[line.range]) }
    }
    return lines
  }

  /// Lines `numbers` of the notebook file at `path` (none when it cannot be read).
  package static func sourceLines(_ numbers: Set<Int>, ofFile path: String) -> [Int: String] {
    guard !numbers.isEmpty,
      let bytes = try? ReadableFile.readAll(path: path, limit: maximumFileBytes, what: "a notebook")
    else { return [:] }
    return sourceLines(numbers, of: decode(bytes))
  }
}
