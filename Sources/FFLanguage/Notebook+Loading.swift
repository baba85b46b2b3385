import Foundation

extension Notebook {
  /// Parses `.ffnb` bytes. Invalid UTF-8 is decoded with U+FFFD replacement characters and
  /// reported where it is (`UTF8Validation`), and a leading byte-order mark is dropped.
  public static func parse<Bytes: Collection<UInt8>>(bytes: Bytes, path: String) -> (Notebook, [Diagnostic]) {
    var text = String(decoding: bytes, as: UTF8.self)
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    let (notebook, diagnostics) = parse(text: text, path: path)
    return (notebook, UTF8Validation.diagnostics(bytes: bytes, notebook: notebook) + diagnostics)
  }

  /// Reads and parses the notebook at `path`.
  ///
  /// - Throws: a whole-file `Diagnostic` naming the path when the file cannot be read.
  public static func load(path: String) throws(Diagnostic) -> (Notebook, [Diagnostic]) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      var isDirectory: ObjCBool = false
      let reason: String
      if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        reason = "no such file"
      } else if isDirectory.boolValue {
        reason = "it is a directory"
      } else if !FileManager.default.isReadableFile(atPath: path) {
        reason = "permission denied"
      } else {
        reason = (error as NSError).localizedDescription
      }
      throw Diagnostic(.error, "cannot read notebook: \(reason)", at: .file(path))
    }
    return parse(bytes: data, path: path)
  }
}
