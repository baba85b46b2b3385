/// One statement, typed: the command and its arguments as a struct, made from the binder's
/// `BoundArguments` in one place (`Command.init(_:)`), so no handler reads an argument by a
/// string key. `set` is a case too: every statement is a `Command`.
package enum Command: Sendable, Hashable {
  case set(name: String, value: Value)
  case seed(UInt64)
  case load(LoadArguments)
  case loadModel(path: String)
  case transform([TransformStepSpec])
  case build(BuildArguments)
  case learn(LearnArguments)
  case predict(PredictArguments)
  case show(ShowArguments)
  case plot(PlotArguments)
  case saveModel(path: String)
  case print([Value])
  case help(topic: String?)
}

/// `load mnist train batch=1000 shuffle=true root="..." as=name`.
package struct LoadArguments: Sendable, Hashable {
  package var dataset: LoadSource
  package var split: SplitChoice
  /// Nil: every example.
  package var batch: Int?
  package var shuffle: Bool
  package var root: String?
  /// The name later commands use (`as=`, else the split).
  package var name: String

  package init(dataset: LoadSource, split: SplitChoice, batch: Int?, shuffle: Bool, root: String?, name: String) {
    self.dataset = dataset
    self.split = split
    self.batch = batch
    self.shuffle = shuffle
    self.root = root
    self.name = name
  }
}

/// A bound transform step.
package enum TransformStepSpec: Sendable, Hashable {
  case toTensor
  case normalize(mean: Double, std: Double)
  case flatten
}

/// `build dims epochs= lr= threshold= eps=`, with the variables its hyperparameters were
/// written as (`lr=lr`), which `learn` re-reads.
package struct BuildArguments: Sendable, Hashable {
  package var dims: [Int]
  package var epochs: Int
  package var lr: Double
  package var threshold: Double
  package var eps: Double
  /// Hyperparameter ("dims", "epochs", "lr", "threshold") -> the variable it was given as.
  package var links: [String: String]

  package init(dims: [Int], epochs: Int, lr: Double, threshold: Double, eps: Double, links: [String: String]) {
    self.dims = dims
    self.epochs = epochs
    self.lr = lr
    self.threshold = threshold
    self.eps = eps
    self.links = links
  }
}

/// `learn layer= epochs= negatives= data= every=`.
package struct LearnArguments: Sendable, Hashable {
  package var layer: Int?
  package var epochs: Int?
  package var negatives: NegativesChoice
  package var data: String
  package var every: Int?

  package init(layer: Int?, epochs: Int?, negatives: NegativesChoice, data: String, every: Int?) {
    self.layer = layer
    self.epochs = epochs
    self.negatives = negatives
    self.data = data
    self.every = every
  }
}

/// `predict data confusion= skip_first=`.
package struct PredictArguments: Sendable, Hashable {
  package var data: String
  package var confusion: Bool
  package var skipFirst: Bool

  package init(data: String, confusion: Bool, skipFirst: Bool) {
    self.data = data
    self.confusion = confusion
    self.skipFirst = skipFirst
  }
}

/// `show what [index] [data=]`.
package struct ShowArguments: Sendable, Hashable {
  package var what: ShowTarget
  package var index: Int?
  package var data: String?

  package init(what: ShowTarget, index: Int?, data: String?) {
    self.what = what
    self.index = index
    self.data = data
  }
}

/// `plot what [to=]`.
package struct PlotArguments: Sendable, Hashable {
  package var what: PlotTarget
  package var to: String?

  package init(what: PlotTarget, to: String?) {
    self.what = what
    self.to = to
  }
}

/// A problem found while typing bound arguments (a value outside what the runtime takes).
package struct CommandTypingError: Error, Sendable {
  package var message: String
  package var range: SourceRange
}

extension Command {
  /// The typed form of a bound command. Binding already checked names, types, required
  /// arguments and minimums, so what can still fail is what the table cannot say (a seed
  /// beyond 64 bits, a model path given to a data set).
  ///
  /// `statement` supplies the variables hyperparameters were written as (`lr=lr`).
  package init(_ args: BoundArguments, statement: Statement) throws(CommandTypingError) {
    guard let name = CommandName(rawValue: args.command) else {
      throw CommandTypingError(message: "unknown command '\(args.command)'", range: args.range)
    }
    func word<T: RawRepresentable<String>>(_ key: String, _: T.Type) throws(CommandTypingError) -> T {
      guard let value = T(rawValue: args.word(key)) else {
        throw CommandTypingError(message: "invalid value '\(args.word(key))' for '\(key)'", range: args.range(of: key))
      }
      return value
    }
    switch name {
    case .seed:
      self = .seed(UInt64(max(args.int("seed"), 0)))
    case .load:
      let source = try word("dataset", LoadSource.self)
      if source == .model {
        guard let path = args.optionalString("path") else {
          throw CommandTypingError(
            message: "`load model` needs the model file, as in load model \"runs/mnist.ffm\"", range: args.range)
        }
        self = .loadModel(path: path)
        return
      }
      if args.optionalString("path") != nil {
        throw CommandTypingError(message: "a data set takes a split (train or test), not a file", range: args.range(of: "path"))
      }
      let split = args.optionalWord("split").flatMap(SplitChoice.init(rawValue:)) ?? .train
      self = .load(
        LoadArguments(
          dataset: source, split: split, batch: args.optionalInt("batch"), shuffle: args.bool("shuffle"),
          root: args.optionalString("root"), name: args.optionalWord("as") ?? split.rawValue))
    case .transform:
      var steps: [TransformStepSpec] = []
      for step in args.steps {
        switch TransformStepName(rawValue: step.command) {
        case .toTensor?: steps.append(.toTensor)
        case .flatten?: steps.append(.flatten)
        case .normalize?: steps.append(.normalize(mean: step.number("mean"), std: step.number("std")))
        case nil: throw CommandTypingError(message: "unknown transform step '\(step.command)'", range: step.range)
        }
      }
      self = .transform(steps)
    case .build:
      self = .build(
        BuildArguments(
          dims: args.intList("dims"), epochs: args.int("epochs"), lr: args.number("lr"),
          threshold: args.number("threshold"), eps: args.number("eps"), links: Self.links(of: statement)))
    case .learn:
      self = .learn(
        LearnArguments(
          layer: args.optionalInt("layer"), epochs: args.optionalInt("epochs"),
          negatives: try word("negatives", NegativesChoice.self), data: args.word("data"), every: args.optionalInt("every")))
    case .predict:
      self = .predict(PredictArguments(data: args.word("data"), confusion: args.bool("confusion"), skipFirst: args.bool("skip_first")))
    case .show:
      self = .show(ShowArguments(what: try word("what", ShowTarget.self), index: args.optionalInt("index"), data: args.optionalWord("data")))
    case .plot:
      self = .plot(PlotArguments(what: try word("what", PlotTarget.self), to: args.optionalString("to")))
    case .save:
      _ = try word("what", SaveTarget.self)
      self = .saveModel(path: args.string("path"))
    case .print:
      self = .print(args.rest)
    case .help:
      self = .help(topic: args.optionalWord("command"))
    }
  }

  /// Hyperparameters of a `build` written as a plain variable (`lr=lr`, `build dims`).
  static func links(of statement: Statement) -> [String: String] {
    guard case .command(_, let arguments) = statement.kind else { return [:] }
    var links: [String: String] = [:]
    for argument in arguments {
      guard case .identifier(let variable) = argument.value else { continue }
      let label = argument.label?.name ?? "dims"
      if ["dims", "lr", "threshold", "epochs"].contains(label) { links[label] = variable.name }
    }
    return links
  }
}
