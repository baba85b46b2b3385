import FFLanguage
import Foundation

/// What happened when a cell last ran: the status `:cells` lists, the metadata an executed
/// notebook records (papermill's start, end, duration and status), and what the cell read and
/// wrote, from which the runner tells whether it is stale.
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
  /// The state the cell read before writing it, with the version it saw.
  package var inputs: [StateKey: Int] = [:]
  /// The state the cell's statements write.
  package var writes: Set<StateKey> = []
  /// The values of the variables the cell set, as it left them (`-p` values included).
  package var setValues: [String: Value] = [:]
  /// Whether the cell's source changed (`:edit`, `:reload`) since it ran.
  package var edited = false
  /// Why what this run did is no longer in effect: it was undone (`:undo`, `:back`). The
  /// record stays (its outputs, its count) and the cell is stale until it runs again.
  package var rewound: Staleness?

  public var duration: Double? {
    guard let start, let end else { return nil }
    return end.timeIntervalSince(start)
  }

  /// Whether the cell has run (and so can be stale).
  var hasRun: Bool { status == .ok || status == .interrupted || status == .failed }

  public init() {}
}

/// A `-p name=value` override and the parameters cell it replaces a value of.
public struct ParameterOverride: Sendable {
  public var name: String
  public var value: Value
  /// Index (1-based) of the parameters cell that sets `name`.
  public var cell: Int
}

/// Why a cell that ran no longer matches the state: `model rebuilt by cell 4`.
package struct Staleness: Sendable, Hashable {
  package var reason: String
}
