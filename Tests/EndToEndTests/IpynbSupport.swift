import Foundation

/// The outside tools the executed-notebook tests check ffnb's files with: the real `nbformat`
/// (and `nbconvert`) through `scripts/validate-ipynb`, `rsvg-convert` for the SVG plots, and
/// util-linux `script` for a pseudo-terminal.
enum IpynbTools {
  struct Result {
    var status: Int32
    /// Standard output and standard error, interleaved as written.
    var output: String
    var bytes: Data
  }

  /// Runs `executable` with `arguments` in the package root; `environment` replaces the
  /// inherited one when given. Output and errors share one pipe, read to the end before waiting.
  static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                  directory: URL = FFNB.packageRoot) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = directory
    if let environment { p.environment = environment }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self), bytes: data)
  }

  /// The full path of `tool` on PATH, or nil.
  static func which(_ tool: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Whether python3 can import `module`.
  static func pythonHas(_ module: String) -> Bool {
    guard let python = which("python3") else { return false }
    return (try? run(python, ["-c", "import \(module)"]))?.status == 0
  }

  static let hasNbformat = pythonHas("nbformat")
  static let hasNbconvert = hasNbformat && pythonHas("nbconvert")
  static let skipNbformat = "python3 lacks nbformat: run scripts/install-deps test (pip install nbformat)"

  /// `scripts/validate-ipynb path [--html out]`: nbformat's schema, unique ids, Jupyter's layout.
  static func validate(_ path: String, html: String? = nil) throws -> Result {
    let script = FFNB.packageRoot.appendingPathComponent("scripts/validate-ipynb").path
    return try run(which("python3") ?? "/usr/bin/python3", [script, path] + (html.map { ["--html", $0] } ?? []))
  }

  /// An .ipynb file as JSON.
  static func load(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw NotANotebook(path: path)
    }
    return object
  }

  static func cells(_ notebook: [String: Any]) -> [[String: Any]] { notebook["cells"] as? [[String: Any]] ?? [] }
  static func outputs(_ cell: [String: Any]) -> [[String: Any]] { cell["outputs"] as? [[String: Any]] ?? [] }
  static func text(_ lines: Any?) -> String { (lines as? [String])?.joined() ?? (lines as? String ?? "") }

  /// Width and height of a PNG, from its IHDR chunk.
  static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
          bytes[12...15] == [0x49, 0x48, 0x44, 0x52]  // "IHDR"
    else { return nil }
    func bigEndian(at i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(at: 16), bigEndian(at: 20))
  }

  /// The `width` and `height` attributes of an SVG's root element, in pixels.
  static func svgSize(_ svg: String) -> (width: Int, height: Int)? {
    guard let open = svg.range(of: "<svg") else { return nil }
    let tag = svg[open.upperBound...].prefix { $0 != ">" }
    func attribute(_ name: String) -> Int? {
      guard let r = tag.range(of: " \(name)=\"") else { return nil }
      return Double(tag[r.upperBound...].prefix { $0 != "\"" }).map { Int($0.rounded()) }
    }
    guard let w = attribute("width"), let h = attribute("height") else { return nil }
    return (w, h)
  }

  /// `'text'` for a POSIX shell.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}

/// A file that should have been a notebook is not a JSON object.
struct NotANotebook: Error, CustomStringConvertible {
  var path: String
  var description: String { "\(path) is not a JSON object" }
}
