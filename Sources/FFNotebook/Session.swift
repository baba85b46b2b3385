import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

/// Everything a notebook has computed so far: the kernel state of a Jupyter session.
///
/// Cells run against one session, in whatever order the user chooses; state persists between
/// them as in Jupyter. The session only holds state: the interpreter's handlers change it and
/// return what to show, and the console presents that. Every change to a piece of state
/// (`StateKey`) bumps its version and remembers who made it, so a notebook can tell which
/// cells read something that changed after they ran (stale cells).
public final class Session {
  /// The notebook file relative paths are resolved against (its directory).
  public var baseDirectory: URL
  /// The root seed (`seed N`). Every random draw comes from a stream derived from it and from
  /// what draws (a statement's identity, a data set), never from draw order.
  public internal(set) var seed: UInt64 = 0
  /// Variables defined with `set`.
  public var environment = Environment()
  /// The transform applied by subsequent `load`s (the seed passes `transform=` to MNIST()).
  public internal(set) var transform: TransformPipeline = TransformPipeline.seed
  /// Whether a `transform` command has run (otherwise `load` uses the seed's pipeline).
  public internal(set) var transformIsExplicit = false
  /// Loaded batches by name ("train", "test", or `as=`).
  public internal(set) var datasets: [String: LoadedData] = [:]
  /// Names of loaded batches in load order.
  public internal(set) var datasetOrder: [String] = []
  /// The current model, once built or loaded.
  public internal(set) var model: FFModel?
  /// The model's hyperparameters as last set by `build` or a `learn` override.
  public internal(set) var hyper = LayerHyperparameters()
  /// Build arguments given as variable references (e.g. `lr=lr`): `learn` re-reads them, so
  /// `set lr = 0.05` then `learn` continues with the new rate.
  var linkedHyperparameters: [String: String] = [:]
  /// Positive and negative data for the current model and training set, made once per
  /// (data, negative mode) so re-running `learn` continues on the same pairs, as re-running the
  /// seed's `model.learn(pos_data, neg_data)` would.
  var trainingPairs: TrainingPairs?
  /// The last evaluation of each dataset (`predict`), for `plot confusion`.
  public internal(set) var evaluations: [String: Evaluation] = [:]
  /// Errors `learn eval=` measured since the model was built, for `plot errors`.
  package internal(set) var errorHistory: [ErrorMeasurement] = []
  /// Seconds per epoch of the last training of each layer, for cost estimates.
  package internal(set) var secondsPerEpoch: [Int: Double] = [:]
  /// Asked at every epoch boundary whether to stop (Ctrl-C in the REPL).
  public var shouldStop: () -> Bool = { false }
  /// The operands of `learn`'s and `predict`'s products when they do not say (`--precision`).
  public var precision: Precision = .fp32
  /// Whether the line saying where bf16 runs (or that it cannot) was printed: once a session.
  var precisionNoted = false
  /// Where each data set, the model and each evaluation came from, as a digest of the
  /// statement that made it and everything that statement read: what the replay cache keys
  /// reads of them by (`Interpreter+Cache`). Kept only while a cache is in use.
  var provenance: [StateKey: String] = [:]
  /// Raw datasets already read, so re-running a load cell does not re-read files.
  private var rawCache: [String: RawDataset] = [:]
  // The version bookkeeping below is internal, not private: snapshots (`SessionState`) keep
  // and restore it with the rest of the state.
  /// The version of each piece of state: the change counter when it last changed.
  var versions: [StateKey: Int] = [:]
  /// For each wildcard, the key of its family (itself included) changed last.
  var newestInFamily: [StateKey: StateKey] = [:]
  /// Who made each piece of state's last change.
  var changes: [StateKey: StateChange] = [:]
  var changeCounter = 0

  public init(baseDirectory: URL? = nil) {
    self.baseDirectory = baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
  }

  /// A fresh generator for the stream `key` ("init/model/1", "shuffle/data/3", "negatives/train/random").
  /// Fresh every time: the same statement draws the same numbers however often it runs.
  func generator(_ key: String) -> Generator {
    Generator(seed: seed, stream: key)
  }

  /// A raw dataset, read once per session and directory; reading asks `shouldStop` between
  /// chunks, and an interrupted read caches nothing.
  func raw(_ name: DatasetName, split: Split, directory: URL) throws(DataError) -> RawDataset {
    let key = "\(directory.path)|\(name.rawValue)|\(split.rawValue)"
    if let cached = rawCache[key] { return cached }
    let data = try RawDataset.load(name, split: split, directory: directory, shouldStop: shouldStop)
    rawCache[key] = data
    return data
  }

  /// A path from a notebook, resolved against the notebook's directory.
  ///
  /// Paths in a notebook are relative to the notebook's folder, as Jupyter runs a notebook in
  /// its own folder, so a notebook finds its files wherever it is run from.
  public func resolve(_ path: String) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
    return baseDirectory.appendingPathComponent(expanded).standardizedFileURL
  }

  /// A file a command is about to write: resolved, its folder made if missing (`mkdir -p`),
  /// and refused with a plain reason when it cannot be written.
  func outputURL(for path: String, what: String) throws(CommandError) -> URL {
    guard !path.isEmpty else { throw CommandError("the \(what) needs a file name, got an empty path") }
    let url = resolve(path)
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CommandError("cannot write the \(what) to \(display(url)): it is a directory")
    }
    let folder = url.deletingLastPathComponent()
    if !fm.fileExists(atPath: folder.path) {
      do {
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw CommandError("cannot create the folder \(display(folder)) for the \(what): \(String(cString: strerror(errno)))")
      }
    }
    // Whether the folder is writable is for the writer to find (AtomicFile says so by name):
    // `/dev/null` is writable in a folder that is not.
    return url
  }

  /// A path as a person wants to read it: relative to the working directory when inside it.
  func display(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
  }
}

