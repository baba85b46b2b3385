import FFLanguage
import Foundation
import Testing
@testable import FFNotebook

/// The session record (`:save`): what ran, in order, replays to the same numbers.
@Suite("Session record")
struct SessionRecordTests {
  /// Replays a record in a fresh session; returns its output.
  func replay(_ record: Notebook) throws -> Captured {
    let text = record.serialized()
    let (notebook, diagnostics) = Notebook.parse(text: text, path: "record.ffnb")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    #expect(Checker.check(notebook).filter { $0.severity == .error }.isEmpty)
    let (runner, out) = try tinyRunner(text)
    #expect(runner.runAll() == nil)
    return out
  }

  @Test("typed lines where they ran, re-runs and -p values replay to the same numbers")
  func replaysExactly() throws {
    let (runner, out) = try tinyRunner(overrides: [("epochs", .int(3))])
    for cell in 1...5 { runner.runCell(cell) }
    runner.runTyped("set lr = 0.02")
    runner.runTyped("learn epochs=2")
    runner.runCell(4)
    runner.runTyped("build [784, 16] epochs=2")
    runner.runCell(4)
    runner.runCell(5)
    runner.runCell(6)
    runner.runTyped("predict test")
    let record = runner.log.notebook(path: "record.ffnb")
    #expect(record.cells.map { $0.name ?? "-" } == [
      "-", "parameters", "injected-parameters", "data", "model", "learn", "typed-1", "typed-2", "model", "typed-3", "model",
      "learn", "evaluate", "typed-4",
    ])
    #expect(record.cells[2].source == "set epochs = 3")
    #expect(record.cells[8].tags == ["rerun"])
    let replayed = try replay(record)
    #expect(replayed.accuracies == out.accuracies)
    #expect(!out.accuracies.isEmpty)
  }

  @Test("a learn stopped by Ctrl-C is recorded as the epochs it completed")
  func interruptedLearn() throws {
    let (runner, out) = try tinyRunner()
    for cell in 1...4 { runner.runCell(cell) }
    var polls = 0
    runner.session.shouldStop = {
      polls += 1
      return polls > 6
    }
    #expect(runner.runCell(5) == .interrupted)
    runner.session.shouldStop = { false }
    runner.runTyped("learn layer=2")
    runner.runCell(6)
    let record = runner.log.notebook(path: "record.ffnb")
    let learn = try #require(record.cells.first { $0.name == "learn" })
    #expect(learn.source.hasPrefix("# `learn` was stopped by Ctrl-C in layer"))
    #expect(learn.source.contains("learn layer=1 epochs="))
    let steps = runner.session.model!.layers.map(\.adamSteps)
    let replayed = try replay(record)
    #expect(replayed.accuracies == out.accuracies)
    let (again, _) = try tinyRunner(record.serialized())
    again.runAll()
    #expect(again.session.model!.layers.map(\.adamSteps) == steps)
  }

  @Test("a cell that failed part-way is recorded as what completed; a line that failed at once is left out")
  func failures() throws {
    let (runner, _) = try tinyRunner()
    runner.runCell(2)
    runner.runTyped("print nope")
    runner.runTyped("set x = 1\nprint nope")
    let record = runner.log.notebook(path: "r.ffnb")
    #expect(record.cells.map { $0.name ?? "-" } == ["parameters", "typed-2"])
    #expect(record.cells[1].source == "set x = 1")
  }
}
