import FFLanguage
import FFRuntime
import Foundation

/// The REPL's snapshots: the state after every unit (cell or typed line) since snapshots
/// began, oldest first, within a memory budget.
///
/// The state before the last unit is the snapshot after the one before it, so one list serves
/// `:undo` (the second newest) and `:back N` (the newest after cell N). The budget drops the
/// oldest first, so the kept snapshots are always the newest points; a dropped point keeps its
/// label, to say why `:undo` or `:back` cannot reach it.
package final class SnapshotHistory {
  package private(set) var budget: SnapshotBudget
  /// Every point since snapshots began, oldest first.
  package private(set) var timeline: [SnapshotPoint] = []
  /// The snapshots after the newest `kept.count` points of `timeline`.
  package private(set) var kept: [SessionSnapshot] = []
  /// How many kept snapshots hold each large buffer, and its bytes.
  private var holders: [ObjectIdentifier: (bytes: Int, count: Int)] = [:]
  /// Sum of the kept snapshots' `valueBytes`.
  private var valueBytes = 0

  package init(budget: SnapshotBudget = .standard) {
    self.budget = budget
  }

  /// The index in `timeline` of the oldest kept snapshot.
  package var firstKept: Int { timeline.count - kept.count }

  /// Starts over from the session as it is: one snapshot, of the start (nothing when off).
  func start(session: Session, logCount: Int) {
    clear()
    guard !budget.isOff else { return }
    let state = session.capture()
    append(SessionSnapshot(
      point: .start, taken: Date(), state: frozen(state), logCount: logCount,
      liveModel: session.fingerprint(.model), valueBytes: session.valueBytes(changedBy: [.allVariables, .model])), at: .start)
  }

  /// Keeps the state after `point`, which wrote `wrote` (the unit's declared writes). The
  /// model is copied only when the unit wrote it, or the live model is not the one the
  /// previous snapshot copied; otherwise the copy is shared. Returns what the budget dropped.
  func record(after point: SnapshotPoint, wrote: Set<StateKey>, session: Session, logCount: Int) -> [Int] {
    guard !budget.isOff else { return [] }
    let live = session.fingerprint(.model)
    var state = session.capture()
    // The newest kept snapshot, when kept, is the one after the previous point.
    if let previous = kept.last, !wrote.contains(.model), previous.liveModel == live {
      state.model = previous.state.model
    } else {
      state = frozen(state)
    }
    append(SessionSnapshot(point: point, taken: Date(), state: state, logCount: logCount, liveModel: live,
                           valueBytes: session.valueBytes(changedBy: wrote)), at: point)
    return enforce(live: session.liveBuffers)
  }

  /// A state whose model is a copy of the live one, never to be trained.
  private func frozen(_ state: SessionState) -> SessionState {
    var state = state
    state.model = state.model?.copy()
    return state
  }

  private func append(_ snapshot: SessionSnapshot, at point: SnapshotPoint) {
    timeline.append(point)
    kept.append(snapshot)
    valueBytes += snapshot.valueBytes
    for (id, bytes) in snapshot.buffers { holders[id] = (bytes, (holders[id]?.count ?? 0) + 1) }
  }

  /// Drops the oldest kept snapshot.
  private func dropOldest() {
    release(kept.removeFirst())
  }

  /// Takes a snapshot that is no longer kept out of the byte counts.
  private func release(_ snapshot: SessionSnapshot) {
    valueBytes -= snapshot.valueBytes
    for id in snapshot.buffers.keys {
      guard let entry = holders[id] else { continue }
      holders[id] = entry.count > 1 ? (entry.bytes, entry.count - 1) : nil
    }
  }

  /// Bytes the kept snapshots hold beyond what the live session holds, each buffer once.
  package func totalBytes(live: Set<ObjectIdentifier>) -> Int {
    holders.reduce(valueBytes) { live.contains($1.key) ? $0 : $0 + $1.value.bytes }
  }

  /// Each kept snapshot's bytes, oldest first: a shared buffer counts under the oldest
  /// snapshot holding it, and not at all while the live session holds it too.
  package func sizes(live: Set<ObjectIdentifier>) -> [Int] {
    var seen = live
    return kept.map { snapshot in
      snapshot.buffers.reduce(snapshot.valueBytes) { seen.insert($1.key).inserted ? $0 + $1.value : $0 }
    }
  }

  /// Drops the oldest snapshots while the kept ones pass the budget; returns the timeline
  /// indices of those dropped.
  private func enforce(live: Set<ObjectIdentifier>) -> [Int] {
    var dropped: [Int] = []
    while !kept.isEmpty, totalBytes(live: live) > budget.bytes {
      dropped.append(firstKept)
      dropOldest()
    }
    return dropped
  }

  /// A new budget; returns the timeline indices of the snapshots it dropped. Turning
  /// snapshots on starts them from the session as it is.
  func change(budget new: SnapshotBudget, session: Session, logCount: Int) -> [Int] {
    let wasOff = budget.isOff
    budget = new
    if new.isOff {
      let dropped = Array(firstKept..<timeline.count)
      clear()
      return dropped
    }
    if wasOff {
      start(session: session, logCount: logCount)
      return []
    }
    return enforce(live: session.liveBuffers)
  }

  private func clear() {
    timeline = []
    kept = []
    holders = [:]
    valueBytes = 0
  }

  /// Forgets every point after timeline index `index` (after a rewind to it).
  func truncate(after index: Int) {
    while timeline.count > index + 1 {
      timeline.removeLast()
      // Kept snapshots are the newest points: the last point removed had the last one.
      if let snapshot = kept.popLast() { release(snapshot) }
    }
  }

  /// The kept snapshot after timeline index `index`, if kept.
  package func snapshot(at index: Int) -> SessionSnapshot? {
    index >= firstKept && index < timeline.count ? kept[index - firstKept] : nil
  }

  /// After a rewind the live model is a fresh copy of the snapshot's: the snapshot now stands
  /// for that one, so the next unit that leaves the model alone shares its copy.
  func adopt(liveModel: AnyHashable?, at index: Int) {
    guard index >= firstKept, index < timeline.count else { return }
    kept[index - firstKept].liveModel = liveModel
  }

  /// How a dropped point is named: `the snapshot before cell 2`, the state `:undo` of the
  /// next unit needs; `the snapshot after cell 5` for the newest.
  package func name(ofDropped index: Int) -> String {
    index + 1 < timeline.count ? "the snapshot before \(timeline[index + 1])" : "the snapshot after \(timeline[index])"
  }

  /// `note: dropped the snapshot before cell 2 (budget 256 MiB)`, one line for all dropped at once.
  package func dropNote(_ dropped: [Int]) -> String? {
    guard let first = dropped.first, let last = dropped.last else { return nil }
    let what: String
    switch dropped.count {
    case 1: what = name(ofDropped: first)
    case 2: what = "\(name(ofDropped: first)) and \(name(ofDropped: last).replacingOccurrences(of: "the snapshot ", with: "the one "))"
    default: what = "\(dropped.count) snapshots, from \(name(ofDropped: first)) to \(name(ofDropped: last).replacingOccurrences(of: "the snapshot ", with: "the one "))"
    }
    return "note: dropped \(what) (budget \(budget))"
  }
}
