import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

// The replay cache's side of the interpreter: a key for each statement from what it reads,
// the results of `learn` and `predict` looked up and stored, and the provenance of what each
// statement writes. See `ResultCache` for the policy.
extension Interpreter {
  /// The key of a statement about to run, or nil when something it reads has no known origin
  /// (the statement then runs, and what it writes has no reusable origin either).
  ///
  /// What a statement computes is decided by: ffnb and its kernels (`environment`), its text,
  /// the unit and position that name its random streams, and the state it reads (declared by
  /// its command, so complete): variables, the seed, the precision and the transform by value;
  /// data sets, the model and evaluations by provenance.
  func cacheKey(source: String, effects: Effects, context: StatementContext, environment: String) -> String? {
    var digest = CacheDigest("ffnb statement", environment, context.unit.key, String(context.position), source)
    for read in effects.reads.sorted() {
      guard let identity = session.identity(of: read) else { return nil }
      digest.add(read.cacheName)
      digest.add(identity)
    }
    return digest.hex()
  }

  /// Runs a command, through the cache when there is one and the command's result is kept
  /// there: a stored result is put back (and what it showed shown again), a computed one is
  /// stored when it completed.
  func perform(_ command: Command, statement: Statement, context: StatementContext, key: String?) throws(CommandError) -> CommandResult {
    guard let cache, let key else { return try handle(command, statement: statement, context: context) }
    switch command {
    case .learn(let a):
      if let entry = cache.entry(for: key, command: .learn, fits: misfit(learned:)), let model = entry.model, let hyper = entry.header.hyper {
        let s = session
        model.precision = choosePrecision(a.precision)
        s.model = model
        s.hyper = hyper
        s.errorHistory = entry.header.errorHistory ?? []
        s.secondsPerEpoch.merge(entry.header.secondsPerEpoch ?? [:]) { $1 }
        s.evaluations = [:]
        makeTrainingPairs(a, model: model)
        showAgain(entry.header.shown)
        return CommandResult(training: TrainingResult(outcome: .completed, recorded: nil))
      }
      let (result, shown) = try tapped(command, statement: statement, context: context)
      if result.training?.outcome == .completed, let model = session.model {
        cache.store(CacheEntry(header: CacheEntry.Header(
          key: key, environment: cache.environment, command: .learn, shown: shown, hyper: session.hyper,
          errorHistory: session.errorHistory, secondsPerEpoch: session.secondsPerEpoch), model: model))
      }
      return result
    case .predict(let a):
      if let entry = cache.entry(for: key, command: .predict, fits: { self.misfit(predicted: $0, on: a.data) }),
         let data = entry.header.data, let evaluation = entry.header.evaluation {
        session.model?.precision = choosePrecision(a.precision)
        session.evaluations[data] = evaluation
        showAgain(entry.header.shown)
        return CommandResult()
      }
      let (result, shown) = try tapped(command, statement: statement, context: context)
      if let evaluation = session.evaluations[a.data] {
        cache.store(CacheEntry(header: CacheEntry.Header(
          key: key, environment: cache.environment, command: .predict, shown: shown, data: a.data, evaluation: evaluation), model: nil))
      }
      return result
    case .set, .seed, .precision, .load, .loadModel, .transform, .build, .show, .plot, .saveModel, .print, .help:
      return try handle(command, statement: statement, context: context)
    }
  }

  /// Runs the command, keeping everything it shows: what it presented while running and the
  /// outputs it returns (the caller presents those, as for any command). The note on where
  /// bf16 runs is left out: it is said once a session, by whichever statement comes first.
  private func tapped(_ command: Command, statement: Statement, context: StatementContext) throws(CommandError) -> (CommandResult, [Output]) {
    console.startTapping()
    let result: CommandResult
    do {
      result = try handle(command, statement: statement, context: context)
    } catch {
      _ = console.stopTapping()
      throw error
    }
    let shown = console.stopTapping().filter { $0 != .line(Self.precisionNote) } + result.outputs
    return (result, shown)
  }

  /// Why a stored `learn` cannot continue the session's model, or nil. Training changes
  /// weights, never shapes: a model of other dimensions, recipe or head (an entry crafted with
  /// a valid checksum) would meet data and commands checked against the notebook's model.
  private func misfit(learned entry: CacheEntry) -> String? {
    guard let stored = entry.model, let current = session.model else { return "a model where the session has none" }
    guard stored.dims == current.dims, stored.recipe.name == current.recipe.name,
          stored.head?.layers == current.head?.layers, stored.head?.weights.map(\.rows) == current.head?.weights.map(\.rows),
          stored.head?.weights.map(\.cols) == current.head?.weights.map(\.cols) else {
      return "a model of dimensions \(stored.dims), not the session's \(current.dims) or its recipe"
    }
    return nil
  }

  /// Why a stored `predict` cannot be the evaluation of `data` as loaded now, or nil: it must
  /// name the data set, have its labels in order, and predict its classes. A crafted one of
  /// 3 classes would otherwise reach `plot confusion`, which labels 10.
  private func misfit(predicted entry: CacheEntry, on data: String) -> String? {
    guard session.model != nil else { return "predictions where the session has no model" }
    guard entry.header.data == data, let evaluation = entry.header.evaluation, let loaded = session.datasets[data] else {
      return "predictions of another data set"
    }
    let classes = loaded.dataset.classNames.count
    guard evaluation.confusion.count == classes, evaluation.labels == loaded.batch.labels,
          evaluation.predictions.allSatisfy({ (0..<classes).contains($0) }) else {
      return "predictions that do not match the \(Plural.count(loaded.count, "example")) of '\(data)'"
    }
    return nil
  }

