import FFFiles
import FFKernels
import FFRuntime
import Foundation

/// The replay cache (`ffnb run --cache`): the results of `learn` and `predict` statements,
/// stored in a folder beside the notebook and reused when the same statement runs again on
/// the same state, as jupyter-cache and marimo's persistent cache reuse cells.
///
/// An entry's key is a digest of everything that decides its result (`Interpreter+Cache`):
/// ffnb's version and kernels, the statement's text, unit and position (which name its random
/// streams), and what it reads: variables by value, data sets by the digest of the files they
/// came from and the load that made them, the model by the chain of statements that made it.
/// Reusing an entry therefore gives exactly what running the statement would have, down to
/// the bits of the weights; a test replays with and without the cache and compares.
///
/// Entries are written atomically and checksummed; one that is damaged, truncated, of another
/// format or written for another key is ignored with a note (once per entry) and recomputed,
/// never trusted. A cache that cannot be written is reported once, and the run goes on
/// without storing. The oldest entries are removed when the folder outgrows its limit.
package final class ResultCache {
  /// Where entries live (`.ffnb-cache` beside the notebook unless told otherwise).
  package let folder: URL
  /// ffnb's version and the kernels that compute results: part of every key.
  let environment: String
  /// Bytes the entries may take; the least recently used go first past it.
  package let limit: Int
  /// Where notes go (standard error for the command line).
  let report: (String) -> Void
  package private(set) var statistics = Statistics()
  /// Digests of raw data already hashed this session, by their files.
  var dataDigests: [String: String] = [:]
  /// Entries already reported as unusable, so each is told once.
  private var reported: Set<String> = []
  private var storingFailed = false

  package struct Statistics: Sendable, Equatable {
    /// Results put back from entries.
    package var reused = 0
    /// Results computed and stored.
    package var stored = 0
    /// Entries found unusable and recomputed.
    package var rejected = 0
  }

  /// 2 GiB: about a hundred trained models of the seed's size with their optimizer state.
  package static let standardLimit = 2 << 30
  /// The folder's name beside a notebook.
  package static let folderName = ".ffnb-cache"

  package init(folder: URL, environment: String, limit: Int = standardLimit, report: @escaping (String) -> Void) {
    self.folder = folder
    self.environment = environment
    self.limit = max(0, limit)
    self.report = report
  }

  /// The file of the entry for `key` (64 hex digits).
  func path(for key: String) -> String { folder.appendingPathComponent(key + ".ffc").path }

  /// The stored result for `key`, if there is a usable one for `command`; `fits` says why an
  /// entry cannot belong to the session it would go into (nil when it can).
  func entry(for key: String, command: CachedCommand, fits: (CacheEntry) -> String? = { _ in nil }) -> CacheEntry? {
    let path = path(for: key)
    guard access(path, F_OK) == 0 else { return nil }
    do {
      let bytes: [UInt8]
      do {
        bytes = try ReadableFile.readAll(path: path, limit: CacheEntry.maximumBytes, what: "a cache entry")
      } catch {
        // Removed since the check above (another run pruning the folder): simply not there.
        if error.reason == .missing { return nil }
        throw CacheEntryProblem.unreadable(error.description)
      }
      let entry = try CacheEntry(decoding: bytes)
      try check(entry, key: key, command: command)
      if let why = fits(entry) { throw CacheEntryProblem.implausible(why) }
      // The modification time says when an entry was last used: pruning keeps the recent.
      utimes(path, nil)
      statistics.reused += 1
      return entry
    } catch let problem as CacheEntryProblem {
      reject(path, problem)
      return nil
    } catch {
      reject(path, .header("\(error)"))
      return nil
    }
  }

  /// Stores `entry` under its key; a failure is told once and the run goes on.
  func store(_ entry: CacheEntry) {
    guard !storingFailed else { return }
    do {
      try prepareFolder()
      let bytes = try entry.encoded()
      let path = path(for: entry.header.key)
      try AtomicFile.write(bytes, to: path)
      statistics.stored += 1
      prune(keeping: path)
    } catch {
      storingFailed = true
      let reason = (error as? FileError)?.description ?? (error as? CheckpointError)?.description
        ?? (error as? CacheFolderError)?.message ?? "\(error)"
      report("cache: cannot store results in \(folder.path): \(reason); going on without storing")
    }
  }

  /// One line on what the cache did, for the end of a run.
  package var summary: String {
    var parts = ["\(Plural.count(statistics.reused, "result")) reused", "\(statistics.stored) stored"]
    if statistics.rejected > 0 { parts.append("\(statistics.rejected) unusable recomputed") }
    return "cache: " + parts.joined(separator: ", ") + " (\(folder.path))"
  }

  private func reject(_ path: String, _ problem: CacheEntryProblem) {
    statistics.rejected += 1
    if reported.insert(path).inserted {
      report("cache: ignoring \(path): \(problem); recomputing it")
    }
  }

  /// Whether the entry is one this statement could have stored.
  private func check(_ entry: CacheEntry, key: String, command: CachedCommand) throws(CacheEntryProblem) {
    let h = entry.header
    guard h.key == key else { throw .foreign("another statement (its key is \(h.key.prefix(12))…)") }
    guard h.environment == environment else { throw .foreign("another ffnb or other kernels (\(h.environment))") }
    guard h.command == command else { throw .foreign("a `\(h.command.rawValue)`, not a `\(command.rawValue)`") }
    if let why = h.shown.lazy.compactMap(\.implausibility).first { throw .implausible(why) }
    switch command {
    case .learn:
      guard let model = entry.model, let hyper = h.hyper, h.errorHistory != nil, let seconds = h.secondsPerEpoch else {
        throw .implausible("a `learn` without its model, hyperparameters or measurements")
      }
      guard (1...LayerHyperparameters.maximumEpochs).contains(hyper.epochs), hyper.lr.isFinite, hyper.lr > 0,
            hyper.threshold.isFinite, hyper.eps.isFinite, hyper.eps >= 0 else { throw .implausible("hyperparameters no build allows") }
      guard seconds.allSatisfy({ (1...model.layers.count).contains($0.key) && $0.value.isFinite && $0.value >= 0 }) else {
        throw .implausible("timings of layers the model does not have")
      }
    case .predict:
      guard entry.model == nil, h.data != nil, h.evaluation != nil else { throw .implausible("a `predict` without its evaluation") }
    }
  }

  /// Makes the folder, marked as a cache: git ignores it (its own `.gitignore`), and backup
  /// tools that honour CACHEDIR.TAG skip it.
  private func prepareFolder() throws {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw CacheFolderError(message: "it is a file, not a folder") }
    } else {
      do {
        try Folder.make(folder.path)
      } catch {
        throw CacheFolderError(message: "the folder cannot be made (\(error.problem))")
      }
    }
    let ignore = folder.appendingPathComponent(".gitignore").path
    if access(ignore, F_OK) != 0 {
      try AtomicFile.write("# ffnb's replay cache (ffnb run --cache): safe to delete.\n*\n", to: ignore)
    }
    let tag = folder.appendingPathComponent("CACHEDIR.TAG").path
    if access(tag, F_OK) != 0 {
      try AtomicFile.write("Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by ffnb.\n", to: tag)
    }
  }

  /// Removes the least recently used entries while the folder holds more than `limit` bytes;
  /// never `newest`, the entry just written.
  private func prune(keeping newest: String) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
    var entries: [(path: String, size: Int, used: Double)] = []
    for name in names where name.hasSuffix(".ffc") {
      let path = folder.appendingPathComponent(name).path
      guard path != newest else { continue }
      var info = stat()
      guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
      entries.append((path, Int(info.st_size), Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9))
    }
    var newestInfo = stat()
    var total = entries.reduce(lstat(newest, &newestInfo) == 0 ? Int(newestInfo.st_size) : 0) { $0 + $1.size }
    for entry in entries.sorted(by: { $0.used < $1.used }) where total > limit {
      if unlink(entry.path) == 0 { total -= entry.size }
    }
  }
}

