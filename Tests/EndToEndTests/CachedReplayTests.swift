import Foundation
import Testing

/// `ffnb run --cache` as a user runs it: a cached replay of the quickstart prints its expected
/// transcript, reusing every `learn` and `predict`, and edits recompute only what they touch.
@Suite(.serialized) struct CachedReplayTests {
  static func transcript() throws -> String {
    try String(contentsOf: RunTests.transcripts.appendingPathComponent("quickstart.txt"), encoding: .utf8)
  }

  @Test func aCachedReplayPrintsTheQuickstartTranscript() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-e2e-cache-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let args = ["run", "notebooks/quickstart.ffnb", "--cache-dir", folder.path]
    let first = try FFNB.run(args)
    let second = try FFNB.run(args)
    #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
    #expect(first.stderr.contains("cache: 0 results reused, 3 stored (\(folder.path))"), "\(first.stderr)")
    #expect(second.stderr.contains("cache: 3 results reused, 0 stored"), "\(second.stderr)")
    let expected = try Self.transcript()
    #expect(FFNB.maskTimings(first.stdout) == expected)
    #expect(FFNB.maskTimings(second.stdout) == expected, "a cached replay prints what a full replay prints")
    // Another value of a parameter the model is built from is another model: nothing reused.
    let changed = try FFNB.run(args + ["-p", "lr=0.04"])
    #expect(changed.stderr.contains("cache: 0 results reused, 3 stored"), "\(changed.stderr)")
  }

  @Test func theDefaultFolderIsBesideTheNotebookAndGitIgnoresIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-e2e-cache-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("q.ffnb")
    let source = try String(contentsOf: FFNB.packageRoot.appendingPathComponent("notebooks/quickstart.ffnb"), encoding: .utf8)
    try source.replacingOccurrences(of: "set num_epochs = 60", with: "set num_epochs = 3").write(to: notebook, atomically: true, encoding: .utf8)
    // Run from elsewhere: the cache goes beside the notebook, not in the working directory.
    let r = try FFNB.run(["run", notebook.path, "--cache"])
    #expect(r.status == 0, "\(r.stderr)")
    let cache = folder.appendingPathComponent(".ffnb-cache")
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".ffc") }
    #expect(entries.count == 3)
    #expect(try String(contentsOf: cache.appendingPathComponent(".gitignore"), encoding: .utf8).hasSuffix("*\n"))
  }
}
