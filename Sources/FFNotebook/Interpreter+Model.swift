import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

// Handlers of the model commands: `build`, `learn`, `predict`, `save model`, `load model`.
extension Interpreter {
  /// `build dims=[784, 1000, 500, 200] epochs=350 lr=0.15 threshold=2`: a new model, its
  /// weights drawn from the statement's own "init" stream. Says so when it throws away a
  /// model that had been trained.
  func build(_ a: BuildArguments, context: StatementContext) throws(CommandError) -> CommandResult {
    let s = session
    let hyper = LayerHyperparameters(epochs: a.epochs, lr: Float(a.lr), threshold: Float(a.threshold), eps: Float(a.eps))
    guard hyper.epochs >= 1 && hyper.epochs <= LayerHyperparameters.maximumEpochs else {
      throw CommandError("epochs must be between 1 and \(LayerHyperparameters.maximumEpochs), got \(hyper.epochs)")
    }
    guard hyper.lr.isFinite, hyper.lr > 0 else { throw CommandError("lr must be a positive number that fits in float32, got \(a.lr)") }
    guard hyper.threshold.isFinite else { throw CommandError("threshold must be a number that fits in float32, got \(a.threshold)") }
    guard hyper.eps.isFinite, hyper.eps >= 0 else { throw CommandError("eps must be a non-negative number, got \(a.eps)") }
    let m: FFModel
    do {
      var g = s.generator(context.stream("init"))
      m = try FFModel(dims: a.dims, hyper: hyper, generator: &g)
    } catch {
      throw CommandError(error.description)
    }
    var outputs: [Output] = [
      .line("---- FF \(a.dims.map(String.init).joined(separator: "-")): \(Plural.count(m.layers.count, "layer")), \(Format.parameters(m.parameterCount)); "
        + "epochs \(hyper.epochs), lr \(Format.value(hyper.lr)), threshold \(Format.value(hyper.threshold)), eps \(Format.value(hyper.eps)) ----")
    ]
    if let old = s.model, old.layers.contains(where: { $0.adamSteps > 0 }) {
      let trained = old.layers.enumerated().map { "layer \($0.offset + 1): \($0.element.adamSteps)" }.joined(separator: ", ")
      outputs.append(.line("note: this replaces the model \(old.dims.map(String.init).joined(separator: "-")) that had been trained (epochs per layer: \(trained)); `save model PATH` before a build keeps one"))
    }
    s.model = m
    s.hyper = hyper
    s.linkedHyperparameters = a.links.filter { s.environment[$0.value] != nil }
    s.trainingPairs = nil
    s.evaluations = [:]
    return CommandResult(outputs)
  }

  /// `learn`: greedy training of all layers (or one), continuing from the current state.
  func learn(_ a: LearnArguments, statement: Statement) throws(CommandError) -> CommandResult {
    let s = session
    let dataRange = Self.argumentRange(statement, named: "data")
    guard let model = s.model else { throw CommandError("no model yet; run a `build` cell first (e.g. `build dims=[784, 1000, 500, 200]`)") }
    let data = try s.loaded(a.data, range: dataRange)
    guard data.batch.isFlat else {
      throw CommandError("the '\(a.data)' images are not flattened; add `flatten` to the transform and re-run the load")
    }
    guard data.batch.features.cols == model.layers[0].inputs else {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(a.data)' has \(Plural.count(data.batch.features.cols, "feature")) per image")
    }
    if let layer = a.layer, layer < 1 || layer > model.layers.count {
      throw CommandError("layer \(layer) does not exist; the model has layers 1...\(model.layers.count)")
    }
    if let epochs = a.epochs, epochs < 1 || epochs > LayerHyperparameters.maximumEpochs {
      throw CommandError("epochs must be between 1 and \(LayerHyperparameters.maximumEpochs), got \(epochs)")
    }
    let pending = try s.pendingHyperparameters()
    for note in pending.notes { console.present(.line(note)) }
    s.apply(pending.hyper)
    if !pending.changes.isEmpty { console.present(.line("hyperparameters changed: " + pending.changes.joined(separator: ", "))) }
    let mode: NegativeMode = a.negatives == .wrong ? .wrong : .random
    let pairs = s.trainingPairs(for: data, mode: mode)
    let total = a.epochs ?? s.hyper.epochs
    let interval = a.every ?? Self.defaultProgressInterval(epochs: total)
    let live = console
    let control = TrainingControl(
      observer: { event in
        if case .layerFinished(let layer, let epochs, _, let seconds) = event, epochs > 0 {
          s.secondsPerEpoch[layer] = seconds / Double(epochs)
        }
        live.present(.training(event, every: interval))
      },
      shouldStop: s.shouldStop)
    let outcome: TrainingOutcome
    do throws(FFRuntimeError) {
      outcome = try model.learn(positive: pairs.positive, negative: pairs.negative, only: a.layer.map { $0...$0 },
                                epochs: a.epochs, control: control)
    } catch {
      s.evaluations = [:]
      throw CommandError(error.description)
    }
    s.evaluations = [:]
    return CommandResult(training: TrainingResult(outcome: outcome, recorded: Self.recorded(a, outcome: outcome, epochs: total)))
  }

