@preconcurrency import CReadline
import FFFiles
import Foundation

/// GNU readline on a terminal: line editing, persistent history, tab completion, and Ctrl-C
/// that clears the line instead of ending the process.
///
/// Uses readline's callback interface (`rl_callback_read_char`) under our own `poll(2)` loop,
/// so a Ctrl-C at the prompt (which the `Interrupt` handler signals through its self-pipe)
/// can abandon the line at once: readline's blocking `readline()` would swallow it and carry
/// on with the same line. Readline's own signal handlers are off (`rl_catch_signals = 0`);
/// the terminal is in readline's mode only while a line is being read, so a running command
/// gets the normal terminal (and Ctrl-C reaches the `Interrupt` handler as SIGINT).
public final class TerminalLineReader: LineReader {
  public let isInteractive = true
  /// The history file, or nil to keep history in memory only (also once it proves unusable).
  public private(set) var historyPath: String?
  private var lastEntry: String?

  /// Sets readline up; `completionContext` is asked for current names on every Tab.
  public init(historyPath: String?, completionContext: @escaping () -> CompletionContext) {
    self.historyPath = historyPath
    ReadlineBridge.configure(completionContext: completionContext)
    loadHistory()
  }

  public func read(prompt: String) -> LineInput {
    Interrupt.clear()
    ReadlineBridge.result = nil
    rl_callback_handler_install(prompt, ReadlineBridge.lineHandler)
    let wake = Interrupt.wakeDescriptor
    while true {
      var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
      let ready = poll(&fds, wake >= 0 ? 2 : 1, -1)
      if ready < 0 && errno != EINTR {
        rl_callback_handler_remove()
        return .endOfInput
      }
      if Interrupt.isRequested {
        abandonLine()
        return .interrupted
      }
      if ready > 0 && fds[0].revents != 0 {
        rl_callback_read_char()
        if let result = ReadlineBridge.result { return result }
      }
    }
  }

  /// Ctrl-C at the prompt: shows `^C` after the text, drops the line and leaves readline.
  private func abandonLine() {
    Interrupt.clear()
    rl_callback_sigcleanup()
    rl_point = rl_end
    rl_redisplay()
    fputs("^C\n", stdout)
    fflush(stdout)
    rl_free_line_state()
    rl_callback_handler_remove()
  }

  public func remember(_ entry: String) {
    let trimmed = entry.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed != lastEntry else { return }
    lastEntry = trimmed
    add_history(trimmed)
    // Appended at once, so a session that is killed keeps what was typed.
    if let historyPath, usable(historyPath) { _ = append_history(1, historyPath) }
  }

  /// Reads the history file, creating it (and its directory) if needed, and trims it.
  /// Whether the history file can be used (a regular file or nothing yet); if not, says why
  /// once and keeps history in memory from then on.
  private func usable(_ path: String) -> Bool {
    guard let problem = HistoryFile.problem(at: path) else { return true }
    FileHandle.standardError.write(Data("ffnb: \(problem); history is kept in memory only\n".utf8))
    historyPath = nil
    return false
  }

  private func loadHistory() {
    stifle_history(Int32(HistoryFile.limit))
    guard let historyPath, usable(historyPath) else { return }
    let manager = FileManager.default
    if !manager.fileExists(atPath: historyPath) {
      let directory = (historyPath as NSString).deletingLastPathComponent
      if !directory.isEmpty { try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
      // append_history needs an existing file.
      _ = manager.createFile(atPath: historyPath, contents: nil, attributes: [.posixPermissions: 0o600])
      return
    }
    // Read through a descriptor of the file just checked, so nothing swapped in since (a FIFO)
    // is opened by readline.
    if let file = try? ReadableFile(path: historyPath) {
      let byDescriptor = "/proc/self/fd/\(file.descriptor)"
      _ = read_history(FileManager.default.fileExists(atPath: byDescriptor) ? byDescriptor : historyPath)
    }
    _ = history_truncate_file(historyPath, Int32(HistoryFile.limit))
    if history_length > 0, let entry = history_get(history_base + history_length - 1), let line = entry.pointee.line {
      lastEntry = String(cString: line)
    }
  }
}
