import FFTestSupport
import Foundation

/// Runs the built `ffnb` binary as a user would and captures what it prints: the
/// end-to-end tests' view of FFTestSupport (the binary is `FFNB_BIN`, which `make test` sets
/// to the release build, or `.build/release/ffnb`).
enum FFNB {
  static var packageRoot: URL { Binary.packageRoot }
  static var binary: String? { Binary.path }
  static var dataDirectory: String { Binary.dataDirectory }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs ffnb with `arguments` in `directory` (default: the package root), feeding `input`
  /// (an empty standard input when nil), with NO_COLOR set; every wait is bounded.
  static func run(_ arguments: [String], input: String? = nil, directory: URL? = nil,
                  environment extra: [String: String] = [:], timeout: Double = 300) throws -> Result {
    let r = try runPiped(arguments, input: input ?? "", environment: extra, timeout: .seconds(timeout), directory: directory)
    return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Output with what legitimately varies between runs (timings, rates) replaced by placeholders.
  static func maskTimings(_ text: String) -> String {
    var s = text
    let patterns: [(String, String)] = [
      (#"\d+(\.\d+)? epochs/s"#, "<rate> epochs/s"),
      (#"\d+ h \d+ m|\d+ m \d+ s|\d+(\.\d+)? m?s\b"#, "<time>"),
    ]
    for (pattern, replacement) in patterns {
      s = s.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return s
  }
}
