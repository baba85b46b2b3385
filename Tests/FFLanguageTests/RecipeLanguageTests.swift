import Testing

@testable import FFLanguage

/// Hinton's recipe in the language: the new arguments bind and type, `ffnb check` knows the
/// `validation` split a load carves off, and help lists every new argument.
@Suite("Hinton's recipe in the language")
struct RecipeLanguageTests {
  /// The typed command of one line.
  func command(_ text: String) throws -> Command {
    try Command(try bind(text), statement: try statement(text))
  }

  @Test("build: recipe and each part bind; absent parts stay nil for the recipe to fill")
  func buildParts() throws {
    guard case .build(let plain) = try command("build [784, 20, 20]") else { throw TestFailure("not a build") }
    #expect(plain.recipe == .seed && plain.parts == RecipeParts() && plain.eps == nil)
    let text = "build [784, 20, 20, 20] recipe=hinton norm=l2 goodness=mean temperature=2 init=randn labels=max "
      + "label_strength=3 optimizer=adam momentum=0.5 decay=0.01 peer=0 peer_momentum=0.8 head=[2, 3] head_lr=0.2 head_decay=0"
    guard case .build(let full) = try command(text) else { throw TestFailure("not a build") }
    #expect(full.recipe == .hinton)
    let p = full.parts
    #expect(p.normalization == .l2 && p.goodness == .mean && p.temperature == 2 && p.initialization == .randn)
    #expect(p.labels == .max && p.labelStrength == 3 && p.optimizer == .adam && p.momentum == 0.5 && p.decay == 0.01)
    #expect(p.peer == 0 && p.peerMomentum == 0.8 && p.head == [2, 3] && p.headLR == 0.2 && p.headDecay == 0)
    guard case .build(let noHead) = try command("build [784, 20, 20] recipe=hinton head=[]") else { throw TestFailure("not a build") }
    #expect(noHead.parts.head == [], "[] turns the recipe's head off")
  }

  @Test("learn, predict, plot: the new choices bind; absent ones stay nil")
  func learnAndPredict() throws {
    guard case .learn(let plain) = try command("learn") else { throw TestFailure("not a learn") }
    #expect(plain.negatives == nil && plain.batch == nil && plain.schedule == nil && plain.lrSchedule == nil)
    #expect(plain.eval == nil && plain.evalEvery == nil)
    let text = "learn batch=100 schedule=together negatives=hard lr_schedule=linear eval=validation eval_every=5"
    guard case .learn(let full) = try command(text) else { throw TestFailure("not a learn") }
    #expect(full.batch == 100 && full.schedule == .together && full.negatives == .hard && full.lrSchedule == .linear)
    #expect(full.eval == "validation" && full.evalEvery == 5)
    guard case .predict(let predict) = try command("predict test by=softmax layers=true") else { throw TestFailure("not a predict") }
    #expect(predict.by == .softmax && predict.layers && predict.skipFirst == nil)
    guard case .predict(let byDefault) = try command("predict") else { throw TestFailure("not a predict") }
    #expect(byDefault.by == .goodness && !byDefault.layers)
    guard case .plot(let plot) = try command("plot errors to=\"e.svg\"") else { throw TestFailure("not a plot") }
    #expect(plot.what == .errors && plot.to == "e.svg")
  }

