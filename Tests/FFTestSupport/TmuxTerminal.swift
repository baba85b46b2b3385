import Foundation
import Glibc

/// A program running in a real pseudo-terminal under tmux, on a private server socket so tests
/// never touch a user's tmux. Every wait is bounded; `close()` kills the server.
public final class TmuxTerminal {
  public let socket = "ffnb-test-\(UUID().uuidString)"
  public static let session = "ffnb"

  /// Starts `command` (run by /bin/sh in the package root) in a terminal of `columns` x `rows`
  /// (120x40 unless given).
  public init(_ command: String, environment: [String: String] = [:], columns: Int = 120, rows: Int = 40) throws {
    var env = ["FFNB_DATA": Binary.dataDirectory, "TERM": "xterm-256color", "NO_COLOR": "1", "FFNB_REGISTRY": Binary.testRegistry]
    for (key, value) in environment { env[key] = value }
    let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.shellQuoted($0.value))" }.joined(separator: " ")
    try tmux(["-f", "/dev/null", "new-session", "-d", "-x", String(columns), "-y", String(rows), "-s", Self.session,
              "-c", Binary.packageRoot.path, "env \(assignments) \(command)"])
    // Keep the pane (and its text) when the program exits, so a crash is visible in the capture.
    try tmux(["set-option", "-t", Self.session, "remain-on-exit", "on"])
    try tmux(["set-option", "-t", Self.session, "history-limit", "20000"])
    let info = try tmux(["display-message", "-p", "-t", Self.session, "#{pid} #{pane_pid} #{socket_path}"])
      .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2)
    processes = info.prefix(2).compactMap { Int32($0) }
    socketPath = info.count == 3 ? String(info[2]) : nil
  }

  /// The server's socket file, removed in `close()` (tmux leaves it behind).
  private var socketPath: String?

  /// The tmux server and the program in the pane, killed in `close()` if still alive.
  private var processes: [Int32] = []

  /// Sends tmux key names (`Enter`, `C-c`, `Tab`, `Up`, `C-d`).
  public func keys(_ names: String...) throws {
    try tmux(["send-keys", "-t", Self.session] + names)
  }

  /// Types text literally.
  public func type(_ text: String) throws {
    try tmux(["send-keys", "-t", Self.session, "-l", text])
  }

  /// The whole pane, scrollback included, wrapped lines joined.
  public func capture() throws -> String {
    try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", Self.session])
  }

  /// The cursor's line up to the cursor (trailing blanks included, which `capture-pane`
  /// would drop): what a user sees they have typed.
  public func cursorLine() throws -> String {
    let position = try tmux(["display-message", "-p", "-t", Self.session, "#{cursor_x} #{cursor_y}"])
      .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    guard position.count == 2 else { return "" }
    let screen = try tmux(["capture-pane", "-p", "-t", Self.session]).components(separatedBy: "\n")
    let line = position[1] < screen.count ? screen[position[1]] : ""
    let padded = line.count < position[0] ? line + String(repeating: " ", count: position[0] - line.count) : line
    return String(padded.prefix(position[0]))
  }

  /// Polls the pane until `condition` holds; fails after `timeout` with the pane's text.
  @discardableResult
  public func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: (String) -> Bool) throws -> String {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var text = ""
    while clock.now < deadline {
      text = try capture()
      if condition(text) { return text }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw TestFailure("timed out after \(timeout) waiting for \(what); the terminal shows:\n\(text)")
  }

  /// How often `needle` occurs in the pane now.
  public func occurrences(of needle: String) throws -> Int {
    try capture().components(separatedBy: needle).count - 1
  }

  /// Waits until the text occurs `count` times in the pane.
  @discardableResult
  public func waitFor(_ needle: String, count: Int = 1, timeout: Duration = .seconds(60)) throws -> String {
    try waitFor("\(count)x '\(needle)'", timeout: timeout) { $0.components(separatedBy: needle).count - 1 >= count }
  }

  /// Waits for the cursor to rest at the end of `prompt` on an otherwise empty line.
  public func waitForPrompt(_ prompt: String, timeout: Duration = .seconds(60)) throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var line = ""
    while clock.now < deadline {
      line = try cursorLine()
      if line == prompt { return }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw TestFailure("timed out after \(timeout) waiting for prompt '\(prompt)'; cursor line '\(line)'; the terminal shows:\n\(try capture())")
  }

  /// Waits until the program in the pane has exited. Read from /proc rather than from tmux's
  /// "Pane is dead": tmux 3.3 sometimes leaves an exited child unreaped for a long time.
  public func waitForExit(timeout: Duration = .seconds(20)) throws {
    guard processes.count == 2 else { throw TestFailure("the pane's process id is unknown") }
    let pid = processes[1]
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return }
      // "pid (comm) S ...": the state follows the last ')'.
      if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z") {
        return
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw TestFailure("ffnb (pid \(pid)) did not exit within \(timeout); the terminal shows:\n\(try capture())")
  }

  public func close() {
    _ = try? tmux(["kill-server"], timeout: .seconds(5))
    // A process spawned from a test thread may inherit blocked signals and outlive the
    // server's SIGHUP; make sure nothing is left behind.
    for pid in processes where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    if let socketPath { unlink(socketPath) }
  }

  /// Runs a tmux client command, bounded by `timeout`. Output is read from a file, not a
  /// pipe: `new-session` starts the server, which would inherit a pipe and keep it open.
  @discardableResult
  private func tmux(_ arguments: [String], timeout: Duration = .seconds(15)) throws -> String {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-tmux-\(UUID().uuidString)").path
    let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
    defer {
      Glibc.close(output)
      Glibc.close(input)
      unlink(outputPath)
    }
    guard output >= 0, input >= 0 else { throw TestFailure("cannot open \(outputPath) or /dev/null") }
    let child = try ChildProcess(["tmux", "-L", socket] + arguments, environment: ProcessInfo.processInfo.environment,
                                 stdin: input, stdout: output, stderr: output)
    let status = try child.wait(timeout: timeout, what: "tmux \(arguments.joined(separator: " "))")
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
      throw TestFailure("tmux \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
    }
    return text
  }

  public static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
