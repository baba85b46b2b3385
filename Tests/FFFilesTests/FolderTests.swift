import FFFiles
import Foundation
import Testing

/// `Folder.make`, ffnb's `mkdir -p`: its errors name the part of the path that failed.
@Suite struct FolderTests {
  static func temporary() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-folder-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
  }

  @Test func makesMissingParentsAndAcceptsWhatExists() throws {
    let root = try Self.temporary()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Folder.make(root + "/a/b//c/")
    try Folder.make(root + "/a/b")
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: root + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
  }

  @Test func aFileInThePathIsNamed() throws {
    let root = try Self.temporary()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try "x".write(toFile: root + "/plain", atomically: true, encoding: .utf8)
    let error = #expect(throws: FolderError.self) { try Folder.make(root + "/plain/runs/x") }
    #expect(error?.failing == root + "/plain")
    #expect(error?.description == "cannot create the folder \(root)/plain/runs/x: \(root)/plain is not a folder")
    #expect(throws: FolderError.self) { try Folder.make(root + "/plain") }
  }
}
