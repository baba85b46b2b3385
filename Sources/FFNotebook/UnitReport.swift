import FFLanguage
import FFRuntime

/// What running a cell or a typed line did: the statements that ran, what they read and
/// changed, and how it ended. The runner keeps it to mark stale cells and to write the
/// session record; nothing in it is for printing.
package struct UnitReport: Sendable {
  /// The statements that completed, in order, as the record writes them.
  package var executed: [ExecutedStatement] = []
  /// Keys read before this unit wrote them (its inputs), with the version seen at the end.
  package var inputs: [StateKey: Int] = [:]
  /// Keys this unit's statements write (declared), whether or not the value changed.
  package var outputs: Set<StateKey> = []
  /// The changes it made, in order.
  package var changes: [StateChange] = []
  /// The values of the variables it set, at the end (a parameters cell's values).
  package var setValues: [String: Value] = [:]
  /// How the last `learn` ended, if one ran.
  package var outcome: TrainingOutcome?
  /// The error that stopped it.
  package var error: Diagnostic?

  /// A `load` or `predict` stopped by Ctrl-C (nothing of it was kept).
  package var stopped = false

  /// Whether Ctrl-C ended it: a `learn` kept what it trained, or a `load` or `predict` stopped.
  package var isInterrupted: Bool {
    switch outcome {
    case .interrupted?, .interruptedTogether?: return true
    case .completed?, nil: return stopped
    }
  }
}

/// One statement as it ran, for the session record.
package struct ExecutedStatement: Sendable, Hashable {
  /// The statement's source lines as written.
  package var source: String
  /// What to write in the record: the source, or for a `learn` stopped by Ctrl-C the
  /// statements that train exactly the epochs that completed.
  package var recorded: [String]
}