  /// Leaves the training pairs a computed greedy `learn` would have left. They are session
  /// state no key names: a later `learn` on the same data continues on them, drawn from the
  /// seed as it was at the first `learn`. Without them, a `learn` computed after a reused one
  /// (an edited cell after `seed 2`) would draw its pairs from the seed of its own time, and
  /// print and train other than a replay without the cache.
  private func makeTrainingPairs(_ a: LearnArguments, model: FFModel) {
    let (negatives, order) = Self.negativesAndOrder(a, model: model)
    guard order == .greedy, let data = session.datasets[a.data] else { return }
    _ = session.trainingPairs(for: data, mode: negatives, value: Self.labelValue(model, data))
  }

  /// Presents a stored result's outputs as the command presented them.
  private func showAgain(_ shown: [Output]) {
    for output in shown { console.present(output) }
  }

  /// Records where what a statement wrote came from: from its key when it completed, from
  /// nowhere reusable when it failed, was stopped or had no key.
  func recordProvenance(of command: Command, writes: Set<StateKey>, key: String?) {
    guard let cache else { return }
    let s = session
    func origin(_ parts: String...) -> String {
      guard let key else { return "unrepeatable " + UUID().uuidString }
      var digest = CacheDigest("ffnb provenance", key)
      for part in parts { digest.add(part) }
      return digest.hex()
    }
    for written in writes {
      switch written {
      case .dataset(let name):
        s.provenance[written] = s.datasets[name].map { origin("dataset", name, cache.digest(of: $0.source)) }
      case .allDatasets:
        for name in s.datasetOrder { s.provenance[.dataset(name)] = s.datasets[name].map { origin("dataset", name, cache.digest(of: $0.source)) } }
      case .model:
        guard let model = s.model else { s.provenance[written] = nil; continue }
        if case .loadModel = command {
          // The file's contents decide the model, not the statement: its digest is the origin.
          let bytes = (try? Checkpoint.encode(model)) ?? []
          s.provenance[written] = bytes.isEmpty ? origin("unencodable", UUID().uuidString) : origin("model", CacheDigest.hex(CacheDigest.checksum(bytes.withUnsafeBytes { $0 })))
        } else {
          s.provenance[written] = origin("model")
        }
      case .evaluation(let name):
        s.provenance[written] = s.evaluations[name] == nil ? nil : origin("evaluation", name)
      case .allEvaluations:
        for key in s.provenance.keys where key.wildcard == .allEvaluations { s.provenance[key] = nil }
        for name in s.evaluations.keys { s.provenance[.evaluation(name)] = origin("evaluation", name) }
      case .variable, .allVariables, .seed, .precision, .transform:
        // Identified by value when read: nothing to record.
        break
      }
    }
  }
}

extension Session {
  /// What identifies the state a read of `key` sees, for the replay cache: small values by
  /// their value, large ones by provenance. Nil when something present has no known origin.
  func identity(of key: StateKey) -> String? {
    switch key {
    case .variable(let name):
      return environment[name].map { "\($0.kindName) \($0)" } ?? "absent"
    case .allVariables:
      var parts: [String] = []
      for name in environment.names { parts.append(name + " = " + (identity(of: .variable(name)) ?? "")) }
      return parts.joined(separator: "\n")
    case .seed:
      return String(seed)
    case .precision:
      return precision.rawValue
    case .transform:
      return "\(transform) explicit=\(transformIsExplicit)"
    case .dataset(let name):
      return datasets[name] == nil ? "absent" : provenance[key]
    case .allDatasets:
      var parts: [String] = []
      for name in datasetOrder {
        guard let identity = identity(of: .dataset(name)) else { return nil }
        parts.append(name + " = " + identity)
      }
      return parts.joined(separator: "\n")
    case .model:
      return model == nil ? "absent" : provenance[key]
    case .evaluation(let name):
      return evaluations[name] == nil ? "absent" : provenance[key]
    case .allEvaluations:
      var parts: [String] = []
      for name in evaluations.keys.sorted() {
        guard let identity = identity(of: .evaluation(name)) else { return nil }
        parts.append(name + " = " + identity)
      }
      return parts.joined(separator: "\n")
    }
  }
}

extension StateKey {
  /// An unambiguous name for keys (a variable may be called `model`).
  var cacheName: String {
    switch self {
    case .variable(let name): "variable " + name
    case .allVariables: "all variables"
    case .seed: "seed"
    case .precision: "precision"
    case .transform: "transform"
    case .dataset(let name): "dataset " + name
    case .allDatasets: "all datasets"
    case .model: "model"
    case .evaluation(let name): "evaluation " + name
    case .allEvaluations: "all evaluations"
    }
  }
}

extension ResultCache {
  /// The digest of a raw data set's contents (its files' images and labels, as read), once
  /// per session and files.
  func digest(of raw: RawDataset) -> String {
    let id = "\(raw.imagesPath)\u{0}\(raw.labelsPath)\u{0}\(raw.count)"
    if let known = dataDigests[id] { return known }
    var digest = CacheDigest("raw data", raw.name.rawValue, raw.split.rawValue, String(raw.images.rows), String(raw.images.cols))
    digest.add(raw.images.pixels)
    digest.add(raw.labels)
    let hex = digest.hex()
    dataDigests[id] = hex
    return hex
  }
}
