import GRDB

/// The registry's tables, versioned with GRDB's migrator: a database made by an older ffnb
/// is brought up to date when opened, and each migration runs once, in one transaction.
///
/// Rows of a run hang off `run` by its UUID (the primary key, so merged registries never
/// duplicate a run) and go with it (`ON DELETE CASCADE`).
enum RegistrySchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: runs, parameters, accuracies, losses, cells") { db in
      try db.execute(sql: """
        CREATE TABLE run (
          id TEXT PRIMARY KEY NOT NULL,
          kind TEXT NOT NULL,
          notebook TEXT,
          notebookHash TEXT,
          startedAt DOUBLE NOT NULL,
          seconds DOUBLE NOT NULL,
          status TEXT NOT NULL,
          failure TEXT,
          ffnbVersion TEXT NOT NULL,
          blasCore TEXT NOT NULL,
          precision TEXT NOT NULL,
          threads INTEGER NOT NULL,
          host TEXT NOT NULL,
          sweep TEXT,
          sweepPoint INTEGER
        );
        CREATE INDEX run_by_notebook ON run(notebook, startedAt);
        CREATE INDEX run_by_start ON run(startedAt);
        CREATE INDEX run_by_sweep ON run(sweep, sweepPoint);
        CREATE TABLE parameter (
          runId TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          value TEXT NOT NULL,
          overridden BOOLEAN NOT NULL,
          PRIMARY KEY (runId, position)
        );
        CREATE TABLE accuracy (
          runId TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          dataset TEXT NOT NULL,
          correct INTEGER NOT NULL,
          total INTEGER NOT NULL,
          PRIMARY KEY (runId, position)
        );
        CREATE TABLE loss (
          runId TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          layer INTEGER NOT NULL,
          epoch INTEGER NOT NULL,
          value DOUBLE,
          PRIMARY KEY (runId, layer, epoch)
        );
        CREATE TABLE cell (
          runId TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          status TEXT NOT NULL,
          seconds DOUBLE NOT NULL,
          PRIMARY KEY (runId, position)
        );
        """)
    }
    return migrator
  }

  /// Applied migrations this ffnb does not register, in the order they were applied: the
  /// database was migrated by a newer ffnb.
  static func unknownMigrations(_ db: Database) throws -> [String] {
    let known = Set(migrator.migrations)
    return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").filter { !known.contains($0) }
  }

  /// Whether the database holds a registry: the first migration was applied (and so the
  /// `run` table made).
  static func isRegistry(_ db: Database) throws -> Bool {
    guard let first = migrator.migrations.first, try db.tableExists("grdb_migrations"), try db.tableExists("run") else { return false }
    return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?)", arguments: [first]) ?? false
  }
}
