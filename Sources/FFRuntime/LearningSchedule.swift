/// How a `learn` walks the data: the seed's full-batch, layer-by-layer Adam steps by default;
/// Hinton's recipe takes mini-batches of 100, updates every layer on each, and decays the rate.
public struct LearningSchedule: Sendable, Equatable {
  /// Which layers a mini-batch updates.
  public enum Order: String, Sendable, CaseIterable {
    /// Each layer trains all its epochs on the previous layer's final outputs, then the next: the seed's.
    case greedy
    /// Every mini-batch runs through all layers and updates each (ffcode's).
    case together
  }

  /// The learning rate over the epochs of one `learn`.
  public enum RateSchedule: String, Sendable, CaseIterable {
    /// The build's lr throughout: the seed's.
    case constant
    /// The lr for the first half of the epochs, then down linearly to about 0 (ffcode's
    /// `epsgain = (1 + 2 (E - e)) / E` after epoch E/2).
    case linear
  }

  /// Pairs per mini-batch; nil: the whole data set in one step (the seed's full batch).
  public var batch: Int?
  public var order: Order
  public var rate: RateSchedule
  /// Training together only: each image moves by up to this many pixels in each direction,
  /// drawn afresh every time it is used (augmentation; 0: never). Square images only.
  public var shift: Int

  public init(batch: Int? = nil, order: Order = .greedy, rate: RateSchedule = .constant, shift: Int = 0) {
    self.batch = batch
    self.order = order
    self.rate = rate
    self.shift = shift
  }

  /// The seed's: full batch, greedy, constant rate.
  public static let seed = LearningSchedule()

  /// The multiplier on the rate in epoch `epoch` (1-based) of `epochs`.
  public func gain(epoch: Int, of epochs: Int) -> Float {
    switch rate {
    case .constant: return 1
    case .linear:
      guard 2 * epoch > epochs else { return 1 }
      return Float(1 + 2 * (epochs - epoch)) / Float(epochs)
    }
  }
}
