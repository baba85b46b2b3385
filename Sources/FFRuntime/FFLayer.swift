import FFKernels

/// One Forward-Forward layer `in -> out`: the seed's `Learning` module.
///
/// Holds its parameters, their gradients and its Adam state, all allocated once when the layer
/// is made, so an epoch of training allocates nothing. Shapes: weights (out, in), bias (1, out).
public final class FFLayer {
  public let inputs: Int
  public let outputs: Int
  public var hyper: LayerHyperparameters
  /// What the layer computes and how it updates (normalisation, goodness, optimizer, peer
  /// normalisation); the model's recipe, copied so a layer works on its own.
  public let recipe: ModelRecipe

  /// W: (out, in). Initialised from a standard normal, unscaled, as `torch.randn` in the seed.
  public let weights: Matrix
  /// b: (1, out).
  public let bias: Matrix
  /// dL/dW (Adam), or the smoothed gradient the `smoothed` optimizer keeps across steps. (out, in)
  let weightGradient: Matrix
  /// dL/db, or its smoothed form. (1, out)
  let biasGradient: Matrix
  /// Whether `weightGradient` holds the smoothed gradient already multiplied by the momentum.
  /// `learnTogether` folds that multiplication into a step's update pass when another step
  /// follows, so the next gradient product adds into it with beta 1 and OpenBLAS makes no
  /// scaling pass over the matrix of its own (8 % of a recipe epoch). The bits are those of
  /// OpenBLAS's pass, which multiplies C by beta before it accumulates. Never true once
  /// `learnTogether` returns: what is saved and copied is always the smoothed gradient.
  var weightGradientPrescaled = false

  /// Whether a weight-gradient product over `rows` rows is large enough that OpenBLAS scales C
  /// in a pass of its own before accumulating: at up to 100^3 multiply-adds its small-matrix
  /// kernels fold beta into the kernel, with other rounding, so prescaling would change bits.
  /// 2^22 keeps a factor 4 from that bound; every product of the recipe is far above it.
  func gradientProductScalesApart(rows: Int) -> Bool {
    let (size, overflow) = (outputs * inputs).multipliedReportingOverflow(by: rows)
    return overflow || size >= 1 << 22
  }
  /// Running mean of each unit's batch-mean activity on positives (peer normalisation), from 0.5. (1, out)
  public let peerMeans: Matrix
  /// Per-unit scratch (column sums, the peer term), so a step allocates nothing. (1, out)
  let unitScratch: Matrix
  /// `peerMeans` before the current step's update, restored when the step is refused. (1, out)
  let peerMeansBefore: Matrix
  let adamW: AdamState
  let adamB: AdamState
  /// Optimizer steps taken so far (PyTorch's `state['step']` for Adam).
  public internal(set) var adamSteps: Int = 0
  /// The most Adam steps a layer may take in all (UInt32.max, about 4.3 billion): what a model
  /// file's loss history can count, and far from where `adamSteps += 1` could overflow.
  public static let maximumAdamSteps = Int(UInt32.max)
  /// Loss before each step taken so far, across every `learn` of this layer.
  public internal(set) var lossHistory: [Float] = []
  /// The operands of this layer's matrix products (a run-time choice, not saved with the model).
  public var precision: Precision = .fp32

  /// A layer with weights and bias drawn from `generator`. The seed's initialisation draws
  /// weights then bias, row-major, as `torch.randn(out, in)` then `torch.randn(out)`; the scaled
  /// one draws the weights only, divides them by sqrt(fan_in) and leaves the biases at 0.
  public convenience init(
    inputs: Int, outputs: Int, hyper: LayerHyperparameters, recipe: ModelRecipe = .seed, generator: inout Generator
  ) {
    self.init(inputs: inputs, outputs: outputs, hyper: hyper, recipe: recipe)
    generator.fillNormal(weights.elements)
    switch recipe.initialization {
    case .randn:
      generator.fillNormal(bias.elements)
    case .scaled:
      let scale = 1 / Float(inputs).squareRoot()
      for i in 0..<weights.count { weights.base[i] *= scale }
    }
  }