  @Test("binding refusals of the new arguments point at the value", arguments: [
    ("learn batch=0", "'batch' must be at least 1, got 0", 13),
    ("learn eval_every=0", "'eval_every' must be at least 1, got 0", 18),
    ("learn schedule=togther", "invalid choice 'togther' for 'schedule'; did you mean 'together'? (choices: greedy, together)", 16),
    ("learn lr_schedule=cosine", "invalid choice 'cosine' for 'lr_schedule' (choices: constant, linear)", 19),
    ("build recipe=hinto", "invalid choice 'hinto' for 'recipe'; did you mean 'hinton'? (choices: seed, hinton)", 14),
    ("build temperature=0", "'temperature' must be greater than 0.0, got 0.0", 19),
    ("build momentum=-0.5", "'momentum' must be at least 0.0, got -0.5", 16),
    ("build head=[0]", "entries of 'head' must be at least 1, got 0", 12),
    ("predict by=head", "invalid choice 'head' for 'by' (choices: goodness, softmax)", 12),
    ("load mnist train validation=0", "'validation' must be at least 1, got 0", 29),
    ("build momentum=1", "'momentum' must be below 1.0, got 1.0", 16),
    ("build peer_momentum=1.5", "'peer_momentum' must be below 1.0, got 1.5", 21),
    ("build momentum=0.99999999", "'momentum' must be below 1.0, got 0.99999999 (1.0 in float32)", 16),
    ("build head=[3, 2]", "entries of 'head' must increase, each listed once: got [3, 2]", 12),
    ("build head=[2, 2]", "entries of 'head' must increase, each listed once: got [2, 2] (one is listed twice)", 12),
    ("build lr=1e39", "'lr' must fit in float32 (at most about 3.4e38 in size), got 1e+39", 10),
    ("build threshold=-1e39", "'threshold' must fit in float32 (at most about 3.4e38 in size), got -1e+39", 17),
    ("build eps=1e-300", "'eps' is too close to 0 for float32 (it would become 0; the smallest non-zero size is about 1.4e-45), got 1e-300", 11),
    ("build lr=-1e39", "'lr' must be greater than 0.0, got -1e+39", 10),
    ("build momentum=-1e-46", "'momentum' must be at least 0.0, got -1e-46", 16),
    ("build decay=1e-46", "'decay' is too close to 0 for float32 (it would become 0; the smallest non-zero size is about 1.4e-45), got 1e-46", 13),
  ])
  func bindingRefusals(_ text: String, _ message: String, _ column: Int) throws {
    let diagnostic = try bindError(text)
    #expect(diagnostic.message == message)
    #expect(diagnostic.location.column == column)
  }

  @Test("load validation=: the held-out part is 'validation', so the rest cannot be named that")
  func validationName() throws {
    guard case .load(let load) = try command("load mnist train batch=1000 validation=100") else { throw TestFailure("not a load") }
    #expect(load.validation == 100 && load.name == "train")
    #expect(Command.load(load).effects.writes == [.dataset("train"), .dataset("validation")])
    let text = "load mnist train validation=5 as=validation"
    do {
      _ = try command(text)
      Issue.record("\(text) must be refused")
    } catch let error as CommandTypingError {
      #expect(error.message == "`validation=` names the held-out part 'validation'; give the rest another name with as=")
      #expect(error.range.start.column == 29)
    }
  }

  @Test("a float32 argument keeps what float32 holds: 0 stays 0, 0.1 binds as written, the bounds hold at their edges")
  func float32Arguments() throws {
    guard case .build(let b) = try command("build eps=0 decay=0 momentum=0.1 peer_momentum=0 lr=3e38 head_lr=1.5e-45") else {
      throw TestFailure("not a build")
    }
    #expect(b.eps == 0 && b.parts.decay == 0 && b.parts.momentum == 0.1 && b.parts.peerMomentum == 0 && b.lr == 3e38)
    #expect(b.parts.headLR == 1.5e-45)
  }

  @Test("ffnb check refuses what the run refuses at typing, when the values are known", arguments: [
    ("build [784, 20, 20, 20] head=[5]", "the head reads layer 5, but the model has layers 1...3", 30),
    ("set d = [784, 20, 20]\nbuild d head=[2, 3]", "the head reads layer 3, but the model has layers 1...2", 14),
    ("load model \"m.ffm\" validation=10", "validation= is an option of loading a data set; `load model` takes only the model file", 31),
    ("load model \"m.ffm\" shuffle=false", "shuffle= is an option of loading a data set; `load model` takes only the model file", 28),
  ])
  func checkRefusesWhatTypingRefuses(_ text: String, _ message: String, _ column: Int) throws {
    let found = check(text + "\n")
    #expect(found.map(\.message) == [message])
    #expect(found.first?.location.column == column)
    // The run's typing says the same, at the same place (a line that binds alone).
    if !text.hasPrefix("set") {
      do {
        _ = try command(text)
        Issue.record("\(text) must be refused")
      } catch let error as CommandTypingError {
        #expect(error.message == message && error.range.start.column == column)
      }
    }
    // A value the checker cannot know (its `set` failed) is left to the run.
    #expect(check("set d = undefined_name\nbuild d head=[5]\n").map(\.message) == ["undefined variable 'undefined_name'"])
  }

