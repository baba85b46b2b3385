import FFKernels

/// One Forward-Forward layer `in -> out`: the seed's `Learning` module.
///
/// Holds its parameters, their gradients and its Adam state, all allocated once when the layer
/// is made, so an epoch of training allocates nothing. Shapes: weights (out, in), bias (1, out).
public final class FFLayer {
  public let inputs: Int
  public let outputs: Int
  public var hyper: LayerHyperparameters

  /// W: (out, in). Initialised from a standard normal, unscaled, as `torch.randn` in the seed.
  public let weights: Matrix
  /// b: (1, out).
  public let bias: Matrix
  let weightGradient: Matrix
  let biasGradient: Matrix
  let adamW: AdamState
  let adamB: AdamState
  /// Adam steps taken so far (PyTorch's `state['step']`).
  public internal(set) var adamSteps: Int = 0
  /// The most Adam steps a layer may take in all (UInt32.max, about 4.3 billion): what a model
  /// file's loss history can count, and far from where `adamSteps += 1` could overflow.
  public static let maximumAdamSteps = Int(UInt32.max)
  /// Loss before each step taken so far, across every `learn` of this layer.
  public internal(set) var lossHistory: [Float] = []

  /// A layer with weights and bias drawn from `generator` (weights first, then bias, row-major),
  /// as the seed draws `torch.randn(out, in)` then `torch.randn(out)`.
  public convenience init(inputs: Int, outputs: Int, hyper: LayerHyperparameters, generator: inout Generator) {
    self.init(inputs: inputs, outputs: outputs, hyper: hyper)
    generator.fillNormal(weights.elements)
    generator.fillNormal(bias.elements)
  }

  /// A layer with the given parameters (W: (out, in), b: out); for tests and checkpoints.
  public convenience init(weights w: Matrix, bias b: [Float], hyper: LayerHyperparameters) {
    precondition(b.count == w.rows, "bias has \(b.count) entries, weights have \(w.rows) rows")
    self.init(inputs: w.cols, outputs: w.rows, hyper: hyper)
    weights.assign(w)
    bias.assign(Matrix(rows: 1, cols: b.count, values: b))
  }

  init(inputs: Int, outputs: Int, hyper: LayerHyperparameters) {
    precondition(inputs > 0 && outputs > 0, "layer dimensions must be positive, got \(inputs) -> \(outputs)")
    self.inputs = inputs
    self.outputs = outputs
    self.hyper = hyper
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

  /// Applies one Adam step with the gradients in `weightGradient` / `biasGradient`. The step
  /// count never overflows: past `maximumAdamSteps` the step is refused.
  func adamStep(layerNumber: Int) throws(FFRuntimeError) {
    guard adamSteps < Self.maximumAdamSteps else { throw Self.tooManySteps(layerNumber, adamSteps, more: 1) }
    adamSteps += 1
    let h = AdamHyperparameters(lr: hyper.lr)
    AdamKernel.step(parameters: weights.base, gradients: weightGradient.base,
                    firstMoment: adamW.m.base, secondMoment: adamW.v.base,
                    count: weights.count, step: adamSteps, hyper: h)
    AdamKernel.step(parameters: bias.base, gradients: biasGradient.base,
                    firstMoment: adamB.m.base, secondMoment: adamB.v.base,
                    count: bias.count, step: adamSteps, hyper: h)
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
