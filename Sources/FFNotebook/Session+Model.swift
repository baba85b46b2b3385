import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

extension Session {
  /// `build dims=[784, 1000, 500, 200] epochs=350 lr=0.15 threshold=2`: a new model, drawn
  /// from the "init" stream. `links` names hyperparameters given as variable references.
  public func build(dims: [Int], hyper: LayerHyperparameters, links: [String: String]) throws(CommandError) {
    guard hyper.epochs >= 1 else { throw CommandError("epochs must be at least 1, got \(hyper.epochs)") }
    guard hyper.lr.isFinite, hyper.lr > 0 else { throw CommandError("lr must be a positive number that fits in float32, got \(hyper.lr)") }
    guard hyper.threshold.isFinite else { throw CommandError("threshold must be a number that fits in float32, got \(hyper.threshold)") }
    guard hyper.eps.isFinite, hyper.eps >= 0 else { throw CommandError("eps must be a non-negative number, got \(hyper.eps)") }
    let m: FFModel
    do {
      m = try withGenerator("init") { (g: inout Generator) throws(FFRuntimeError) in
        try FFModel(dims: dims, hyper: hyper, generator: &g)
      }
    } catch {
      throw CommandError(error.description)
    }
    model = m
    self.hyper = hyper
    linkedHyperparameters = links
    trainingPairs = nil
    evaluations = [:]
    console.line("---- FF \(dims.map(String.init).joined(separator: "-")): \(Plural.count(m.layers.count, "layer")), \(Format.parameters(m.parameterCount)); "
      + "epochs \(hyper.epochs), lr \(Format.value(hyper.lr)), threshold \(Format.value(hyper.threshold)), eps \(Format.value(hyper.eps)) ----")
  }

  /// Re-reads hyperparameters linked to variables and applies explicit overrides to every
  /// layer; says what changed. Nothing changes unless every new value is valid.
  func refreshHyperparameters(overrides: [String: Float]) throws(CommandError) {
    guard let model else { return }
    var candidate = hyper
    var changes: [String] = []
    for (key, variable) in linkedHyperparameters.sorted(by: { $0.key < $1.key }) where overrides[key] == nil {
      guard let value = environment.variables[variable] else { continue }
      if key == "dims" {
        // Sizes cannot change under a trained model: say so rather than ignore the change.
        let dims = value.listValue?.compactMap(\.intValue)
        if dims != model.dims {
          console.line("note: \(variable) is now \(value) but the model was built with \(model.dims); run `build` to use it")
        }
        continue
      }
      if key == "epochs" {
        guard case .int(let e) = value else {
          throw CommandError("epochs follows the variable \(variable), which is now \(value.summary); it must be an int >= 1")
        }
        guard e >= 1 else { throw CommandError("epochs follows the variable \(variable), which is now \(e); it must be at least 1") }
        if e != candidate.epochs { changes.append("epochs \(candidate.epochs) -> \(e) (variable \(variable))") }
        candidate.epochs = e
        continue
      }
      guard let x = value.doubleValue else {
        throw CommandError("\(key) follows the variable \(variable), which is now \(value.summary); it must be a number")
      }
      let new = Float(x)
      let old = key == "lr" ? candidate.lr : candidate.threshold
      if new != old { changes.append("\(key) \(Format.value(old)) -> \(Format.value(new)) (variable \(variable))") }
      if key == "lr" { candidate.lr = new } else { candidate.threshold = new }
    }
    for (key, new) in overrides.sorted(by: { $0.key < $1.key }) {
      let old = key == "lr" ? candidate.lr : candidate.threshold
      if new != old { changes.append("\(key) \(Format.value(old)) -> \(Format.value(new)) (learn argument)") }
      if key == "lr" { candidate.lr = new } else { candidate.threshold = new }
    }
    guard candidate.lr.isFinite, candidate.lr > 0 else {
      throw CommandError("lr must be a positive number that fits in float32, got \(candidate.lr); the model keeps lr \(Format.value(hyper.lr))")
    }
    guard candidate.threshold.isFinite else {
      throw CommandError("threshold must be a number that fits in float32, got \(candidate.threshold); the model keeps threshold \(Format.value(hyper.threshold))")
    }
    hyper = candidate
    for layer in model.layers {
      layer.hyper.lr = hyper.lr
      layer.hyper.threshold = hyper.threshold
      layer.hyper.epochs = hyper.epochs
    }
    if !changes.isEmpty { console.line("hyperparameters changed: " + changes.joined(separator: ", ")) }
  }

