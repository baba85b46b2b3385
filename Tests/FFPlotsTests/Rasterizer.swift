import Foundation
import Testing

/// Renders SVGs to PNG with librsvg's `rsvg-convert` (Debian librsvg2-bin; `make test` installs
/// it) so tests see what a real SVG consumer makes of our output, not just that it parses.
enum Rasterizer {
  static let tool: String? = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Writes `svg` to `directory/name.svg`, converts it to `name.png` and returns the PNG bytes.
  static func rasterize(_ svg: String, name: String, in directory: URL) throws -> Data {
    guard let tool else { throw Failure(description: "rsvg-convert not installed") }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let svgURL = directory.appendingPathComponent(name + ".svg")
    let pngURL = directory.appendingPathComponent(name + ".png")
    try Data(svg.utf8).write(to: svgURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["--format=png", "--output=\(pngURL.path)", svgURL.path]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw Failure(description: "rsvg-convert failed (\(process.terminationStatus)): \(message)")
    }
    return try Data(contentsOf: pngURL)
  }

  /// Width and height from a PNG's IHDR chunk, or nil when `png` is not a PNG.
  static func pngSize(_ png: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](png.prefix(24))
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count == 24, Array(bytes[0..<8]) == signature,
      Array(bytes[12..<16]) == Array("IHDR".utf8)
    else { return nil }
    func u32(_ at: Int) -> Int {
      bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    return (u32(16), u32(20))
  }

  /// A fresh directory for this test's files: `$FFPLOTS_EXAMPLES` when set (to keep and look at
  /// the pictures), otherwise a unique temporary directory.
  static func outputDirectory() -> URL {
    if let kept = ProcessInfo.processInfo.environment["FFPLOTS_EXAMPLES"], !kept.isEmpty {
      return URL(fileURLWithPath: kept)
    }
    return FileManager.default.temporaryDirectory
      .appendingPathComponent("ffplots-\(UUID().uuidString)")
  }

  /// Parses `svg`, rasterises it and checks the PNG is the size the SVG declares. Records an
  /// issue and returns without rasterising when rsvg-convert is absent, saying so.
  static func checkRasterizes(_ svg: String, name: String) throws {
    let parsed = try ParsedSVG(svg)
    let width = try #require(parsed.rootNumber("width"))
    let height = try #require(parsed.rootNumber("height"))
    guard tool != nil else {
      print("note: rsvg-convert not found; skipping the rasterisation check for \(name)")
      return
    }
    let directory = outputDirectory()
    let png = try rasterize(svg, name: name, in: directory)
    let size = try #require(pngSize(png), "rsvg-convert output is not a PNG")
    #expect(size.width == width)
    #expect(size.height == height)
    if ProcessInfo.processInfo.environment["FFPLOTS_EXAMPLES"] == nil {
      try? FileManager.default.removeItem(at: directory)
    }
  }
}
