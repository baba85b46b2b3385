import FFKernels

/// Every field of a model file checked as `build` checks its arguments, after the checksum
/// has passed: a file can be intact and still hold what no ffnb writes (crafted, or from a
/// buggy tool), and such a value must be refused at `load model` with a message, not found
/// later as an overflow trap in `learn` or as 10 % accuracy.
enum CheckpointValidation {
  /// Header fields of one layer: epochs as `build` accepts them, lr finite and positive,
  /// threshold finite, eps finite and not negative, Adam steps within what training can
  /// continue from without overflow, and no more losses than steps (one is kept per step).
  static func checkHeader(
    layer k: Int, epochs: Int, lr: Float, threshold: Float, eps: Float, steps: Int, history: Int, file: String
  ) throws(CheckpointError) {
    func refuse(_ problem: String) -> CheckpointError {
      CheckpointError(file: file, problem: "layer \(k): \(problem); the file is not a model ffnb writes")
    }
    guard epochs >= 1 && epochs <= LayerHyperparameters.maximumEpochs else {
      throw refuse("epochs \(epochs) is outside 1...\(LayerHyperparameters.maximumEpochs)")
    }
    guard lr.isFinite && lr > 0 else { throw refuse("lr \(lr) is not a positive finite number") }
    guard threshold.isFinite else { throw refuse("threshold \(threshold) is not finite") }
    guard eps.isFinite && eps >= 0 else { throw refuse("eps \(eps) is not a finite number >= 0") }
    guard steps >= 0 && steps <= FFLayer.maximumAdamSteps else {
      throw refuse("Adam step count \(steps) is outside 0...\(FFLayer.maximumAdamSteps)")
    }
    // One loss is recorded per step taken.
    guard history <= steps else {
      throw refuse("loss history of \(history) entries is longer than the \(steps) Adam steps taken")
    }
  }

