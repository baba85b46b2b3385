import FFLanguage
import Foundation

/// What happened when a cell last ran: the status `:cells` lists and the metadata an executed
/// notebook records (papermill's start, end, duration and status).
public struct CellRecord: Sendable {
  public enum Status: String, Sendable {
    case notRun = "not run", ok, failed, skipped, interrupted
  }
  public var status: Status = .notRun
  /// Jupyter's execution count: the session-wide counter when the cell last ran.
  public var executionCount: Int?
  public var outputs: [OutputItem] = []
  public var start: Date?
  public var end: Date?
  public var duration: Double? {
    guard let start, let end else { return nil }
    return end.timeIntervalSince(start)
  }
  public init() {}
}

/// A `-p name=value` override and the parameters cell it replaces a value of.
public struct ParameterOverride: Sendable {
  public var name: String
  public var value: Value
  /// Index (1-based) of the parameters cell that sets `name`.
  public var cell: Int
}
