import FFLanguage
import Foundation
import Testing

@testable import FFNotebook

@Suite struct IpynbFileTests {
  static func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-ipynb-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static let document = IpynbDocument(
    notebook: Notebook.parse(text: "%% markdown\n# T\n\n%% code\nprint 1\n", path: "t.ffnb").0, ffnbVersion: "1")

  @Test func writesReplacesAndLeavesNoTemporaryFiles() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/out.ipynb"
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    try Self.document.write(to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.document.encoded())
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.ipynb"])
  }

  @Test func missingFoldersAreMadeAndImpossibleOnesAreTypedErrors() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let nested = directory + "/new/folders/out.ipynb"
    try Self.document.write(to: nested)
    #expect(try String(contentsOfFile: nested, encoding: .utf8) == Self.document.encoded())

    // A folder that cannot exist: its parent is a regular file.
    let file = directory + "/plain-file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let path = file + "/out.ipynb"
    #expect {
      try Self.document.write(to: path)
    } throws: { error in
      guard let error = error as? IpynbWriteError else { return false }
      return error.path == path && error.description.contains("is not a directory")
    }
    #expect(throws: IpynbWriteError.self) { try IpynbDocument.checkWritable(directory) }
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test("an empty path, a folder name and an overlong file name are refused before writing",
        arguments: ["", "out/", "runs/", String(repeating: "n", count: 256) + ".ipynb"])
  func unusablePaths(_ path: String) throws {
    #expect {
      try IpynbDocument.checkWritable(path)
    } throws: { error in
      guard let error = error as? IpynbWriteError else { return false }
      return error.reason.hasPrefix(path.isEmpty ? "the path is empty" : path.hasSuffix("/") ? "it names a folder" : "the file name is 262 bytes long")
    }
    #expect(!FileManager.default.fileExists(atPath: "runs"))
  }

  /// root ignores directory permissions, so there the directory is writable and the check passes.
  @Test(.enabled(if: geteuid() != 0, "root can write to a read-only directory"))
  func readOnlyDirectoryIsRefusedBeforeWriting() throws {
    let directory = try Self.temporaryDirectory()
    defer {
      chmod(directory, 0o755)
      try? FileManager.default.removeItem(atPath: directory)
    }
    chmod(directory, 0o555)
    #expect(throws: IpynbWriteError.self) { try IpynbDocument.checkWritable(directory + "/x.ipynb") }
  }
}
