import Foundation

/// Where typed lines are kept between sessions.
public enum HistoryFile {
  /// How many entries the file keeps.
  public static let limit = 1000

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
