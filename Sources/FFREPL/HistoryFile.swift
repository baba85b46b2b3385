import FFFiles
import Foundation

/// Where typed lines are kept between sessions.
public enum HistoryFile {
  /// How many entries the file keeps.
  public static let limit = 1000
  /// The largest history file read: 16 MiB (a thousand typed lines are far less). A larger
  /// one is left alone and history is kept in memory only.
  public static let maximumBytes = 16 << 20

  /// Why the history file at `path` cannot be used, or nil when it can (a regular file within
  /// `maximumBytes`, or nothing yet). readline opens it by name and would block on a FIFO.
  public static func problem(at path: String) -> String? {
    do {
      let file = try ReadableFile(path: path)
      guard file.size <= maximumBytes else {
        return FileError(path: path, .read, .tooLarge(size: file.size, limit: maximumBytes, what: "a history file")).description
      }
      return nil
    } catch {
      return error.reason == .missing ? nil : error.description
    }
  }

  /// `$FFNB_HISTORY` if set (tests point it at a temporary file), else
  /// `$XDG_STATE_HOME/ffnb/history` if `XDG_STATE_HOME` is set, else `~/.ffnb_history`.
  /// Nil when none can be named (no home directory).
  public static func path(environment: [String: String], home: String?) -> String? {
    if let explicit = environment["FFNB_HISTORY"], !explicit.isEmpty { return explicit }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return (state as NSString).appendingPathComponent("ffnb/history")
    }
    guard let home, !home.isEmpty else { return nil }
    return (home as NSString).appendingPathComponent(".ffnb_history")
  }

  /// The path for this process's environment.
  public static var current: String? {
    path(environment: ProcessInfo.processInfo.environment, home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
  }
}
