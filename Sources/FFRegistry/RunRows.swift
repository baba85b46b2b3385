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

  /// One run from its row and the rows that hang off it. Every value is decoded with `try`:
  /// SQLite keeps whatever type a writer gave (`threads` may hold 'abc' in a database made by
  /// hand or damaged), and GRDB's subscripts stop the process on a value they cannot convert.
  private static func record(_ row: Row, _ db: Database) throws -> RunRecord {
    let idText: String = try row.decode(forColumn: "id")
    guard let id = UUID(uuidString: idText) else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "run id '\(idText)' is not a UUID") }
    let kindText: String = try row.decode(forColumn: "kind"), statusText: String = try row.decode(forColumn: "status")
    guard let kind = RunKind(rawValue: kindText), let status = RunStatus(rawValue: statusText) else {
      throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "run \(idText) has an unknown kind '\(kindText)' or status '\(statusText)'")
    }
    var sweep: SweepMembership?
    if let sweepText: String = try row.decode(forColumn: "sweep"), let sweepID = UUID(uuidString: sweepText) {
      sweep = SweepMembership(id: sweepID, point: try row.decode(Int?.self, forColumn: "sweepPoint") ?? 0)
    }
    let parameters = try Row.fetchAll(db, sql: "SELECT * FROM parameter WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      RunParameter(name: try $0.decode(forColumn: "name"), value: try $0.decode(forColumn: "value"), overridden: try $0.decode(forColumn: "overridden"))
    }
    let accuracies = try Row.fetchAll(db, sql: "SELECT * FROM accuracy WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      RunAccuracy(dataset: try $0.decode(forColumn: "dataset"), correct: try $0.decode(forColumn: "correct"), total: try $0.decode(forColumn: "total"))
    }
    var losses: [[Double]] = []
    for row in try Row.fetchAll(db, sql: "SELECT layer, value FROM loss WHERE runId = ? ORDER BY layer, epoch", arguments: [idText]) {
      let layer: Int = try row.decode(forColumn: "layer")
      guard layer >= 1 && layer <= 10_000 else { continue }
      while losses.count < layer { losses.append([]) }
      losses[layer - 1].append(try row.decode(Double?.self, forColumn: "value") ?? Double.nan)
    }
    let cells = try Row.fetchAll(db, sql: "SELECT * FROM cell WHERE runId = ? ORDER BY position", arguments: [idText]).map {
      CellTiming(name: try $0.decode(forColumn: "name"), status: try $0.decode(forColumn: "status"), seconds: try $0.decode(forColumn: "seconds"))
    }
    return RunRecord(
      id: id, kind: kind, notebook: try row.decode(forColumn: "notebook"), notebookHash: try row.decode(forColumn: "notebookHash"),
      startedAt: Date(timeIntervalSince1970: try row.decode(forColumn: "startedAt")), seconds: try row.decode(forColumn: "seconds"),
      status: status, failure: try row.decode(forColumn: "failure"),
      environment: RunEnvironment(
        ffnbVersion: try row.decode(forColumn: "ffnbVersion"), blasCore: try row.decode(forColumn: "blasCore"),
        precision: try row.decode(forColumn: "precision"), threads: try row.decode(forColumn: "threads"),
        host: try row.decode(forColumn: "host")),
      sweep: sweep, parameters: parameters, accuracies: accuracies, losses: losses, cells: cells)
  }
}