  /// `learn`: greedy training of all layers (or one), continuing from the current state.
  public func learn(
    layer: Int?, epochs: Int?, negatives: NegativeMode, dataName: String, every: Int?,
    overrides: [String: Float] = [:], dataRange: SourceRange? = nil
  ) throws(CommandError) -> TrainingOutcome {
    guard let model else { throw CommandError("no model yet; run a `build` cell first (e.g. `build dims=[784, 1000, 500, 200]`)") }
    let data = try loaded(dataName, range: dataRange)
    guard data.batch.isFlat else {
      throw CommandError("the '\(dataName)' images are not flattened; add `flatten` to the transform and re-run the load")
    }
    guard data.batch.features.cols == model.layers[0].inputs else {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(dataName)' has \(Plural.count(data.batch.features.cols, "feature")) per image")
    }
    if let layer, layer < 1 || layer > model.layers.count {
      throw CommandError("layer \(layer) does not exist; the model has layers 1...\(model.layers.count)")
    }
    if let epochs, epochs < 1 { throw CommandError("epochs must be at least 1, got \(epochs)") }
    try refreshHyperparameters(overrides: overrides)
    let pairs = trainingPairs(for: data, mode: negatives)
    let total = epochs ?? hyper.epochs
    let interval = every ?? Session.defaultProgressInterval(epochs: total)
    guard interval > 0 else { throw CommandError("every must be positive, got \(interval)") }
    let reporter = ProgressReporter(console: console, interval: interval)
    let control = TrainingControl(observer: reporter.observe, shouldStop: shouldStop)
    do throws(FFRuntimeError) {
      let range = layer.map { $0...$0 }
      let outcome = try model.learn(positive: pairs.positive, negative: pairs.negative, only: range,
                                    epochs: epochs, control: control)
      evaluations = [:]
      return outcome
    } catch {
      console.clearProgress()
      throw CommandError(error.description)
    }
  }

  /// Positive data (true label written in) and negative data (a drawn label written in), as
  /// the seed's main cell makes them; cached for the current model and data.
  func trainingPairs(for data: LoadedData, mode: NegativeMode) -> TrainingPairs {
    if let p = trainingPairs, p.dataName == data.name, p.mode == mode { return p }
    let x = data.batch.features
    let value = Elementwise.maximum(UnsafeBufferPointer(x.elements))
    let positive = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: data.batch.labels, value: value, into: positive)
    let labels = withGenerator("negatives") { g in NegativeLabels.draw(for: data.batch.labels, mode: mode, generator: &g) }
    let negative = Matrix(rows: x.rows, cols: x.cols)
    LabelOverlay.apply(x, labels: labels, value: value, into: negative)
    let pairs = TrainingPairs(dataName: data.name, mode: mode, positive: positive, negative: negative)
    trainingPairs = pairs
    return pairs
  }

  /// About ten progress lines per layer, at round epoch numbers.
  static func defaultProgressInterval(epochs: Int) -> Int {
    let target = max(1, epochs / 10)
    for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where step >= target { return step }
    return target
  }

  /// `predict test`: accuracy of the current model on a loaded batch, in the seed's wording.
  @discardableResult
  public func predict(dataName: String, confusion: Bool, skipFirst: Bool, dataRange: SourceRange? = nil) throws(CommandError) -> Evaluation {
    guard let model else { throw CommandError("no model yet; run `build` and `learn` first") }
    let data = try loaded(dataName, range: dataRange)
    guard data.batch.features.cols == model.layers[0].inputs else {
      throw CommandError("the model takes \(Plural.count(model.layers[0].inputs, "input")), '\(dataName)' has \(Plural.count(data.batch.features.cols, "feature")) per image")
    }
    let predictions: [Int]
    do throws(FFRuntimeError) {
      predictions = try model.predict(data.batch.features, skipFirstLayer: skipFirst)
    } catch {
      throw CommandError(error.description)
    }
    let evaluation = Evaluation(predictions: predictions, labels: data.batch.labels)
    evaluations[dataName] = evaluation
    console.line("\(dataName) accuracy: \(String(format: "%.2f", evaluation.accuracy)) %")
    if confusion { showConfusion(dataName) }
    return evaluation
  }

  /// `save model "m.ffm"`: the model with its optimizer state, written atomically.
  public func saveModel(to path: String) throws(CommandError) {
    guard let model else { throw CommandError("no model to save; run `build` first") }
    let url = try outputURL(for: path, what: "model")
    do {
      try Checkpoint.save(model, to: url.path)
    } catch {
      throw CommandError(error.description)
    }
    console.line("saved model \(model.dims.map(String.init).joined(separator: "-")) to \(display(url))")
  }

  /// `load model "m.ffm"`: replaces the current model, ready to predict or resume training.
  public func loadModel(from path: String) throws(CommandError) {
    let m: FFModel
    let url = resolve(path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CommandError("cannot load a model from \(display(url)): it is a directory")
    }
    do {
      m = try Checkpoint.load(from: url.path)
    } catch {
      throw CommandError(error.description)
    }
    model = m
    hyper = m.layers[0].hyper
    linkedHyperparameters = [:]
    trainingPairs = nil
    evaluations = [:]
    let steps = m.layers.map { String($0.adamSteps) }.joined(separator: "/")
    console.line("loaded model \(m.dims.map(String.init).joined(separator: "-")) from \(display(url)) (\(Format.parameters(m.parameterCount)), Adam steps per layer \(steps))")
  }
}
