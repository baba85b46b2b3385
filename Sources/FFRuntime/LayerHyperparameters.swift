/// What a layer trains with. Defaults are the seed notebook's `Learning.__init__` defaults.
public struct LayerHyperparameters: Sendable, Equatable, Codable {
  /// Full-batch steps per `learn` (the seed's `num_epochs`).
  public var epochs: Int = 10

  /// The most epochs `build` and `learn` accept, and a model file holds: a million (the seed
  /// trains 350). `build epochs=5000000000` is refused where it is written, not when the model
  /// is saved. FFLanguage's command table repeats this number (it cannot import FFRuntime); a
  /// test checks they agree.
  public static let maximumEpochs = 1_000_000
  /// Adam learning rate.
  public var lr: Float = 0.01
  /// Goodness threshold separating positive from negative data.
  public var threshold: Float = 2.0
  /// Added to the row norm before dividing (the seed's `self.eps`).
  public var eps: Float = 1e-4

  public init(epochs: Int = 10, lr: Float = 0.01, threshold: Float = 2.0, eps: Float = 1e-4) {
    self.epochs = epochs; self.lr = lr; self.threshold = threshold; self.eps = eps
  }
}