/// Why the cache folder cannot hold entries.
struct CacheFolderError: Error {
  var message: String
}

extension Output {
  /// Why a stored output cannot be one a command presented, or nil: checked before an entry
  /// is used, so a crafted entry cannot make a renderer index out of range.
  var implausibility: String? {
    switch self {
    case .line: return nil
    case .lossChart(let series), .errorChart(let series):
      return series.count <= 1024 && series.allSatisfy({ $0.values.count <= LayerHyperparameters.maximumEpochs }) ? nil : "a chart larger than training makes"
    case .image(let image):
      return (1...4096).contains(image.rows) && (1...4096).contains(image.cols) && image.pixels.count == image.rows * image.cols
        ? nil : "an image whose pixels do not fill it"
    case let .confusion(counts, labels, _):
      let n = labels.count
      return (1...1024).contains(n) && counts.count == n && counts.allSatisfy({ $0.count == n && $0.allSatisfy { $0 >= 0 } })
        ? nil : "a confusion matrix that is not square"
    case let .training(event, every):
      return every >= 1 && event.isPlausible ? nil : "a training event out of range"
    }
  }
}

extension TrainingEvent {
  /// Counts within what training makes, times finite: what the progress lines compute with.
  var isPlausible: Bool {
    let epochs = 0...LayerHyperparameters.maximumEpochs
    let count = 0...(1 << 40)
    func time(_ t: Double) -> Bool { t.isFinite && t >= 0 }
    switch self {
    case let .layerStarted(layer, e, inputs, outputs, rows, batch):
      return layer >= 1 && epochs.contains(e) && count.contains(inputs) && count.contains(outputs) && count.contains(rows) && (batch ?? 1) >= 1
    case let .epochFinished(layer, epoch, e, _, elapsed):
      return layer >= 1 && epochs.contains(e) && (0...e).contains(epoch) && time(elapsed)
    case let .layerFinished(layer, e, _, seconds):
      return layer >= 1 && epochs.contains(e) && time(seconds)
    case let .interrupted(layer, epoch, e):
      return layer >= 1 && epochs.contains(e) && (0...e).contains(epoch)
    case let .togetherStarted(layers, e, pairs, batch, _):
      return layers >= 1 && epochs.contains(e) && count.contains(pairs) && batch >= 1
    case let .togetherEpoch(epoch, e, losses, _, elapsed):
      return epochs.contains(e) && (1...max(e, 1)).contains(epoch) && losses.count <= FFModel.maximumLayers && time(elapsed)
    case let .togetherFinished(e, seconds):
      return epochs.contains(e) && time(seconds)
    case let .togetherInterrupted(epoch, batches, of):
      return epochs.contains(epoch) && count.contains(of) && (0...of).contains(batches)
    }
  }
}
