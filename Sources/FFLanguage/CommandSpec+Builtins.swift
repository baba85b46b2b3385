// The built-in commands: the one table `help`, `ffnb check`, completion, docs/language.md and
// the interpreter's argument binding all read. Defaults follow the seed notebook's `Learning`
// layer (10 epochs, lr 0.01, threshold 2.0, eps 1e-4) and its network (784-1000-500-200).

extension CommandSpec {
  /// Every command the interpreter implements, in the order `help` lists them.
  public static let builtins: [CommandSpec] = CommandName.allCases.map(\.spec)

  /// `set name = expr`: a statement form, not a command, described for `help set`.
  public static let assignment = CommandSpec(
    name: "set",
    summary: "define or change a variable; later statements use it by name (a cell tagged "
      + "`parameters` holds the defaults that `ffnb run -p name=value` overrides)",
    examples: ["set epochs = 350", "set dims = [784, 1000, 500, 200]", "set lr = 0.15", "build dims epochs=epochs lr=lr"],
    syntax: "set <name> = <expr>")

  /// The transform steps `transform` accepts, in pipeline order of the seed notebook.
  public static let transformSteps: [CommandSpec] = TransformStepName.allCases.map(\.spec)

  /// Names known to `help`: every command, `set`, and the transform steps.
  static var helpTopicNames: [String] {
    CommandName.names + [assignment.name] + TransformStepName.names
  }
}

extension CommandName {
  /// `precision=` of `learn` and `predict`.
  static let precisionArgument = ParameterSpec(
    "precision", .word(choices: PrecisionChoice.names),
    doc: "operands of the matrix products: fp32 (exact), or bf16 with fp32 accumulation (2-3x faster where the CPU has AMX or AVX512_BF16; fp32 with a note elsewhere)",
    absent: "the session's: fp32, unless set by `precision` or `--precision`")

