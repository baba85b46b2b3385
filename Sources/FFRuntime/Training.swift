/// What training reports as it goes: the notebook prints progress and records curves from these.
public enum TrainingEvent: Sendable, Equatable, Codable {
  /// Greedy training of one layer begins (`batch`: pairs per mini-batch; nil: full batch).
  case layerStarted(layer: Int, epochs: Int, inputs: Int, outputs: Int, rows: Int, batch: Int?)
  case epochFinished(layer: Int, epoch: Int, epochs: Int, loss: Float, elapsed: Double)
  case layerFinished(layer: Int, epochs: Int, loss: Float, seconds: Double)
  case interrupted(layer: Int, epoch: Int, epochs: Int)
  /// Training of all layers together begins: `pairs` positive/negative pairs in mini-batches of `batch`.
  case togetherStarted(layers: Int, epochs: Int, pairs: Int, batch: Int, negatives: NegativeMode)
  /// One epoch of training together ended: each layer's mean loss, and the head's (nil without one).
  case togetherEpoch(epoch: Int, epochs: Int, losses: [Float], headLoss: Float?, elapsed: Double)
  case togetherFinished(epochs: Int, seconds: Double)
  /// Stopped on request in epoch `epoch` after `batches` of its `of` mini-batches.
  case togetherInterrupted(epoch: Int, batches: Int, of: Int)
}

/// Hooks into a training run: an observer for events and a stop request polled at every epoch
/// boundary (Ctrl-C in the REPL sets it), so a stop takes at most one epoch.
public struct TrainingControl {
  public var observer: (TrainingEvent) -> Void
  public var shouldStop: () -> Bool
  /// Called after every epoch with its number (an evaluation on held-out data hooks in here).
  public var epochEnded: (Int) -> Void
  /// Where training all layers together spends each mini-batch step's time, when given.
  public var profile: StepProfile?
  public init(
    observer: @escaping (TrainingEvent) -> Void = { _ in }, shouldStop: @escaping () -> Bool = { false },
    epochEnded: @escaping (Int) -> Void = { _ in }, profile: StepProfile? = nil
  ) {
    self.observer = observer
    self.shouldStop = shouldStop
    self.epochEnded = epochEnded
    self.profile = profile
  }
}

/// How a `learn` ended.
public enum TrainingOutcome: Sendable, Equatable {
  case completed
  /// Stopped on request after `epoch` epochs of layer `layer` (1-based); weights and optimizer
  /// state are kept, so training can continue.
  case interrupted(layer: Int, epoch: Int)
  /// Training all layers together stopped on request after `epochs` whole epochs and `batches`
  /// mini-batches of the next; everything trained so far is kept.
  case interruptedTogether(epochs: Int, batches: Int)
}

/// Errors of the FF runtime; each says what to do about it.
public enum FFRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A layer's loss or gradients stopped being finite; `suspects` are the parameters that scale
  /// its steps (lr first), named in the advice.
  case nonFiniteLoss(layer: Int, epoch: Int, loss: Float, suspects: [String] = ["lr"])
  /// The softmax head's loss, gradients or updated weights stopped being finite (mean loss per row).
  case nonFiniteHead(epoch: Int, loss: Float)
  /// More memory than a limit leaves (`limit` says which, e.g. "this machine's 24 GiB").
  case tooLarge(what: String, bytes: Int, limit: String)
  case shapeMismatch(String)
  case invalidArgument(String)
  /// A recipe part with a value the runtime cannot use.
  case invalidRecipe(ModelRecipe.Part, String)
  /// Stopped on request (Ctrl-C) while `doing` ("predicting"); nothing was kept.
  case interrupted(String)

  public var description: String {
    switch self {
    case let .nonFiniteLoss(layer, epoch, loss, suspects):
      let what = loss.isFinite ? "a gradient is not finite (the loss is \(loss))" : "the loss is \(loss)"
      let others = suspects.dropFirst()
      let advice = others.isEmpty ? "Try a smaller \(suspects.first ?? "lr")."
        : "Try a smaller \(suspects[0]), or check \(others.count == 1 ? others[others.startIndex] + ", which also scales" : others.dropLast().joined(separator: ", ") + " and " + others.last! + ", which also scale") the steps."
      return "layer \(layer), epoch \(epoch): \(what); training stopped and kept the weights of the last finite step. \(advice)"
    case let .nonFiniteHead(epoch, loss):
      let what = loss.isFinite ? "a gradient or the step's weights are not finite (the loss is \(loss))" : "the loss is \(loss)"
      return "the softmax head, epoch \(epoch): \(what); training stopped and kept the head and every layer as the last finite step left them. Try a smaller head_lr or head_decay."
    case let .tooLarge(what, bytes, limit):
      return "\(what) would need about \(formatBytes(bytes)), more than \(limit); refusing before allocating. Use smaller dims or batches."
    case let .shapeMismatch(message), let .invalidArgument(message), let .invalidRecipe(_, message):
      return message
    case let .interrupted(doing):
      return "interrupted while \(doing)"
    }
  }
}

/// "1.4 GiB", "312 MiB".
public func formatBytes(_ bytes: Int) -> String {
  let b = Double(bytes)
  if bytes >= 1 << 30 { return format1(b / 1_073_741_824) + " GiB" }
  if bytes >= 1 << 20 { return format1(b / 1_048_576) + " MiB" }
  if bytes >= 1 << 10 { return format1(b / 1024) + " KiB" }
  return "\(bytes) B"
}

private func format1(_ x: Double) -> String {
  let r = (x * 10).rounded() / 10
  return r == r.rounded() ? String(Int(r)) : String(r)
}
