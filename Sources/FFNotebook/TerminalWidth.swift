import Foundation

/// How many columns the terminal has, for lines that must not wrap (the live progress line)
/// and charts sized to the window.
public enum TerminalWidth {
  /// The width used when nothing better is known.
  public static let fallback = 80

  /// The width of the terminal on `descriptor` (`ioctl(TIOCGWINSZ)`), else `$COLUMNS`, else 80.
  /// Cheap enough to ask on every redraw, so a resized window (SIGWINCH) is picked up without
  /// a signal handler.
  public static func current(
    descriptor: Int32 = STDOUT_FILENO, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Int {
    var size = winsize()
    if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return fromEnvironment(environment)
  }

  /// `$COLUMNS` when it is a positive number, else 80.
  public static func fromEnvironment(_ environment: [String: String]) -> Int {
    if let text = environment["COLUMNS"]?.trimmingCharacters(in: .whitespaces), let columns = Int(text), columns > 0 {
      return columns
    }
    return fallback
  }
}
