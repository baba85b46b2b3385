import Foundation
import Testing

/// Runs the built `ffnb` binary as a user would and captures what it prints.
///
/// The binary is `FFNB_BIN` (`make test` sets it to the release build) or, failing that, the
/// release or debug build in this package's `.build`.
enum FFNB {
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static var binary: String? {
    if let bin = ProcessInfo.processInfo.environment["FFNB_BIN"], FileManager.default.isExecutableFile(atPath: bin) { return bin }
    for config in ["release", "debug"] {
      let path = packageRoot.appendingPathComponent(".build/\(config)/ffnb").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  static var dataDirectory: String {
    ProcessInfo.processInfo.environment["FFNB_DATA"] ?? packageRoot.appendingPathComponent("data").path
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs ffnb with `arguments` in `directory` (default: the package root), feeding `input`.
  static func run(_ arguments: [String], input: String? = nil, directory: URL? = nil,
                  environment extra: [String: String] = [:], timeout: Double = 300) throws -> Result {
    guard let binary else { throw SkipError("no ffnb binary: run `make test` or `swift build -c release`") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = arguments
    p.currentDirectoryURL = directory ?? packageRoot
    var env = ProcessInfo.processInfo.environment
    env["FFNB_DATA"] = dataDirectory
    env["NO_COLOR"] = "1"
    for (k, v) in extra { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    // Read both pipes concurrently so a chatty process never blocks on a full pipe.
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    if group.wait(timeout: .now() + timeout) == .timedOut {
      p.terminate()
      throw SkipError("ffnb \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                  stderr: String(decoding: errData, as: UTF8.self))
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
      (#"\d+ h \d+ m|\d+ m \d+ s|\d+(\.\d+)? s\b"#, "<time>"),
    ]
    for (pattern, replacement) in patterns {
      s = s.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return s
  }
}

/// A test precondition that is not met on this machine (reported, not silently passed).
struct SkipError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
