/// The built-in commands. One case per command: the command table (`spec`), the typed
/// arguments (`Command`), the declared effects and the interpreter's handlers all switch over
/// it exhaustively, so a command added here cannot be forgotten by any of them.
package enum CommandName: String, CaseIterable, Sendable, Hashable {
  case seed, precision, load, transform, build, learn, predict, show, plot, save, print, help
}

/// The words `load` takes first: a data set, or `model` to load a saved model.
package enum LoadSource: String, CaseIterable, Sendable, Hashable {
  case mnist
  case fashionMNIST = "fashion-mnist"
  case model
}

/// The splits of a data set.
package enum SplitChoice: String, CaseIterable, Sendable, Hashable {
  case train, test
}

/// How `learn` draws negative labels.
package enum NegativesChoice: String, CaseIterable, Sendable, Hashable {
  /// Uniform over all ten labels, as the seed does (so sometimes the true one).
  case random
  /// Uniform over the nine wrong labels.
  case wrong
  /// Drawn from the softmax head's belief without the true label (Hinton's hard negatives).
  case hard
}

/// A named recipe: the defaults of every build and learn choice below, each still settable.
package enum RecipeChoice: String, CaseIterable, Sendable, Hashable {
  /// The seed notebook's (every default).
  case seed
  /// Hinton's ffcode (`ffnew.m`).
  case hinton
}

/// How a layer's input rows are normalised.
package enum NormalizationChoice: String, CaseIterable, Sendable, Hashable { case l2, rms }
/// What goodness is: the seed's mean against a threshold, or ffcode's sum minus the units.
package enum GoodnessChoice: String, CaseIterable, Sendable, Hashable { case mean, sum }
/// How weights are drawn: unscaled randn (the seed's), or N(0, 1/fan_in) with zero biases.
package enum InitializationChoice: String, CaseIterable, Sendable, Hashable { case randn, scaled }
/// How labels are written: the batch maximum (the seed's), or a one-hot of a given strength.
package enum LabelsChoice: String, CaseIterable, Sendable, Hashable { case max, onehot }
/// The layers' optimizer: Adam (the seed's), or ffcode's smoothed gradient with weight decay.
package enum OptimizerChoice: String, CaseIterable, Sendable, Hashable { case adam, smoothed }
/// Which layers a step updates: one after another (the seed's), or all on every mini-batch.
package enum ScheduleChoice: String, CaseIterable, Sendable, Hashable { case greedy, together }
/// The learning rate over a `learn`: constant (the seed's), or constant then linear decay.
package enum RateScheduleChoice: String, CaseIterable, Sendable, Hashable { case constant, linear }
/// How `predict` chooses a label: the most goodness over the ten labels, or the softmax head.
package enum PredictByChoice: String, CaseIterable, Sendable, Hashable { case goodness, softmax }
/// The operands of matrix products: fp32 (the default, exact), or bf16 with fp32 accumulation.
package enum PrecisionChoice: String, CaseIterable, Sendable, Hashable { case fp32, bf16 }

/// What `show` shows.
package enum ShowTarget: String, CaseIterable, Sendable, Hashable {
  case vars, model, data, sample, hyper, transform, cells
}

/// What `plot` draws.
package enum PlotTarget: String, CaseIterable, Sendable, Hashable {
  /// Loss per layer and epoch.
  case loss
  /// The confusion matrix of the last `predict`.
  case confusion
  /// The error rates `learn eval=` measured as training went.
  case errors
}

/// What `save` writes.
package enum SaveTarget: String, CaseIterable, Sendable, Hashable {
  case model
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
  /// The raw names, in declaration order: the choices the command table accepts.
  static var names: [String] { allCases.map(\.rawValue) }
}