  /// This command's entry in the command table.
  package var spec: CommandSpec {
    switch self {
    case .seed:
      CommandSpec(
        name: rawValue, summary: "seed the random generator (weights, shuffling, negative labels)",
        positionals: [.init("seed", .int, required: true, doc: "the seed", minimum: 0)],
        examples: ["seed 0"])
    case .precision:
      CommandSpec(
        name: rawValue, summary: "set the operands of later learns' and predicts' matrix products: fp32 (the default) or bf16",
        positionals: [
          .init(
            "precision", .word(choices: PrecisionChoice.names), required: true,
            doc: "fp32 (exact), or bf16 with fp32 accumulation where the CPU has AMX or AVX512_BF16 (fp32 with a note elsewhere)")
        ],
        examples: ["precision bf16", "precision fp32"])
    case .load:
      CommandSpec(
        name: rawValue, summary: "load a data set split (or a saved model)",
        positionals: [
          .init(
            "dataset", .word(choices: LoadSource.names), required: true,
            doc: "which data set, or `model` to load a saved model"),
          .init(
            "source", .oneOf([.word(choices: SplitChoice.names), .string]),
            doc: "the split, or the model file",
            alternatives: [
              .init("split", .word(choices: SplitChoice.names), default: .word("train"), doc: "which split"),
              .init("path", .string, doc: "model file to load (with `load model`)", absent: "none"),
            ]),
        ],
        named: [
          .init("batch", .int, doc: "how many examples to take (a DataLoader batch)", absent: "all", minimum: 1),
          .init("shuffle", .bool, default: .bool(true), doc: "shuffle before taking the batch"),
          .init("root", .string, doc: "directory holding the IDX files", absent: "$FFNB_DATA or ./data"),
          .init("as", .word(choices: []), doc: "name to refer to the loaded set by", absent: "the split"),
          .init(
            "validation", .int,
            doc: "hold out the last N examples as the data set `validation` (no second copy in memory)",
            absent: "none", minimum: 1),
        ],
        examples: [
          "load mnist train batch=10000", "load mnist test batch=1000 as=test", "load mnist train validation=10000",
          "load fashion-mnist train shuffle=false", "load model \"runs/mnist.ffm\"",
        ])
    case .transform:
      CommandSpec(
        name: rawValue, summary: "set the transforms applied to examples by later loads",
        positionals: [
          .init("steps", .pipeline, required: true, doc: "steps joined by |: to-tensor, normalize(mean, std), flatten")
        ],
        examples: ["transform to-tensor | normalize(mean=0.1, std=0.1) | flatten"])
    case .build:
      CommandSpec(
        name: rawValue, summary: "build a Forward-Forward network (one layer per pair of sizes)",
        positionals: [
          .init(
            "dims", .list(.int), default: .list([.int(784), .int(1000), .int(500), .int(200)]),
            doc: "layer sizes, input first", minimum: 1, maximum: CommandLimits.layerSize, minimumCount: 2)
        ],
        named: [
          .init("epochs", .int, default: .int(10), doc: "epochs per layer", minimum: 1, maximum: CommandLimits.epochs),
          .init("lr", .number, default: .number(0.01), doc: "Adam learning rate", minimum: 0, inclusive: false, float32: true),
          .init("threshold", .number, default: .number(2.0), doc: "goodness threshold", float32: true),
          .init("eps", .number, doc: "added to the input norm", absent: "the recipe's: 1e-4 (seed), 1e-30 (hinton)", minimum: 0, float32: true),
          .init(
            "recipe", .word(choices: RecipeChoice.names), default: .word(RecipeChoice.seed.rawValue),
            doc: "the defaults of every choice below (and of learn's batch, schedule, negatives, lr_schedule, and predict's "
              + "skip_first): seed (the notebook's) or hinton (Hinton's ffcode)"),
          .init(
            "norm", .word(choices: NormalizationChoice.names),
            doc: "input normalisation: l2, x / (||x|| + eps), or rms, x / (eps + sqrt(mean(x^2)))", absent: "the recipe's"),
          .init(
            "goodness", .word(choices: GoodnessChoice.names),
            doc: "mean: mean(h^2) against threshold; sum: logistic((sum(h^2) - units) / temperature)", absent: "the recipe's"),
          .init("temperature", .number, doc: "divides the sum goodness logit", absent: "1", minimum: 0, inclusive: false, float32: true),
          .init(
            "init", .word(choices: InitializationChoice.names),
            doc: "randn: unscaled standard normal weights and biases; scaled: N(0, 1/fan_in) weights, zero biases",
            absent: "the recipe's"),
          .init(
            "labels", .word(choices: LabelsChoice.names),
            doc: "label pixels: max (the batch's largest pixel) or onehot (label_strength)", absent: "the recipe's"),
          .init("label_strength", .number, doc: "the one-hot label pixel", absent: "1", minimum: 0, inclusive: false, float32: true),
          .init(
            "optimizer", .word(choices: OptimizerChoice.names),
            doc: "adam, or smoothed: G = momentum G + (1 - momentum) dW / batch, W -= lr (G + decay W)", absent: "the recipe's"),
          .init("momentum", .number, doc: "gradient smoothing of the smoothed optimizer and of the head", absent: "0.9", minimum: 0,
                maximum: 1, maximumInclusive: false, float32: true),
          .init("decay", .number, doc: "weight decay of the smoothed optimizer (not on biases)", absent: "0.001", minimum: 0, float32: true),
          .init("peer", .number, doc: "peer normalisation strength; 0 turns it off", absent: "the recipe's: 0 (seed), 0.03 (hinton)", minimum: 0, float32: true),
          .init("peer_momentum", .number, doc: "smoothing of the running mean activity peer normalisation uses", absent: "0.9", minimum: 0,
                maximum: 1, maximumInclusive: false, float32: true),
          .init(
            "head", .list(.int), doc: "hidden layers whose normalised activities feed a softmax head; [] for none",
            absent: "the recipe's: none (seed), layers 2 and up (hinton)", minimum: 1, increasing: true),
          .init("head_lr", .number, doc: "the head's rate", absent: "0.1", minimum: 0, inclusive: false, float32: true),
          .init("head_decay", .number, doc: "the head's weight decay", absent: "0.003", minimum: 0, float32: true),
        ],
        examples: [
          "build [784, 1000, 500, 200] epochs=350 lr=0.15 threshold=2", "build dims=[784, 500] epochs=5",
          "build [784, 1000, 1000, 1000] recipe=hinton epochs=100", "build [784, 500, 500] norm=rms peer=0.03 head=[2]",
        ])
    case .learn:
      CommandSpec(
        name: rawValue, summary: "train the layers: greedily one after another, or all together on mini-batches",
        named: [
          .init("layer", .int, doc: "train only this layer (1-based)", absent: "all layers", minimum: 1),
          .init(
            "epochs", .int, doc: "epochs for this run", absent: "the build's epochs", minimum: 1, maximum: CommandLimits.epochs),
          .init(
            "negatives", .word(choices: NegativesChoice.names),
            doc: "negative labels: random (as the seed), always wrong, or hard (drawn from the head's belief)",
            absent: "the recipe's: random (seed), hard (hinton)"),
          .init("data", .word(choices: []), default: .word("train"), doc: "the loaded set to learn from", dataset: true),
          .init(
            "every", .int, doc: "print a progress line every N epochs (and the first and last)",
            absent: "about ten lines per layer", minimum: 1),
          .init(
            "batch", .int, doc: "pairs per mini-batch, reshuffled every epoch",
            absent: "the recipe's: the whole set (seed), 100 (hinton)", minimum: 1),
          .init(
            "schedule", .word(choices: ScheduleChoice.names),
            doc: "greedy: each layer all its epochs, then the next; together: every mini-batch updates every layer",
            absent: "the recipe's: greedy (seed), together (hinton)"),
          .init(
            "lr_schedule", .word(choices: RateScheduleChoice.names),
            doc: "constant, or linear: constant for the first half of the epochs, then down to about 0",
            absent: "the recipe's: constant (seed), linear (hinton)"),
          .init("eval", .word(choices: []), doc: "a loaded set whose error is printed as training goes (and kept for `plot errors`)",
                absent: "none", dataset: true),
          .init("eval_every", .int, doc: "measure `eval` every N epochs (and after the last)", absent: "at each progress line", minimum: 1),
          .init(
            "shift", .int, default: .int(0),
            doc: "augment: move each image by up to N pixels each way, drawn afresh each time it is used (schedule=together)",
            minimum: 0, maximum: 8),
          CommandName.precisionArgument,
        ],
        examples: [
          "learn", "learn layer=1 epochs=50 every=10", "learn negatives=wrong",
          "learn batch=100 schedule=together negatives=hard lr_schedule=linear eval=validation",
          "learn precision=bf16",
        ])
    case .predict:
      CommandSpec(
        name: rawValue, summary: "predict labels by goodness (or the softmax head) and print the accuracy",
        positionals: [
          .init("data", .word(choices: []), default: .word("test"), doc: "the loaded set to predict", dataset: true)
        ],
        named: [
          .init("confusion", .bool, default: .bool(false), doc: "also print the confusion matrix"),
          .init(
            "skip_first", .bool, doc: "leave layer 1 out of the goodness sum",
            absent: "the recipe's: false (seed), true (hinton)"),
          .init(
            "by", .word(choices: PredictByChoice.names), default: .word(PredictByChoice.goodness.rawValue),
            doc: "goodness: the label with the most goodness; softmax: the head's choice from one neutral-label pass"),
          .init("layers", .bool, default: .bool(false), doc: "also print each layer's own accuracy by its goodness"),
          CommandName.precisionArgument,
        ],
        examples: ["predict train", "predict test confusion=true", "predict test by=softmax", "predict test layers=true"])
    case .show:
      CommandSpec(
        name: rawValue, summary: "show variables, the model, data, a sample image, settings or cells",
        positionals: [
          .init("what", .word(choices: ShowTarget.names), default: .word(ShowTarget.vars.rawValue), doc: "what to show"),
          .init("index", .int, doc: "which sample", absent: "the first", minimum: 0),
        ],
        named: [.init("data", .word(choices: []), doc: "which loaded set", absent: "train", dataset: true)],
        examples: ["show vars", "show sample 3 data=test", "show model"])
    case .plot:
      CommandSpec(
        name: rawValue, summary: "plot the loss curves, the confusion matrix, or the errors `learn eval=` measured",
        positionals: [
          .init("what", .word(choices: PlotTarget.names), default: .word(PlotTarget.loss.rawValue), doc: "what to plot")
        ],
        named: [
          .init("to", .string, doc: "write an SVG file instead of drawing in the terminal", absent: "the terminal")
        ],
        examples: ["plot loss", "plot loss to=\"loss.svg\""])
    case .save:
      CommandSpec(
        name: rawValue, summary: "save the model to a file",
        positionals: [
          .init("what", .word(choices: SaveTarget.names), required: true, doc: "what to save"),
          .init("path", .string, required: true, doc: "the file to write"),
        ],
        examples: ["save model \"runs/mnist.ffm\""])
    case .print:
      CommandSpec(
        name: rawValue, summary: "print values separated by spaces",
        rest: .init("values", .any, doc: "values to print"),
        examples: ["print \"lr is\" lr", "print epochs * 2"])
    case .help:
      CommandSpec(
        name: rawValue, summary: "list the commands, or describe one (the topic is a bare word, never a variable)",
        positionals: [
          .init(
            "command", .word(choices: CommandSpec.helpTopicNames), doc: "the command to describe", absent: "list all",
            bare: true)
        ],
        examples: ["help", "help learn"])
    }
  }
}

