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
  func build(_ a: BuildArguments, statement: Statement, context: StatementContext) throws(CommandError) -> CommandResult {
    let s = session
    let eps = a.eps ?? (a.recipe == .hinton ? 1e-30 : 1e-4)
    let hyper = LayerHyperparameters(epochs: a.epochs, lr: Float(a.lr), threshold: Float(a.threshold), eps: Float(eps))
    guard hyper.epochs >= 1 && hyper.epochs <= LayerHyperparameters.maximumEpochs else {
      throw CommandError("epochs must be between 1 and \(LayerHyperparameters.maximumEpochs), got \(hyper.epochs)")
    }
    guard hyper.lr.isFinite, hyper.lr > 0 else { throw CommandError("lr must be a positive number that fits in float32, got \(a.lr)") }
    guard hyper.threshold.isFinite else { throw CommandError("threshold must be a number that fits in float32, got \(a.threshold)") }
    guard hyper.eps.isFinite, hyper.eps >= 0 else { throw CommandError("eps must be a non-negative number, got \(eps)") }
    let recipe = Self.recipe(a, layers: a.dims.count - 1)
    let m: FFModel
    do throws(FFRuntimeError) {
      try FFModel.check(recipe, layers: a.dims.count - 1)
    } catch {
      var at: SourceRange?
      if case .invalidRecipe(let part, _) = error { at = Self.argumentRange(statement, named: part.rawValue) }
      throw CommandError(error.description, at: at)
    }
    do {
      var g = s.generator(context.stream("init"))
      m = try FFModel(dims: a.dims, hyper: hyper, recipe: recipe, generator: &g)
    } catch {
      throw CommandError(error.description)
    }
    var header = "---- FF \(a.dims.map(String.init).joined(separator: "-")): \(Plural.count(m.layers.count, "layer")), \(Format.parameters(m.parameterCount)); "
      + "epochs \(hyper.epochs), lr \(Format.value(hyper.lr)), threshold \(Format.value(hyper.threshold)), eps \(Format.value(hyper.eps))"
    if recipe != .seed { header += "; " + Format.recipe(recipe) }
    var outputs: [Output] = [.line(header + " ----")]
    let idle = Self.partsWithoutEffect(a.parts, in: recipe)
    if !idle.isEmpty {
      outputs.append(.line("note: written, but without effect in this recipe: " + idle.joined(separator: ", ")))
    }
    if let old = s.model, old.layers.contains(where: { $0.adamSteps > 0 }) {
      let trained = old.layers.enumerated().map { "layer \($0.offset + 1): \($0.element.adamSteps)" }.joined(separator: ", ")
      outputs.append(.line("note: this replaces the model \(old.dims.map(String.init).joined(separator: "-")) that had been trained (steps per layer: \(trained)); `save model PATH` before a build keeps one"))
    }
    s.model = m
    s.hyper = hyper
    s.errorHistory = []
    s.linkedHyperparameters = a.links.filter { s.environment[$0.value] != nil }
    s.trainingPairs = nil
    s.evaluations = [:]
    return CommandResult(outputs)
  }

  /// The parts a build wrote that the recipe it ends with never reads, each with why
  /// (`temperature (goodness is mean)`): said rather than silently ignored.
  static func partsWithoutEffect(_ p: RecipeParts, in r: ModelRecipe) -> [String] {
    var idle: [String] = []
    if p.temperature != nil, r.goodness == .mean { idle.append("temperature (goodness is mean)") }
    if p.labelStrength != nil, r.labels == .max { idle.append("label_strength (labels are max)") }
    if p.momentum != nil, r.optimizer == .adam, !r.hasHead { idle.append("momentum (the optimizer is adam, and there is no head)") }
    if p.decay != nil, r.optimizer == .adam { idle.append("decay (the optimizer is adam)") }
    if p.peerMomentum != nil, r.peer == 0 { idle.append("peer_momentum (peer is 0)") }
    if p.headLR != nil, !r.hasHead { idle.append("head_lr (there is no head)") }
    if p.headDecay != nil, !r.hasHead { idle.append("head_decay (there is no head)") }
    return idle
  }

  /// The model recipe a build asks for: the named recipe, with each part written out replacing its own.
  static func recipe(_ a: BuildArguments, layers: Int) -> ModelRecipe {
    var r = a.recipe == .hinton ? ModelRecipe.hinton(layers: layers) : ModelRecipe.seed
    let p = a.parts
    if let v = p.normalization { r.normalization = v == .rms ? .rms : .l2 }
    if let v = p.goodness { r.goodness = v == .sum ? .sum : .mean }
    if let v = p.temperature { r.temperature = Float(v) }
    if let v = p.initialization { r.initialization = v == .scaled ? .scaled : .randn }
    if let v = p.labels { r.labels = v == .onehot ? .onehot : .max }
    if let v = p.labelStrength { r.labelStrength = Float(v) }
    if let v = p.optimizer { r.optimizer = v == .smoothed ? .smoothed : .adam }
    if let v = p.momentum { r.momentum = Float(v) }
    if let v = p.decay { r.weightDecay = Float(v) }
    if let v = p.peer { r.peer = Float(v) }
    if let v = p.peerMomentum { r.peerMomentum = Float(v) }
    if let v = p.head { r.headLayers = v }
    if let v = p.headLR { r.headLR = Float(v) }
    if let v = p.headDecay { r.headDecay = Float(v) }
    return r
  }

  /// What a `learn` does once the recipe's defaults fill what it did not write.
  struct LearnPlan {
    var negatives: NegativeMode
    var schedule: LearningSchedule
  }

  /// `learn`'s arguments with the model's recipe filling the gaps, refused (pointing at the
  /// argument) when they cannot work together.
  func plan(_ a: LearnArguments, model: FFModel, data: LoadedData, statement: Statement) throws(CommandError) -> LearnPlan {
    let hinton = model.recipe.name == .hinton
    let (negatives, order) = Self.negativesAndOrder(a, model: model)
    let rate: LearningSchedule.RateSchedule = (a.lrSchedule ?? (hinton ? .linear : .constant)) == .linear ? .linear : .constant
    let batch = a.batch ?? (hinton ? min(100, data.count) : nil)
    if let batch, batch > data.count {
      throw CommandError("batch=\(batch) is larger than the \(Plural.count(data.count, "example")) of '\(a.data)'",
                         at: Self.argumentRange(statement, named: "batch"))
    }
    if negatives == .hard {
      // When the recipe chose hard negatives, the message says so and points at what was written.
      let written = a.negatives != nil
      guard model.head != nil else {
        throw CommandError(written
          ? "negatives=hard draws negatives from the softmax head's belief, and this model has no head; build with \(Self.headHint(model)), or use negatives=wrong"
          : "recipe=hinton draws hard negatives from the softmax head's belief, and this model has no head; build with \(Self.headHint(model)), or add negatives=wrong",
          at: written ? Self.argumentRange(statement, named: "negatives") : nil)
      }
      guard order == .together else {
        throw CommandError(written
          ? "negatives=hard needs schedule=together: the head that picks them learns alongside every layer"
          : "recipe=hinton's hard negatives need schedule=together: the head that picks them learns alongside every layer; add negatives=wrong (or random) to train greedily",
          at: Self.argumentRange(statement, named: written ? "negatives" : "schedule"))
      }
    }
    if order == .together, a.layer != nil {
      throw CommandError(a.schedule != nil
        ? "layer= trains one layer; schedule=together trains them all on every mini-batch (drop one of the two)"
        : "layer= trains one layer, and recipe=hinton trains them all together on every mini-batch; add schedule=greedy negatives=wrong to train one layer",
        at: Self.argumentRange(statement, named: "layer"))
    }
    if a.eval != nil, order == .greedy {
      throw CommandError("eval= measures the whole model as it trains, and with schedule=greedy later layers wait untrained for their turn; use schedule=together, or `predict` after the learn",
                         at: Self.argumentRange(statement, named: "eval"))
    }
    if a.shift > 0 {
      let at = Self.argumentRange(statement, named: "shift")
      guard order == .together else { throw CommandError("shift= augments the mini-batches of schedule=together; add schedule=together", at: at) }
      let side = Int(Double(model.layers[0].inputs).squareRoot())
      guard side * side == model.layers[0].inputs else {
        throw CommandError("shift= moves square images, and the model takes \(Plural.count(model.layers[0].inputs, "input")), not a square number", at: at)
      }
    }
    if a.evalEvery != nil, a.eval == nil {
      console.present(.line("note: eval_every= says how often to measure eval=, and this learn has no eval="))
    }
    if model.head != nil, order == .greedy {
      // Greedy training never trains a head: say so rather than leave it silently at zero.
      console.present(.line("note: the softmax head learns only with schedule=together; after this greedy learn it is unchanged"))
    }
    return LearnPlan(negatives: negatives, schedule: LearningSchedule(batch: batch, order: order, rate: rate, shift: a.shift))
  }

  /// The negatives a `learn` draws and the order it trains in: its own arguments, else the
  /// recipe's (Hinton's: hard negatives, every layer together).
  static func negativesAndOrder(_ a: LearnArguments, model: FFModel) -> (NegativeMode, LearningSchedule.Order) {
    let hinton = model.recipe.name == .hinton
    let negatives: NegativeMode = switch a.negatives ?? (hinton ? .hard : .random) {
    case .random: .random
    case .wrong: .wrong
    case .hard: .hard
    }
    let order: LearningSchedule.Order = (a.schedule ?? (hinton ? .together : .greedy)) == .together ? .together : .greedy
    return (negatives, order)
  }

  /// `learn`: trains the model, continuing from the current state: greedily layer by layer
  /// (the seed's), or every layer on every mini-batch.
  func learn(_ a: LearnArguments, statement: Statement, context: StatementContext) throws(CommandError) -> CommandResult {
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
    let evalData = try a.eval.map { name throws(CommandError) in try s.loaded(name, range: Self.argumentRange(statement, named: "eval")) }
    if let evalData, evalData.batch.features.cols != model.layers[0].inputs {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(evalData.name)' has \(Plural.count(evalData.batch.features.cols, "feature")) per image",
                         at: Self.argumentRange(statement, named: "eval"))
    }
    let plan = try plan(a, model: model, data: data, statement: statement)
    model.precision = choosePrecision(a.precision)
    let pending = try s.pendingHyperparameters()
    for note in pending.notes { console.present(.line(note)) }
    s.apply(pending.hyper)
    if !pending.changes.isEmpty { console.present(.line("hyperparameters changed: " + pending.changes.joined(separator: ", "))) }
    let total = a.epochs ?? s.hyper.epochs
    let interval = a.every ?? Self.defaultProgressInterval(epochs: total)
    let live = console
    let epochsBefore = model.layers.map(\.lossHistory.count).max() ?? 0
    var control = TrainingControl(
      observer: { event in
        if case .layerFinished(let layer, let epochs, _, let seconds) = event, epochs > 0 {
          s.secondsPerEpoch[layer] = seconds / Double(epochs)
        }
        live.present(.training(event, every: interval))
      },
      shouldStop: s.shouldStop)
    if let evalData {
      let every = a.evalEvery ?? interval
      control.epochEnded = { [unowned self] epoch in
        guard epoch % every == 0 || epoch == total else { return }
        do throws(FFRuntimeError) {
          let measured = try self.measureErrors(model, on: evalData, epoch: epochsBefore + epoch)
          s.errorHistory.append(measured)
          live.present(.line(Format.errors(measured)))
        } catch {
          // Training goes on; the measurement is what failed (a stop request, memory).
          live.present(.line("note: epoch \(epochsBefore + epoch): no error measured on '\(evalData.name)': \(error.description)"))
        }
      }
    }
    let outcome: TrainingOutcome
    do throws(FFRuntimeError) {
      switch plan.schedule.order {
      case .greedy:
        let pairs = s.trainingPairs(for: data, mode: plan.negatives, value: Self.labelValue(model, data))
        var shuffle = s.generator(context.stream("shuffle"))
        outcome = try model.learn(positive: pairs.positive, negative: pairs.negative, only: a.layer.map { $0...$0 },
                                  epochs: a.epochs, schedule: plan.schedule, generator: &shuffle, control: control)
      case .together:
        var shuffle = s.generator(context.stream("shuffle"))
        var draws = s.generator(context.stream("negatives"))
        outcome = try model.learnTogether(
          images: data.batch.features, labels: data.batch.labels, epochs: total, schedule: plan.schedule,
          negatives: plan.negatives, overlayValue: Self.labelValue(model, data), shuffle: &shuffle, negativeDraws: &draws,
          control: control)
      }
    } catch {
      s.evaluations = [:]
      throw CommandError(error.description)
    }
    s.evaluations = [:]
    return CommandResult(training: TrainingResult(outcome: outcome, recorded: Self.recorded(a, outcome: outcome, epochs: total)))
  }

  /// The precision a `learn` or `predict` runs in: its own `precision=`, else the session's;
  /// bf16 where it can run, fp32 otherwise. The first use of bf16 in a session says which
  /// kernels run it, or why it falls back.
  func choosePrecision(_ asked: PrecisionChoice?) -> Precision {
    let wanted: Precision = switch asked {
    case .fp32: .fp32
    case .bf16: .bf16
    case nil: session.precision
    }
    guard wanted == .bf16 else { return .fp32 }
    if !session.precisionNoted {
      session.precisionNoted = true
      console.present(.line(Self.precisionNote))
    }
    return wanted.effective
  }

  /// Where bf16 products run, or why they cannot: said once a session.
  static var precisionNote: String {
    BF16.isAvailable ? "note: bf16 products on \(BF16.status)" : "note: \(BF16.fallbackNote)"
  }

  /// The label pixel of a model's training pairs: the batch maximum (the seed's) or the recipe's strength.
  static func labelValue(_ model: FFModel, _ data: LoadedData) -> Float {
    model.recipe.labels == .onehot
      ? model.recipe.labelStrength : Elementwise.maximum(UnsafeBufferPointer(data.batch.features.elements))
  }

  /// The error rates of `model` on `data` by goodness (the recipe's skip_first) and by the head.
  func measureErrors(_ model: FFModel, on data: LoadedData, epoch: Int) throws(FFRuntimeError) -> ErrorMeasurement {
    let skip = model.recipe.name == .hinton && model.layers.count > 1
    let byGoodness = Evaluation(predictions: try model.predict(data.batch.features, skipFirstLayer: skip), labels: data.batch.labels)
    var bySoftmax: Double?
    if model.head != nil {
      let p = try model.headProbabilities(data.batch.features)
      bySoftmax = 100 - Evaluation(predictions: Elementwise.argmaxRows(p), labels: data.batch.labels).accuracy
    }
    return ErrorMeasurement(epoch: epoch, data: data.name, goodness: 100 - byGoodness.accuracy, softmax: bySoftmax)
  }

  /// The statements that train exactly what a `learn` trained: its own text when it
  /// completed; for one stopped by Ctrl-C, the `learn`s that train what it trained.
  static func recorded(_ a: LearnArguments, outcome: TrainingOutcome, epochs: Int) -> [String]? {
    var extra = ""
    if let negatives = a.negatives { extra += " negatives=\(negatives.rawValue)" }
    if a.data != "train" { extra += " data=\(a.data)" }
    if let every = a.every { extra += " every=\(every)" }
    if let batch = a.batch { extra += " batch=\(batch)" }
    if let schedule = a.schedule { extra += " schedule=\(schedule.rawValue)" }
    if let rate = a.lrSchedule { extra += " lr_schedule=\(rate.rawValue)" }
    if a.shift > 0 { extra += " shift=\(a.shift)" }
    if let precision = a.precision { extra += " precision=\(precision.rawValue)" }
    // The errors measured so far are session state (`plot errors` reads them): the record
    // measures them too, or a later `plot errors` it holds would fail on replay.
    if let eval = a.eval { extra += " eval=\(eval)" }
    if let every = a.evalEvery { extra += " eval_every=\(every)" }
    switch outcome {
    case .completed:
      return nil
    case .interrupted(let stoppedLayer, let epochDone):
      let first = a.layer ?? 1
      var lines: [String] = []
      for layer in first..<stoppedLayer { lines.append("learn layer=\(layer) epochs=\(epochs)\(extra)") }
      if epochDone > 0 { lines.append("learn layer=\(stoppedLayer) epochs=\(epochDone)\(extra)") }
      return ["# `learn` was stopped by Ctrl-C in layer \(stoppedLayer) after epoch \(epochDone); what it trained:"] + lines
    case .interruptedTogether(let done, let batches):
      var lines = ["# `learn` was stopped by Ctrl-C after \(done) of \(Plural.count(epochs, "epoch"))"
        + (batches > 0 ? " and \(Plural.count(batches, "mini-batch", plural: "mini-batches")) of the next" : "")
        + "; the record below trains the whole epochs (its lr schedule spans them alone)"]
      if done > 0 { lines.append("learn epochs=\(done)\(extra)") }
      return lines
    }
  }

  /// `predict test`: accuracy of the current model on a loaded batch, in the seed's wording;
  /// by goodness or by the softmax head, and with `layers=true` each layer's own accuracy.
  func predict(_ a: PredictArguments, statement: Statement) throws(CommandError) -> CommandResult {
    let s = session
    guard let model = s.model else { throw CommandError("no model yet; run `build` and `learn` first") }
    let skipFirst = a.skipFirst ?? (model.recipe.name == .hinton && model.layers.count > 1)
    // skip_first concerns the goodness sum only (by=softmax notes it as without effect, below).
    guard a.by == .softmax || !skipFirst || model.layers.count > 1 else { throw CommandError("skip_first=true leaves out layer 1, and this model has only 1 layer: no goodness would be left to compare, and every image would be predicted as 0 (build at least 2 layers, or predict without skip_first)", at: Self.argumentRange(statement, named: "skip_first")) }
    if a.by == .softmax, model.head == nil {
      throw CommandError("this model has no softmax head; build with \(Self.headHint(model)), or predict by=goodness",
                         at: Self.argumentRange(statement, named: "by"))
    }
    let data = try s.loaded(a.data, range: Self.argumentRange(statement, named: "data", position: 0))
    guard data.batch.features.cols == model.layers[0].inputs else {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(a.data)' has \(Plural.count(data.batch.features.cols, "feature")) per image")
    }
    let x = data.batch.features, labels = data.batch.labels
    model.precision = choosePrecision(a.precision)
    let predictions: [Int]
    var perLayer: [Double] = []
    do throws(FFRuntimeError) {
      // Each layer's goodness, when the prediction or the per-layer accuracies need it (once for both).
      let scores = a.by == .goodness || a.layers ? try model.layerGoodness(x, shouldStop: s.shouldStop) : []
      switch a.by {
      case .goodness: predictions = Elementwise.argmaxRows(FFModel.sum(scores, skipFirst: skipFirst))
      case .softmax: predictions = Elementwise.argmaxRows(try model.headProbabilities(x, shouldStop: s.shouldStop))
      }
      if a.layers {
        perLayer = scores.map { Evaluation(predictions: Elementwise.argmaxRows($0), labels: labels).accuracy }
      }
    } catch .interrupted {
      throw CommandError.interrupted("predict interrupted (Ctrl-C); no accuracy was recorded")
    } catch {
      throw CommandError(error.description)
    }
    let evaluation = Evaluation(predictions: predictions, labels: labels)
    s.evaluations[a.data] = evaluation
    let how = a.by == .softmax ? " (softmax head)" : (a.skipFirst == nil && skipFirst ? " (goodness of layers 2 and up)" : "")
    var outputs: [Output] = [.line("\(a.data) accuracy: \(String(format: "%.2f", evaluation.accuracy)) %\(how)")]
    if a.layers {
      outputs.append(.line("  by each layer's goodness alone: " + perLayer.enumerated().map {
        "layer \($0.offset + 1) \(String(format: "%.2f", $0.element)) %"
      }.joined(separator: ", ")))
    }
    if a.confusion { outputs.append(try confusion(a.data)) }
    if a.by == .softmax, a.skipFirst != nil {
      outputs.append(.line("note: skip_first= concerns the goodness sum; by=softmax reads the head alone"))
    }
    if a.by == .softmax, model.head?.steps == 0 {
      outputs.append(.line("note: the softmax head has taken no step (it learns only with schedule=together): these are the predictions of its zero weights"))
    }
    return CommandResult(outputs)
  }

  /// How to give `model` a softmax head, for messages: the head argument (and, unless the model
  /// already has it, the recipe that brings one).
  static func headHint(_ model: FFModel) -> String {
    let layers = model.layers.count > 1 ? "[\((2...model.layers.count).map(String.init).joined(separator: ", "))]" : "[1]"
    return model.recipe.name == .hinton ? "head=\(layers)" : "head=\(layers) (or recipe=hinton)"
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
    s.errorHistory = []
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
  func trainingPairs(for data: LoadedData, mode: NegativeMode, value: Float) -> TrainingPairs {
    if let p = trainingPairs, p.dataName == data.name, p.mode == mode, p.value == value { return p }
    let x = data.batch.features
    let positive = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: data.batch.labels, value: value, into: positive)
    var g = generator("negatives/\(data.name)/\(mode.rawValue)")
    let labels = NegativeLabels.draw(for: data.batch.labels, mode: mode, generator: &g)
    let negative = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: labels, value: value, into: negative)
    let pairs = TrainingPairs(dataName: data.name, mode: mode, value: value, positive: positive, negative: negative)
    trainingPairs = pairs
    return pairs
  }
}
