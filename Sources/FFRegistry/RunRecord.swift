import Foundation

/// One recorded run: a whole replay (`ffnb run`, a sweep point) or one REPL `learn` or
/// `predict`. Plain values only, so the registry does not depend on how a notebook runs: the
/// adapters in FFREPL fill it from a runner.
package struct RunRecord: Sendable, Equatable {
  /// Stable across machines and registries, so `ffnb runs merge` can tell runs apart.
  package var id: UUID
  package var kind: RunKind
  /// The notebook's absolute path (nil for a REPL session without a notebook).
  package var notebook: String?
  /// SHA-256 of the notebook file's bytes as they were read.
  package var notebookHash: String?
  package var startedAt: Date
  package var seconds: Double
  package var status: RunStatus
  /// The first error's message, for a failed run.
  package var failure: String?
  package var environment: RunEnvironment
  /// The sweep this run is a point of, if any.
  package var sweep: SweepMembership?
  /// The notebook's parameters as the run used them, in notebook order.
  package var parameters: [RunParameter]
  /// Accuracies in the order they were measured: the last is the run's headline metric.
  package var accuracies: [RunAccuracy]
  /// Each layer's loss per epoch (layer 1 first).
  package var losses: [[Double]]
  /// Each code cell that ran, with how long it took.
  package var cells: [CellTiming]

  package init(
    id: UUID = UUID(), kind: RunKind, notebook: String?, notebookHash: String?, startedAt: Date, seconds: Double,
    status: RunStatus, failure: String? = nil, environment: RunEnvironment, sweep: SweepMembership? = nil,
    parameters: [RunParameter] = [], accuracies: [RunAccuracy] = [], losses: [[Double]] = [], cells: [CellTiming] = []
  ) {
    self.id = id
    self.kind = kind
    self.notebook = notebook
    self.notebookHash = notebookHash
    self.startedAt = startedAt
    self.seconds = seconds
    self.status = status
    self.failure = failure
    self.environment = environment
    self.sweep = sweep
    self.parameters = parameters
    self.accuracies = accuracies
    self.losses = losses
    self.cells = cells
  }

  /// The metric the run measured last (a notebook's final `predict test`), the one sweeps sort by.
  package var headline: RunAccuracy? { accuracies.last }

  /// The first eight hex digits of the id: what listings show and what `show` and `compare`
  /// accept (any unique prefix does).
  package var shortID: String { RunRecord.short(id) }

  package static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}

/// What was run.
package enum RunKind: String, Sendable, CaseIterable, Codable {
  /// `ffnb run`: every cell in order.
  case replay
  /// A `learn` typed or run in the REPL.
  case learn
  /// A `predict` typed or run in the REPL.
  case predict
}

/// How a run ended.
package enum RunStatus: String, Sendable, CaseIterable, Codable {
  case ok, failed, interrupted
}

/// Where and how a run computed: what a result depends on besides the notebook.
package struct RunEnvironment: Sendable, Equatable {
  package var ffnbVersion: String
  /// The OpenBLAS core in use (`Haswell`, `SkylakeX`...).
  package var blasCore: String
  /// `fp32` or `bf16`: the default operands of products.
  package var precision: String
  package var threads: Int
  package var host: String

  package init(ffnbVersion: String, blasCore: String, precision: String, threads: Int, host: String) {
    self.ffnbVersion = ffnbVersion
    self.blasCore = blasCore
    self.precision = precision
    self.threads = threads
    self.host = host
  }
}

/// A run's place in a sweep: which sweep, which point of its plan (0-based).
package struct SweepMembership: Sendable, Equatable {
  package var id: UUID
  package var point: Int

  package init(id: UUID, point: Int) {
    self.id = id
    self.point = point
  }
}

/// A notebook parameter as a run used it, its value in the notebook language's syntax.
package struct RunParameter: Sendable, Equatable {
  package var name: String
  package var value: String
  /// Whether `-p` (or a sweep) set it rather than the parameters cell.
  package var overridden: Bool

  package init(name: String, value: String, overridden: Bool) {
    self.name = name
    self.value = value
    self.overridden = overridden
  }
}

/// An accuracy a `predict` measured.
package struct RunAccuracy: Sendable, Equatable {
  /// The data set's name (`train`, `test`).
  package var dataset: String
  package var correct: Int
  package var total: Int

  package init(dataset: String, correct: Int, total: Int) {
    self.dataset = dataset
    self.correct = correct
    self.total = total
  }

  package var percent: Double { total == 0 ? 0 : 100 * Double(correct) / Double(total) }
  /// `test 82.40 %`: as `predict` prints it.
  package var description: String { "\(dataset) " + String(format: "%.2f %%", percent) }
}

/// A code cell of a replay (or the line of a REPL run) and how long it took.
package struct CellTiming: Sendable, Equatable {
  package var name: String
  package var status: String
  package var seconds: Double

  package init(name: String, status: String, seconds: Double) {
    self.name = name
    self.status = status
    self.seconds = seconds
  }
}
