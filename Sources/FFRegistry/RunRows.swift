import Foundation
import GRDB

/// A `RunRecord` to and from the registry's rows (`RegistrySchema`).
enum RunRows {
  static func insert(_ run: RunRecord, into db: Database) throws {
    let id = run.id.uuidString
    try db.execute(
      sql: """
        INSERT INTO run (id, kind, notebook, notebookHash, startedAt, seconds, status, failure,
          ffnbVersion, blasCore, precision, threads, host, sweep, sweepPoint)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, run.kind.rawValue, run.notebook, run.notebookHash, run.startedAt.timeIntervalSince1970, run.seconds,
        run.status.rawValue, run.failure, run.environment.ffnbVersion, run.environment.blasCore,
        run.environment.precision, run.environment.threads, run.environment.host, run.sweep?.id.uuidString,
        run.sweep?.point,
      ])
    for (i, p) in run.parameters.enumerated() {
      try db.execute(sql: "INSERT INTO parameter VALUES (?, ?, ?, ?, ?)", arguments: [id, i, p.name, p.value, p.overridden])
    }
    for (i, a) in run.accuracies.enumerated() {
      try db.execute(sql: "INSERT INTO accuracy VALUES (?, ?, ?, ?, ?)", arguments: [id, i, a.dataset, a.correct, a.total])
    }
    let loss = try db.makeStatement(sql: "INSERT INTO loss VALUES (?, ?, ?, ?)")
    for (layer, curve) in run.losses.enumerated() {
      for (epoch, value) in curve.enumerated() {
        // SQLite has no NaN: a diverged epoch is stored as NULL and read back as NaN.
        try loss.execute(arguments: [id, layer + 1, epoch + 1, value.isFinite ? value : nil])
      }
    }
    for (i, c) in run.cells.enumerated() {
      try db.execute(sql: "INSERT INTO cell VALUES (?, ?, ?, ?, ?)", arguments: [id, i, c.name, c.status, c.seconds])
    }
  }

  static func exists(_ id: UUID, in db: Database) throws -> Bool {
    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [id.uuidString]) ?? false
  }

  /// The runs a `SELECT * FROM run ...` finds, each with its rows from the other tables.
  static func fetch(_ db: Database, sql: String, arguments: StatementArguments) throws -> [RunRecord] {
    try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in try record(row, db) }
  }

  private static func record(_ row: Row, _ db: Database) throws -> RunRecord {
    let idText: String = row["id"]
    guard let id = UUID(uuidString: idText) else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "run id '\(idText)' is not a UUID") }
    let kindText: String = row["kind"], statusText: String = row["status"]
    guard let kind = RunKind(rawValue: kindText), let status = RunStatus(rawValue: statusText) else {
      throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "run \(idText) has an unknown kind '\(kindText)' or status '\(statusText)'")
    }
    var sweep: SweepMembership?
    if let sweepText: String = row["sweep"], let sweepID = UUID(uuidString: sweepText) {
      sweep = SweepMembership(id: sweepID, point: row["sweepPoint"] ?? 0)
    }
    let parameters = try Row.fetchAll(db, sql: "SELECT * FROM parameter WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      RunParameter(name: $0["name"], value: $0["value"], overridden: $0["overridden"])
    }
    let accuracies = try Row.fetchAll(db, sql: "SELECT * FROM accuracy WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      RunAccuracy(dataset: $0["dataset"], correct: $0["correct"], total: $0["total"])
    }
    var losses: [[Double]] = []
    for row in try Row.fetchAll(db, sql: "SELECT layer, value FROM loss WHERE runId = ? ORDER BY layer, epoch", arguments: [idText]) {
      let layer: Int = row["layer"]
      guard layer >= 1 && layer <= 10_000 else { continue }
      while losses.count < layer { losses.append([]) }
      losses[layer - 1].append(row["value"] ?? Double.nan)
    }
    let cells = try Row.fetchAll(db, sql: "SELECT * FROM cell WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      CellTiming(name: $0["name"], status: $0["status"], seconds: $0["seconds"])
    }
    return RunRecord(
      id: id, kind: kind, notebook: row["notebook"], notebookHash: row["notebookHash"],
      startedAt: Date(timeIntervalSince1970: row["startedAt"]), seconds: row["seconds"], status: status,
      failure: row["failure"],
      environment: RunEnvironment(
        ffnbVersion: row["ffnbVersion"], blasCore: row["blasCore"], precision: row["precision"], threads: row["threads"],
        host: row["host"]),
      sweep: sweep, parameters: parameters, accuracies: accuracies, losses: losses, cells: cells)
  }
}
