/// Static checking of a whole notebook, as `ffnb check` does before a run: every code cell is
/// parsed and every statement bound against the command table in order, tracking the
/// variables `set` defines and the data sets `load` names, so that a typo in cell 12 is found
/// in a second instead of after an hour of training.
///
/// Every problem is reported, not just the first. Cells tagged `skip` are checked too, but
/// what they define is forgotten afterwards (they will not run). In a cell tagged `raises` an
/// error is expected, so its errors are reported as notes.
public struct Checker: Sendable {
  /// Variables defined before the notebook starts (by the interpreter or the REPL).
  public var predefined: [String: Value]
  /// `-p name=value` overrides: they replace the `set` of that name in a `parameters` cell.
  public var overrides: [String: Value]
  /// Data sets already loaded (a REPL session checking a notebook it is about to run).
  public var datasets: Set<String>

  public init(predefined: [String: Value] = [:], overrides: [String: Value] = [:], datasets: Set<String> = []) {
    self.predefined = predefined
    self.overrides = overrides
    self.datasets = datasets
  }

  /// Checks a notebook with no predefined variables or overrides.
  public static func check(_ notebook: Notebook) -> [Diagnostic] {
    Checker().check(notebook)
  }

  /// Every problem in the notebook's code cells, in file order. (Header problems come from
  /// `Notebook.parse`; a caller shows both.)
  public func check(_ notebook: Notebook) -> [Diagnostic] {
    var state = State(
      environment: Environment(variables: predefined), unknown: [], datasets: datasets, datasetsKnown: true)
    var parameterNames = ParameterNames()
    var diagnostics: [Diagnostic] = []
    for cell in notebook.cells where cell.kind == .code {
      let (statements, parseDiagnostics) = parseStatements(cell: cell, file: notebook.path)
      var cellDiagnostics = parseDiagnostics
      // A skipped cell is checked, then what it changed is undone. The state is never copied
      // per cell: a copy costs as much as all the variables, and a notebook of many cells
      // that each set a variable would take time quadratic in its length.
      if cell.isSkipped { state.journal = [] }
      // A `-p` value that does not fit is the command line's mistake, not the cell's: an
      // error even in a cell tagged `raises`, so `run` stops before the first cell.
      var overrideDiagnostics: [Diagnostic] = []
      for statement in statements {
        checkStatement(
          statement, in: cell, state: &state, parameterNames: &parameterNames, diagnostics: &cellDiagnostics,
          overrideDiagnostics: &overrideDiagnostics)
      }
      if cell.isSkipped { state.undoJournal() }
      if cell.expectsError {
        for index in cellDiagnostics.indices where cellDiagnostics[index].severity == .error {
          cellDiagnostics[index].severity = .note
          cellDiagnostics[index].message += " (expected: the cell is tagged 'raises')"
        }
      }
      cellDiagnostics += overrideDiagnostics
      cellDiagnostics.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
      diagnostics += cellDiagnostics
    }
    diagnostics += unmatchedOverrides(parameterNames: parameterNames, path: notebook.path)
    return diagnostics
  }

  /// The names `parameters` cells set, in order, with a set for constant-time lookups.
  private struct ParameterNames {
    private(set) var ordered: [String] = []
    private var seen: Set<String> = []
    mutating func insert(_ name: String) {
      if seen.insert(name).inserted { ordered.append(name) }
    }
    func contains(_ name: String) -> Bool { seen.contains(name) }
  }

  /// What the checker knows at a point in the notebook.
  private struct State {
    private(set) var environment: Environment
    /// Variables that are defined but whose value could not be worked out (their `set` failed).
    private(set) var unknown: Set<String>
    private(set) var datasets: Set<String>
    /// False once a `load` names its set with something only known at run time.
    private(set) var datasetsKnown: Bool
    /// While a skipped cell is checked: how to undo each change, in order.
    var journal: [Undo]? = nil

    init(environment: Environment, unknown: Set<String>, datasets: Set<String>, datasetsKnown: Bool) {
      self.environment = environment
      self.unknown = unknown
      self.datasets = datasets
      self.datasetsKnown = datasetsKnown
    }

    enum Undo {
      case variable(String, Value?, wasUnknown: Bool)
      case dataset(String, wasLoaded: Bool)
      case datasetsKnown(Bool)
    }

    /// Defines `name` (nil: defined, but its value is unknown).
    mutating func setVariable(_ name: String, _ value: Value?) {
      journal?.append(.variable(name, environment[name], wasUnknown: unknown.contains(name)))
      environment[name] = value
      if value == nil { unknown.insert(name) } else { unknown.remove(name) }
    }

    mutating func insertDataset(_ name: String) {
      journal?.append(.dataset(name, wasLoaded: datasets.contains(name)))
      datasets.insert(name)
    }

    mutating func forgetDatasetNames() {
      journal?.append(.datasetsKnown(datasetsKnown))
      datasetsKnown = false
    }

    /// Undoes every journaled change, last first, and stops journaling.
    mutating func undoJournal() {
      guard let entries = journal else { return }
      journal = nil
      for entry in entries.reversed() {
        switch entry {
        case let .variable(name, value, wasUnknown):
          environment[name] = value
          if wasUnknown { unknown.insert(name) } else { unknown.remove(name) }
        case let .dataset(name, wasLoaded):
          if !wasLoaded { datasets.remove(name) }
        case .datasetsKnown(let known):
          datasetsKnown = known
        }
      }
    }
  }

