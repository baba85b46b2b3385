import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

/// Everything a notebook has computed so far: the kernel state of a Jupyter session.
///
/// Cells run against one session, in whatever order the user chooses; state persists between
/// them as in Jupyter. `build` makes a new model; `learn` continues training the current one.
public final class Session {
  /// Where output goes.
  public let console: Console
  /// The notebook file relative paths are resolved against (its directory), or nil.
  public var baseDirectory: URL
  /// The generator seed (`seed N`); every random stream restarts from it when it is set.
  public private(set) var seed: UInt64 = 0
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
  /// Asked at every epoch boundary whether to stop (Ctrl-C in the REPL).
  public var shouldStop: () -> Bool = { false }
  /// Random streams by purpose, derived from `seed`.
  private var generators: [String: Generator] = [:]
  /// Raw datasets already read, so re-running a load cell does not re-read files.
  private var rawCache: [String: RawDataset] = [:]

  public init(console: Console, baseDirectory: URL? = nil) {
    self.console = console
    self.baseDirectory = baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
  }

  /// Sets the seed and restarts every random stream from it.
  public func setSeed(_ value: UInt64) {
    seed = value
    generators = [:]
  }

  /// Runs `body` with the generator for `purpose` ("init", "negatives", "shuffle/train").
  func withGenerator<T, E: Error>(_ purpose: String, _ body: (inout Generator) throws(E) -> T) throws(E) -> T {
    var g = generators[purpose] ?? Generator(seed: seed, stream: purpose)
    defer { generators[purpose] = g }
    return try body(&g)
  }

  /// A raw dataset, read once per session and directory.
  func raw(_ name: DatasetName, split: Split, directory: URL) throws(DataError) -> RawDataset {
    let key = "\(directory.path)|\(name.rawValue)|\(split.rawValue)"
    if let cached = rawCache[key] { return cached }
    let data = try RawDataset.load(name, split: split, directory: directory)
    rawCache[key] = data
    return data
  }

  /// A path from a notebook, resolved against the notebook's directory.
  ///
  /// Paths in a notebook are relative to the notebook's folder, as Jupyter runs a notebook in
  /// its own folder, so a notebook finds its files wherever it is run from.
  func resolve(_ path: String) -> URL {
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
    guard access(folder.path, W_OK) == 0 else {
      throw CommandError("cannot write the \(what) to \(display(url)): the folder is not writable")
    }
    return url
  }

  /// A path as a person wants to read it: relative to the working directory when inside it.
  func display(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
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
}

/// Positive and negative data for training, and what they were made from.
struct TrainingPairs {
  let dataName: String
  let mode: NegativeMode
  let positive: Matrix
  let negative: Matrix
}

/// A failure while running a command, with the argument (or statement) it concerns.
public struct CommandError: Error, Sendable {
  public var message: String
  /// Where in the statement: nil means the whole statement.
  public var range: SourceRange?
  public var suggestion: String?
  public init(_ message: String, at range: SourceRange? = nil, suggestion: String? = nil) {
    self.message = message
    self.range = range
    self.suggestion = suggestion
  }
}
