import FFData
import FFKernels
import FFLanguage
import FFRuntime
import Foundation

// Handlers of the data commands: `load` (a data set), `transform`.
extension Interpreter {
  /// `load mnist train batch=10000 shuffle=true`: the first batch of a dataset split through
  /// the current transform, stored under its name. The shuffle draws from the statement's own
  /// stream, so the same load gives the same batch however often it runs.
  func load(_ a: LoadArguments, statement: Statement, context: StatementContext) throws(CommandError) -> CommandResult {
    let s = session
    guard let dataset = DatasetName(rawValue: a.dataset.rawValue), let split = Split(rawValue: a.split.rawValue) else {
      throw CommandError("unknown dataset '\(a.dataset.rawValue)' or split '\(a.split.rawValue)'")
    }
    let clock = ContinuousClock(), start = clock.now
    let directory = DataDirectory.resolve(explicit: a.root.map { s.resolve($0).path })
    let source: RawDataset
    do {
      source = try s.raw(dataset, split: split, directory: directory.url)
    } catch .interrupted {
      throw CommandError.interrupted("load interrupted (Ctrl-C); nothing was loaded")
    } catch {
      throw CommandError("\(error)", suggestion: "fetch the data with `scripts/fetch-data \(dataset.rawValue)` (or `make data`), or point root= / FFNB_DATA at a folder holding \(dataset.rawValue)/")
    }
    let size = a.batch ?? source.count
    guard size > 0 else { throw CommandError("batch must be positive, got \(size)") }
    let rows = min(size, source.count)
    do {
      try MemoryGuard.check("a batch of \(Plural.count(rows, "image"))", bytes: 4 * rows * source.images.pixelsPerImage)
    } catch {
      throw CommandError(error.description)
    }
    let batch: Batch
    do {
      var g = s.generator(context.stream("shuffle"))
      batch = try Batching.first(of: source, batchSize: size, shuffle: a.shuffle, pipeline: s.transform, generator: &g,
                                 shouldStop: s.shouldStop)
    } catch .interrupted {
      throw CommandError.interrupted("load interrupted (Ctrl-C); nothing was loaded")
    } catch {
      throw CommandError("\(error)")
    }
    if let bad = s.transform.nonFiniteData(in: source.images, rows: batch.indices) { throw CommandError(bad.description) }
    var parts = [(a.name, batch)]
    if let held = a.validation {
      guard held < batch.count else {
        throw CommandError(
          "validation=\(held) would leave nothing to train on: the load has \(Plural.count(batch.count, "example"))",
          at: Self.argumentRange(statement, named: "validation"))
      }
      let kept = batch.count - held
      parts = [(a.name, batch.rows(0..<kept)), (LoadArguments.validationName, batch.rows(kept..<batch.count))]
    }
    for (name, rows) in parts {
      let loaded = LoadedData(name: name, dataset: dataset, split: split, batch: rows, shuffle: a.shuffle,
                              transform: s.transform, directory: directory.url, source: source)
      if s.datasets[name] == nil { s.datasetOrder.append(name) }
      let unchanged = s.datasets[name]?.fingerprint == loaded.fingerprint
      s.datasets[name] = loaded
      if !unchanged, s.trainingPairs?.dataName == name { s.trainingPairs = nil }
    }
    let seconds = (clock.now - start).seconds
    let what = batch.count < source.count
      ? "first batch of \(batch.count) of \(source.count) (\(a.shuffle ? "shuffled" : "in file order"))"
      : "all \(Plural.count(source.count, "example"))\(a.shuffle ? ", shuffled" : "")"
    var line = "\(a.name): \(dataset.torchvisionName) \(split.rawValue), \(what), \(Plural.count(batch.features.cols, "feature"))"
    if let held = a.validation {
      line += "; the last \(Plural.grouped(held)) held out as '\(LoadArguments.validationName)', \(Plural.grouped(batch.count - held)) kept as '\(a.name)'"
    }
    return CommandResult([.line(line + " [\(Format.seconds(seconds))]")])
  }

  /// `transform to-tensor | normalize(0.1, 0.1) | flatten`: the pipeline for later loads.
  func setTransform(_ specs: [TransformStepSpec]) throws(CommandError) -> CommandResult {
    let steps = specs.map { spec -> TransformStep in
      switch spec {
      case .toTensor: .toTensor
      case .flatten: .flatten
      case .normalize(let mean, let std): .normalize(mean: Float(mean), std: Float(std))
      }
    }
    let s = session
    do {
      s.transform = try TransformPipeline(steps)
    } catch {
      throw CommandError("\(error)")
    }
    s.transformIsExplicit = true
    return CommandResult([.line("transform: \(s.transform)" + (s.datasets.isEmpty ? "" : " (applies to the next load; re-run the load cells to use it)"))])
  }
}

extension Session {
  /// The loaded batch called `name`, or an error naming what is loaded.
  func loaded(_ name: String, range: SourceRange? = nil) throws(CommandError) -> LoadedData {
    if let d = datasets[name] { return d }
    if datasetOrder.isEmpty {
      throw CommandError("no data loaded yet; run a `load` cell first (e.g. `load mnist train batch=10000`)", at: range)
    }
    throw CommandError("no data called '\(name)'; loaded: \(datasetOrder.joined(separator: ", "))", at: range,
                       suggestion: Suggestions.closest(to: name, in: datasetOrder).map { "did you mean '\($0)'?" })
  }
}
