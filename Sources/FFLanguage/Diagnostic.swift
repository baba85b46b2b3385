/// A problem found in notebook text: a parse error, a failed check, or a runtime error the
/// interpreter attaches to the statement that caused it.
///
/// One type serves the parser, the checker, the evaluator and the interpreter so that every
/// message a user sees has the same shape: `file:line:col: severity: message`, the source line,
/// and a caret under the culprit. It is an `Error`, so typed `throws(Diagnostic)` functions can
/// hand one straight to the caller.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case note, warning, error

    private var rank: Int {
      switch self {
      case .note: 0
      case .warning: 1
      case .error: 2
      }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  public var severity: Severity
  public var message: String
  public var location: SourceLocation
  /// How many characters the caret underline covers (at least 1).
  public var length: Int
  /// The replacement the message proposes ("learn" for "did you mean 'learn'?"), so a REPL can
  /// offer to apply it. The message already names it; this is for tools.
  public var suggestion: String?

  public init(
    _ severity: Severity, _ message: String, at location: SourceLocation, length: Int = 1,
    suggestion: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.length = max(length, 1)
    self.suggestion = suggestion
  }

  /// A diagnostic underlining `range` (clipped to its first line).
  public init(_ severity: Severity, _ message: String, at range: SourceRange, suggestion: String? = nil) {
    self.init(severity, message, at: range.start, length: range.caretLength, suggestion: suggestion)
  }

  public static func error(_ message: String, at range: SourceRange, suggestion: String? = nil) -> Diagnostic {
    Diagnostic(.error, message, at: range, suggestion: suggestion)
  }

  public static func warning(_ message: String, at range: SourceRange, suggestion: String? = nil) -> Diagnostic {
    Diagnostic(.warning, message, at: range, suggestion: suggestion)
  }

  public var isError: Bool { severity == .error }

  /// The one-line form without source excerpt: `file:3:7: error: message   [cell 2 data]`.
  /// Control characters from the notebook are shown, not sent (`VisibleText`).
  public var description: String {
    var text = "\(location): \(severity.rawValue): \(message)"
    if let cell = location.cell {
      text += "   [cell \(cell)\(location.cellName.map { " " + $0 } ?? "")]"
    }
    return VisibleText.escaping(text)
  }
}

extension Sequence where Element == Diagnostic {
  /// Whether any of the diagnostics is an error (warnings and notes do not stop a run).
  public var containsError: Bool { contains { $0.severity == .error } }
}
