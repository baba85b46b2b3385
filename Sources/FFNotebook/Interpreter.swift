import FFData
import FFLanguage
import FFRuntime
import Foundation

/// Runs statements of the command language against a session. `ffnb run`, `ffnb step` and
/// the REPL all execute through here: there is one implementation of every command.
///
/// Each statement is bound against the command table, typed into a `Command`, and handed to
/// its handler (one per case, chosen by an exhaustive switch). Handlers change the session and
/// return what to show; this is the one place that hands outputs to the console. Around each
/// statement the interpreter compares the state the command declares it writes, so the
/// session knows what really changed and who changed it.
public final class Interpreter {
  public let session: Session
  /// The presenter every output goes to.
  public let console: Console
  /// What `show cells` prints (set by whoever knows the notebook: the runner or the REPL).
  public var cellsDescription: (() -> String)?
  /// The replay cache `learn` and `predict` results are reused from and stored in, if any
  /// (`--cache`). Set before the first statement runs: what ran before has no provenance.
  package var cache: ResultCache?

  public init(session: Session, console: Console) {
    self.session = session
    self.console = console
  }

  /// Parses and runs `text` (a cell's source or a typed line) as `unit`, statement by
  /// statement. A syntax error anywhere stops before anything runs, as a Jupyter cell would; a
  /// runtime error stops at that statement, keeping what the earlier ones did; so does a
  /// `learn` stopped by Ctrl-C (the rest of the cell would act on a half-trained model).
  package func run(source text: String, origin: SourceOrigin, unit: UnitID) -> UnitReport {
    var report = UnitReport()
    let (statements, diagnostics) = parseStatements(text: text, origin: origin)
    if let error = diagnostics.first(where: { $0.severity == .error }) {
      report.error = error
      return report
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var written = WrittenKeys()
    var inputs: Set<StateKey> = []
    for (offset, statement) in statements.enumerated() {
      let position = offset + 1
      let command: Command
      do {
        command = try typed(statement)
      } catch {
        report.error = error
        break
      }
      let effects = declaredEffects(of: command, statement: statement)
      for read in effects.reads where !written.overlaps(read) { inputs.insert(read) }
      let before = effects.writes.map { ($0, session.fingerprint($0)) }
      let context = StatementContext(unit: unit, position: position)
      let source = Self.source(of: statement, in: lines, origin: origin)
      let key = cache.flatMap { cacheKey(source: source, effects: effects, context: context, environment: $0.environment) }
      var failed = false
      var completed = false
      do {
        let result = try perform(command, statement: statement, context: context, key: key)
        for output in result.outputs { console.present(output) }
        if let training = result.training { report.outcome = training.outcome }
        report.executed.append(ExecutedStatement(source: source, recorded: result.training?.recorded ?? [source]))
        completed = (result.training?.outcome ?? .completed) == .completed
      } catch {
        console.clearProgress()
        if error.isInterruption {
          console.present(.line(error.message))
          report.stopped = true
        } else {
          report.error = Diagnostic(.error, error.message, at: error.range ?? statement.range, suggestion: error.suggestion)
        }
        failed = true
      }
      for (key, old) in before where session.fingerprint(key) != old {
        session.recordChange(key, by: unit, verb: Self.verb(command, key))
        report.changes.append(StateChange(key: key, unit: unit, verb: Self.verb(command, key)))
      }
      recordProvenance(of: command, writes: effects.writes, key: completed ? key : nil)
      written.insert(effects.writes)
      report.outputs.formUnion(effects.writes)
      if case .set(let name, _) = command, !failed { report.setValues[name] = session.environment[name] }
      if failed || report.isInterrupted { break }
    }
    report.inputs = Dictionary(uniqueKeysWithValues: inputs.map { ($0, session.version(of: $0)) })
    return report
  }

  /// Binds and types one statement.
  func typed(_ statement: Statement) throws(Diagnostic) -> Command {
    switch statement.kind {
    case .set(let name, let expr):
      return .set(name: name.name, value: try Evaluator.evaluate(expr, in: session.environment, expecting: nil))
    case .command:
      let args = try Binder.bind(statement, env: session.environment)
      do {
        return try Command(args, statement: statement)
      } catch {
        throw Diagnostic(.error, error.message, at: error.range)
      }
    }
  }

  /// What a statement reads and writes: its command's declared effects, the variables its
  /// expressions mention, and for `learn` the variables the model's hyperparameters follow.
  package func declaredEffects(of command: Command, statement: Statement) -> Effects {
    var effects = command.effects
    let mentioned: [Identifier]
    switch statement.kind {
    case .set(_, let expr): mentioned = expr.referencedNames
    case .command(_, let arguments): mentioned = arguments.flatMap(\.value.referencedNames)
    }
    for name in mentioned where session.environment[name.name] != nil { effects.reads.insert(.variable(name.name)) }
    if case .learn = command {
      for variable in session.linkedHyperparameters.values { effects.reads.insert(.variable(variable)) }
    }
    if case .show(let a) = command, a.what == .hyper {
      for variable in session.linkedHyperparameters.values { effects.reads.insert(.variable(variable)) }
    }
    return effects
  }

  /// The command's handler: an exhaustive switch, one case per command.
  func handle(_ command: Command, statement: Statement, context: StatementContext) throws(CommandError) -> CommandResult {
    switch command {
    case .set(let name, let value):
      session.environment[name] = value
      return CommandResult()
    case .seed(let value):
      session.seed = value
      return CommandResult([.line("seed \(value)")])
    case .precision(let choice):
      session.precision = choice == .bf16 ? .bf16 : .fp32
      return CommandResult([.line("precision \(choice.rawValue)")])
    case .load(let a):
      return try load(a, statement: statement, context: context)
    case .loadModel(let path):
      return try loadModel(from: path)
    case .transform(let steps):
      return try setTransform(steps)
    case .build(let a):
      return try build(a, statement: statement, context: context)
    case .learn(let a):
      return try learn(a, statement: statement, context: context)
    case .predict(let a):
      return try predict(a, statement: statement)
    case .show(let a):
      return try show(a, statement: statement)
    case .plot(let a):
      return try plot(a)
    case .saveModel(let path):
      return try saveModel(to: path)
    case .print(let values):
      return CommandResult([.line(values.map { v in
        if case .string(let text) = v { return text }
        return v.description
      }.joined(separator: " "))])
    case .help(let topic):
      return CommandResult([.line(Self.helpText(topic))])
    }
  }

  /// How a change is told in a stale cell's reason: `model rebuilt by cell 4`.
  static func verb(_ command: Command, _ key: StateKey) -> String {
    switch (command, key) {
    case (.build, .model): "rebuilt"
    case (.learn, .model): "trained"
    case (.loadModel, .model): "loaded"
    case (.load, .dataset): "reloaded"
    case (_, .allEvaluations), (_, .evaluation): "recomputed"
    default: "changed"
    }
  }

  /// The whole lines a statement spans, from the text it was parsed from.
  static func source(of statement: Statement, in lines: [String], origin: SourceOrigin) -> String {
    let first = statement.range.start.line - origin.firstLine
    let last = statement.range.end.line - origin.firstLine
    guard first >= 0, last >= first, last < lines.count else { return "" }
    return lines[first...last].joined(separator: "\n")
  }

  /// What `help` prints: the command list, or one topic.
  package static func helpText(_ topic: String?) -> String {
    if let topic, let spec = CommandSpec.help(topic: topic) { return spec.helpText }
    var lines = ["Commands (help <command> for details):"]
    let all = CommandSpec.builtins + [CommandSpec.assignment]
    let width = all.map(\.name.count).max() ?? 0
    for spec in all { lines.append("  " + pad(spec.name, width) + "  " + spec.summary) }
    return lines.joined(separator: "\n")
  }
}

/// The state a unit's statements have written so far, indexed so that whether a read sees one
/// of them (`StateKey.overlaps`) costs constant time: scanning them all for every read made a
/// cell of many statements take time quadratic in its length.
struct WrittenKeys {
  private var keys: Set<StateKey> = []
  /// Wildcards of the families with any key written.
  private var families: Set<StateKey> = []

