import FFData
import FFLanguage
import FFRuntime
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// Hinton's recipe at the notebook level, in process on the tiny data: the refusals of
/// `build`, `learn`, `predict` and `load` point at the argument and leave the session usable;
/// `recipe=hinton` trains all layers together, measures a validation split carved from the
/// training load, plots it, and replays (or records, after Ctrl-C) to the same numbers.
@Suite("Hinton's recipe in a notebook")
struct RecipeNotebookTests {
  static var root: String { TinyData.root.path }

  /// 50 training images, the last 10 held out as `validation`; a three-layer Hinton model.
  static var hintonNotebook: String {
    """
    %% code data
    seed 0
    transform to-tensor | flatten
    load mnist train batch=50 validation=10 root="\(root)"
    load mnist test batch=20 root="\(root)"

    %% code model
    build [784, 20, 20, 20] recipe=hinton epochs=3

    %% code learn
    learn batch=10 eval=validation eval_every=1

    %% code evaluate
    plot errors
    predict test by=softmax
    predict test layers=true
    predict test
    """
  }

  // MARK: Refusals that point at the argument

  /// A statement that must fail: the model it runs against, the line, the argument whose value
  /// the caret must underline (`batch=0`), and what the message must say.
  struct Refusal: CustomTestStringConvertible, Sendable {
    var recipe: String
    var line: String
    var argument: String
    var message: String
    var testDescription: String { "\(line) (recipe \(recipe))" }

    /// The 1-based column of the argument's value in the line, and the value's length.
    var expectedCaret: (column: Int, length: Int)? {
      guard let range = line.range(of: argument), let equals = argument.firstIndex(of: "=") else { return nil }
      let value = argument[argument.index(after: equals)...]
      return (line.distance(from: line.startIndex, to: range.lowerBound) + argument.distance(from: argument.startIndex, to: equals) + 2,
              value.count)
    }
  }

