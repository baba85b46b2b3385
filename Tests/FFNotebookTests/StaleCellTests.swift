import FFLanguage
import FFTestSupport
import Foundation
import Testing
@testable import FFNotebook

/// Stale cells, declared effects and keyed random streams, in process on tiny data.
@Suite("Stale cells and determinism")
struct StaleCellTests {
  @Test("a re-run build marks learn and evaluate stale with reasons; running them in order brings them back")
  func rebuildMarksDownstream() throws {
    let (runner, _) = try tinyRunner()
    #expect(runner.runAll() == nil)
    #expect(runner.staleCells().isEmpty, "a fresh Run All leaves nothing stale")
    #expect(runner.runCell(4) == .ok)
    let stale = runner.staleCells()
    #expect(stale.keys.sorted() == [5, 6])
    #expect(stale[5]?.reason == "model rebuilt by cell 4")
    #expect(stale[6]?.reason == "model rebuilt by cell 4")
    #expect(runner.cellsTable().contains("stale       learn every=2  (model rebuilt by cell 4)"))
    runner.runCell(5)
    #expect(runner.staleCells()[6]?.reason == "model trained by cell 5")
    runner.runCell(6)
    #expect(runner.staleCells().isEmpty)
  }

  @Test("re-running a cell that computes the same thing marks nothing stale")
  func idempotentRerun() throws {
    let (runner, _) = try tinyRunner()
    runner.runAll()
    runner.runCell(2)
    runner.runCell(3)
    #expect(runner.staleCells().isEmpty, "same variables, same seed, same batches: nothing changed")
  }

  @Test("a changed variable marks its readers stale, transitively, and the parameters cell differs")
  func variableChange() throws {
    let (runner, out) = try tinyRunner()
    runner.runAll()
    runner.runTyped("set lr = 0.2")
    let stale = runner.staleCells()
    #expect(stale[4]?.reason == "lr changed by typed line 1")
    #expect(stale[5]?.reason == "lr changed by typed line 1", "learn re-reads lr, which the build followed")
    #expect(stale[6]?.reason == "depends on stale cell 4")
    #expect(stale[2] == nil)
    #expect(runner.differences(ofCell: 2) == ["lr is 0.2, the cell sets 0.05"])
    #expect(runner.cellsTable().contains("differs     set epochs = 4  (lr is 0.2, the cell sets 0.05)"))
    #expect(runner.cellsTable().contains("differs"))
    out.text = ""
    runner.interpreter.inspect(.hyper)
    #expect(out.text.contains("lr        = 0.2  (follows variable lr; the model has 0.05 until the next learn)"))
  }

  @Test("re-running the model, learn and evaluate cells reproduces their numbers")
  func rerunReproduces() throws {
    let (runner, out) = try tinyRunner()
    runner.runAll()
    let first = out.accuracies
    for cell in 4...6 { runner.runCell(cell) }
    #expect(out.accuracies.count == 4)
    #expect(Array(out.accuracies.suffix(2)) == first)
  }

  @Test("a typed exploratory build or load does not change the notebook's later numbers")
  func exploration() throws {
    let (plain, plainOut) = try tinyRunner()
    plain.runAll()
    let (explored, exploredOut) = try tinyRunner()
    for cell in 1...3 { explored.runCell(cell) }
    explored.runTyped("build [784, 30] epochs=2")
    explored.runTyped("learn")
    explored.runTyped("load mnist train batch=10 root=\"\(TinyData.root.path)\" as=peek")
    for cell in 4...6 { explored.runCell(cell) }
    #expect(exploredOut.accuracies == plainOut.accuracies)
    #expect(exploredOut.text.contains("note: this replaces the model 784-30 that had been trained (steps per layer: layer 1: 2)"))
  }

  @Test("statements declare what they read and write")
  func effects() throws {
    let (runner, _) = try tinyRunner()
    runner.runAll()
    #expect(runner.records[3].inputs.keys.sorted() == [.variable("dims"), .variable("epochs"), .variable("lr"), .seed].sorted())
    #expect(runner.records[3].writes == [.model, .allEvaluations])
    #expect(Set(runner.records[4].inputs.keys) == [.model, .dataset("train"), .seed, .precision, .variable("lr"), .variable("epochs"), .variable("dims")])
    #expect(runner.records[5].writes == [.evaluation("train"), .evaluation("test")])
    #expect(runner.records[2].writes == [.seed, .transform, .dataset("train"), .dataset("test")])
  }
}
