import FFData
import FFLanguage
import FFRuntime
import Foundation

/// Runs statements of the command language against a session. `ffnb run`, `ffnb step` and
/// the REPL all execute through here: there is one implementation of every command.
public final class Interpreter {
  public let session: Session
  /// What `show cells` prints (set by whoever knows the notebook: the runner or the REPL).
  public var cellsDescription: (() -> String)?
  /// Whether the last `learn` was interrupted, and where.
  public internal(set) var lastOutcome: TrainingOutcome?

  public init(session: Session) {
    self.session = session
  }

  /// Parses and runs `text` (a cell's source or a typed line), statement by statement.
  /// A syntax error anywhere stops before anything runs, as a Jupyter cell would; a runtime
  /// error stops at that statement, keeping what the earlier ones did.
  public func run(source text: String, origin: SourceOrigin) throws(Diagnostic) {
    let (statements, diagnostics) = parseStatements(text: text, origin: origin)
    if let error = diagnostics.first(where: { $0.severity == .error }) { throw error }
    for statement in statements {
      try execute(statement)
      // After an interrupted `learn`, the rest of the cell would act on a half-trained
      // model (a `predict` would print a meaningless accuracy): stop here, as Jupyter does.
      if case .interrupted? = lastOutcome { return }
    }
  }

  /// Runs one statement.
  public func execute(_ statement: Statement) throws(Diagnostic) {
    switch statement.kind {
    case .set(let name, let expr):
      let value = try Evaluator.evaluate(expr, in: session.environment, expecting: nil)
      session.environment.variables[name.name] = value
      return
    case .command:
      let args = try Binder.bind(statement, env: session.environment)
      do {
        try dispatch(args, statement: statement)
      } catch {
        throw Diagnostic(.error, error.message, at: error.range ?? statement.range, suggestion: error.suggestion)
      }
    }
  }

  private func dispatch(_ args: BoundArguments, statement: Statement) throws(CommandError) {
    let s = session
    switch args.command {
    case "seed":
      let v = args.int("seed")
      s.setSeed(UInt64(max(v, 0)))
      s.console.line("seed \(v)")
    case "load":
      try load(args)
    case "transform":
      try s.setTransform(try transformSteps(args))
    case "build":
      let dims = args.intList("dims")
      let hyper = LayerHyperparameters(
        epochs: args.int("epochs"), lr: Float(args.number("lr")),
        threshold: Float(args.number("threshold")), eps: Float(args.number("eps")))
      try s.build(dims: dims, hyper: hyper, links: linkedVariables(statement))
    case "learn":
      guard let mode = NegativeMode(rawValue: args.word("negatives")) else {
        throw CommandError("negatives must be random or wrong", at: args.range(of: "negatives"))
      }
      lastOutcome = try s.learn(
        layer: args.optionalInt("layer"), epochs: args.optionalInt("epochs"), negatives: mode,
        dataName: args.word("data"), every: args.optionalInt("every"), dataRange: args.range(of: "data"))
    case "predict":
      try s.predict(dataName: args.word("data"), confusion: args.bool("confusion"), skipFirst: args.bool("skip_first"),
                    dataRange: args.range(of: "data"))
    case "show":
      try show(args)
    case "plot":
      let to = args.optionalString("to")
      if args.word("what") == "confusion" {
        let name = s.evaluations["test"] != nil ? "test" : (s.evaluations.keys.sorted().first ?? "test")
        try s.plotConfusion(dataName: name, to: to)
      } else {
        try s.plotLoss(to: to)
      }
    case "save":
      try s.saveModel(to: args.string("path"))
    case "print":
      s.console.line(args.rest.map { v in
        if case .string(let text) = v { return text }
        return v.description
      }.joined(separator: " "))
    case "help":
      help(args.optionalWord("command"))
    default:
      throw CommandError("the command '\(args.command)' is in the command table but not implemented")
    }
  }

  private func load(_ args: BoundArguments) throws(CommandError) {
    let s = session
    let datasetWord = args.word("dataset")
    if datasetWord == "model" {
      guard let path = args.optionalString("path") else {
        throw CommandError("`load model` needs the model file, as in load model \"runs/mnist.ffm\"", at: args.range)
      }
      try s.loadModel(from: path)
      return
    }
    guard let dataset = DatasetName(rawValue: datasetWord) else {
      throw CommandError("unknown dataset '\(datasetWord)'", at: args.range(of: "dataset"))
    }
    if args.optionalString("path") != nil {
      throw CommandError("a data set takes a split (train or test), not a file", at: args.range(of: "path"))
    }
    let splitWord = args.optionalWord("split") ?? "train"
    guard let split = Split(rawValue: splitWord) else {
      throw CommandError("split must be train or test, got '\(splitWord)'", at: args.range(of: "split"))
    }
    let name = args.optionalWord("as") ?? split.rawValue
    try s.load(dataset: dataset, split: split, batchSize: args.optionalInt("batch"), shuffle: args.bool("shuffle"),
               root: args.optionalString("root"), name: name)
  }

  private func transformSteps(_ args: BoundArguments) throws(CommandError) -> [TransformStep] {
    var steps: [TransformStep] = []
    for step in args.steps {
      switch step.command {
      case "to-tensor": steps.append(.toTensor)
      case "flatten": steps.append(.flatten)
      case "normalize": steps.append(.normalize(mean: Float(step.number("mean")), std: Float(step.number("std"))))
      default: throw CommandError("unknown transform step '\(step.command)'", at: step.range)
      }
    }
    return steps
  }

  private func show(_ args: BoundArguments) throws(CommandError) {
    let s = session
    switch args.word("what") {
    case "vars": s.showVariables()
    case "model": s.showModel()
    case "data": s.showData()
    case "hyper": s.showHyperparameters()
    case "transform": s.showTransform()
    case "sample":
      let name = args.optionalWord("data") ?? (s.datasets["train"] != nil ? "train" : (s.datasetOrder.first ?? "train"))
      try s.showSample(index: args.optionalInt("index") ?? 0, dataName: name, range: args.range(of: "data"))
    case "cells":
      if let cells = cellsDescription?() { s.console.write(cells) } else { s.console.line("no notebook is open") }
    default:
      throw CommandError("cannot show '\(args.word("what"))'", at: args.range(of: "what"))
    }
  }

  private func help(_ topic: String?) {
    let c = session.console
    if let topic, let spec = CommandSpec.help(topic: topic) {
      c.write(spec.helpText.hasSuffix("\n") ? spec.helpText : spec.helpText + "\n")
      return
    }
    c.line("Commands (help <command> for details):")
    let all = CommandSpec.builtins + [CommandSpec.assignment]
    let width = all.map(\.name.count).max() ?? 0
    for spec in all {
      c.line("  " + spec.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + spec.summary)
    }
  }

  /// Hyperparameters of a `build` given as a plain variable (`lr=lr`), which `learn` re-reads.
  private func linkedVariables(_ statement: Statement) -> [String: String] {
    guard case .command(_, let arguments) = statement.kind else { return [:] }
    var links: [String: String] = [:]
    for argument in arguments {
      // `build dims` (positional) and `build dims=dims` both follow a variable for the hint
      // `learn` gives when it changes.
      if argument.label == nil || argument.label?.name == "dims", case .identifier(let variable) = argument.value,
         session.environment.variables[variable.name] != nil {
        links["dims"] = variable.name
        continue
      }
      guard let label = argument.label?.name, ["lr", "threshold", "epochs"].contains(label),
            case .identifier(let variable) = argument.value,
            session.environment.variables[variable.name] != nil
      else { continue }
      links[label] = variable.name
    }
    return links
  }
}
