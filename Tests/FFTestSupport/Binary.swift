// Helpers shared by the test targets that run the built ffnb binary: locating it and the
// data, running it on pipes (posix_spawn, close-on-exec pipes, bounded waits), and driving it in
// a real pseudo-terminal through tmux.

import Foundation
import Glibc

/// Where the built `ffnb` and the MNIST files are, for tests that run the real binary.
public enum Binary {
  /// The package root (this file is Tests/FFTestSupport/Binary.swift).
  public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `$FFNB_BIN` (set by `make test` to the release binary), else `.build/release/ffnb`.
  public static var path: String? {
    if let explicit = ProcessInfo.processInfo.environment["FFNB_BIN"], FileManager.default.isExecutableFile(atPath: explicit) {
      return explicit
    }
    let fallback = packageRoot.appendingPathComponent(".build/release/ffnb").path
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
  }

  /// `$FFNB_DATA` (exported by `make test`), else `data/` in the package.
  public static var dataDirectory: String {
    ProcessInfo.processInfo.environment["FFNB_DATA"] ?? packageRoot.appendingPathComponent("data").path
  }

  public static var hasMNIST: Bool {
    FileManager.default.fileExists(atPath: dataDirectory + "/mnist")
  }

  public static var hasTmux: Bool {
    ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The run registry every ffnb a test starts records into (unless the test names another):
  /// one file per test process in the temporary folder, never the user's own registry.
  public static let testRegistry: String = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("runs.sqlite").path
  }()

  public static let missingReason = "needs the release binary: set FFNB_BIN or run `swift build -c release --product ffnb` (make test does both)"
}

/// Replaces what changes from run to run: durations (`0.12 s`, `3.4 s`, `1 min 5 s`, `12 ms`) and rates.
public func maskTimings(_ text: String) -> String {
  var result = text
  let patterns = [
    #"\d+ min \d+ s"#, #"\d+(\.\d+)? ?(ms|s)\b"#, #"\d+(\.\d+)? epochs/s"#, #"\d+(\.\d+)?(k|M)? images/s"#,
  ]
  for pattern in patterns {
    result = result.replacingOccurrences(of: pattern, with: "<time>", options: .regularExpression)
  }
  return result
}

/// Runs the binary with `input` on a pipe; returns standard output, standard error and status.
/// `directory` is where it runs (default: the package root).
public func runPiped(
  _ arguments: [String], input: String, environment extra: [String: String] = [:], timeout: Duration = .seconds(120),
  directory: URL? = nil
) throws -> (stdout: String, stderr: String, status: Int32) {
  guard let binary = Binary.path else { throw TestFailure(Binary.missingReason) }
  var environment = ProcessInfo.processInfo.environment
  environment["FFNB_DATA"] = Binary.dataDirectory
  environment["NO_COLOR"] = "1"
  // Output sized to the terminal (charts) falls back to $COLUMNS: the same 80 for every test.
  environment["COLUMNS"] = nil
  environment["FFNB_REGISTRY"] = Binary.testRegistry
  for (key, value) in extra { environment[key] = value }
  // Close-on-exec pipes: a child spawned at the same moment by another test (tests run in
  // parallel) must not inherit an end and hold it open. dup2 onto 0, 1, 2 clears the flag
  // for this child only.
  let stdin = try CloexecPipe(), stdout = try CloexecPipe(), stderr = try CloexecPipe()
  let child = try ChildProcess(
    [binary] + arguments, environment: environment, stdin: stdin.read, stdout: stdout.write, stderr: stderr.write,
    directory: (directory ?? Binary.packageRoot).path)
  Glibc.close(stdin.read)
  Glibc.close(stdout.write)
  Glibc.close(stderr.write)
  // Read both pipes and write the input concurrently so no pipe can fill up and block.
  let outBox = DataBox(), errBox = DataBox()
  let group = DispatchGroup()
  for (fd, box) in [(stdout.read, outBox), (stderr.read, errBox)] {
    DispatchQueue.global().async(group: group) {
      let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
      box.data = handle.readDataToEndOfFile()
    }
  }
  // ffnb may exit before reading everything: a write must fail with EPIPE, not kill the runner.
  signal(SIGPIPE, SIG_IGN)
  let writer = FileHandle(fileDescriptor: stdin.write, closeOnDealloc: false)
  DispatchQueue.global().async(group: group) {
    try? writer.write(contentsOf: Data(input.utf8))
    try? writer.close()
  }
  let status = try child.wait(timeout: timeout, what: "ffnb \(arguments.joined(separator: " "))")
  guard group.wait(timeout: .now() + 10) == .success else { throw TestFailure("the output pipes of ffnb stayed open") }
  return (String(decoding: outBox.data, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self), status)
}

/// A pipe whose two descriptors are close-on-exec.
public struct CloexecPipe {
  public let read: Int32
  public let write: Int32
  public init() throws {
    var fds: [Int32] = [-1, -1]
    // pipe2(O_CLOEXEC) is not in Swift's Glibc module; holding the spawn lock between pipe()
    // and fcntl() keeps a concurrent ChildProcess from inheriting the descriptors meanwhile.
    ChildProcess.spawnLock.lock()
    defer { ChildProcess.spawnLock.unlock() }
    guard pipe(&fds) == 0 else { throw TestFailure("pipe failed: \(String(cString: strerror(errno)))") }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    read = fds[0]
    write = fds[1]
  }
}

public final class DataBox: @unchecked Sendable {
  public var data = Data()
}

public struct TestFailure: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
