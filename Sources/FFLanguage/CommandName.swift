/// The built-in commands. One case per command: the command table (`spec`), the typed
/// arguments (`Command`), the declared effects and the interpreter's handlers all switch over
/// it exhaustively, so a command added here cannot be forgotten by any of them.
package enum CommandName: String, CaseIterable, Sendable, Hashable {
  case seed, load, transform, build, learn, predict, show, plot, save, print, help
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
}

/// What `show` shows.
package enum ShowTarget: String, CaseIterable, Sendable, Hashable {
  case vars, model, data, sample, hyper, transform, cells
}

/// What `plot` draws.
package enum PlotTarget: String, CaseIterable, Sendable, Hashable {
  case loss, confusion
}

/// What `save` writes.
package enum SaveTarget: String, CaseIterable, Sendable, Hashable {
  case model
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
  /// The raw names, in declaration order: the choices the command table accepts.
  static var names: [String] { allCases.map(\.rawValue) }
}
