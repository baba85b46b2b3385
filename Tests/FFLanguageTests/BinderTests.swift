import Testing

@testable import FFLanguage

@Suite("Binder")
struct BinderTests {
  @Test("defaults apply and explicit arguments are tracked")
  func defaults() throws {
    let args = try bind("build [784, 500] lr=1")
    #expect(args.command == "build")
    #expect(args.intList("dims") == [784, 500])
    #expect(args.int("epochs") == 10)
    #expect(args.number("lr") == 1.0)
    #expect(args.value("lr") == .number(1))
    #expect(args.number("threshold") == 2.0)
    #expect(args.optionalNumber("eps") == nil, "absent: the recipe's eps")
    #expect(args.word("recipe") == "seed")
    #expect(args.has("dims") && args.has("lr") && !args.has("epochs"))
    #expect(args.range(of: "lr").start.column == 21)

    let seedDims = try bind("build")
    #expect(seedDims.intList("dims") == [784, 1000, 500, 200])
    #expect(!seedDims.has("dims"))
  }

  @Test("learn: optional parameters stay absent, choices and data sets bind as words")
  func learn() throws {
    let plain = try bind("learn")
    #expect(plain.optionalInt("layer") == nil)
    #expect(plain.optionalInt("epochs") == nil)
    #expect(plain.optionalWord("negatives") == nil, "absent: the recipe's")
    #expect(plain.optionalInt("batch") == nil && plain.optionalWord("schedule") == nil && plain.optionalWord("eval") == nil)
    #expect(plain.word("data") == "train")
    let full = try bind("learn layer=2 epochs=n negatives=wrong data=val every=5", Environment(variables: ["n": .int(7)]))
    #expect(full.optionalInt("layer") == 2)
    #expect(full.int("epochs") == 7)
    #expect(full.word("negatives") == "wrong")
    #expect(full.word("data") == "val")
    #expect(full.optionalInt("every") == 5)
  }

  @Test("load: the second positional is a split or a model path")
  func load() throws {
    let train = try bind("load mnist test batch=1000 shuffle=false")
    #expect(train.word("dataset") == "mnist")
    #expect(train.word("split") == "test")
    #expect(train.optionalString("path") == nil)
    #expect(train.optionalInt("batch") == 1000)
    #expect(train.bool("shuffle") == false)
    #expect(train.optionalWord("as") == nil)

    let model = try bind("load model \"runs/m.ffm\"")
    #expect(model.word("dataset") == "model")
    #expect(model.string("path") == "runs/m.ffm")
    #expect(!model.has("split"))

    let named = try bind("load fashion-mnist split=train as=small root=\"/data\"")
    #expect(named.word("split") == "train" && named.word("as") == "small" && named.string("root") == "/data")
    #expect(try bind("load mnist").word("split") == "train")
  }

  @Test("transform: steps bound against the step table")
  func transform() throws {
    let args = try bind("transform to-tensor | normalize(mean=0.1, std=0.3) | flatten")
    #expect(args.steps.map(\.command) == ["to-tensor", "normalize", "flatten"])
    #expect(args.steps[1].number("mean") == 0.1)
    #expect(args.steps[1].number("std") == 0.3)
    let positional = try bind("transform normalize(1, 2)")
    #expect(positional.steps.first?.number("mean") == 1.0)
    #expect(positional.steps.first?.number("std") == 2.0)
    #expect(try bind("transform flatten").steps.map(\.command) == ["flatten"])

    let env = Environment(variables: ["base": .pipeline([.word("to-tensor"), .word("flatten")])])
    #expect(try bind("transform base", env).steps.map(\.command) == ["to-tensor", "flatten"])
    let steps = try Binder.steps(of: .pipeline([.word("flatten")]), at: args.range)
    #expect(steps.map(\.command) == ["flatten"])
  }

  @Test("other commands")
  func others() throws {
    #expect(try bind("seed 42").int("seed") == 42)
    #expect(try bind("predict").word("data") == "test")
    #expect(try bind("predict train skip_first=true").bool("skip_first"))
    let show = try bind("show sample 3 data=test")
    #expect(show.word("what") == "sample" && show.optionalInt("index") == 3 && show.optionalWord("data") == "test")
    #expect(try bind("show").word("what") == "vars")
    #expect(try bind("plot confusion to=\"c.svg\"").optionalString("to") == "c.svg")
    #expect(try bind("save model \"m.ffm\"").string("path") == "m.ffm")
    #expect(try bind("print \"a\" 1 [2]").rest == [.string("a"), .int(1), .list([.int(2)])])
    #expect(try bind("help set").optionalWord("command") == "set")
  }

