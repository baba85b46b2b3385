import FFFiles
import FFKernels
import FFPlots
import FFLanguage
import FFRuntime
import FFTestSupport
import Foundation
import Testing
@testable import FFNotebook

/// The replay cache (`--cache`): a cached replay prints what a full replay prints and leaves the
/// same state, bit for bit; what changes upstream is recomputed; damaged, foreign or crafted
/// entries are never trusted.
@Suite struct ResultCacheTests {
  /// A notebook that exercises what the cache keeps and what it must not skip: two `learn`s
  /// (the second continues the first), errors measured while training, a confusion matrix, a
  /// plot of the loss, a model saved and loaded back, and predictions after it.
  static func notebook(root: URL = TinyData.root, model: String) -> String {
    """
    %% code parameters [parameters]
    set epochs = 3
    set lr = 0.05
    set dims = [784, 20, 10]

    %% code data
    seed 0
    transform to-tensor | normalize(mean=0.1, std=0.1) | flatten
    load mnist train batch=40 root="\(root.path)"
    load mnist test batch=20 root="\(root.path)"

    %% code model
    build dims=dims epochs=epochs lr=lr threshold=2
    learn every=1
    learn schedule=together batch=20 epochs=2 eval=test

    %% code evaluate
    predict train
    predict test confusion=true layers=true
    plot loss
    plot errors

    %% code saved
    save model "\(model)"
    load model "\(model)"
    predict test
    """
  }

  /// A scratch folder for one test.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-cache-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// One replay of `text`: its transcript (timings masked), cache statistics, notes and final model.
  struct Replay {
    var transcript: String
    var statistics: ResultCache.Statistics?
    var notes: [String]
    var model: [UInt8]
    var errors: [ErrorMeasurement]
    var evaluations: [String: Evaluation]
    var failed: Int?
  }

  static func replay(_ text: String, cache folder: URL?, overrides: [(name: String, value: Value)] = []) throws -> Replay {
    let (runner, captured) = try tinyRunner(text, overrides: overrides)
    var notes: [String] = []
    let cache = folder.map { ResultCache(folder: $0, environment: "tests", report: { notes.append($0) }) }
    runner.interpreter.cache = cache
    let failed = runner.runAll()
    let model = try runner.session.model.map { try Checkpoint.encode($0) } ?? []
    return Replay(transcript: maskTimings(captured.text), statistics: cache?.statistics, notes: notes, model: model,
                  errors: runner.session.errorHistory, evaluations: runner.session.evaluations, failed: failed)
  }

