import FFLanguage
import FFRuntime

/// Why `:undo` or `:back` cannot go where asked, and what to do instead.
package struct SnapshotError: Error, Sendable, Equatable {
  package var message: String
  init(_ message: String) { self.message = message }
}

/// What a rewind did: the units it undid, newest first, and the point the session is now
/// right after.
package struct Rewind: Sendable {
  package var undone: [SnapshotPoint]
  package var now: SnapshotPoint
}

// Snapshots of the session around every unit, and going back to them (`:undo`, `:back`).
extension NotebookRunner {
  /// Starts `history` from the session as it is now.
  package func startSnapshots(_ history: SnapshotHistory) {
    history.start(session: session, logCount: log.entries.count)
  }

  /// Keeps the state right after `point`, a unit that declared it writes `wrote`; returns the
  /// note saying which snapshots the budget dropped, if any.
  package func keepSnapshot(after point: SnapshotPoint, wrote: Set<StateKey>, in history: SnapshotHistory) -> String? {
    history.dropNote(history.record(after: point, wrote: wrote, session: session, logCount: log.entries.count))
  }

  /// A new budget for `history`; returns the note saying what it dropped, if anything.
  package func changeSnapshotBudget(_ budget: SnapshotBudget, in history: SnapshotHistory) -> String? {
    let wasOff = history.budget.isOff
    let dropped = history.change(budget: budget, session: session, logCount: log.entries.count)
    guard !dropped.isEmpty else { return nil }
    if budget.isOff && !wasOff { return "note: snapshots are off; dropped \(dropped.count == 1 ? "the one" : "all \(dropped.count)") kept" }
    return history.dropNote(dropped)
  }

  /// `:undo`: the state before the last unit that ran (the snapshot after the one before it).
  /// The undone cell, if it was one, becomes stale until it runs again.
  package func undo(in history: SnapshotHistory) throws(SnapshotError) -> Rewind {
    try checkOn(history)
    let last = history.timeline.count - 1
    guard last >= 1 else {
      throw SnapshotError("nothing to undo: no cell or line has run since snapshots began")
    }
    guard let target = history.snapshot(at: last - 1) else {
      throw SnapshotError("cannot undo \(history.timeline[last]): \(history.name(ofDropped: last - 1)) was dropped (budget \(history.budget)); `:snapshots budget 1G` keeps more")
    }
    return rewind(to: last - 1, target, in: history, reason: Staleness(reason: "undone by :undo"))
  }

  /// `:back N`: the state right after cell `index` last ran. The cells that ran since become
  /// stale (`after :back N`); typed lines since are undone.
  package func back(toCell index: Int, in history: SnapshotHistory) throws(SnapshotError) -> Rewind {
    try checkOn(history)
    let cell = notebook.cells[index - 1]
    guard cell.kind == .code else {
      throw SnapshotError("cell \(cell.displayName) is a markdown cell and changes nothing; :back takes a code cell")
    }
    let key = UnitID(cell: cell).key
    guard let at = history.timeline.lastIndex(where: { $0.unit?.key == key && $0.cell != nil }) else {
      switch records[index - 1].status {
      case .notRun, .skipped:
        throw SnapshotError("cell \(cell.displayName) has not run; `:run \(index)` runs it")
      case .ok, .failed, .interrupted:
        throw SnapshotError("cell \(cell.displayName) has no snapshot: its last run was undone, or ran before snapshots were on; `:run \(index)` runs it again")
      }
    }
    guard let target = history.snapshot(at: at) else {
      throw SnapshotError("the snapshot after cell \(cell.displayName) was dropped (budget \(history.budget)); `:snapshots` lists what is kept, `:snapshots budget 1G` keeps more")
    }
    return rewind(to: at, target, in: history, reason: Staleness(reason: "after :back \(index)"))
  }

  private func checkOn(_ history: SnapshotHistory) throws(SnapshotError) {
    if history.budget.isOff {
      throw SnapshotError("snapshots are off; `:snapshots budget 256M` turns them on (from then on cells and lines can be undone)")
    }
  }

  /// Puts the session back to the snapshot at timeline `index`: state (with a fresh copy of
  /// the model to train), the session record, and the cells that ran after it marked stale.
  private func rewind(to index: Int, _ target: SessionSnapshot, in history: SnapshotHistory, reason: Staleness) -> Rewind {
    let undone = Array(history.timeline[(index + 1)...].reversed())
    for point in undone {
      guard point.cell != nil, let key = point.unit?.key,
            let i = notebook.cells.firstIndex(where: { $0.kind == .code && UnitID(cell: $0).key == key }),
            records[i].hasRun else { continue }
      records[i].rewound = reason
    }
    var state = target.state
    state.model = state.model?.copy()
    session.restore(state)
    log.truncate(to: target.logCount)
    history.truncate(after: index)
    history.adopt(liveModel: session.fingerprint(.model), at: index)
    return Rewind(undone: undone, now: history.timeline[index])
  }
}