  @Test("binding errors have exact messages and point at the argument", arguments: [
    ("lern epochs=10", "unknown command 'lern'; did you mean 'learn'?", 1),
    ("frobnicate", "unknown command 'frobnicate' (try 'help' for the list)", 1),
    ("learn epoch=10", "unknown argument 'epoch' for 'learn'; did you mean 'epochs'? (valid: layer, epochs, negatives, data, every, batch, schedule, lr_schedule, eval, eval_every, shift, precision)", 7),
    ("learn 10", "'learn' takes only named arguments (layer=, epochs=, negatives=, data=, every=, batch=, schedule=, lr_schedule=, eval=, eval_every=, shift=, precision=)", 7),
    ("seed 1 2", "too many arguments: 'seed' takes 1 positional argument, got 2 (usage: seed <seed>)", 8),
    ("seed", "'seed' needs a 'seed' argument (usage: seed <seed>)", 1),
    ("save model", "'save' needs a 'path' argument (usage: save <what> <path>)", 1),
    ("learn epochs=\"ten\"", "'epochs' expects an int, got string \"ten\"", 14),
    ("learn epochs=2.5", "'epochs' expects an int, got number 2.5", 14),
    ("learn negatives=wrng", "invalid choice 'wrng' for 'negatives'; did you mean 'wrong'? (choices: random, wrong, hard)", 17),
    ("learn epochs=1 epochs=2", "duplicate argument 'epochs'", 16),
    ("build [784, 1] dims=[1, 2]", "duplicate argument 'dims' (given by position and by name)", 16),
    ("load mnist train split=test", "duplicate argument 'split' (given by position and by name)", 18),
    ("learn lr=lrr", "unknown argument 'lr' for 'learn' (valid: layer, epochs, negatives, data, every, batch, schedule, lr_schedule, eval, eval_every, shift, precision)", 7),
    ("build lr=lrr", "undefined variable 'lrr'; did you mean 'lr'?", 10),
    ("build lr=zzz", "undefined variable 'zzz'", 10),
    ("learn epochs=0", "'epochs' must be at least 1, got 0", 14),
    ("build lr=0", "'lr' must be greater than 0.0, got 0.0", 10),
    ("build [784]", "'dims' needs at least 2 entries, got 1", 7),
    ("build [784, 0]", "entries of 'dims' must be at least 1, got 0", 7),
    ("build [784, 1.5]", "'dims' expects a list of ints, got list [784, 1.5]", 7),
    ("load mnist 3", "'split|path' expects one of train, test or a string, got int 3", 12),
    ("load mnst", "invalid choice 'mnst' for 'dataset'; did you mean 'mnist'? (choices: mnist, fashion-mnist, model)", 6),
    ("transform flaten", "unknown transform step 'flaten'; did you mean 'flatten'? (steps: to-tensor, normalize, flatten)", 11),
    ("transform to-tensor | normalise(mean=0.1, std=0.1)", "unknown transform step 'normalise'; did you mean 'normalize'? (steps: to-tensor, normalize, flatten)", 23),
    ("transform normalize(mean=0.1)", "'normalize' needs a 'std' argument (usage: normalize <mean> <std>)", 11),
    ("transform normalize(mean=0.1, sd=0.1)", "unknown argument 'sd' for 'normalize'; did you mean 'std'? (valid: mean, std)", 31),
    ("transform normalize(mean=0.1, std=0)", "'std' must be greater than 0.0, got 0.0", 35),
    ("transform flatten(1)", "'flatten' takes no arguments", 19),
    ("transform 3", "'steps' expects transform steps, got int 3", 11),
    ("transform to-tensor | 3", "a transform step is a name or a call such as normalize(mean=0.1, std=0.1); got int 3", 23),
    ("show smaple", "invalid choice 'smaple' for 'what'; did you mean 'sample'? (choices: vars, model, data, sample, hyper, transform, cells)", 6),
    ("help lern", "invalid choice 'lern' for 'command'; did you mean 'learn'? (choices: seed, precision, load, transform, build, learn, predict, show, plot, save, print, help, set, to-tensor, normalize, flatten)", 6),
  ])
  func errors(_ text: String, _ message: String, _ column: Int) throws {
    let diagnostic = try bindError(text, Environment(variables: ["lr": .number(0.1)]))
    #expect(diagnostic.message == message)
    #expect(diagnostic.location.column == column)
    #expect(diagnostic.location.line == 1)
  }

  @Test("did-you-mean carries the replacement for tools")
  func suggestionField() throws {
    #expect(try bindError("lern").suggestion == "learn")
    #expect(try bindError("learn negatives=wrng").suggestion == "wrong")
  }

  @Test("the help topic list matches the table")
  func helpTopics() {
    #expect(CommandSpec.helpTopicNames == CommandSpec.helpTopics)
    for topic in CommandSpec.helpTopics {
      #expect(CommandSpec.help(topic: topic) != nil, "\(topic)")
    }
  }

  @Test("help text lists every parameter with its default")
  func helpText() throws {
    let learn = try #require(CommandSpec.builtin(named: "learn"))
    #expect(learn.usage == "learn [layer=int] [epochs=int] [negatives=random|wrong|hard] [data=name] [every=int] [batch=int] "
      + "[schedule=greedy|together] [lr_schedule=constant|linear] [eval=name] [eval_every=int] [shift=int] [precision=fp32|bf16]")
    #expect(learn.helpText.contains(
      "negatives    negative labels: random (as the seed), always wrong, or hard (drawn from the head's belief) "
        + "(random|wrong|hard, default: the recipe's: random (seed), hard (hinton))"), "\(learn.helpText)")
    #expect(learn.helpText.contains("layer        train only this layer (1-based) (int, default: all layers)"), "\(learn.helpText)")
    let load = try #require(CommandSpec.builtin(named: "load"))
    #expect(load.usage == "load <dataset> [split|path] [batch=int] [shuffle=bool] [root=string] [as=name] [validation=int]")
    #expect(CommandSpec.assignment.usage == "set <name> = <expr>")
    #expect(CommandSpec.builtin(named: "print")?.usage == "print [values...]")
  }
}
