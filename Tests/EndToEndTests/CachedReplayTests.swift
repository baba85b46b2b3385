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

  /// A greedy `learn` continues on the training pairs the first one drew, with the seed of
  /// that time. A reused `learn` must leave them too: here the first `learn` is reused and the
  /// edited second one computed after `seed 2`, and the printed losses and accuracy must be
  /// those of a replay without the cache (they were not: the pairs came from seed 2).
  @Test func aLearnComputedAfterAReusedOneTrainsOnTheSamePairs() throws {
    let folder = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("pairs.ffnb")
    func write(secondEpochs: Int) throws {
      try """
        %% code data
        seed 1
        transform to-tensor | normalize(mean=0.1, std=0.1) | flatten
        load mnist train batch=300

        %% code model
        build dims=[784, 30] epochs=2 lr=0.05 threshold=2

        %% code first
        learn every=1

        %% code second
        seed 2
        learn epochs=\(secondEpochs) every=1
        predict train

        """.write(to: notebook, atomically: true, encoding: .utf8)
    }
    let cache = ["--cache-dir", folder.appendingPathComponent("cache").path]
    try write(secondEpochs: 1)
    let filled = try FFNB.run(["run", notebook.path] + cache)
    #expect(filled.status == 0, "\(filled.stderr)")
    try write(secondEpochs: 2)
    let cached = try FFNB.run(["run", notebook.path] + cache)
    let plain = try FFNB.run(["run", notebook.path])
    #expect(cached.status == 0 && plain.status == 0, "\(cached.stderr)\(plain.stderr)")
    #expect(cached.stderr.contains("cache: 1 result reused, 2 stored"), "\(cached.stderr)")
    #expect(FFNB.maskTimings(cached.stdout) == FFNB.maskTimings(plain.stdout))
  }
}
