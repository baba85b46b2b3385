import FFLanguage
import FFRuntime
import Testing

@testable import FFNotebook

/// Counts in output agree with their nouns.
@Suite struct WordingTests {
  func output(_ body: (Console) throws -> Void) rethrows -> String {
    var text = ""
    let console = Console { text += $0 }
    try body(console)
    return text
  }

  @Test("one epoch on one row is singular; more are plural")
  func learnLines() {
    let one = output { console in
      let reporter = ProgressReporter(console: console, interval: 1)
      reporter.observe(.layerStarted(layer: 1, epochs: 1, inputs: 784, outputs: 10, rows: 1, batch: nil))
      reporter.observe(.layerFinished(layer: 1, epochs: 1, loss: 0.5, seconds: 0.25))
    }
    #expect(one.contains(" Layer 1 : 784 -> 10, 1 epoch on 1 row\n"), "\(one)")
    #expect(one.contains("layer 1: 1 epoch, final loss 0.5000 in"), "\(one)")
    let many = output { console in
      let reporter = ProgressReporter(console: console, interval: 1)
      reporter.observe(.layerStarted(layer: 1, epochs: 2, inputs: 784, outputs: 10, rows: 20, batch: nil))
      reporter.observe(.layerFinished(layer: 1, epochs: 2, loss: 0.5, seconds: 0.25))
    }
    #expect(many.contains(" Layer 1 : 784 -> 10, 2 epochs on 20 rows\n"), "\(many)")
    #expect(many.contains("layer 1: 2 epochs, final loss"), "\(many)")
  }

  @Test("a one-layer model is '1 layer'")
  func buildLine() throws {
    let (notebook, _) = Notebook.parse(text: "%% code\nbuild [784, 10] epochs=1\n", path: "b.ffnb")
    let text = try output { console in
      let runner = try NotebookRunner(notebook: notebook, session: Session(), console: console)
      #expect(runner.runAll() == nil)
    }
    #expect(text.contains("---- FF 784-10: 1 layer, 7,850 parameters;"), "\(text)")
    #expect(!text.contains("1 layers"))
  }
}