  static let refusals: [Refusal] = [
    Refusal(recipe: "seed", line: "learn batch=0", argument: "batch=0", message: "'batch' must be at least 1, got 0"),
    Refusal(recipe: "seed", line: "learn batch=41", argument: "batch=41", message: "batch=41 is larger than the 40 examples of 'train'"),
    Refusal(recipe: "hinton", line: "learn batch=41 epochs=1", argument: "batch=41",
            message: "batch=41 is larger than the 40 examples of 'train'"),
    Refusal(recipe: "seed", line: "learn negatives=hard", argument: "negatives=hard",
            message: "negatives=hard draws negatives from the softmax head's belief, and this model has no head; build with head=[2, 3] (or recipe=hinton), or use negatives=wrong"),
    Refusal(recipe: "hinton", line: "learn negatives=hard schedule=greedy", argument: "negatives=hard",
            message: "negatives=hard needs schedule=together: the head that picks them learns alongside every layer"),
    Refusal(recipe: "seed", line: "learn schedule=together layer=2", argument: "layer=2",
            message: "layer= trains one layer; schedule=together trains them all on every mini-batch (drop one of the two)"),
    Refusal(recipe: "hinton", line: "learn layer=1", argument: "layer=1",
            message: "layer= trains one layer, and recipe=hinton trains them all together on every mini-batch; add schedule=greedy negatives=wrong to train one layer"),
    Refusal(recipe: "hinton", line: "learn schedule=greedy", argument: "schedule=greedy",
            message: "recipe=hinton's hard negatives need schedule=together: the head that picks them learns alongside every layer; add negatives=wrong (or random) to train greedily"),
    Refusal(recipe: "seed", line: "learn eval=validation", argument: "eval=validation",
            message: "eval= measures the whole model as it trains, and with schedule=greedy later layers wait untrained for their turn"),
    Refusal(recipe: "hinton", line: "learn schedule=greedy negatives=wrong eval=validation", argument: "eval=validation",
            message: "eval= measures the whole model as it trains, and with schedule=greedy later layers wait untrained for their turn"),
    Refusal(recipe: "hinton", line: "learn eval=valdation", argument: "eval=valdation",
            message: "no data called 'valdation'; loaded: train, validation"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] head=[5]", argument: "head=[5]",
            message: "the head reads layer 5, but the model has layers 1...3"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] head=[3,2]", argument: "head=[3,2]",
            message: "entries of 'head' must increase, each listed once: got [3, 2]"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] head=[2,2]", argument: "head=[2,2]",
            message: "entries of 'head' must increase, each listed once: got [2, 2] (one is listed twice)"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] recipe=hinton momentum=1", argument: "momentum=1",
            message: "'momentum' must be below 1.0, got 1.0"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] recipe=hinton peer_momentum=2", argument: "peer_momentum=2",
            message: "'peer_momentum' must be below 1.0, got 2.0"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] recipe=hinton momentum=0.99999999", argument: "momentum=0.99999999",
            message: "'momentum' must be below 1.0, got 0.99999999 (1.0 in float32)"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] recipe=hinton head_lr=1e39", argument: "head_lr=1e39",
            message: "'head_lr' must fit in float32 (at most about 3.4e38 in size), got 1e+39"),
    Refusal(recipe: "seed", line: "build [784, 20, 20, 20] recipe=hinton eps=1e-300", argument: "eps=1e-300",
            message: "'eps' is too close to 0 for float32 (it would become 0; the smallest non-zero size is about 1.4e-45), got 1e-300"),
    Refusal(recipe: "seed", line: "predict train by=softmax", argument: "by=softmax",
            message: "this model has no softmax head; build with head=[2, 3] (or recipe=hinton), or predict by=goodness"),
    Refusal(recipe: "seed", line: "load mnist train batch=40 validation=40 root=\"\(root)\"", argument: "validation=40",
            message: "validation=40 would leave nothing to train on: the load has 40 examples"),
    Refusal(recipe: "seed", line: "load mnist train batch=40 validation=41 root=\"\(root)\"", argument: "validation=41",
            message: "validation=41 would leave nothing to train on: the load has 40 examples"),
    Refusal(recipe: "seed", line: "load mnist train validation=5 as=validation root=\"\(root)\"", argument: "validation=5",
            message: "`validation=` names the held-out part 'validation'; give the rest another name with as="),
  ]

  /// A session with 40 training images, 10 validation images, and a fresh three-layer model.
  func session(recipe: String) throws -> (NotebookRunner, Captured) {
    let (runner, out) = try tinyRunner()
    for line in [
      "seed 0", "transform to-tensor | flatten", "load mnist train batch=50 validation=10 root=\"\(Self.root)\"",
      "build [784, 20, 20, 20] epochs=1 recipe=\(recipe)",
    ] {
      let report = runner.runTyped(line)
      #expect(report.error == nil, "\(line): \(String(describing: report.error))")
    }
    return (runner, out)
  }

  @Test("every recipe part the runtime can refuse is a build argument of that name (so the error points at it)")
  func recipePartsAreBuildArguments() {
    let names = Set(CommandName.build.spec.parameterNames)
    for part in ModelRecipe.Part.allCases { #expect(names.contains(part.rawValue), "build has no argument \(part.rawValue)") }
  }

  @Test("a refused argument is an error at its value, and the session goes on", arguments: refusals)
  func refusal(_ refusal: Refusal) throws {
    let (runner, out) = try session(recipe: refusal.recipe)
    let model = try #require(runner.session.model)
    let datasets = runner.session.datasetOrder
    let report = runner.runTyped(refusal.line)
    let error = try #require(report.error, "\(refusal.line) must fail")
    #expect(error.message.contains(refusal.message), "\(error.message)")
    let caret = try #require(refusal.expectedCaret)
    #expect(error.location.line == 1)
    #expect(error.location.column == caret.column, "\(error.location) in '\(refusal.line)'")
    #expect(error.length == caret.length, "\(error.length)")
    #expect(!report.isInterrupted)
    #expect(!out.text.contains("Loss:"), "nothing trained")
    // Nothing changed, and a later statement still runs.
    #expect(runner.session.model === model, "the model is kept")
    #expect(runner.session.datasetOrder == datasets)
    #expect(runner.session.datasets["train"]?.count == 40 && runner.session.datasets["validation"]?.count == 10)
    let later = runner.runTyped("predict train")
    #expect(later.error == nil, "\(String(describing: later.error))")
    #expect(out.accuracies.count == 1)
  }

  @Test("in a notebook the refusal names file, line and column and shows the caret under the argument")
  func refusalInANotebook() throws {
    let (runner, out) = try tinyRunner("""
      %% code
      seed 0
      transform to-tensor | flatten
      load mnist train batch=40 root="\(Self.root)"
      build [784, 20, 20]
      predict train by=softmax
      """)
    #expect(runner.runAll() == 1)
    #expect(out.text.contains("tiny.ffnb:6:18: error: this model has no softmax head;"), "\(out.text)")
    #expect(out.text.contains("6 | predict train by=softmax\n"), "\(out.text)")
    #expect(out.text.contains(" |                  ^~~~~~~\n"), "\(out.text)")
    #expect(!out.text.contains("accuracy"))
  }

  // MARK: Hinton's recipe end to end

  @Test("recipe=hinton: the build names the recipe, learn trains all layers together and measures validation")
  func hintonRun() throws {
    let (runner, out) = try tinyRunner(Self.hintonNotebook)
    #expect(runner.runAll() == nil, "\(out.text)")
    let text = out.text
    #expect(text.contains(
      "---- FF 784-20-20-20: 3 layers, 16,940 parameters; epochs 3, lr 0.01, threshold 2, eps 1e-30; recipe hinton: rms norm, "
        + "sum goodness (T 1), scaled init, onehot labels (1), smoothed (momentum 0.9, decay 0.001), peer 0.03, "
        + "head from layers 2, 3 (lr 0.1, decay 0.003) ----"), "\(text)")
    #expect(text.contains(" All 3 layers together: 3 epochs on 40 pairs, mini-batches of 10, hard negatives\n"), "\(text)")
    #expect(!text.contains(" Layer 1 :"), "not greedy")
    for epoch in 1...3 {
      let lines = text.split(separator: "\n").filter { $0.hasPrefix("epoch \(epoch): validation error ") }
      #expect(lines.count == 1, "epoch \(epoch): \(lines)")
      #expect(lines.first?.contains("% by goodness, ") == true && lines.first?.hasSuffix("% by softmax") == true, "\(lines)")
    }
    #expect(runner.session.errorHistory.map(\.epoch) == [1, 2, 3])
    #expect(runner.session.errorHistory.allSatisfy { $0.data == "validation" && $0.softmax != nil })
    #expect(text.contains("error % per epoch\n"), "plot errors drew a chart")
    #expect(text.contains("test accuracy: ") && text.contains(" % (softmax head)\n"), "\(text)")
    #expect(text.contains("  by each layer's goodness alone: layer 1 "), "\(text)")
    #expect(text.contains("%, layer 3 ") , "\(text)")
    #expect(text.contains(" % (goodness of layers 2 and up)\n"), "hinton leaves layer 1 out by default: \(text)")
    let steps = try #require(runner.session.model).layers.map(\.adamSteps)
    #expect(steps == [12, 12, 12], "3 epochs of 4 mini-batches, every layer on every one")
  }

  @Test("plot errors fails clearly before any eval, and again after a new build; with to= it writes an SVG")
  func plotErrors() throws {
    let (runner, out) = try tinyRunner(Self.hintonNotebook)
    runner.runCell(1)
    runner.runCell(2)
    let early = runner.runTyped("plot errors")
    #expect(early.error?.message == "nothing to plot yet: no error was measured; run `learn ... eval=validation` (with schedule=together) first")
    #expect(runner.runTyped("learn batch=10 epochs=1").error == nil, "learn without eval= measures nothing")
    #expect(runner.runTyped("plot errors").error != nil)
    #expect(runner.runTyped("learn batch=10 epochs=2 eval=validation").error == nil)
    #expect(runner.session.errorHistory.map(\.epoch) == [2, 3], "epochs count from the build, across learns")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-errors-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let svg = folder.appendingPathComponent("errors.svg")
    let plotted = runner.runTyped("plot errors to=\"\(svg.path)\"")
    #expect(plotted.error == nil, "\(String(describing: plotted.error))")
    let written = try String(contentsOf: svg, encoding: .utf8)
    #expect(written.contains("<svg") && written.contains("validation by goodness") && written.contains("validation by softmax"))
    #expect(out.text.contains("wrote error plot to "))
    runner.runCell(2)
    #expect(runner.session.errorHistory.isEmpty, "a new build starts a new history")
    #expect(runner.runTyped("plot errors").error != nil)
  }

  @Test("the same notebook run twice prints the same numbers")
  func deterministic() throws {
    let (a, outA) = try tinyRunner(Self.hintonNotebook)
    let (b, outB) = try tinyRunner(Self.hintonNotebook)
    #expect(a.runAll() == nil && b.runAll() == nil)
    #expect(maskTimings(outA.text) == maskTimings(outB.text))
    #expect(a.session.errorHistory == b.session.errorHistory)
    #expect(outA.text.contains("epoch 3: validation error"))
    let wa = try #require(a.session.model).layers.map(\.weights.array)
    let wb = try #require(b.session.model).layers.map(\.weights.array)
    #expect(wa == wb)
  }

  @Test("validation= holds out the last N of the load as a view of the same images")
  func validationSplit() throws {
    let (runner, out) = try tinyRunner()
    #expect(runner.runTyped("transform to-tensor | flatten").error == nil)
    #expect(runner.runTyped("load mnist train batch=50 shuffle=false validation=10 root=\"\(Self.root)\"").error == nil)
    #expect(out.text.contains("train: MNIST train, first batch of 50 of 60 (in file order), 784 features; "
      + "the last 10 held out as 'validation', 40 kept as 'train' ["), "\(out.text)")
    let train = try #require(runner.session.datasets["train"]), validation = try #require(runner.session.datasets["validation"])
    #expect(train.count + validation.count == 50)
    #expect(train.count == 40 && validation.count == 10)
    #expect(train.batch.indices == Array(0..<40) && validation.batch.indices == Array(40..<50))
    #expect(validation.batch.labels == Array(train.batch.labels.prefix(10)), "the tiny labels cycle 0...9")
    // One buffer: validation's rows follow train's in the load's storage.
    #expect(validation.batch.features.base == train.batch.features.base + 40 * 784)
    #expect(runner.session.datasetOrder == ["train", "validation"])
    // The whole set: validation= counts from its end.
    #expect(runner.runTyped("load mnist train shuffle=false validation=15 as=all root=\"\(Self.root)\"").error == nil)
    #expect(runner.session.datasets["all"]?.count == 45 && runner.session.datasets["validation"]?.count == 15)
    #expect(runner.session.datasets["validation"]?.batch.indices == Array(45..<60))
  }

  @Test("defaults follow the recipe: hinton's learn takes mini-batches of up to 100, together, with hard negatives")
  func recipeDefaults() throws {
    let (runner, out) = try tinyRunner()
    for line in [
      "seed 0", "transform to-tensor | flatten", "load mnist train batch=40 root=\"\(Self.root)\"",
      "build [784, 20, 20] recipe=hinton epochs=2", "learn",
    ] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    #expect(out.text.contains(" All 2 layers together: 2 epochs on 40 pairs, mini-batches of 40, hard negatives\n"), "\(out.text)")
    // The seed's recipe keeps its greedy full-batch learn and goodness over every layer.
    out.text = ""
    for line in ["build [784, 20, 20] epochs=2", "learn", "predict train"] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    #expect(out.text.contains(" Layer 1 : 784 -> 20, 2 epochs on 80 rows\n"), "\(out.text)")
    #expect(!out.text.contains("together") && !out.text.contains("recipe"))
    #expect(out.text.contains("train accuracy: ") && !out.text.contains("(goodness of layers 2 and up)"))
  }

  @Test("build, learn and predict say which arguments they were given that have no effect")
  func partsWithoutEffect() throws {
    let (runner, out) = try tinyRunner()
    let line = "build [784, 20, 20] recipe=seed temperature=0.5 label_strength=3 momentum=0.5 decay=0.1 peer_momentum=0.5 head_lr=5 head_decay=1"
    #expect(runner.runTyped(line).error == nil)
    #expect(out.text.contains("note: written, but without effect in this recipe: temperature (goodness is mean), label_strength (labels are max), "
      + "momentum (the optimizer is adam, and there is no head), decay (the optimizer is adam), peer_momentum (peer is 0), "
      + "head_lr (there is no head), head_decay (there is no head)"), "\(out.text)")
    let before = out.text.count
    #expect(runner.runTyped("build [784, 20, 20] recipe=hinton temperature=0.5 momentum=0.5 head_lr=0.2").error == nil)
    #expect(!out.text.dropFirst(before).contains("without effect"), "Hinton's recipe reads them all")
    for line in ["seed 0", "transform to-tensor | flatten", "load mnist train batch=40 root=\"\(Self.root)\"", "learn epochs=1 eval_every=1",
                 "predict train by=softmax skip_first=true"] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    #expect(out.text.contains("note: eval_every= says how often to measure eval=, and this learn has no eval="))
    #expect(out.text.contains("note: skip_first= concerns the goodness sum; by=softmax reads the head alone"))
  }

  @Test("a greedy learn on a model with a head says the head stays as it is, and so does a prediction by it")
  func greedyWithHead() throws {
    let (runner, out) = try tinyRunner()
    for line in [
      "seed 0", "transform to-tensor | flatten", "load mnist train batch=40 root=\"\(Self.root)\"",
      "build [784, 20, 20] head=[2] epochs=1", "learn",
    ] {
      #expect(runner.runTyped(line).error == nil, "\(line)")
    }
    #expect(out.text.contains("note: the softmax head learns only with schedule=together; after this greedy learn it is unchanged"))
    #expect(runner.runTyped("predict train by=softmax").error == nil)
    #expect(out.text.contains("note: the softmax head has taken no step (it learns only with schedule=together): these are the predictions of its zero weights"))
  }

  // MARK: Ctrl-C at a mini-batch boundary

  @Test("Ctrl-C between mini-batches keeps what trained, reports the cell interrupted, and records whole epochs")
  func interruptTogether() throws {
    let (runner, out) = try tinyRunner(Self.hintonNotebook)
    runner.runCell(1)
    runner.runCell(2)
    // 4 mini-batches an epoch: polled after the first three and at the end of the epoch. The
    // sixth poll is after the second mini-batch of epoch 2.
    var polls = 0
    runner.session.shouldStop = { polls += 1; return polls >= 6 }
    #expect(runner.runCell(3) == .interrupted)
    runner.session.shouldStop = { false }
    #expect(polls == 6)
    #expect(out.text.contains("interrupted: epoch 2 stopped after 2/4 mini-batches; weights, optimizer state, peer means and head kept (run `learn` to continue)"), "\(out.text)")
    let model = try #require(runner.session.model)
    #expect(model.layers.map(\.adamSteps) == [6, 6, 6], "one epoch and two mini-batches were kept")
    #expect(model.layers.map(\.lossHistory.count) == [1, 1, 1])
    #expect(runner.session.errorHistory.map(\.epoch) == [1])
    #expect(runner.records[2].status == .interrupted)

    // What the session saw, the record must replay: the plot of the errors measured so far too.
    #expect(runner.runTyped("plot errors").error == nil)
    runner.runCell(4)
    let record = runner.log.notebook(path: "record.ffnb")
    let learn = try #require(record.cells.first { $0.name == "learn" })
    #expect(learn.source == """
      # `learn` was stopped by Ctrl-C after 1 of 3 epochs and 2 mini-batches of the next; the record below trains the whole epochs (its lr schedule spans them alone)
      learn epochs=1 batch=10 eval=validation eval_every=1
      """, "\(learn.source)")
    let (notebook, diagnostics) = Notebook.parse(text: record.serialized(), path: "record.ffnb")
    #expect(diagnostics.isEmpty && Checker.check(notebook).filter(\.isError).isEmpty)
    let (again, replayed) = try tinyRunner(record.serialized())
    #expect(again.runAll() == nil, "\(replayed.text)")
    #expect(try #require(again.session.model).layers.map(\.adamSteps) == [4, 4, 4], "the whole epoch, not the two extra mini-batches")
    #expect(again.session.errorHistory.map(\.epoch) == [1])
  }

  @Test("an interrupted learn's record: whole epochs, written options kept, nothing when no epoch completed")
  func recordedLines() {
    let a = LearnArguments(layer: nil, epochs: 5, negatives: .hard, data: "train", every: nil, batch: 20, schedule: .together,
                           lrSchedule: .linear, eval: "validation", evalEvery: 2)
    let two = Interpreter.recorded(a, outcome: .interruptedTogether(epochs: 2, batches: 3), epochs: 5)
    #expect(two == [
      "# `learn` was stopped by Ctrl-C after 2 of 5 epochs and 3 mini-batches of the next; the record below trains the whole epochs (its lr schedule spans them alone)",
      "learn epochs=2 negatives=hard batch=20 schedule=together lr_schedule=linear eval=validation eval_every=2",
    ])
    let none = Interpreter.recorded(a, outcome: .interruptedTogether(epochs: 0, batches: 1), epochs: 5)
    #expect(none?.count == 1 && none?.first?.hasPrefix("# `learn` was stopped by Ctrl-C after 0 of 5 epochs and 1 mini-batch of the next;") == true)
    #expect(Interpreter.recorded(a, outcome: .completed, epochs: 5) == nil)
  }
}
