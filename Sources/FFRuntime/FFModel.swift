import FFKernels

/// A Forward-Forward network: the seed's `FF` class. A stack of `FFLayer`s trained greedily,
/// each on the previous layer's outputs, and a predictor that tries every label.
public final class FFModel {
  public let layers: [FFLayer]
  /// Normalisation, goodness, initialisation, labels, optimizer, peer normalisation and head.
  public let recipe: ModelRecipe
  /// The softmax read-out, when the recipe has one.
  public let head: SoftmaxHead?

  /// The largest layer size (an entry of dims) a model may have: 2^24 - 1, what a model file
  /// holds. FFLanguage's command table repeats it for `build` (a test checks they agree).
  public static let maximumLayerSize = (1 << 24) - 1
  /// The most layers a model may have (and a model file holds).
  public static let maximumLayers = 1024

  /// Layer sizes, e.g. [784, 1000, 500, 200].
  public var dims: [Int] { [layers[0].inputs] + layers.map(\.outputs) }
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } + (head?.parameterCount ?? 0) }

  /// The operands of every layer's matrix products from now on: fp32 (the default) or bf16
  /// (where `Precision.effective` says it runs). Not part of the model: a run-time choice that
  /// `learn` and `predict` set for themselves. The head's small products stay fp32.
  public var precision: Precision {
    get { layers[0].precision }
    set { for layer in layers { layer.precision = newValue } }
  }

  /// A fresh model: layer k maps dims[k] -> dims[k+1], initialised from `generator` layer by
  /// layer, as the seed's constructor draws them.
  public init(
    dims: [Int], hyper: LayerHyperparameters, recipe: ModelRecipe = .seed, generator: inout Generator
  ) throws(FFRuntimeError) {
    guard dims.count >= 2 else { throw .invalidArgument("dims needs at least two sizes (input and one layer), got \(dims)") }
    guard dims.allSatisfy({ $0 > 0 }) else { throw .invalidArgument("every size in dims must be positive, got \(dims)") }
    guard dims.allSatisfy({ $0 <= FFModel.maximumLayerSize }) else {
      throw .invalidArgument("every size in dims must be at most \(FFModel.maximumLayerSize), got \(dims)")
    }
    guard dims.count - 1 <= FFModel.maximumLayers else {
      throw .invalidArgument("a model has at most \(FFModel.maximumLayers) layers, dims gives \(dims.count - 1)")
    }
    guard hyper.epochs >= 1 && hyper.epochs <= LayerHyperparameters.maximumEpochs else {
      throw .invalidArgument("epochs must be between 1 and \(LayerHyperparameters.maximumEpochs), got \(hyper.epochs)")
    }
    guard dims[0] >= LabelOverlay.classes else {
      throw .invalidArgument("the input size must be at least \(LabelOverlay.classes) to hold the label overlay, got \(dims[0])")
    }
    try Self.check(recipe, layers: dims.count - 1)
    try MemoryGuard.check("a model with dims \(dims)", bytes: FFModel.parameterBytes(dims: dims))
    var layers: [FFLayer] = []
    for k in 0..<(dims.count - 1) {
      layers.append(FFLayer(inputs: dims[k], outputs: dims[k + 1], hyper: hyper, recipe: recipe, generator: &generator))
    }
    self.layers = layers
    self.recipe = recipe
    head = recipe.hasHead ? SoftmaxHead(layers: recipe.headLayers, units: Array(dims.dropFirst())) : nil
  }

  /// A model made of given layers (checkpoints, tests); they share `recipe`, and `head`, when
  /// given, reads the layers the recipe names.
  public init(layers: [FFLayer], recipe: ModelRecipe = .seed, head: SoftmaxHead? = nil) {
    precondition(!layers.isEmpty, "a model needs at least one layer")
    for k in 1..<layers.count {
      precondition(layers[k].inputs == layers[k - 1].outputs, "layer \(k + 1) takes \(layers[k].inputs) inputs, layer \(k) gives \(layers[k - 1].outputs)")
    }
    precondition(layers.allSatisfy { $0.recipe == recipe }, "every layer must share the model's recipe")
    self.layers = layers
    self.recipe = recipe
    self.head = head ?? (recipe.hasHead ? SoftmaxHead(layers: recipe.headLayers, units: layers.map(\.outputs)) : nil)
    precondition(self.head?.layers == (recipe.hasHead ? recipe.headLayers : nil), "the head must read the recipe's layers")
  }

  /// Refuses a recipe this many layers cannot carry out, with what to change.
  public static func check(_ recipe: ModelRecipe, layers: Int) throws(FFRuntimeError) {
    for layer in recipe.headLayers where layer < 1 || layer > layers {
      throw .invalidRecipe(.head, "the head reads layer \(layer), but the model has layers 1...\(layers)")
    }
    guard Set(recipe.headLayers).count == recipe.headLayers.count else {
      throw .invalidRecipe(.head, "the head lists a layer twice: \(recipe.headLayers)")
    }
    guard recipe.headLayers == recipe.headLayers.sorted() else {
      throw .invalidRecipe(.head, "list the head's layers in increasing order, got \(recipe.headLayers)")
    }
    let positives: [(ModelRecipe.Part, Float)] = [(.temperature, recipe.temperature), (.labelStrength, recipe.labelStrength), (.headLR, recipe.headLR)]
    for (part, value) in positives where !(value.isFinite && value > 0) {
      throw .invalidRecipe(part, "\(part.rawValue) must be a positive number that fits in float32, got \(value)")
    }
    let fractions: [(ModelRecipe.Part, Float)] = [(.momentum, recipe.momentum), (.peerMomentum, recipe.peerMomentum)]
    for (part, value) in fractions where !(value >= 0 && value < 1) {
      throw .invalidRecipe(part, "\(part.rawValue) must be at least 0 and below 1, got \(value)")
    }
    let nonNegative: [(ModelRecipe.Part, Float)] = [(.decay, recipe.weightDecay), (.peer, recipe.peer), (.headDecay, recipe.headDecay)]
    for (part, value) in nonNegative where !(value.isFinite && value >= 0) {
      throw .invalidRecipe(part, "\(part.rawValue) must be a non-negative number that fits in float32, got \(value)")
    }
  }

  /// Bytes of parameters, gradients and Adam state (5 floats per parameter).
  static func parameterBytes(dims: [Int]) -> Int {
    var n = 0
    for k in 0..<(dims.count - 1) {
      let (p, o) = dims[k].multipliedReportingOverflow(by: dims[k + 1])
      if o { return Int.max }
      n = n.addingReportingOverflow(p + dims[k + 1]).overflow ? Int.max : n + p + dims[k + 1]
    }
    return n.multipliedReportingOverflow(by: 20).overflow ? Int.max : n * 20
  }

  /// Peak bytes `learn` needs on `rows` stacked rows, beyond the parameters. With
  /// `sharedFirstLayer` (the rows are labelled pairs, see `LabelledPairs`), layer 1 reads the
  /// caller's rows in place and keeps no stacked or normalised copy.
  public func trainingBytes(rows: Int, sharedFirstLayer: Bool = false, batch: Int? = nil) -> Int {
    var peak = 0
    for (k, layer) in layers.enumerated() {
      let shared = k == 0 && sharedFirstLayer
      let b = shared
        ? SharedImageWorkspace.estimatedBytes(pairs: rows / 2, inputs: layer.inputs, outputs: layer.outputs, batch: batch)
        // Input kept alive, workspace, and the output handed to the next layer.
        : 4 * rows * layer.inputs + LayerWorkspace.estimatedBytes(rows: rows, inputs: layer.inputs, outputs: layer.outputs)
      // bf16: the input rounded once (the images, or the normalised rows), 2 bytes a value.
      let rounded = layer.precision.effective == .bf16 ? 2 * (shared ? rows / 2 : rows) * layer.inputs : 0
      peak = max(peak, b + rounded)
    }
    return peak
  }

  /// Stacks a over b: (N, d), (M, d) -> (N + M, d).
  public static func stack(_ a: Matrix, _ b: Matrix) -> Matrix {
    precondition(a.cols == b.cols, "cannot stack (\(a.rows), \(a.cols)) over (\(b.rows), \(b.cols))")
    let s = Matrix(rows: a.rows + b.rows, cols: a.cols)
    s.assignRows(from: a, 0..<a.rows)
    s.assignRows(from: b, 0..<b.rows, at: a.rows)
    return s
  }

  /// The seed's full-batch greedy training (no mini-batches, so nothing is shuffled).
  public func learn(
    positive: Matrix, negative: Matrix, only: ClosedRange<Int>? = nil, epochs: Int? = nil,
    control: TrainingControl = TrainingControl()
  ) throws(FFRuntimeError) -> TrainingOutcome {
    var unused = Generator(seed: 0, stream: "full batch: never drawn")
    return try learn(positive: positive, negative: negative, only: only, epochs: epochs, schedule: .seed,
                     generator: &unused, control: control)
  }

  /// Greedy layer-by-layer training (the seed's `FF.learn`): each layer in `only` (default all)
  /// trains `epochs` epochs (default: its own hyperparameter) on the previous layer's outputs
  /// recomputed with the final weights. Layers before the first trained one only run forward.
  /// With `schedule.batch`, each epoch is a pass of mini-batches of that many pairs (row i of
  /// `negative` is the pair of row i of `positive`), reshuffled every epoch from `generator`.
  public func learn(
    positive: Matrix, negative: Matrix, only: ClosedRange<Int>? = nil, epochs: Int? = nil,
    schedule: LearningSchedule = .seed, generator: inout Generator, control: TrainingControl = TrainingControl()
  ) throws(FFRuntimeError) -> TrainingOutcome {
    guard positive.cols == layers[0].inputs, negative.cols == layers[0].inputs else {
      throw .shapeMismatch("the model takes \(layers[0].inputs) inputs per sample, the data have \(positive.cols)")
    }
    let range = only ?? 1...layers.count
    guard range.lowerBound >= 1, range.upperBound <= layers.count else {
      throw .invalidArgument("layer \(range.upperBound) does not exist; the model has \(Plural.count(layers.count, "layer"))")
    }
    let rows = positive.rows + negative.rows
    // Layer 1 shares each image's product between its two rows when the pairs have the seed's
    // structure (found exactly, row by row); any other input is stacked and materialised.
    let pairs = LabelledPairs(positive: positive, negative: negative)
    let batch = schedule.batch.flatMap { $0 < positive.rows ? $0 : nil }
    try MemoryGuard.check("training on \(Plural.count(rows, "row"))",
                          bytes: trainingBytes(rows: rows, sharedFirstLayer: pairs != nil, batch: batch))
    var input: GreedyInput = pairs.map { .pairs($0) } ?? .stacked(FFModel.stack(positive, negative), positives: positive.rows)
    for k in 1...range.upperBound {
      let layer = layers[k - 1]
      if k < range.lowerBound {
        input = .stacked(layer.forward(input), positives: positive.rows)
        continue
      }
      let result = try layer.train(input, epochs: epochs ?? layer.hyper.epochs, layerNumber: k, schedule: schedule,
                                   generator: &generator, control: control)
      guard let output = result.output else { return .interrupted(layer: k, epoch: result.epochsDone) }
      input = .stacked(output, positives: positive.rows)
      if k < range.upperBound && control.shouldStop() {
        control.observer(.interrupted(layer: k, epoch: result.epochsDone, epochs: result.epochsDone))
        return .interrupted(layer: k, epoch: result.epochsDone)
      }
    }
    return .completed
  }
}
