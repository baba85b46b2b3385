import FFLanguage
import FFRuntime
import FFTestSupport
import Foundation
import Testing
@testable import FFNotebook
@testable import FFREPL

/// `:undo`, `:back N` and `:snapshots` in a real REPL session over the tiny data set: the
/// state comes back bit for bit, the cells run since become stale, the budget drops the
/// oldest, and `:save` after an undo records what is in effect.
@Suite("REPL: snapshots, :undo and :back")
struct SnapshotREPLTests {
  final class Output: @unchecked Sendable {
    var text = ""
  }

  /// A REPL stepping through the tiny notebook (cells: 1 markdown, 2 parameters, 3 data,
  /// 4 model, 5 learn, 6 evaluate), driven line by line with `handle`.
  func repl(budget: SnapshotBudget = .standard) throws -> (InteractiveSession, Output) {
    let output = Output()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-snap-\(UUID().uuidString).ffnb")
    try Data(TinyData.notebookText.utf8).write(to: url)
    let notebook = Notebook.parse(text: TinyData.notebookText, path: url.path).0
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: Console { output.text += $0 })
    let repl = InteractiveSession(runner: runner, stepping: true, reader: PlainLineReader(lines: []))
    repl.setSnapshotBudget(budget)
    repl.passMarkdown()
    return (repl, output)
  }

  /// Runs lines; returns what they printed.
  @discardableResult
  func run(_ repl: InteractiveSession, _ output: Output, _ lines: String...) -> String {
    let start = output.text.endIndex
    for line in lines { repl.handle(line) }
    return String(output.text[start...])
  }

  /// Everything a model holds that training changes, bit for bit: every buffer of every
  /// layer (weights, biases, gradients, Adam moments, peer means), step counts, loss
  /// histories and hyperparameters, and the head's.
  static func bits(_ model: FFModel?) -> [[UInt32]] {
    guard let model else { return [] }
    var all = model.layers.flatMap(\.buffers).map { $0.array.map(\.bitPattern) }
    for layer in model.layers {
      all.append([UInt32(layer.adamSteps), layer.hyper.lr.bitPattern, layer.hyper.threshold.bitPattern, UInt32(layer.hyper.epochs)])
      all.append(layer.lossHistory.map(\.bitPattern))
    }
    if let head = model.head { all += head.buffers.map { $0.array.map(\.bitPattern) } + [[UInt32(head.steps)]] }
    return all
  }

  /// Expects the model to hold exactly `expected` (without printing every bit when it does not).
  static func expect(_ model: FFModel?, is expected: [[UInt32]], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let same = bits(model) == expected
    #expect(same, "the model differs from the one expected", sourceLocation: sourceLocation)
  }

  static func expect(_ model: FFModel?, isNot expected: [[UInt32]], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let same = bits(model) == expected
    #expect(!same, "the model did not change", sourceLocation: sourceLocation)
  }

  @Test(":undo after a learn restores weights, biases, optimizer state and loss history bit for bit")
  func undoLearn() throws {
    let (repl, output) = try repl()
    run(repl, output, ":run 2-5")
    let session = repl.runner.session
    let afterLearnCell = Self.bits(session.model)
    #expect(afterLearnCell.contains { $0.contains { $0 != 0 } })
    run(repl, output, "learn epochs=3")
    Self.expect(session.model, isNot: afterLearnCell)
    let undone = run(repl, output, ":undo")
    #expect(undone.contains("undid typed line 1 (learn epochs=3); the session is as it was right after cell 5 (learn)"))
    Self.expect(session.model, is: afterLearnCell)
    // The snapshot itself was not handed out: training again and undoing again gives the same bits.
    run(repl, output, "learn epochs=2", ":undo")
    Self.expect(session.model, is: afterLearnCell)

    // One further back: before the learn cell, the model as built.
    let built = try #require(repl.snapshots.snapshot(at: repl.snapshots.timeline.count - 2)?.state.model)
    let builtBits = Self.bits(built)
    run(repl, output, ":undo")
    Self.expect(session.model, is: builtBits)
    #expect(session.model?.layers.allSatisfy { $0.adamSteps == 0 && $0.lossHistory.isEmpty } == true)
    #expect(repl.cursor == 5, "the cursor goes back to the undone cell")
    #expect(repl.cellsListing().contains("learn every=2  (undone by :undo)"))
    #expect(repl.prompt == "[5/6 learn*] ffnb> ")
    // Running it again reproduces the numbers it gave.
    run(repl, output, "")
    Self.expect(session.model, is: afterLearnCell)
    #expect(!repl.cellsListing().contains("stale"))
  }

  @Test(":back N restores the exact state after cell N and marks the cells run since stale")
  func back() throws {
    let (repl, output) = try repl()
    run(repl, output, ":run 2-4")
    let session = repl.runner.session
    let afterModel = Self.bits(session.model)
    let variables = session.environment
    run(repl, output, ":run 5-6", "set lr = 0.2", "learn epochs=2")
    #expect(session.environment["lr"] == .number(0.2))
    let text = run(repl, output, ":back 4")
    #expect(text.contains("back to right after cell 4 (model); undid cell 5 (learn), cell 6 (evaluate), typed line 1 (set lr = 0.2) and typed line 2 (learn epochs=2)"))
    Self.expect(session.model, is: afterModel)
    #expect(session.environment == variables)
    #expect(session.evaluations.isEmpty && session.trainingPairs == nil)
    #expect(repl.runner.log.typedCount == 0, "the record holds what is in effect")
    #expect(repl.cursor == 5)
    let table = repl.cellsListing()
    #expect(table.contains("learn every=2  (after :back 4)"))
    #expect(table.contains("predict train  (after :back 4)"))
    #expect(table.contains("set epochs = 4"), "cells before N are untouched")
    #expect(!table.contains("differs"))
    // Cell 5's run was undone: there is nothing after it to go back to.
    let refused = run(repl, output, ":back 5")
    #expect(refused.contains("error: cell 5 learn has no snapshot: its last run was undone, or ran before snapshots were on; `:run 5` runs it again"))
    let (fresh, freshOutput) = try self.repl()
    #expect(run(fresh, freshOutput, ":back model").contains("error: cell 4 model has not run; `:run 4` runs it"))
    // :run stale brings everything back, with the numbers of the first run.
    run(repl, output, ":run stale")
    #expect(!repl.cellsListing().contains("stale"))
  }

  @Test(":undo of a typed set, build and load puts back the variable, the model and the data")
  func undoTypedLines() throws {
    let (repl, output) = try repl()
    run(repl, output, ":all")
    let session = repl.runner.session
    let model = Self.bits(session.model)
    let train = try #require(session.datasets["train"])

    run(repl, output, "set lr = 0.3")
    #expect(repl.cellsListing().contains("differs"))
    run(repl, output, ":undo")
    #expect(session.environment["lr"] == .number(0.05))
    #expect(!repl.cellsListing().contains("differs") && !repl.cellsListing().contains("stale"))

    run(repl, output, "build [784, 10] epochs=2")
    #expect(session.model?.dims == [784, 10])
    run(repl, output, ":undo")
    #expect(session.model?.dims == [784, 20, 10])
    Self.expect(session.model, is: model)
    #expect(!repl.cellsListing().contains("stale"))

    run(repl, output, "load mnist train batch=12 root=\"\(TinyData.root.path)\"")
    #expect(session.datasets["train"]?.count == 12)
    #expect(repl.cellsListing().contains("stale"))
    run(repl, output, ":undo")
    let restored = try #require(session.datasets["train"])
    #expect(restored.count == 40)
    #expect(restored.batch.features === train.batch.features, "data comes back by reference, never copied")
    #expect(!repl.cellsListing().contains("stale"))
    #expect(repl.runner.log.typedCount == 0)
    #expect(run(repl, output, ":undo").contains("undid cell 6 (evaluate)"))
  }

  @Test("a learn stopped by Ctrl-C is undone like any other cell")
  func undoInterruptedLearn() throws {
    let (repl, output) = try repl()
    run(repl, output, ":run 2-4")
    let session = repl.runner.session
    let built = Self.bits(session.model)
    var asked = 0
    session.shouldStop = {
      asked += 1
      return asked > 2
    }
    let text = run(repl, output, ":run 5")
    session.shouldStop = { false }
    #expect(text.contains("interrupted"))
    #expect(repl.runner.records[4].status == .interrupted)
    Self.expect(session.model, isNot: built)
    #expect(repl.runner.log.notebook(path: "x.ffnb").serialized().contains("stopped by Ctrl-C"))
    run(repl, output, ":undo")
    Self.expect(session.model, is: built)
    #expect(!repl.runner.log.notebook(path: "x.ffnb").serialized().contains("learn"))
    #expect(repl.cellsListing().contains("(undone by :undo)"))
  }

  @Test("the budget drops the oldest snapshots first and says so; :undo then says why it cannot")
  func budget() throws {
    // One copy of the 784-20-10 model with its optimizer state fits, two do not.
    let (repl, output) = try repl(budget: SnapshotBudget(bytes: 400 << 10))
    run(repl, output, ":run 2-4")
    let modelBytes = try #require(repl.runner.session.model?.storageBytes)
    #expect(modelBytes > 200 << 10 && modelBytes < 400 << 10)
    let text = run(repl, output, ":run 5")
    #expect(text.contains("note: dropped 4 snapshots, from the snapshot before cell 2 (parameters) to the one before cell 5 (learn) (budget 400 KiB)"))
    #expect(repl.snapshots.kept.count == 1)
    #expect(run(repl, output, ":undo").contains("error: cannot undo cell 5 (learn): the snapshot before cell 5 (learn) was dropped (budget 400 KiB); `:snapshots budget 1G` keeps more"))
    #expect(run(repl, output, ":back 4").contains("error: the snapshot after cell 4 model was dropped (budget 400 KiB)"))
    // A predict shares the learn's copy: nothing more to drop.
    #expect(!run(repl, output, ":run 6").contains("note: dropped"))
    #expect(run(repl, output, ":snapshots budget 0").contains("note: snapshots are off; dropped all 2 kept"))
    #expect(run(repl, output, ":undo").contains("error: snapshots are off; `:snapshots budget 256M` turns them on"))
    #expect(run(repl, output, ":snapshots budget 1G", "print 1", ":undo").contains("undid typed line 1 (print 1)"))
  }

  @Test(":snapshots lists each snapshot's size; a model no unit changed is shared, counted once")
  func sizes() throws {
    let (repl, output) = try repl()
    run(repl, output, ":run 2-5", "predict train", "print 1", "show vars")
    let history = repl.snapshots
    let kept = history.kept
    #expect(kept.map(\.point.description) == [
      "the start of the session", "cell 2 (parameters)", "cell 3 (data)", "cell 4 (model)", "cell 5 (learn)",
      "typed line 1 (predict train)", "typed line 2 (print 1)", "typed line 3 (show vars)",
    ])
    // After the learn, no unit wrote the model: the three snapshots hold the learn's copy.
    let learned = try #require(kept[4].state.model)
    #expect(kept[5...].allSatisfy { $0.state.model === learned })
    #expect(kept[3].state.model !== learned && kept[3].state.model !== repl.runner.session.model)
    let sizes = history.sizes(live: repl.runner.session.liveBuffers)
    let modelBytes = learned.storageBytes
    #expect(sizes[3] >= modelBytes && sizes[4] >= modelBytes)
    #expect(sizes[5...].allSatisfy { $0 < 16 << 10 }, "\(sizes)")
    let total = history.totalBytes(live: repl.runner.session.liveBuffers)
    #expect(total == sizes.reduce(0, +))
    #expect(total >= 2 * modelBytes && total < 2 * modelBytes + 64 << 10, "two model copies and small values: \(total)")
    let listing = run(repl, output, ":snapshots")
    #expect(listing.hasPrefix("8 snapshots kept, \(SnapshotBudget.format(total)) ("), "\(listing)")
    #expect(listing.contains(" bytes) of the 256 MiB budget\n"))
    #expect(listing.contains("cell 5 (learn)") && listing.contains(SnapshotBudget.format(sizes[4])))
    #expect(listing.contains("typed line 3 (show vars)") && listing.contains("(now)"))
  }

  @Test("undoing every unit keeps the markdown cells passed in the record, and nothing else")
  func markdownStays() throws {
    let (repl, output) = try repl()
    run(repl, output, ":run 2-3", ":undo", ":undo")
    let record = repl.runner.log.notebook(path: "x.ffnb")
    #expect(record.cells.map(\.kind) == [.markdown])
    #expect(run(repl, output, ":undo").contains("error: nothing to undo: no cell or line has run since snapshots began"))
    #expect(repl.cursor == 2)
  }

  @Test(":save after :undo records what is in effect, and replays to the same numbers")
  func saveAfterUndo() throws {
    let (repl, output) = try repl()
    run(repl, output, ":all")
    let accuracies = output.text.split(separator: "\n").filter { $0.contains("accuracy:") }.map(String.init)
    #expect(accuracies.count == 2)
    run(repl, output, "set lr = 0.3", "learn epochs=2", "predict test")
    run(repl, output, ":undo", ":undo", ":undo")
    let again = run(repl, output, "predict test")
    #expect(again.contains(accuracies[1]), "the state after :undo predicts what it predicted before")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-snap-\(UUID().uuidString).ffnb").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let saved = run(repl, output, ":save \(path)")
    #expect(saved.contains("(1 typed line)"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("set lr = 0.3") && !text.contains("learn epochs=2"))
    let replay = Output()
    let notebook = Notebook.parse(text: text, path: path).0
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: Console { replay.text += $0 })
    #expect(runner.runAll() == nil)
    let replayed = replay.text.split(separator: "\n").filter { $0.contains("accuracy:") }.map(String.init)
    #expect(replayed == accuracies + [accuracies[1]])
    #expect(repl.unsavedTypedCount == 0)
    run(repl, output, "print 2", ":undo", "print 3")
    #expect(repl.unsavedTypedCount == 1, "a line typed after an undo is not the saved one")
  }

  @Test("with the replay cache, a cell re-run after :undo reuses its stored result, and a changed input does not")
  func undoAndTheCacheAgree() throws {
    let (repl, output) = try repl()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-snap-cache-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cache = ResultCache(folder: folder, environment: "tests", report: { _ in })
    repl.runner.interpreter.cache = cache
    run(repl, output, ":run 2-5")
    // What the model file holds: everything but scratch (Adam's gradients of the last step).
    func saved() throws -> [UInt8] { try Checkpoint.encode(try #require(repl.runner.session.model)) }
    let trained = try saved()
    #expect(cache.statistics == ResultCache.Statistics(reused: 0, stored: 1, rejected: 0))
    run(repl, output, ":undo", ":run 5")
    #expect(cache.statistics == ResultCache.Statistics(reused: 1, stored: 1, rejected: 0), "the learn's inputs are as they were")
    #expect(try saved() == trained)
    // The rate the build linked changes: the learn reads it, so it trains anew.
    run(repl, output, ":back 4", "set lr = 0.2", ":run 5")
    #expect(cache.statistics == ResultCache.Statistics(reused: 1, stored: 2, rejected: 0))
    #expect(try saved() != trained)
  }
}
