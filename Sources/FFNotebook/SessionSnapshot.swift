import FFLanguage
import FFRuntime
import Foundation

/// What a snapshot follows: the session as it was when snapshots began, or a unit (a cell
/// or a typed line) that ran.
package enum SnapshotPoint: Sendable, Hashable, CustomStringConvertible {
  case start
  /// `summary`: the cell's name, or the typed line's first line, for people to recognise it.
  case unit(UnitID, summary: String)

  /// The unit, unless this is the start.
  package var unit: UnitID? {
    if case .unit(let unit, _) = self { return unit }
    return nil
  }

  /// The notebook cell it follows, if it follows one.
  package var cell: Int? {
    if case .cell(let index)? = unit?.kind { return index }
    return nil
  }

  /// `cell 4 (model)`, `typed line 2 (set lr = 0.02)`, `the start of the session`.
  package var description: String {
    switch self {
    case .start: "the start of the session"
    case let .unit(unit, summary): summary.isEmpty ? unit.description : "\(unit.description) (\(summary))"
    }
  }

  /// Where the session is when it is right after this point: `right after cell 4 (model)`,
  /// `at the start of the session`.
  package var state: String {
    switch self {
    case .start: "at the start of the session"
    case .unit: "right after \(description)"
    }
  }

  /// The point after a cell: its name, else its first line.
  package static func cell(_ cell: Cell) -> SnapshotPoint {
    .unit(UnitID(cell: cell), summary: cell.name ?? firstLine(of: cell.source))
  }

  /// The point after the typed line `unit`.
  package static func typed(_ unit: UnitID, text: String) -> SnapshotPoint {
    .unit(unit, summary: firstLine(of: text))
  }

  /// The first line that says something, cut to 40 characters and made safe to print.
  static func firstLine(of text: String) -> String {
    let line = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
      .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    return VisibleText.escaping(line.count > 40 ? String(line.prefix(39)) + "…" : line)
  }
}

/// The session's state right after a point, kept so `:undo` and `:back` can return to it.
///
/// Its model is a copy only it and its neighbours hold, never trained: a snapshot after a unit
/// that did not write the model shares the previous snapshot's copy. Everything else is shared
/// with the session and the other snapshots until changed (value types, and data that is never
/// changed once loaded).
package struct SessionSnapshot {
  package let point: SnapshotPoint
  package let taken: Date
  /// The state, its model a frozen copy.
  let state: SessionState
  /// Entries in the session record then: the record only grows between rewinds, so the first
  /// `logCount` entries are still exactly what had run.
  let logCount: Int
  /// The live model the frozen copy equals, as `Session.fingerprint(.model)` identified it: the
  /// next snapshot shares the copy only if the live model is still that one, unchanged.
  var liveModel: AnyHashable?
  /// Bytes of the small values this snapshot holds that the one before it did not (estimated:
  /// variables, evaluations, error history, version bookkeeping).
  let valueBytes: Int

  /// The large buffers this snapshot keeps alive, each once: the model copy, the data sets'
  /// matrices and the training pairs. Views of one buffer count as the buffer.
  var buffers: [ObjectIdentifier: Int] {
    var result: [ObjectIdentifier: Int] = [:]
    if let model = state.model { result[ObjectIdentifier(model)] = model.storageBytes }
    for data in state.datasets.values {
      let owner = data.batch.features.storageOwner
      // Labels and indices: two Ints per row of the buffer, near enough for the few data sets.
      result[ObjectIdentifier(owner)] = owner.byteCount + 2 * MemoryLayout<Int>.stride * owner.rows
    }
    if let pairs = state.trainingPairs {
      for matrix in [pairs.positive, pairs.negative] {
        let owner = matrix.storageOwner
        result[ObjectIdentifier(owner)] = owner.byteCount
      }
    }
    return result
  }
}

extension Session {
  /// The large buffers the live session holds (data sets and training pairs): snapshots
  /// sharing them cost nothing more.
  package var liveBuffers: Set<ObjectIdentifier> {
    var ids = Set(datasets.values.map { ObjectIdentifier($0.batch.features.storageOwner) })
    if let pairs = trainingPairs {
      ids.insert(ObjectIdentifier(pairs.positive.storageOwner))
      ids.insert(ObjectIdentifier(pairs.negative.storageOwner))
    }
    return ids
  }

  /// Estimated bytes of the small values a unit that wrote `wrote` made new: what its
  /// snapshot holds that the previous one does not share. A dictionary that changed is a new
  /// copy of its whole storage (copy on write), so it counts at its capacity.
  func valueBytes(changedBy wrote: Set<StateKey>) -> Int {
    var bytes = 0
    if wrote.contains(where: { $0.wildcard == .allVariables }) {
      // The environment's three tables (values, measures, shared storage) grow together.
      bytes += Self.tableBytes(environment.variables.capacity, String.self, Value.self)
        + Self.tableBytes(environment.variables.capacity, String.self, ValueMeasure.self)
      for case .variable(let name) in wrote {
        if let m = environment.measure(of: name) { bytes += 4 * MemoryLayout<Value>.stride * m.elements + m.textBytes }
      }
    }
    if wrote.contains(where: { $0.wildcard == .allEvaluations || $0 == .model }) {
      bytes += evaluations.values.reduce(0) { $0 + 2 * MemoryLayout<Int>.stride * $1.labels.count + 100 * MemoryLayout<Int>.stride }
      bytes += MemoryLayout<ErrorMeasurement>.stride * errorHistory.count
    }
    if !wrote.isEmpty {
      bytes += Self.tableBytes(versions.capacity, StateKey.self, Int.self)
        + Self.tableBytes(changes.capacity, StateKey.self, StateChange.self)
        + Self.tableBytes(newestInFamily.capacity, StateKey.self, StateKey.self)
    }
    return bytes
  }

  /// Bytes of a dictionary's storage with room for `capacity` entries: its keys, values and
  /// bucket map, times 3 for what the allocator adds. The factor is measured: stepping
  /// through 4,000 cells that each set a new variable, with budgets of 16 and 64 MiB, the
  /// process grew by about the budget (by 3.3 times the budget when entries were counted
  /// at 96 bytes).
  static func tableBytes<K, V>(_ capacity: Int, _: K.Type, _: V.Type) -> Int {
    3 * capacity * (MemoryLayout<K>.stride + MemoryLayout<V>.stride + 1)
  }
}
