/// Wall time of each stage of `learnTogether`'s mini-batch steps, summed over the steps: where
/// a step of Hinton's recipe spends its time (`ffnb-bench --recipe` prints it). A stage's time
/// runs from the previous mark to its own; with no profile a step reads no clock.
public final class StepProfile {
  /// The stages of a step, in the order a step runs them (the forward ones twice: the neutral
  /// and positive pass, then the negative pass).
  public enum Stage: Int, CaseIterable, Sendable {
    /// Gathering the mini-batch's images and their squared norms.
    case gather
    /// Layer 1's product, once per image for all its passes.
    case firstLayerProduct
    /// Per row: layer 1 from the shared products, bias, relu, goodness, normalisation.
    case rowPasses
    /// The products of layers 2 and up, both forward passes.
    case forwardProducts
    /// The head: logits, softmax, hard negatives drawn, its gradients (its update is in `update`).
    case head
    /// Each row's loss and dL/dz (with peer normalisation).
    case lossGradients
    /// The weight and bias gradient products (layer 1's folded pairs included).
    case gradientProducts
    /// The check that every gradient is finite.
    case finiteCheck
    /// The head's update and every layer's smoothed (or Adam) update.
    case update

    public var name: String {
      switch self {
      case .gather: "gather images"
      case .firstLayerProduct: "layer 1 product (shared by the passes)"
      case .rowPasses: "row passes (activation, goodness, normalisation)"
      case .forwardProducts: "forward products, layers 2 and up"
      case .head: "softmax head and hard negatives"
      case .lossGradients: "loss and dL/dz"
      case .gradientProducts: "gradient products"
      case .finiteCheck: "finiteness check"
      case .update: "update"
      }
    }

    /// Whether the stage is matrix products (the rest is passes over rows and parameters).
    public var isProduct: Bool {
      switch self {
      case .firstLayerProduct, .forwardProducts, .gradientProducts: true
      case .gather, .rowPasses, .head, .lossGradients, .finiteCheck, .update: false
      }
    }
  }

  /// Seconds per stage, summed over the steps profiled.
  public private(set) var seconds = [Double](repeating: 0, count: Stage.allCases.count)
  /// Steps profiled.
  public private(set) var steps = 0
  private let clock = ContinuousClock()
  private var last: ContinuousClock.Instant

  public init() { last = clock.now }

  /// A step begins: the next mark measures from here.
  func begin() {
    steps += 1
    last = clock.now
  }

  /// The time since the last mark goes to `stage`.
  func mark(_ stage: Stage) {
    let now = clock.now
    seconds[stage.rawValue] += (now - last).seconds
    last = now
  }
}