  @Test("learn eval= reads the data set it measures")
  func evalEffects() throws {
    let learn = try command("learn eval=validation data=train")
    #expect(learn.effects.reads.contains(.dataset("validation")) && learn.effects.reads.contains(.dataset("train")))
  }

  @Test("ffnb check knows the validation split a load carves off")
  func checkerValidation() {
    let text = """
      %% code data
      load mnist train batch=1000 validation=100
      load mnist test batch=500

      %% code model
      build [784, 500, 500] recipe=hinton epochs=5
      learn batch=100 eval=validation eval_every=1
      plot errors
      predict validation by=softmax layers=true
      show sample 0 data=validation
      """
    #expect(check(text).isEmpty, "\(check(text))")
    // Without validation= there is no such set, and a misspelling is caught with a suggestion.
    let without = check("load mnist train\nlearn eval=validation\n")
    #expect(without.map(\.message) == ["no data set named 'validation' is loaded (loaded: train)"])
    let typo = check("load mnist train validation=10\nlearn eval=validaton\n")
    #expect(typo.first?.suggestion == "validation")
    #expect(typo.first?.location.column == 12)
    // The rest cannot take the held-out part's name: found before the run, as the run would.
    let clash = check("load mnist train validation=5 as=validation\n")
    #expect(clash.map(\.message) == [LoadArguments.validationNameTaken])
    #expect(clash.first?.location.column == 29)
    #expect(check("load mnist train validation=5 as=rest\nlearn data=rest eval=validation\n").isEmpty)
  }

  @Test("the reference's Hinton notebook checks clean")
  func referenceNotebook() throws {
    let text = try DocumentationTests.reference()
    let section = try #require(text.range(of: "### Hinton's recipe"))
    let start = try #require(text.range(of: "```\n%% code", range: section.upperBound..<text.endIndex))
    let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
    let notebook = String(text[text.index(start.lowerBound, offsetBy: 4)..<end.lowerBound])
    #expect(notebook.contains("recipe=hinton") && notebook.contains("eval=validation"))
    #expect(check(notebook).isEmpty, "\(check(notebook))")
  }

  @Test("help lists every new argument with what its absence means")
  func help() throws {
    let build = try #require(CommandSpec.help(topic: "build"))
    for name in ["recipe", "norm", "goodness", "temperature", "init", "labels", "label_strength", "optimizer", "momentum",
                 "decay", "peer", "peer_momentum", "head", "head_lr", "head_decay"] {
      #expect(build.usage.contains("[\(name)="), "build usage lacks \(name)")
      #expect(build.helpText.contains("\n  \(name) "), "help build lacks \(name)")
    }
    #expect(build.helpText.contains("(seed|hinton, default seed)"), "\(build.helpText)")
    #expect(build.helpText.contains("default: the recipe's: none (seed), layers 2 and up (hinton)"), "\(build.helpText)")
    let learn = try #require(CommandSpec.help(topic: "learn"))
    for name in ["batch", "schedule", "lr_schedule", "eval", "eval_every"] {
      #expect(learn.helpText.contains("\n  \(name) "), "help learn lacks \(name)")
    }
    #expect(learn.helpText.contains("(greedy|together, default: the recipe's: greedy (seed), together (hinton))"), "\(learn.helpText)")
    let predict = try #require(CommandSpec.help(topic: "predict"))
    #expect(predict.usage == "predict [data] [confusion=bool] [skip_first=bool] [by=goodness|softmax] [layers=bool] [precision=fp32|bf16]")
    let plot = try #require(CommandSpec.help(topic: "plot"))
    #expect(plot.usage == "plot [what] [to=string]" && plot.helpText.contains("loss|confusion|errors"), "\(plot.helpText)")
    let load = try #require(CommandSpec.help(topic: "load"))
    #expect(load.helpText.contains("\n  validation "), "\(load.helpText)")
  }
}
