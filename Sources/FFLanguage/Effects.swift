/// A piece of session state a statement can read or write. Cells that read a key are
/// downstream of the cells that write it: the notebook's dependency graph is made of these.
package enum StateKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  case variable(String)
  /// Every variable (`show vars`).
  case allVariables
  /// The root seed every random stream derives from.
  case seed
  /// The session's precision for matrix products (`precision`, `--precision`).
  case precision
  /// The transform later loads apply.
  case transform
  /// One loaded data set, by name.
  case dataset(String)
  /// Every loaded data set (`show data`).
  case allDatasets
  /// The model: weights, optimizer state, hyperparameters.
  case model
  /// The last evaluation (`predict`) of one data set.
  case evaluation(String)
  /// Every evaluation (a new or retrained model invalidates them all).
  case allEvaluations

  /// Whether a write of `self` changes what a read of `other` sees (wildcards match their family).
  package func overlaps(_ other: StateKey) -> Bool {
    switch (self, other) {
    case (.allVariables, .variable), (.variable, .allVariables), (.allVariables, .allVariables): true
    case (.allDatasets, .dataset), (.dataset, .allDatasets), (.allDatasets, .allDatasets): true
    case (.allEvaluations, .evaluation), (.evaluation, .allEvaluations), (.allEvaluations, .allEvaluations): true
    default: self == other
    }
  }

  /// The wildcard of the key's family (`allVariables` for a variable, and for itself), or nil
  /// for a key that is its own family: a read of a key sees writes of it and of its wildcard,
  /// and a read of a wildcard sees every write in the family, exactly as `overlaps` says.
  package var wildcard: StateKey? {
    switch self {
    case .variable, .allVariables: .allVariables
    case .dataset, .allDatasets: .allDatasets
    case .evaluation, .allEvaluations: .allEvaluations
    case .seed, .precision, .transform, .model: nil
    }
  }

  /// How a person names it: `lr`, `the model`, `the train data`.
  package var description: String {
    switch self {
    case .variable(let name): name
    case .allVariables: "the variables"
    case .seed: "the seed"
    case .precision: "the precision"
    case .transform: "the transform"
    case .dataset(let name): "the \(name) data"
    case .allDatasets: "the data"
    case .model: "the model"
    case .evaluation(let name): "the \(name) predictions"
    case .allEvaluations: "the predictions"
    }
  }
}

/// What a statement reads and writes, declared by its command (and, for variables, by the
/// names its expressions mention).
package struct Effects: Sendable, Hashable {
  package var reads: Set<StateKey>
  package var writes: Set<StateKey>

  package init(reads: Set<StateKey> = [], writes: Set<StateKey> = []) {
    self.reads = reads
    self.writes = writes
  }
}

extension Command {
  /// What this command reads and writes, apart from the variables its written expressions
  /// mention (the caller adds those from the statement) and those a model's hyperparameters
  /// follow (`learn` re-reads them; the session knows which).
  package var effects: Effects {
    switch self {
    case .set(let name, _):
      Effects(writes: [.variable(name)])
    case .seed:
      Effects(writes: [.seed])
    case .precision:
      Effects(writes: [.precision])
    case .load(let a):
      Effects(
        reads: [.seed, .transform],
        writes: a.validation == nil ? [.dataset(a.name)] : [.dataset(a.name), .dataset(LoadArguments.validationName)])
    case .loadModel:
      Effects(writes: [.model, .allEvaluations])
    case .transform:
      Effects(writes: [.transform])
    case .build:
      // The weights come from a stream keyed by the seed and the statement's identity.
      Effects(reads: [.seed], writes: [.model, .allEvaluations])
    case .learn(let a):
      Effects(reads: Set([.model, .dataset(a.data), .seed] + a.eval.map(StateKey.dataset).map { [$0] }.orEmpty + (a.precision == nil ? [.precision] : [])),
              writes: [.model, .allEvaluations])
    case .predict(let a):
      Effects(reads: a.precision == nil ? [.model, .dataset(a.data), .precision] : [.model, .dataset(a.data)], writes: [.evaluation(a.data)])
    case .show(let a):
      switch a.what {
      case .vars: Effects(reads: [.allVariables])
      case .model, .hyper: Effects(reads: [.model])
      case .data: Effects(reads: [.allDatasets])
      case .sample: Effects(reads: [a.data.map(StateKey.dataset) ?? .allDatasets])
      case .transform: Effects(reads: [.transform])
      case .cells: Effects()
      }
    case .plot(let a):
      a.what == .confusion ? Effects(reads: [.allEvaluations]) : Effects(reads: [.model])
    case .saveModel:
      Effects(reads: [.model])
    case .print, .help:
      Effects()
    }
  }
}

extension Optional where Wrapped == [StateKey] {
  /// The keys, or none.
  var orEmpty: [StateKey] { self ?? [] }
}