  static func entries(in folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "ffc" }
  }

  @Test func aCachedReplayPrintsAndLeavesExactlyWhatAFullReplayDoes() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = Self.notebook(model: dir.appendingPathComponent("m.ffm").path)
    let cache = dir.appendingPathComponent("cache")
    let full = try Self.replay(text, cache: nil)
    let first = try Self.replay(text, cache: cache)
    let second = try Self.replay(text, cache: cache)
    #expect(full.failed == nil, "\(full.transcript)")
    // Two learns and three predicts: the predict after `load model` reads a model identified
    // by the file's contents, which are those the first replay saved.
    #expect(first.statistics == ResultCache.Statistics(reused: 0, stored: 5, rejected: 0))
    #expect(second.statistics == ResultCache.Statistics(reused: 5, stored: 0, rejected: 0))
    #expect(try Self.entries(in: cache).count == 5)
    #expect(first.transcript == full.transcript)
    #expect(second.transcript == full.transcript)
    #expect(second.model == full.model && !full.model.isEmpty, "the reused model is the trained one, bit for bit")
    // The errors measured while training are plotted (then `load model` starts a new history).
    #expect(second.errors == full.errors && full.transcript.contains("error % per epoch"))
    #expect(second.evaluations == full.evaluations)
    #expect(first.notes.isEmpty && second.notes.isEmpty)
    // The folder says what it is to git and to backup tools.
    #expect(try String(contentsOf: cache.appendingPathComponent(".gitignore"), encoding: .utf8).contains("\n*\n"))
    #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent("CACHEDIR.TAG").path))
  }

  @Test func editingTheLastStatementRecomputesOnlyIt() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText
    let edited = text.replacingOccurrences(of: "predict test", with: "predict test confusion=true")
    #expect(edited != text)
    _ = try Self.replay(text, cache: cache)
    let after = try Self.replay(edited, cache: cache)
    #expect(after.statistics == ResultCache.Statistics(reused: 2, stored: 1, rejected: 0), "learn and predict train reused")
    #expect(after.transcript == (try Self.replay(edited, cache: nil)).transcript)
  }

  @Test func trainingOnFromAReusedModelGivesWhatItGivesFromAComputedOne() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText
    _ = try Self.replay(text, cache: cache)
    // A new statement after the stored learn: it trains on from the model put back.
    let more = text.replacingOccurrences(of: "learn every=2", with: "learn every=2\nlearn epochs=2 every=1")
    let cached = try Self.replay(more, cache: cache)
    let full = try Self.replay(more, cache: nil)
    #expect(cached.statistics?.reused == 1)
    #expect(cached.transcript == full.transcript)
    #expect(cached.model == full.model, "Adam's moments and step counts came back exactly")
  }

  @Test func whatAStatementReadsDecidesItsKey() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText
    _ = try Self.replay(text, cache: cache)
    // A parameter the model is built from: everything downstream of the build is new.
    let lr = try Self.replay(text, cache: cache, overrides: [("lr", .number(0.1))])
    #expect(lr.statistics == ResultCache.Statistics(reused: 0, stored: 3, rejected: 0))
    #expect(lr.transcript == (try Self.replay(text, cache: nil, overrides: [("lr", .number(0.1))])).transcript)
    // Another seed draws other batches and weights.
    let seeded = try Self.replay(text.replacingOccurrences(of: "seed 0", with: "seed 1"), cache: cache)
    #expect(seeded.statistics?.reused == 0)
    // The same value written differently is the same state.
    let same = try Self.replay(text.replacingOccurrences(of: "set lr = 0.05", with: "set lr = 0.050"), cache: cache)
    #expect(same.statistics == ResultCache.Statistics(reused: 3, stored: 0, rejected: 0))
    // A comment on the learn line changes the statement's text: recomputed.
    let commented = try Self.replay(text.replacingOccurrences(of: "learn every=2", with: "learn every=2  # again"), cache: cache)
    #expect(commented.statistics == ResultCache.Statistics(reused: 0, stored: 3, rejected: 0))
  }

  @Test func changedDataFilesAreRecomputed() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let root = dir.appendingPathComponent("data")
    try FileManager.default.copyItem(at: TinyData.root, to: root)
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText.replacingOccurrences(of: TinyData.root.path, with: root.path)
    _ = try Self.replay(text, cache: cache)
    // One pixel of the first training image changes: same size, same names, other contents.
    let images = root.appendingPathComponent("mnist/train-images-idx3-ubyte")
    var bytes = try Data(contentsOf: images)
    bytes[16 + 5] ^= 0x40
    try bytes.write(to: images)
    let changed = try Self.replay(text, cache: cache)
    #expect(changed.statistics?.reused == 0, "every result depends on the training data or on a model trained on it")
    #expect(changed.transcript == (try Self.replay(text, cache: nil)).transcript)
  }

  @Test func damagedAndForeignEntriesAreIgnoredWithANoteAndRecomputed() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText
    let full = try Self.replay(text, cache: cache)
    let entries = try Self.entries(in: cache).sorted { $0.path < $1.path }
    let sizes = try entries.map { try Data(contentsOf: $0).count }
    let learn = entries[sizes.firstIndex(of: sizes.max()!)!]
    let original = try Data(contentsOf: learn)
    var flipped = original
    flipped[flipped.count / 2] ^= 1
    let damage: [(String, Data?)] = [
      ("checksum does not match", flipped),
      ("truncated", original.prefix(original.count - 100)),
      ("truncated", Data()),
      ("not a cache entry", Data(repeating: 0x41, count: 4096)),
      // Another statement's entry under this one's name, as a copy by hand would leave it.
      ("another statement", try Data(contentsOf: entries.first { $0 != learn }!)),
      ("cannot be read", nil),  // a folder where the entry should be
    ]
    for (why, replacement) in damage {
      try FileManager.default.removeItem(at: learn)
      if let replacement {
        try replacement.write(to: learn)
      } else {
        try FileManager.default.createDirectory(at: learn, withIntermediateDirectories: false)
      }
      let replay = try Self.replay(text, cache: cache)
      #expect(replay.transcript == full.transcript, "\(why)")
      // A folder cannot be replaced by the recomputed entry either: that is said too, once.
      #expect(replay.notes.count == (replacement == nil ? 2 : 1) && replay.notes.first?.contains(why) == true, "\(why): \(replay.notes)")
      #expect(replay.notes.first?.contains(learn.path) == true)
      #expect(replay.statistics?.rejected == 1, "\(why)")
      if replacement == nil {
        try FileManager.default.removeItem(at: learn)
      }
    }
    // Recomputed results are stored again (the folder could not be replaced, so once more
    // now): then a replay reuses everything.
    #expect(try Self.replay(text, cache: cache).statistics == ResultCache.Statistics(reused: 2, stored: 1, rejected: 0))
    let healed = try Self.replay(text, cache: cache)
    #expect(healed.statistics == ResultCache.Statistics(reused: 3, stored: 0, rejected: 0))
    let stored = try CacheEntry(decoding: Array(try Data(contentsOf: learn))), before = try CacheEntry(decoding: Array(original))
    #expect(try Checkpoint.encode(#require(stored.model)) == (try Checkpoint.encode(#require(before.model))), "the same model is stored again")
  }

  @Test func aCraftedEntryWithAValidChecksumIsCheckedBeforeUse() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText
    let full = try Self.replay(text, cache: cache)
    // The predict entries: rewrite each with a confusion matrix that is not square.
    var crafted = 0
    for url in try Self.entries(in: cache) {
      var entry = try CacheEntry(decoding: Array(try Data(contentsOf: url)))
      guard entry.header.command == .predict else { continue }
      entry.header.shown.append(.confusion(counts: [[1, 2], [3]], labels: ["0", "1"], title: "crafted"))
      try entry.encoded().withUnsafeBytes { _ = try AtomicFile.write($0, to: url.path) }
      crafted += 1
    }
    #expect(crafted == 2)
    let replay = try Self.replay(text, cache: cache)
    #expect(replay.transcript == full.transcript)
    #expect(replay.statistics?.rejected == 2 && replay.notes.allSatisfy { $0.contains("not square") }, "\(replay.notes)")
  }

  @Test func aCacheThatCannotBeWrittenIsToldOnceAndTheRunGoesOn() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let blocked = dir.appendingPathComponent("cache")
    try Data("a file, not a folder".utf8).write(to: blocked)
    let text = TinyData.notebookText
    let replay = try Self.replay(text, cache: blocked)
    #expect(replay.failed == nil)
    #expect(replay.transcript == (try Self.replay(text, cache: nil)).transcript)
    #expect(replay.notes.count == 1 && replay.notes[0].contains("cannot store") && replay.notes[0].contains("not a folder"), "\(replay.notes)")
  }

  @Test func aStoppedLearnIsNotStored() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = ResultCache(folder: dir, environment: "tests", report: { _ in })
    let (runner, _) = try tinyRunner()
    runner.interpreter.cache = cache
    for index in 1...4 { runner.runCell(index) }
    runner.session.shouldStop = { true }
    #expect(runner.runCell(5) == .interrupted)
    #expect(cache.statistics.stored == 0)
  }

  @Test func theOldestEntriesGoPastTheLimit() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = TinyData.notebookText
    // Room for no entry: each store keeps only the entry it wrote.
    let (runner, _) = try tinyRunner(text)
    let cache = ResultCache(folder: dir, environment: "tests", limit: 1, report: { _ in })
    runner.interpreter.cache = cache
    runner.runAll()
    #expect(cache.statistics.stored == 3)
    #expect(try Self.entries(in: dir).count == 1)
  }

  @Test func entriesRoundTripExactly() throws {
    let events: [Output] = [
      .training(.epochFinished(layer: 1, epoch: 3, epochs: 4, loss: 0.1 + 1e-7, elapsed: 1.25), every: 2),
      .errorChart([Series(name: "test", values: [.nan, 12.5, .infinity])]),
      .image(ImageSample(pixels: [0, 0.5, 1, -1], rows: 2, cols: 2, label: 3, title: "x")),
      .line("é ✓ \u{1B}"),
    ]
    let header = CacheEntry.Header(key: "k", environment: "e", command: .predict, shown: events, data: "test",
                                   evaluation: Evaluation(predictions: [1, 2, 3], labels: [1, 2, 0]))
    let decoded = try CacheEntry(decoding: try CacheEntry(header: header, model: nil).encoded())
    #expect(decoded.header.evaluation == header.evaluation)
    #expect(decoded.header.shown.count == events.count)
    // NaN is not equal to itself: compare the chart through its bit patterns.
    if case .errorChart(let series) = decoded.header.shown[1] {
      #expect(series[0].values.map(\.bitPattern) == [Double.nan.bitPattern, 12.5.bitPattern, Double.infinity.bitPattern])
    } else {
      Issue.record("the chart did not come back")
    }
    for i in [0, 2, 3] { #expect(decoded.header.shown[i] == events[i]) }
  }

  /// A greedy `learn` continues on the pairs the first one drew, from the seed of that time;
  /// a reused `learn` leaves them too. Here the first is reused and the edited second one is
  /// computed after `seed 2`: it must train and print exactly as without the cache.
  @Test func aLearnComputedAfterAReusedOneContinuesOnTheSamePairs() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    func text(_ epochs: Int) -> String {
      TinyData.notebookText + "\n\n%% code second\nseed 2\nlearn epochs=\(epochs) every=1\npredict train\n"
    }
    _ = try Self.replay(text(1), cache: cache)
    let cached = try Self.replay(text(2), cache: cache)
    let full = try Self.replay(text(2), cache: nil)
    #expect(cached.statistics?.reused == 3 && cached.statistics?.stored == 2, "\(String(describing: cached.statistics))")
    #expect(cached.transcript == full.transcript)
    #expect(cached.model == full.model, "the same weights, bit for bit")
  }

  /// A crafted `predict` entry (valid checksum, plausible outputs) whose evaluation does not
  /// fit the data loaded now (another class count, other labels) is not used: it would reach
  /// `plot confusion`, which labels every class of the data set. Nor is a `learn` entry whose
  /// model has other dimensions than the session's.
  @Test func aCraftedEntryMustFitTheSessionItGoesInto() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cache = dir.appendingPathComponent("cache")
    let text = TinyData.notebookText + "\nplot confusion\n"
    let full = try Self.replay(text, cache: cache)
    var crafted = 0
    for url in try Self.entries(in: cache) {
      var entry = try CacheEntry(decoding: Array(try Data(contentsOf: url)))
      switch entry.header.command {
      case .predict:
        let n = entry.header.evaluation?.labels.count ?? 0
        entry.header.evaluation = Evaluation(predictions: Array(repeating: 0, count: n), labels: (0..<n).map { $0 % 3 }, classes: 3)
      case .learn:
        var generator = Generator(seed: 1, stream: "crafted")
        entry.model = try FFModel(dims: [784, 7, 10], hyper: entry.header.hyper ?? LayerHyperparameters(), generator: &generator)
      }
      try entry.encoded().withUnsafeBytes { _ = try AtomicFile.write($0, to: url.path) }
      crafted += 1
    }
    #expect(crafted == 3)
    let replay = try Self.replay(text, cache: cache)
    #expect(replay.transcript == full.transcript)
    #expect(replay.statistics?.rejected == 3, "\(replay.notes)")
    #expect(replay.notes.contains { $0.contains("a model of dimensions [784, 7, 10]") }, "\(replay.notes)")
  }
}
