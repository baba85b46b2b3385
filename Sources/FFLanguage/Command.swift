/// One statement, typed: the command and its arguments as a struct, made from the binder's
/// `BoundArguments` in one place (`Command.init(_:)`), so no handler reads an argument by a
/// string key. `set` is a case too: every statement is a `Command`.
package enum Command: Sendable, Hashable {
  case set(name: String, value: Value)
  case seed(UInt64)
  /// The operands of later `learn`s' and `predict`s' products (those without `precision=`).
  case precision(PrecisionChoice)
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
  /// How many of the loaded examples (the last ones) become the data set `validation` instead.
  package var validation: Int?

  package init(
    dataset: LoadSource, split: SplitChoice, batch: Int?, shuffle: Bool, root: String?, name: String, validation: Int? = nil
  ) {
    self.dataset = dataset
    self.split = split
    self.batch = batch
    self.shuffle = shuffle
    self.root = root
    self.name = name
    self.validation = validation
  }

  /// The name of the split `validation=` carves off.
  package static let validationName = "validation"
  /// Why `validation=` refuses `as=validation` (the interpreter and `ffnb check` alike).
  package static let validationNameTaken =
    "`validation=` names the held-out part '\(validationName)'; give the rest another name with as="
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
  /// Nil: the recipe's (1e-4 for the seed's, 1e-30 for Hinton's).
  package var eps: Double?
  /// Hyperparameter ("dims", "epochs", "lr", "threshold") -> the variable it was given as.
  package var links: [String: String]
  package var recipe: RecipeChoice = .seed
  /// Each part of the recipe written out; nil parts come from `recipe`.
  package var parts = RecipeParts()

  package init(
    dims: [Int], epochs: Int, lr: Double, threshold: Double, eps: Double?, links: [String: String],
    recipe: RecipeChoice = .seed, parts: RecipeParts = RecipeParts()
  ) {
    self.dims = dims
    self.epochs = epochs
    self.lr = lr
    self.threshold = threshold
    self.eps = eps
    self.links = links
    self.recipe = recipe
    self.parts = parts
  }
}

/// The parts of a model's recipe a `build` wrote out (nil: the named recipe's).
package struct RecipeParts: Sendable, Hashable {
  package var normalization: NormalizationChoice?
  package var goodness: GoodnessChoice?
  package var temperature: Double?
  package var initialization: InitializationChoice?
  package var labels: LabelsChoice?
  package var labelStrength: Double?
  package var optimizer: OptimizerChoice?
  package var momentum: Double?
  package var decay: Double?
  package var peer: Double?
  package var peerMomentum: Double?
  /// Hidden layers feeding the softmax head; `[]`: no head.
  package var head: [Int]?
  package var headLR: Double?
  package var headDecay: Double?

  package init() {}
}

/// `learn layer= epochs= negatives= data= every=`.
package struct LearnArguments: Sendable, Hashable {
  package var layer: Int?
  package var epochs: Int?
  /// Nil: the model's recipe's (random for the seed's, hard for Hinton's).
  package var negatives: NegativesChoice?
  package var data: String
  package var every: Int?
  /// Pairs per mini-batch; nil: the recipe's (the whole set for the seed's, 100 for Hinton's).
  package var batch: Int?
  /// Nil: the recipe's (greedy for the seed's, together for Hinton's).
  package var schedule: ScheduleChoice?
  /// Nil: the recipe's (constant for the seed's, linear for Hinton's).
  package var lrSchedule: RateScheduleChoice?
  /// A loaded data set to measure the error on as training goes.
  package var eval: String?
  /// Every how many epochs `eval` is measured (nil: at each progress line).
  package var evalEvery: Int?
  /// Random shifts of up to this many pixels (augmentation); 0: none.
  package var shift: Int = 0
  /// The products' operands; nil: the session's (fp32 unless `--precision bf16`).
  package var precision: PrecisionChoice?

  package init(
    layer: Int?, epochs: Int?, negatives: NegativesChoice?, data: String, every: Int?, batch: Int? = nil,
    schedule: ScheduleChoice? = nil, lrSchedule: RateScheduleChoice? = nil, eval: String? = nil, evalEvery: Int? = nil,
    shift: Int = 0, precision: PrecisionChoice? = nil
  ) {
    self.layer = layer
    self.epochs = epochs
    self.negatives = negatives
    self.data = data
    self.every = every
    self.batch = batch
    self.schedule = schedule
    self.lrSchedule = lrSchedule
    self.eval = eval
    self.evalEvery = evalEvery
    self.shift = shift
    self.precision = precision
  }
}