  /// The statements that train exactly what a `learn` trained: its own text when it
  /// completed; for one stopped by Ctrl-C, one `learn layer=K epochs=E` per layer it trained.
  static func recorded(_ a: LearnArguments, outcome: TrainingOutcome, epochs: Int) -> [String]? {
    guard case .interrupted(let stoppedLayer, let epochDone) = outcome else { return nil }
    var extra = ""
    if a.negatives != .random { extra += " negatives=\(a.negatives.rawValue)" }
    if a.data != "train" { extra += " data=\(a.data)" }
    if let every = a.every { extra += " every=\(every)" }
    let first = a.layer ?? 1
    var lines: [String] = []
    for layer in first..<stoppedLayer { lines.append("learn layer=\(layer) epochs=\(epochs)\(extra)") }
    if epochDone > 0 { lines.append("learn layer=\(stoppedLayer) epochs=\(epochDone)\(extra)") }
    return ["# `learn` was stopped by Ctrl-C in layer \(stoppedLayer) after epoch \(epochDone); what it trained:"] + lines
  }

  /// `predict test`: accuracy of the current model on a loaded batch, in the seed's wording.
  func predict(_ a: PredictArguments, statement: Statement) throws(CommandError) -> CommandResult {
    let s = session
    guard let model = s.model else { throw CommandError("no model yet; run `build` and `learn` first") }
    guard !a.skipFirst || model.layers.count > 1 else { throw CommandError("skip_first=true leaves out layer 1, and this model has only 1 layer: no goodness would be left to compare, and every image would be predicted as 0 (build at least 2 layers, or predict without skip_first)", at: Self.argumentRange(statement, named: "skip_first")) }
    let data = try s.loaded(a.data, range: Self.argumentRange(statement, named: "data", position: 0))
    guard data.batch.features.cols == model.layers[0].inputs else {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(a.data)' has \(Plural.count(data.batch.features.cols, "feature")) per image")
    }
    let predictions: [Int]
    do throws(FFRuntimeError) {
      predictions = try model.predict(data.batch.features, skipFirstLayer: a.skipFirst, shouldStop: s.shouldStop)
    } catch .interrupted {
      throw CommandError.interrupted("predict interrupted (Ctrl-C); no accuracy was recorded")
    } catch {
      throw CommandError(error.description)
    }
    let evaluation = Evaluation(predictions: predictions, labels: data.batch.labels)
    s.evaluations[a.data] = evaluation
    var outputs: [Output] = [.line("\(a.data) accuracy: \(String(format: "%.2f", evaluation.accuracy)) %")]
    if a.confusion { outputs.append(try confusion(a.data)) }
    return CommandResult(outputs)
  }

  /// `save model "m.ffm"`: the model with its optimizer state, written atomically.
  func saveModel(to path: String) throws(CommandError) -> CommandResult {
    let s = session
    guard let model = s.model else { throw CommandError("no model to save; run `build` first") }
    let url = try s.outputURL(for: path, what: "model")
    do {
      try Checkpoint.save(model, to: url.path)
    } catch {
      throw CommandError(error.description)
    }
    return CommandResult([.line("saved model \(model.dims.map(String.init).joined(separator: "-")) to \(s.display(url))")])
  }

  /// `load model "m.ffm"`: replaces the current model, ready to predict or resume training.
  func loadModel(from path: String) throws(CommandError) -> CommandResult {
    let s = session
    let url = s.resolve(path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CommandError("cannot load a model from \(s.display(url)): it is a directory")
    }
    let m: FFModel
    do {
      m = try Checkpoint.load(from: url.path)
    } catch {
      throw CommandError(error.description)
    }
    s.model = m
    s.hyper = m.layers[0].hyper
    s.linkedHyperparameters = [:]
    s.trainingPairs = nil
    s.evaluations = [:]
    let steps = m.layers.map { String($0.adamSteps) }.joined(separator: "/")
    return CommandResult([.line("loaded model \(m.dims.map(String.init).joined(separator: "-")) from \(s.display(url)) (\(Format.parameters(m.parameterCount)), Adam steps per layer \(steps))")])
  }

