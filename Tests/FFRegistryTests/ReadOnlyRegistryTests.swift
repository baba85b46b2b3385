import FFRegistry
import Foundation
import GRDB
import Testing

/// Registries opened only to be read (a merge's source, `ffnb runs`, `compare`): the file is
/// never changed, and an SQLite database that is not a registry is refused, not given tables.
@Suite struct ReadOnlyRegistryTests {
  @Test func anotherApplicationsDatabaseIsRefusedAndLeftAsItWas() throws {
    let path = try RegistryTests.temporaryFile("other.db")
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try db.execute(sql: "CREATE TABLE note (text TEXT); INSERT INTO note VALUES ('mine')") }
    try queue.close()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let error = #expect(throws: RegistryError.self) { try RunRegistry(path: path, readingOnly: true) }
    #expect(error?.description.contains("it is an SQLite database, but not a run registry") == true, "\(String(describing: error))")
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func aSourceIsReadButNeverWritten() throws {
    let path = try RegistryTests.temporaryFile()
    let run = RegistryTests.sample()
    try RunRegistry(path: path).record(run)
    let source = try RunRegistry(path: path, readingOnly: true)
    let into = try RunRegistry(path: try RegistryTests.temporaryFile())
    #expect(try into.merge(from: source) == (added: 1, present: 0))
    #expect(throws: RegistryError.self) { try source.record(RegistryTests.sample()) }
    #expect(throws: RegistryError.self) { try source.merge(from: into) }
    #expect(try source.count() == 1)
  }
}
