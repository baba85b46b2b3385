/// How a model normalises, scores, initialises, encodes labels and updates: one value per
/// choice the Forward-Forward literature varies. `.seed` is the seed notebook's recipe, and every
/// default; `.hinton` is Hinton's own MATLAB code (`ffnew.m` in his ffcode).
///
/// Model-wide, not per layer: a choice here changes what every layer computes, and a checkpoint
/// stores it once.
public struct ModelRecipe: Sendable, Equatable, Hashable, Codable {
  /// How a layer's input row is scaled before the layer sees it.
  public enum Normalization: String, Sendable, CaseIterable, Codable {
    /// x / (||x||_2 + eps): the seed's `Learning.forward`.
    case l2
    /// x / (eps + sqrt(mean(x^2))): ffcode's `ffnormrows`, so a row's mean square is 1 whatever the width.
    case rms
  }

  /// What "goodness" is and how it becomes the probability that a row is positive.
  public enum Goodness: String, Sendable, CaseIterable, Codable {
    /// g = mean(h^2), loss softplus(threshold - g) on positives and softplus(g - threshold) on
    /// negatives: the seed's.
    case mean
    /// logit = (sum(h^2) - units) / temperature, p = logistic(logit); loss -log p on positives,
    /// -log(1 - p) on negatives: ffcode's.
    case sum
  }

  /// How fresh weights and biases are drawn.
  public enum Initialization: String, Sendable, CaseIterable, Codable {
    /// W and b from a standard normal, unscaled (`torch.randn`): the seed's.
    case randn
    /// W from N(0, 1/fan_in), b = 0: ffcode's.
    case scaled
  }

  /// How a label is written into the first 10 pixels.
  public enum LabelEncoding: String, Sendable, CaseIterable, Codable {
    /// Zeros, and the batch's largest pixel at the label: the seed's `x.max()`.
    case max
    /// Zeros, and `labelStrength` at the label; the neutral label puts strength/10 in all ten.
    case onehot
  }

  /// How a layer's gradient becomes a step.
  public enum Optimizer: String, Sendable, CaseIterable, Codable {
    /// PyTorch's Adam (betas 0.9, 0.999, eps 1e-8): the seed's.
    case adam
    /// ffcode's: G = momentum G + (1 - momentum) dW / batch, W -= lr gain (G + decay W); no decay on biases.
    case smoothed
  }

  /// The named recipe the parts started from (`build recipe=`): `learn` and `predict` take
  /// their defaults from it (Hinton's trains in mini-batches, together, with hard negatives).
  public enum Name: String, Sendable, CaseIterable, Codable {
    case seed, hinton
  }

  public var name: Name = .seed
  public var normalization: Normalization = .l2
  public var goodness: Goodness = .mean
  /// Divides the `sum` goodness logit.
  public var temperature: Float = 1
  public var initialization: Initialization = .randn
  public var labels: LabelEncoding = .max
  /// The label pixel's value with `labels = onehot`.
  public var labelStrength: Float = 1
  public var optimizer: Optimizer = .adam
  /// Smoothing of the `smoothed` optimizer's gradient (ffcode's `delay`).
  public var momentum: Float = 0.9
  /// Weight decay of the `smoothed` optimizer (ffcode's `wc`).
  public var weightDecay: Float = 0.001
  /// Peer normalisation strength (ffcode's `lambdamean`); 0 turns it off.
  public var peer: Float = 0
  /// Smoothing of the running mean activity peer normalisation regresses (ffcode's 0.9).
  public var peerMomentum: Float = 0.9
  /// Hidden layers (1-based) whose normalised activities feed the softmax head; empty: no head.
  public var headLayers: [Int] = []
  /// The head's rate (ffcode's `epsilonsup`).
  public var headLR: Float = 0.1
  /// The head's weight decay (ffcode's `supwc`).
  public var headDecay: Float = 0.003

  public init() {}

  /// The parameters that scale a layer's steps under this recipe, lr first: what a non-finite
  /// loss or gradient advises to check.
  var gradientScales: [String] {
    ["lr"] + (goodness == .sum ? ["temperature"] : []) + (optimizer == .smoothed && weightDecay > 0 ? ["decay"] : [])
      + (peer > 0 ? ["peer"] : [])
  }

  /// The seed notebook's recipe: every default.
  public static let seed = ModelRecipe()

  /// Hinton's ffcode (`ffnew.m`): RMS normalisation, sum goodness at temperature 1, scaled
  /// initialisation, one-hot labels of strength 1, the smoothed update (0.9, decay 0.001), peer
  /// normalisation 0.03, and a softmax head reading hidden layers 2 and up (rate 0.1, decay 0.003).
  public static func hinton(layers: Int) -> ModelRecipe {
    var r = ModelRecipe()
    r.name = .hinton
    r.normalization = .rms
    r.goodness = .sum
    r.initialization = .scaled
    r.labels = .onehot
    r.optimizer = .smoothed
    r.peer = 0.03
    r.headLayers = layers >= 2 ? Array(2...layers) : [1]
    return r
  }

  /// A settable part, by the name a notebook's `build` gives it: what a refusal is about.
  public enum Part: String, Sendable, CaseIterable {
    case temperature, labelStrength = "label_strength", momentum, decay, peer, peerMomentum = "peer_momentum"
    case head, headLR = "head_lr", headDecay = "head_decay"
  }

  /// Whether a softmax head is part of the model.
  public var hasHead: Bool { !headLayers.isEmpty }
}
