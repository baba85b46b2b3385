import FFRegistry
import Foundation
import GRDB
import Testing

/// A registry a newer ffnb migrated: GRDB's migrator skips the migrations it does not know, so
/// ffnb itself must notice them, read the runs and write none.
@Suite struct NewerSchemaTests {
  /// A registry with one run, then a migration no ffnb of this version has, as a newer one
  /// would apply it (a new NOT NULL column would make old writers' rows unreadable to it).
  static func registryFromTheFuture() throws -> (path: String, run: RunRecord) {
    let path = try RegistryTests.temporaryFile()
    let run = RegistryTests.sample()
    try RunRegistry(path: path).record(run)
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "ALTER TABLE run ADD COLUMN dataset TEXT NOT NULL DEFAULT 'mnist'")
      try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v2: dataset of each run')")
    }
    try queue.close()
    return (path, run)
  }

  @Test func runsAreReadButNoneIsWritten() throws {
    let (path, run) = try Self.registryFromTheFuture()
    let registry = try RunRegistry(path: path)
    #expect(try registry.runs().map(\.id) == [run.id])
    let error = #expect(throws: RegistryError.self) { try registry.record(RegistryTests.sample()) }
    #expect(error?.description.contains("was written by a newer ffnb (its schema has 'v2: dataset of each run'") == true, "\(String(describing: error))")
    #expect(try registry.count() == 1)
  }

  @Test func mergingIntoItIsRefusedAndMergingFromItWorks() throws {
    let (path, run) = try Self.registryFromTheFuture()
    let future = try RunRegistry(path: path)
    let other = try RunRegistry(path: try RegistryTests.temporaryFile())
    try other.record(RegistryTests.sample(lr: "0.2"))
    #expect(throws: RegistryError.self) { try future.merge(from: other) }
    #expect(try future.count() == 1)
    #expect(try other.merge(from: future) == (added: 1, present: 0))
    #expect(try other.runs().contains { $0.id == run.id })
  }
}