// MARK: Versions of state, for stale cells

/// Who changed a piece of state, and how ("rebuilt", "trained", "changed").
package struct StateChange: Sendable, Hashable {
  package var key: StateKey
  package var unit: UnitID
  package var verb: String

  /// `model rebuilt by cell 4`, `lr changed by typed line 2`.
  package var reason: String {
    let subject: String
    if case .variable(let name) = key { subject = name } else { subject = key.description.replacingOccurrences(of: "the ", with: "") }
    return "\(subject) \(verb) by \(unit.description)"
  }
}

extension Session {
  /// A value that changes exactly when what a read of `key` sees changes (nil: absent).
  /// The interpreter compares it before and after a statement to tell a real change from a
  /// re-run that computed the same thing (a reloaded identical batch, `set lr` to its value).
  func fingerprint(_ key: StateKey) -> AnyHashable? {
    switch key {
    case .variable(let name): environment[name].map(AnyHashable.init)
    case .allVariables: AnyHashable(environment.variables)
    case .seed: AnyHashable(seed)
    case .precision: AnyHashable(precision)
    case .transform: AnyHashable("\(transform)|\(transformIsExplicit)")
    case .dataset(let name): datasets[name].map { AnyHashable($0.fingerprint) }
    case .allDatasets: AnyHashable(datasetOrder.map { datasets[$0]?.fingerprint })
    case .model:
      // A model is replaced (build, load) or changed in place (learn): identity and steps.
      model.map { AnyHashable([ObjectIdentifier($0).hashValue] + $0.layers.map(\.adamSteps)) }
    case .evaluation(let name): evaluations[name].map { AnyHashable($0.predictions) }
    case .allEvaluations: AnyHashable(evaluations.mapValues(\.predictions))
    }
  }

  /// Records that `key` changed, by `unit`.
  func recordChange(_ key: StateKey, by unit: UnitID, verb: String) {
    changeCounter += 1
    versions[key] = changeCounter
    changes[key] = StateChange(key: key, unit: unit, verb: verb)
    if let wildcard = key.wildcard { newestInFamily[wildcard] = key }
  }

  /// The version a read of `key` sees: its own, or a wildcard's that covers it, whichever is
  /// newer (for a wildcard: the newest in its family). Constant time: every statement asks
  /// for each key it reads, and scanning every key ever changed made a run of many cells
  /// quadratic.
  package func version(of key: StateKey) -> Int {
    newestSeen(by: key).map { versions[$0] ?? 0 } ?? 0
  }

  /// The newest change a read of `key` sees.
  package func lastChange(of key: StateKey) -> StateChange? {
    newestSeen(by: key).flatMap { changes[$0] }
  }

  /// The key with the newest change among those a read of `key` sees (those that overlap it).
  private func newestSeen(by key: StateKey) -> StateKey? {
    guard let wildcard = key.wildcard else { return versions[key] == nil ? nil : key }
    if key == wildcard { return newestInFamily[wildcard] }
    let own = versions[key] ?? 0, family = versions[wildcard] ?? 0
    if own == 0 && family == 0 { return nil }
    return own >= family ? key : wildcard
  }
}

/// A loaded batch: the seed's `next(iter(DataLoader(...)))`.
public struct LoadedData {
  public let name: String
  public let dataset: DatasetName
  public let split: Split
  public let batch: Batch
  public let shuffle: Bool
  public let transform: TransformPipeline
  public let directory: URL
  public let source: RawDataset
  public var count: Int { batch.count }

  /// Equal exactly when two loads hold the same examples in the same order, transformed alike.
  var fingerprint: String {
    "\(dataset.rawValue)|\(split.rawValue)|\(directory.path)|\(transform)|\(batch.indices.hashValue)|\(batch.count)"
  }
}

/// One error rate `learn eval=` measured.
package struct ErrorMeasurement: Sendable, Equatable, Codable {
  /// Epochs trained since the build (across `learn`s) when it was measured.
  package var epoch: Int
  package var data: String
  /// Percent wrong by goodness, and by the softmax head (nil without one).
  package var goodness: Double
  package var softmax: Double?
}

/// Positive and negative data for training, and what they were made from.
struct TrainingPairs {
  let dataName: String
  let mode: NegativeMode
  /// The label pixel written in.
  let value: Float
  let positive: Matrix
  let negative: Matrix
}

/// A failure while running a command, with the argument (or statement) it concerns.
public struct CommandError: Error, Sendable {
  public var message: String
  /// Where in the statement: nil means the whole statement.
  public var range: SourceRange?
  public var suggestion: String?
  /// The command stopped because Ctrl-C asked it to (a `load` or `predict` polls for it, as
  /// `learn` does): the unit ends as interrupted, not failed.
  public var isInterruption = false
  public init(_ message: String, at range: SourceRange? = nil, suggestion: String? = nil) {
    self.message = message
    self.range = range
    self.suggestion = suggestion
  }

  /// A command stopped by Ctrl-C, saying what was kept.
  static func interrupted(_ message: String) -> CommandError {
    var error = CommandError(message)
    error.isInterruption = true
    return error
  }
}