  mutating func insert(_ written: Set<StateKey>) {
    for key in written {
      keys.insert(key)
      if let wildcard = key.wildcard { families.insert(wildcard) }
    }
  }

  /// Whether a write so far overlaps a read of `key`.
  func overlaps(_ key: StateKey) -> Bool {
    if keys.contains(key) { return true }
    guard let wildcard = key.wildcard else { return false }
    return key == wildcard ? families.contains(wildcard) : keys.contains(wildcard)
  }
}

/// Where a statement runs: its unit and 1-based position, which name its random streams.
struct StatementContext {
  var unit: UnitID
  var position: Int
  func stream(_ purpose: String) -> String { unit.stream(purpose, position: position) }
}

/// What a handler returns: what to show, and for `learn` how it ended.
struct CommandResult {
  var outputs: [Output]
  var training: TrainingResult?
  init(_ outputs: [Output] = [], training: TrainingResult? = nil) {
    self.outputs = outputs
    self.training = training
  }
}

/// How a `learn` ended, and the statements that reproduce exactly what it trained.
struct TrainingResult {
  var outcome: TrainingOutcome
  /// Nil when the statement as written reproduces it (it completed).
  var recorded: [String]?
}

/// Pads (or right-aligns) text to a column width.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: max(0, width - text.count))
  return right ? fill + text : text + fill
}

extension Array {
  subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