  private func checkStatement(
    _ statement: Statement, in cell: Cell, state: inout State, parameterNames: inout ParameterNames,
    diagnostics: inout [Diagnostic], overrideDiagnostics: inout [Diagnostic]
  ) {
    switch statement.kind {
    case .set(let name, let expr):
      if cell.isParameters { parameterNames.insert(name.name) }
      let value: Value?
      if expr.referencedNames.contains(where: { state.unknown.contains($0.name) }) {
        value = nil
      } else {
        do {
          value = try Evaluator.evaluate(expr, in: state.environment, expecting: nil)
        } catch {
          diagnostics.append(error)
          value = nil
        }
      }
      var final = value
      if cell.isParameters, let override = overrides[name.name] {
        if let value, !Self.compatible(override: override, default: value) {
          overrideDiagnostics.append(
            .error(
              "-p \(name.name)=\(override) does not fit this parameter: its default is \(value.summary), the override is \(override.summary)",
              at: expr.range))
        }
        final = override
      }
      state.setVariable(name.name, final)

    case .command(let name, _):
      if cell.isParameters {
        diagnostics.append(
          .warning(
            "only 'set' statements belong in a 'parameters' cell; -p cannot override this '\(Escaping.truncated(name.name))'",
            at: name.range))
      }
      let spec: CommandSpec
      do {
        spec = try Binder.command(named: name)
      } catch {
        diagnostics.append(error)
        return
      }
      let (bound, bindDiagnostics) = Binder.diagnose(
        statement, spec: spec, env: state.environment, unknownNames: state.unknown)
      diagnostics += bindDiagnostics
      checkDatasets(bound, spec: spec, statement: statement, state: &state, diagnostics: &diagnostics)
      // What typing the command refuses beyond the table (a head past the model's layers, a data
      // set option on `load model`), as the run refuses it: when every argument's value is known.
      if !bindDiagnostics.contains(where: { $0.severity == .error }), case .command(_, let arguments) = statement.kind,
         !arguments.contains(where: { $0.value.referencedNames.contains { state.unknown.contains($0.name) } }) {
        do {
          _ = try Command(bound, statement: statement)
        } catch where !diagnostics.contains(where: { $0.message == error.message && $0.location == error.range.start }) {
          diagnostics.append(.error(error.message, at: error.range))
        } catch {}  // already said (the validation name, which checkDatasets reports whatever is known)
      }
    }
  }

  /// Checks data set names against what earlier `load`s named, and records new ones.
  private func checkDatasets(
    _ bound: BoundArguments, spec: CommandSpec, statement: Statement, state: inout State,
    diagnostics: inout [Diagnostic]
  ) {
    if spec.name == "load" {
      let dataset = bound.optionalWord("dataset")
      if dataset == "model" { return }
      let explicitName = bound.has("as") ? bound.optionalWord("as") : bound.optionalWord("split")
      if bound.has("as") && bound.value("as") == nil || dataset == nil {
        state.forgetDatasetNames()
      } else if let explicitName {
        state.insertDataset(explicitName)
      }
      if bound.has("validation") {
        if bound.has("as") && bound.optionalWord("as") == LoadArguments.validationName {
          diagnostics.append(.error(LoadArguments.validationNameTaken, at: bound.range(of: "validation")))
        }
        state.insertDataset(LoadArguments.validationName)
      }
      return
    }
    guard state.datasetsKnown else { return }
    for parameter in spec.allParameters where parameter.isDatasetName {
      guard let name = bound.optionalWord(parameter.name), !state.datasets.contains(name) else { continue }
      // Named and sorted only when there are few: a message per statement must not cost as
      // much as every data set a notebook loaded.
      let few = state.datasets.count <= Suggestions.maximumCandidates
      let loaded = few ? state.datasets.sorted() : []
      let loadedText: String
      switch state.datasets.count {
      case 0: loadedText = "none is loaded yet"
      case 1...10: loadedText = "loaded: \(loaded.joined(separator: ", "))"
      case _ where few: loadedText = "\(loaded.count) are loaded: \(loaded.prefix(10).joined(separator: ", ")), …"
      default: loadedText = "\(ValueMeasure.count(state.datasets.count)) are loaded"
      }
      if bound.has(parameter.name) {
        let suggestion = Suggestions.closest(to: name, in: loaded)
        diagnostics.append(
          .error(
            "no data set named '\(Escaping.truncated(name))' is loaded\(Suggestions.didYouMean(suggestion)) (\(loadedText))",
            at: bound.range(of: parameter.name), suggestion: suggestion))
      } else {
        let command: SourceRange
        if case .command(let commandName, _) = statement.kind { command = commandName.range } else { command = statement.range }
        diagnostics.append(
          .warning(
            "'\(spec.name)' uses the data set '\(name)' by default, but no earlier cell loads it (\(loadedText))",
            at: command))
      }
    }
  }

  /// Whether an override can stand in for a parameter's default: the same kind, an int where a
  /// number was, or a word for a string and back.
  static func compatible(override: Value, default value: Value) -> Bool {
    switch (override, value) {
    case (.int, .int), (.int, .number), (.number, .number), (.bool, .bool), (.list, .list),
      (.string, .string), (.word, .word), (.word, .string), (.string, .word), (.pipeline, .pipeline),
      (.call, .call), (.word, .pipeline), (.call, .pipeline):
      return true
    default:
      return false
    }
  }

  private func unmatchedOverrides(parameterNames: ParameterNames, path: String) -> [Diagnostic] {
    let names = parameterNames.ordered
    let known =
      names.isEmpty
      ? "the notebook has no 'parameters' cell"
      : "parameters: \(Suggestions.listing(names))"
    return overrides.keys.sorted().filter { !parameterNames.contains($0) }.map { name in
      let suggestion = Suggestions.closest(to: name, in: names)
      return Diagnostic(
        .error, "-p \(name): no parameter of that name\(Suggestions.didYouMean(suggestion)) (\(known))",
        at: .file(path), suggestion: suggestion)
    }
  }
}
