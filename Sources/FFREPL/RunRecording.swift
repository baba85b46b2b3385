import FFFiles
import FFKernels
import FFLanguage
import FFNotebook
import FFRegistry
import Foundation

/// Turns what a notebook runner did into registry records: a whole replay (`ffnb run`, a
/// sweep point), or one REPL cell or line that ran `learn` or `predict`. The adapter between
/// FFNotebook's state and FFRegistry's plain values, so neither depends on the other.
package final class RunRecording {
  package let recorder: RunRecorder
  let ffnbVersion: String
  let sweep: SweepMembership?
  /// SHA-256 of the notebook file as it was when the session started.
  let notebookHash: String?

  package init(recorder: RunRecorder, ffnbVersion: String, notebookPath: String?, sweep: SweepMembership? = nil) {
    self.recorder = recorder
    self.ffnbVersion = ffnbVersion
    self.sweep = sweep
    // A notebook is at most a few MB (the loader refuses more); this reads the same bytes.
    notebookHash = notebookPath.flatMap { try? ReadableFile.readAll(path: $0, limit: 64 << 20, what: "notebook") }.map(ContentHash.hex)
  }

  /// Records a replay that started at `started` and stopped at cell `stoppedAt` (nil: ran to the end).
  @discardableResult
  package func recordReplay(_ runner: NotebookRunner, started: Date, stoppedAt: Int?) -> RunRecord {
    var status = RunStatus.ok
    var failure: String?
    if let stoppedAt {
      let cell = runner.notebook.cells[stoppedAt - 1]
      if runner.records[stoppedAt - 1].status == .failed {
        status = .failed
        failure = "cell \(cell.displayName) failed" + (Self.errorMessage(runner.records[stoppedAt - 1]).map { ": " + $0 } ?? "")
      } else {
        status = .interrupted
        failure = "stopped by Ctrl-C in cell \(cell.displayName)"
      }
    }
    let cells = runner.notebook.cells.enumerated().compactMap { (i, cell) -> CellTiming? in
      let record = runner.records[i]
      guard cell.kind == .code, record.status != .notRun, record.status != .skipped else { return nil }
      return CellTiming(name: cell.name ?? "cell \(cell.index)", status: record.status.rawValue, seconds: record.duration ?? 0)
    }
    let run = RunRecord(
      kind: .replay, notebook: Self.absolute(runner.notebook.path), notebookHash: notebookHash, startedAt: started,
      seconds: Date().timeIntervalSince(started), status: status, failure: failure, environment: environment(runner.session),
      sweep: sweep, parameters: parameters(runner), accuracies: Self.accuracies(runner.session),
      losses: Self.losses(runner.session), cells: cells)
    recorder.record(run)
    return run
  }

  /// What a REPL unit is compared with when it ends.
  package struct Observation {
    let started: Date
    let evaluationVersions: [String: Int]
  }

  package func begin(_ runner: NotebookRunner) -> Observation {
    let session = runner.session
    return Observation(
      started: Date(),
      evaluationVersions: Dictionary(uniqueKeysWithValues: session.evaluations.keys.map { ($0, session.version(of: .evaluation($0))) }))
  }

  /// Records a REPL cell or typed line if its statements include `learn` or `predict`: the
  /// model's loss curves, the accuracies it measured, the parameters as they are now.
  package func recordUnit(
    _ runner: NotebookRunner, statements: [Statement], name: String, since observation: Observation,
    status: RunStatus, failure: String?
  ) {
    let commands = Set(statements.compactMap { statement -> CommandName? in
      guard case .command(let name, _) = statement.kind else { return nil }
      return CommandName(rawValue: name.name)
    })
    let kind: RunKind
    if commands.contains(.learn) { kind = .learn } else if commands.contains(.predict) { kind = .predict } else { return }
    let session = runner.session
    let measured = Self.accuracies(session) { name in
      observation.evaluationVersions[name] != session.version(of: .evaluation(name))
    }
    let seconds = Date().timeIntervalSince(observation.started)
    let run = RunRecord(
      kind: kind, notebook: runner.notebook.cells.isEmpty ? nil : Self.absolute(runner.notebook.path),
      notebookHash: notebookHash, startedAt: observation.started, seconds: seconds, status: status, failure: failure,
      environment: environment(session), sweep: nil, parameters: parameters(runner, live: true), accuracies: measured,
      losses: Self.losses(session), cells: [CellTiming(name: name, status: status.rawValue, seconds: seconds)])
    recorder.record(run)
  }

  /// A REPL cell's statements, name and outcome, for `recordUnit`.
  package func recordCell(_ index: Int, of runner: NotebookRunner, since observation: Observation) {
    let cell = runner.notebook.cells[index - 1]
    guard cell.kind == .code else { return }
    let record = runner.records[index - 1]
    let status: RunStatus
    switch record.status {
    case .ok: status = .ok
    case .failed: status = .failed
    case .interrupted: status = .interrupted
    case .notRun, .skipped: return
    }
    let (statements, _) = parseStatements(cell: cell, file: runner.notebook.path)
    recordUnit(runner, statements: statements, name: cell.name ?? "cell \(cell.index)", since: observation, status: status,
               failure: status == .failed ? Self.errorMessage(record) : nil)
  }

  /// A typed line's statements and outcome, for `recordUnit`.
  package func recordTyped(_ text: String, report: UnitReport, of runner: NotebookRunner, since observation: Observation) {
    let status: RunStatus = report.error != nil ? .failed : report.isInterrupted ? .interrupted : .ok
    let (statements, _) = parseStatements(text: text, origin: .input)
    recordUnit(runner, statements: statements, name: "typed \(runner.typedCount)", since: observation, status: status,
               failure: report.error.map { $0.rendered(sourceLine: nil, color: false).split(separator: "\n").first.map(String.init) ?? "" })
  }

  func environment(_ session: Session) -> RunEnvironment {
    RunEnvironment(
      ffnbVersion: ffnbVersion, blasCore: OpenBLASInfo.coreName, precision: session.precision.rawValue,
      threads: OpenBLASInfo.threads, host: ProcessInfo.processInfo.hostName)
  }

  /// The notebook's parameters in notebook order. For a replay, the values its parameters
  /// cell left (`-p` included), which a sweep varies; in the REPL (`live`), the session's
  /// values now, which a typed `set lr = 0.2` before `learn` changed.
  func parameters(_ runner: NotebookRunner, live: Bool = false) -> [RunParameter] {
    let overridden = Set(runner.overrides.map(\.name))
    return NotebookRunner.parameters(of: runner.notebook).compactMap { (name, cell) in
      let set = runner.records[cell - 1].setValues[name], now = runner.session.environment[name]
      let value = live ? now ?? set : set ?? now
      return value.map { RunParameter(name: name, value: $0.description, overridden: overridden.contains(name)) }
    }
  }

  /// The session's evaluations (those `include` accepts) in the order they were measured.
  static func accuracies(_ session: Session, include: (String) -> Bool = { _ in true }) -> [RunAccuracy] {
    session.evaluations.keys.filter(include)
      .sorted { session.version(of: .evaluation($0)) < session.version(of: .evaluation($1)) }
      .compactMap { name in
        session.evaluations[name].map { RunAccuracy(dataset: name, correct: $0.correct, total: $0.labels.count) }
      }
  }

  static func losses(_ session: Session) -> [[Double]] {
    session.model?.layers.map { $0.lossHistory.map(Double.init) } ?? []
  }

  static func errorMessage(_ record: CellRecord) -> String? {
    for item in record.outputs {
      if case .error(_, let message) = item {
        return message.split(separator: "\n").first.map(String.init)
      }
    }
    return nil
  }

  static func absolute(_ path: String) -> String { RegistryLocation.absolute(path) }
}