  /// A layer with the given parameters (W: (out, in), b: out); for tests and checkpoints.
  public convenience init(weights w: Matrix, bias b: [Float], hyper: LayerHyperparameters, recipe: ModelRecipe = .seed) {
    precondition(b.count == w.rows, "bias has \(b.count) entries, weights have \(w.rows) rows")
    self.init(inputs: w.cols, outputs: w.rows, hyper: hyper, recipe: recipe)
    weights.assign(w)
    bias.assign(Matrix(rows: 1, cols: b.count, values: b))
  }

  init(inputs: Int, outputs: Int, hyper: LayerHyperparameters, recipe: ModelRecipe = .seed) {
    precondition(inputs > 0 && outputs > 0, "layer dimensions must be positive, got \(inputs) -> \(outputs)")
    self.inputs = inputs
    self.outputs = outputs
    self.hyper = hyper
    self.recipe = recipe
    peerMeans = Matrix(rows: 1, cols: outputs)
    peerMeans.fill(0.5)
    unitScratch = Matrix(rows: 1, cols: outputs)
    peerMeansBefore = Matrix(rows: 1, cols: outputs)
    weights = Matrix(rows: outputs, cols: inputs)
    bias = Matrix(rows: 1, cols: outputs)
    weightGradient = Matrix(rows: outputs, cols: inputs)
    biasGradient = Matrix(rows: 1, cols: outputs)
    adamW = AdamState(count: outputs * inputs)
    adamB = AdamState(count: outputs)
  }

  /// Number of trainable parameters (weights and bias).
  public var parameterCount: Int { inputs * outputs + outputs }

  /// Gradients of the last training step (for tests and finite-difference checks).
  public var lastWeightGradient: Matrix { weightGradient }
  public var lastBiasGradient: [Float] { biasGradient.array }

  /// Applies one optimizer step with the gradients in `weightGradient` / `biasGradient`, at
  /// the layer's lr times `gain` (the learning-rate schedule; 1 is the seed's constant rate).
  /// The step count never overflows: past `maximumAdamSteps` the step is refused.
  /// `prescale`: another step follows at once; the smoothed optimizer then leaves its weight
  /// gradient multiplied by the momentum (see `weightGradientPrescaled`), with fp32 products.
  func optimizerStep(layerNumber: Int, gain: Float = 1, prescale: Bool = false) throws(FFRuntimeError) {
    guard adamSteps < Self.maximumAdamSteps else { throw Self.tooManySteps(layerNumber, adamSteps, more: 1) }
    adamSteps += 1
    switch recipe.optimizer {
    case .adam:
      let h = AdamHyperparameters(lr: gain == 1 ? hyper.lr : hyper.lr * gain)
      AdamKernel.step(parameters: weights.base, gradients: weightGradient.base,
                      firstMoment: adamW.m.base, secondMoment: adamW.v.base,
                      count: weights.count, step: adamSteps, hyper: h)
      AdamKernel.step(parameters: bias.base, gradients: biasGradient.base,
                      firstMoment: adamB.m.base, secondMoment: adamB.v.base,
                      count: bias.count, step: adamSteps, hyper: h)
    case .smoothed:
      let rate = hyper.lr * gain
      if prescale && precision == .fp32 {
        Elementwise.smoothedStep(parameters: weights.base, gradients: weightGradient.base, count: weights.count,
                                 rate: rate, decay: recipe.weightDecay, thenScalingGradientsBy: recipe.momentum)
        weightGradientPrescaled = true
      } else {
        Elementwise.smoothedStep(parameters: weights.base, gradients: weightGradient.base, count: weights.count,
                                 rate: rate, decay: recipe.weightDecay)
      }
      Elementwise.smoothedStep(parameters: bias.base, gradients: biasGradient.base, count: bias.count, rate: rate, decay: 0)
    }
  }
}

extension FFLayer {
  /// Refusal of training that would take a layer past `maximumAdamSteps`.
  static func tooManySteps(_ layer: Int, _ taken: Int, more: Int) -> FFRuntimeError {
    .invalidArgument("layer \(layer) has taken \(taken) Adam steps; \(more) more would pass the limit of \(maximumAdamSteps)")
  }
}

/// Adam's running moments for one parameter tensor.
final class AdamState {
  let m: Matrix
  let v: Matrix
  init(count: Int) {
    m = Matrix(rows: 1, cols: count)
    v = Matrix(rows: 1, cols: count)
  }
}