/// `predict data confusion= skip_first=`.
package struct PredictArguments: Sendable, Hashable {
  package var data: String
  package var confusion: Bool
  /// Nil: the recipe's (false for the seed's; Hinton's leaves layer 1 out).
  package var skipFirst: Bool?
  package var by: PredictByChoice = .goodness
  /// Also each layer's own accuracy by its goodness alone.
  package var layers: Bool = false
  /// The products' operands; nil: the session's (fp32 unless `--precision bf16`).
  package var precision: PrecisionChoice?

  package init(
    data: String, confusion: Bool, skipFirst: Bool?, by: PredictByChoice = .goodness, layers: Bool = false,
    precision: PrecisionChoice? = nil
  ) {
    self.data = data
    self.confusion = confusion
    self.skipFirst = skipFirst
    self.by = by
    self.layers = layers
    self.precision = precision
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
    func optionalWord<T: RawRepresentable<String>>(_ key: String, _: T.Type) throws(CommandTypingError) -> T? {
      guard args.optionalWord(key) != nil else { return nil }
      return try word(key, T.self)
    }
    switch name {
    case .seed:
      self = .seed(UInt64(max(args.int("seed"), 0)))
    case .precision:
      self = .precision(try word("precision", PrecisionChoice.self))
    case .load:
      let source = try word("dataset", LoadSource.self)
      if source == .model {
        guard let path = args.optionalString("path") else {
          throw CommandTypingError(
            message: "`load model` needs the model file, as in load model \"runs/mnist.ffm\"", range: args.range)
        }
        // The data set options (every named one of `load`) mean nothing to a model file:
        // refused rather than ignored, a split as well.
        if let option = (["split"] + CommandName.load.spec.named.map(\.name)).first(where: args.has) {
          throw CommandTypingError(
            message: "\(option)= is an option of loading a data set; `load model` takes only the model file", range: args.range(of: option))
        }
        self = .loadModel(path: path)
        return
      }
      if args.optionalString("path") != nil {
        throw CommandTypingError(message: "a data set takes a split (train or test), not a file", range: args.range(of: "path"))
      }
      let split = args.optionalWord("split").flatMap(SplitChoice.init(rawValue:)) ?? .train
      let name = args.optionalWord("as") ?? split.rawValue
      let validation = args.optionalInt("validation")
      if validation != nil && name == LoadArguments.validationName {
        throw CommandTypingError(message: LoadArguments.validationNameTaken, range: args.range(of: "validation"))
      }
      self = .load(
        LoadArguments(
          dataset: source, split: split, batch: args.optionalInt("batch"), shuffle: args.bool("shuffle"),
          root: args.optionalString("root"), name: name, validation: validation))
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
      var parts = RecipeParts()
      parts.normalization = try optionalWord("norm", NormalizationChoice.self)
      parts.goodness = try optionalWord("goodness", GoodnessChoice.self)
      parts.temperature = args.optionalNumber("temperature")
      parts.initialization = try optionalWord("init", InitializationChoice.self)
      parts.labels = try optionalWord("labels", LabelsChoice.self)
      parts.labelStrength = args.optionalNumber("label_strength")
      parts.optimizer = try optionalWord("optimizer", OptimizerChoice.self)
      parts.momentum = args.optionalNumber("momentum")
      parts.decay = args.optionalNumber("decay")
      parts.peer = args.optionalNumber("peer")
      parts.peerMomentum = args.optionalNumber("peer_momentum")
      parts.head = args.optionalList("head").map { $0.compactMap(\.intValue) }
      parts.headLR = args.optionalNumber("head_lr")
      parts.headDecay = args.optionalNumber("head_decay")
      // A head past the model's layers (the table bounds each entry alone; `ffnb check` types commands too).
      let hidden = args.intList("dims").count - 1
      if let beyond = parts.head?.first(where: { $0 > hidden }) {
        throw CommandTypingError(message: "the head reads layer \(beyond), but the model has layers 1...\(hidden)", range: args.range(of: "head"))
      }
      self = .build(
        BuildArguments(
          dims: args.intList("dims"), epochs: args.int("epochs"), lr: args.number("lr"),
          threshold: args.number("threshold"), eps: args.optionalNumber("eps"), links: Self.links(of: statement),
          recipe: try word("recipe", RecipeChoice.self), parts: parts))
    case .learn:
      self = .learn(
        LearnArguments(
          layer: args.optionalInt("layer"), epochs: args.optionalInt("epochs"),
          negatives: try optionalWord("negatives", NegativesChoice.self), data: args.word("data"),
          every: args.optionalInt("every"), batch: args.optionalInt("batch"),
          schedule: try optionalWord("schedule", ScheduleChoice.self),
          lrSchedule: try optionalWord("lr_schedule", RateScheduleChoice.self), eval: args.optionalWord("eval"),
          evalEvery: args.optionalInt("eval_every"), shift: args.int("shift"),
          precision: try optionalWord("precision", PrecisionChoice.self)))
    case .predict:
      self = .predict(
        PredictArguments(
          data: args.word("data"), confusion: args.bool("confusion"), skipFirst: args.optionalBool("skip_first"),
          by: try word("by", PredictByChoice.self), layers: args.bool("layers"),
          precision: try optionalWord("precision", PrecisionChoice.self)))
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
