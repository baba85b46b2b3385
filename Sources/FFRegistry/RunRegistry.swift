import FFFiles
import Foundation
import GRDB

/// The run registry: one SQLite file, shared by every ffnb process of a user.
///
/// WAL mode lets readers go on while one process writes, and a busy timeout plus a few
/// retries make concurrent writers (two replays, a sweep's workers, shards on one disk) wait
/// for each other instead of failing. Each run is written in one transaction, so a reader
/// never sees half a run and a crash leaves none. A file that is not a sound SQLite database
/// is refused when opened (`quick_check`), never written to.
package final class RunRegistry: Sendable {
  package let path: String
  /// A pool for a registry opened to write; a read-only queue for one only read.
  private let pool: any DatabaseWriter
  /// Opened with `readingOnly`: never migrated nor written.
  package let isReadOnly: Bool
  /// The migrations a newer ffnb applied that this one does not know (GRDB's migrator skips
  /// them silently); when there are any, the registry is read but never written.
  package let newerMigrations: [String]

  /// How long a writer waits for another's lock before retrying.
  static let busyTimeout: TimeInterval = 20
  /// Attempts at opening or writing when SQLite still says busy after the timeout.
  static let attempts = 5

  /// Opens (creating it and its folder if missing) and migrates the registry at `path`.
  ///
  /// With `readingOnly`, the file must exist and is opened read-only: neither migrated nor
  /// switched to WAL, so a merge's source or a listed file is never changed (an unrelated
  /// SQLite database given by mistake used to get ffnb's tables added to it). A file without
  /// ffnb's tables is then refused.
  package init(path: String, readingOnly: Bool = false) throws(RegistryError) {
    self.path = path
    isReadOnly = readingOnly
    let folder = (path as NSString).deletingLastPathComponent
    if !readingOnly && !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
      do {
        try Folder.make(folder)
      } catch {
        throw RegistryError(path: path, .unusable(error.description))
      }
    }
    // Only a regular file (or none yet): SQLite would block reading a FIFO, or write to a device.
    var info = stat()
    if stat(path, &info) == 0, case let kind = FileKind(mode: info.st_mode), kind != .regular {
      throw RegistryError(path: path, .unusable("it is \(kind.description), not a regular file"))
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(Self.busyTimeout)
    configuration.foreignKeysEnabled = true
    configuration.label = "ffnb-registry"
    do {
      configuration.readonly = readingOnly
      let pool: any DatabaseWriter = try Self.retrying { () throws -> any DatabaseWriter in
        if readingOnly { return try DatabaseQueue(path: path, configuration: configuration) }
        return try DatabasePool(path: path, configuration: configuration)
      }
      try Self.retrying {
        try pool.read { db in
          let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
          guard check == ["ok"] else { throw CorruptDatabase(detail: check.prefix(2).joined(separator: "; ")) }
        }
      }
      if readingOnly {
        guard try pool.read(RegistrySchema.isRegistry) else { throw NotARegistry() }
      } else {
        try Self.retrying { try RegistrySchema.migrator.migrate(pool) }
      }
      newerMigrations = try Self.retrying { try pool.read(RegistrySchema.unknownMigrations) }
      self.pool = pool
    } catch {
      throw RegistryError(path: path, .unusable(Self.reason(error)))
    }
  }

  /// Stores a run, with its parameters, accuracies, loss curves and cell timings, in one transaction.
  package func record(_ run: RunRecord) throws(RegistryError) {
    try requireWritable()
    do {
      try Self.retrying { try pool.write { db in try RunRows.insert(run, into: db) } }
    } catch {
      throw RegistryError(path: path, .unusable(Self.reason(error)))
    }
  }

  /// Runs newest first, of one notebook (an absolute path) or all; at most `limit`.
  package func runs(notebook: String? = nil, limit: Int? = nil) throws(RegistryError) -> [RunRecord] {
    try reading { db in
      var sql = "SELECT * FROM run"
      var arguments: StatementArguments = []
      if let notebook {
        sql += " WHERE notebook = ?"
        arguments += [notebook]
      }
      sql += " ORDER BY startedAt DESC, id"
      if let limit {
        sql += " LIMIT ?"
        arguments += [limit]
      }
      return try RunRows.fetch(db, sql: sql, arguments: arguments)
    }
  }

  /// The points of a sweep that were recorded, in plan order.
  package func runs(sweep: UUID) throws(RegistryError) -> [RunRecord] {
    try reading { db in
      try RunRows.fetch(db, sql: "SELECT * FROM run WHERE sweep = ? ORDER BY sweepPoint, startedAt", arguments: [sweep.uuidString])
    }
  }

  /// The run whose id starts with `prefix` (case-insensitive; at least four hex digits).
  package func run(matching prefix: String) throws(RegistryError) -> RunRecord {
    let wanted = prefix.lowercased()
    guard wanted.count >= 4, wanted.count <= 36, wanted.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
      throw RegistryError(path: path, .noSuchRun(prefix))
    }
    let found = try reading { db in
      try RunRows.fetch(db, sql: "SELECT * FROM run WHERE lower(id) LIKE ? ORDER BY startedAt LIMIT 6", arguments: [wanted + "%"])
    }
    guard let first = found.first else { throw RegistryError(path: path, .noSuchRun(prefix)) }
    guard found.count == 1 else { throw RegistryError(path: path, .ambiguous(prefix, candidates: found.map(\.shortID))) }
    return first
  }

  /// How many runs it holds.
  package func count() throws(RegistryError) -> Int {
    try reading { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run") ?? 0 }
  }

  /// Copies into this registry every run of `other` it does not hold yet (by id); returns
  /// how many were added and how many were already here.
  package func merge(from other: RunRegistry) throws(RegistryError) -> (added: Int, present: Int) {
    try requireWritable()
    let incoming = try other.runs()
    do {
      return try Self.retrying {
        try pool.write { db in
          var added = 0
          for run in incoming where try !RunRows.exists(run.id, in: db) {
            try RunRows.insert(run, into: db)
            added += 1
          }
          return (added, incoming.count - added)
        }
      }
    } catch {
      throw RegistryError(path: path, .unusable(Self.reason(error)))
    }
  }

  /// Refuses to write into a schema a newer ffnb manages.
  private func requireWritable() throws(RegistryError) {
    guard !isReadOnly else { throw RegistryError(path: path, .unusable("it was opened to be read only")) }
    guard newerMigrations.isEmpty else { throw RegistryError(path: path, .newerSchema(newerMigrations)) }
  }

  private func reading<T>(_ body: (Database) throws -> T) throws(RegistryError) -> T {
    do {
      return try Self.retrying { try pool.read(body) }
    } catch {
      throw RegistryError(path: path, .unusable(Self.reason(error)))
    }
  }

  /// Runs `body` again while SQLite says busy or locked past its timeout, a few times.
  static func retrying<T>(_ body: () throws -> T) throws -> T {
    var attempt = 1
    while true {
      do {
        return try body()
      } catch let error as DatabaseError where attempt < attempts
        && (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) {
        attempt += 1
        usleep(UInt32.random(in: 20_000...200_000))
      }
    }
  }

  /// SQLite's message alone (`file is not a database`), without GRDB's SQL context.
  static func reason(_ error: Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
    if error is NotARegistry { return "it is an SQLite database, but not a run registry (it has no table of runs)" }
    if let error = error as? CorruptDatabase { return "database disk image is malformed (\(error.detail))" }
    if error is RowDecodingError {
      // GRDB's text goes on with the whole row and the SQL: the value and its column are enough.
      let text = String(describing: error)
      return "a value of the wrong type (" + String((text.components(separatedBy: ", column index:").first ?? text).prefix(300)) + ")"
    }
    return (error as NSError).localizedDescription
  }
}

/// `PRAGMA quick_check` found damage.
struct CorruptDatabase: Error {
  var detail: String
}

/// A database without the registry's tables, opened to be read.
struct NotARegistry: Error {}