  /// The arrays of one layer: weights, bias and Adam's first moments finite, second moments
  /// finite and not negative (they are running means of squares), losses finite and not
  /// negative (softplus is positive).
  static func checkArrays(of layer: FFLayer, number k: Int, file: String) throws(CheckpointError) {
    func refuse(_ what: String, _ index: Int, _ value: Float) -> CheckpointError {
      CheckpointError(file: file, problem: "layer \(k): \(what) entry \(index) is \(value); the file is not a model ffnb writes")
    }
    for (name, matrix) in [("weight", layer.weights), ("bias", layer.bias), ("Adam first-moment (weights)", layer.adamW.m),
                           ("Adam first-moment (bias)", layer.adamB.m)] {
      if let bad = firstNonFinite(matrix.elements) { throw refuse(name, bad, matrix.elements[bad]) }
    }
    for (name, matrix) in [("Adam second-moment (weights)", layer.adamW.v), ("Adam second-moment (bias)", layer.adamB.v)] {
      if let bad = firstNonFinite(matrix.elements, allowNegative: false) { throw refuse(name, bad, matrix.elements[bad]) }
    }
    if let bad = layer.lossHistory.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw refuse("loss history", bad, layer.lossHistory[bad])
    }
    try checkState(of: layer, refuse: refuse)
  }

  /// What version 2 adds to a layer: the smoothed gradients finite (the next step adds them to
  /// the weights), the peer means finite and not negative (running means of ReLU activities,
  /// from 0.5). Adam's gradients are scratch, never read from a file.
  private static func checkState(
    of layer: FFLayer, refuse: (String, Int, Float) -> CheckpointError
  ) throws(CheckpointError) {
    if layer.recipe.optimizer == .smoothed {
      for (name, matrix) in [("smoothed weight gradient", layer.weightGradient), ("smoothed bias gradient", layer.biasGradient)] {
        if let bad = firstNonFinite(matrix.elements) { throw refuse(name, bad, matrix.elements[bad]) }
      }
    }
    if let bad = firstNonFinite(layer.peerMeans.elements, allowNegative: false) {
      throw refuse("peer mean", bad, layer.peerMeans.elements[bad])
    }
  }

  /// The recipe's numbers and head as `build` accepts them (`FFModel.check`: the head's layers
  /// in range, increasing and distinct; rates, strengths and decays finite and in range;
  /// momenta in [0, 1)), and the head's step count as a layer's. After this,
  /// `FFModel(layers:recipe:head:)` and `SoftmaxHead(layers:units:)` cannot trap on it.
  static func checkRecipe(_ recipe: ModelRecipe, layers: Int, headSteps: Int, file: String) throws(CheckpointError) {
    do {
      try FFModel.check(recipe, layers: layers)
    } catch {
      throw CheckpointRecipe.refuse(error.description, file: file)
    }
    guard headSteps >= 0 && headSteps <= FFLayer.maximumAdamSteps else {
      throw CheckpointError(
        file: file, problem: "head: step count \(headSteps) is outside 0...\(FFLayer.maximumAdamSteps); the file is not a model ffnb writes")
    }
  }

  /// The head's weights and smoothed gradients finite: logits and every later step use them.
  static func checkArrays(of head: SoftmaxHead, file: String) throws(CheckpointError) {
    for (k, layer) in head.layers.enumerated() {
      for (name, matrix) in [("weight", head.weights[k]), ("smoothed gradient", head.gradients[k])] {
        if let bad = firstNonFinite(matrix.elements) {
          throw CheckpointError(
            file: file,
            problem: "head: \(name) entry \(bad) for layer \(layer) is \(matrix.elements[bad]); the file is not a model ffnb writes")
        }
      }
    }
  }

  /// Before writing: every integer fits its slot (UInt32 sizes, epochs, history length and head
  /// layers, UInt64 steps) and the model passes the checks a reader makes on its header fields
  /// and recipe, so what is saved loads.
  static func checkEncodable(_ model: FFModel, file: String) throws(CheckpointError) {
    func refuse(_ problem: String) -> CheckpointError { CheckpointError(file: file, problem: "cannot save: \(problem)") }
    guard model.layers.count <= FFModel.maximumLayers else {
      throw refuse("\(Plural.count(model.layers.count, "layer")), more than the \(FFModel.maximumLayers) a model file holds")
    }
    do {
      try FFModel.check(model.recipe, layers: model.layers.count)
    } catch {
      throw refuse("recipe: \(error.description)")
    }
    if let head = model.head, !(head.steps >= 0 && head.steps <= FFLayer.maximumAdamSteps) {
      throw refuse("the head has taken \(head.steps) steps; a model file holds at most \(FFLayer.maximumAdamSteps)")
    }
    for (index, layer) in model.layers.enumerated() {
      let k = index + 1
      guard layer.inputs <= FFModel.maximumLayerSize, layer.outputs <= FFModel.maximumLayerSize else {
        throw refuse("layer \(k) is \(layer.inputs) -> \(layer.outputs); sizes are at most \(FFModel.maximumLayerSize)")
      }
      guard layer.hyper.epochs >= 1 && layer.hyper.epochs <= LayerHyperparameters.maximumEpochs else {
        throw refuse("layer \(k) has epochs \(layer.hyper.epochs); a model file holds 1...\(LayerHyperparameters.maximumEpochs)")
      }
      guard layer.adamSteps >= 0 && layer.adamSteps <= FFLayer.maximumAdamSteps,
        layer.lossHistory.count <= FFLayer.maximumAdamSteps
      else {
        throw refuse("layer \(k) has taken \(layer.adamSteps) Adam steps; a model file holds at most \(FFLayer.maximumAdamSteps)")
      }
    }
  }

  /// The index of the first entry that is not finite (or negative, when `allowNegative` is
  /// false), or nil.
  private static func firstNonFinite(_ values: UnsafeMutableBufferPointer<Float>, allowNegative: Bool = true) -> Int? {
    if allowNegative && Elementwise.allFinite(UnsafeBufferPointer(values)) { return nil }
    return values.firstIndex { !$0.isFinite || (!allowNegative && $0 < 0) }
  }
}