/// The largest values the runtime can hold, where a command takes them: refused where the user
/// writes them (`build epochs=5000000000`), not when the model is saved. FFRuntime's
/// `LayerHyperparameters.maximumEpochs` and `FFModel.maximumLayerSize` are the same numbers
/// (this module cannot import FFRuntime; FFNotebookTests checks they agree).
package enum CommandLimits {
  /// Epochs per `build` or `learn`.
  package static let epochs: Double = 1_000_000
  /// An entry of `build` dims: 2^24 - 1, what a model file holds.
  package static let layerSize: Double = 16_777_215
}

/// The transform steps, in the seed notebook's pipeline order.
package enum TransformStepName: String, CaseIterable, Sendable, Hashable {
  case toTensor = "to-tensor"
  case normalize
  case flatten

  /// This step's entry in the table `transform` binds against.
  package var spec: CommandSpec {
    switch self {
    case .toTensor:
      CommandSpec(
        name: rawValue, summary: "bytes 0...255 to numbers 0...1 (torchvision ToTensor)",
        examples: ["transform to-tensor"])
    case .normalize:
      CommandSpec(
        name: rawValue, summary: "(x - mean) / std (torchvision Normalize)",
        positionals: [
          .init("mean", .number, required: true, doc: "subtracted"),
          .init("std", .number, required: true, doc: "divided by", minimum: 0, inclusive: false),
        ],
        examples: ["transform to-tensor | normalize(mean=0.1, std=0.1)", "transform normalize(0.1307, 0.3081)"])
    case .flatten:
      CommandSpec(
        name: rawValue, summary: "28x28 images to rows of 784 (torch.flatten)",
        examples: ["transform to-tensor | flatten"])
    }
  }
}