  /// About ten progress lines per layer, at round epoch numbers.
  static func defaultProgressInterval(epochs: Int) -> Int {
    let target = max(1, epochs / 10)
    for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where step >= target { return step }
    return target
  }

  /// Where an argument was written: by name, or at a positional index; nil if not written.
  static func argumentRange(_ statement: Statement, named name: String, position: Int? = nil) -> SourceRange? {
    guard case .command(_, let arguments) = statement.kind else { return nil }
    if let labelled = arguments.first(where: { $0.label?.name == name }) { return labelled.value.range }
    guard let position else { return nil }
    let positionals = arguments.filter { $0.label == nil }
    return positionals[safe: position]?.value.range
  }
}

/// The hyperparameters the next `learn` uses, and how they differ from the model's.
struct PendingHyperparameters {
  var hyper: LayerHyperparameters
  /// `lr 0.05 -> 0.02 (variable lr)`.
  var changes: [String]
  /// Things the user should know (a dims variable that no longer matches the model).
  var notes: [String]
}

extension Session {
  /// What `learn` would train with now: the model's hyperparameters with the variables they
  /// follow re-read. Fails, changing nothing, when a followed variable holds a bad value.
  func pendingHyperparameters() throws(CommandError) -> PendingHyperparameters {
    var result = PendingHyperparameters(hyper: hyper, changes: [], notes: [])
    guard let model else { return result }
    for (key, variable) in linkedHyperparameters.sorted(by: { $0.key < $1.key }) {
      guard let value = environment.variables[variable] else { continue }
      switch key {
      case "dims":
        // Sizes cannot change under a trained model: say so rather than ignore the change.
        if value.listValue?.compactMap(\.intValue) != model.dims {
          result.notes.append("note: \(variable) is now \(value) but the model was built with \(model.dims); run `build` to use it")
        }
      case "epochs":
        guard case .int(let e) = value else {
          throw CommandError("epochs follows the variable \(variable), which is now \(value.summary); it must be an int >= 1")
        }
        guard e >= 1 && e <= LayerHyperparameters.maximumEpochs else {
          throw CommandError("epochs follows the variable \(variable), which is now \(e); it must be between 1 and \(LayerHyperparameters.maximumEpochs)")
        }
        if e != result.hyper.epochs { result.changes.append("epochs \(result.hyper.epochs) -> \(e) (variable \(variable))") }
        result.hyper.epochs = e
      default:
        guard let x = value.doubleValue else {
          throw CommandError("\(key) follows the variable \(variable), which is now \(value.summary); it must be a number")
        }
        let new = Float(x)
        let old = key == "lr" ? result.hyper.lr : result.hyper.threshold
        if new != old { result.changes.append("\(key) \(Format.value(old)) -> \(Format.value(new)) (variable \(variable))") }
        if key == "lr" { result.hyper.lr = new } else { result.hyper.threshold = new }
      }
    }
    guard result.hyper.lr.isFinite, result.hyper.lr > 0 else {
      throw CommandError("lr must be a positive number that fits in float32, got \(result.hyper.lr); the model keeps lr \(Format.value(hyper.lr))")
    }
    guard result.hyper.threshold.isFinite else {
      throw CommandError("threshold must be a number that fits in float32, got \(result.hyper.threshold); the model keeps threshold \(Format.value(hyper.threshold))")
    }
    return result
  }

  /// Gives every layer these hyperparameters.
  func apply(_ new: LayerHyperparameters) {
    hyper = new
    for layer in model?.layers ?? [] {
      layer.hyper.lr = new.lr
      layer.hyper.threshold = new.threshold
      layer.hyper.epochs = new.epochs
    }
  }

  /// Positive data (true label written in) and negative data (a drawn label written in), as
  /// the seed's main cell makes them; cached for the current model and data. The negative
  /// labels come from a stream keyed by the data set and the mode, so whoever makes the
  /// pairs first (a cell or a typed line), they are the same.
  func trainingPairs(for data: LoadedData, mode: NegativeMode) -> TrainingPairs {
    if let p = trainingPairs, p.dataName == data.name, p.mode == mode { return p }
    let x = data.batch.features
    let value = Elementwise.maximum(UnsafeBufferPointer(x.elements))
    let positive = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: data.batch.labels, value: value, into: positive)
    var g = generator("negatives/\(data.name)/\(mode.rawValue)")
    let labels = NegativeLabels.draw(for: data.batch.labels, mode: mode, generator: &g)
    let negative = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: labels, value: value, into: negative)
    let pairs = TrainingPairs(dataName: data.name, mode: mode, positive: positive, negative: negative)
    trainingPairs = pairs
    return pairs
  }
}
