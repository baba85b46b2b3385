import FFData
import FFKernels
import FFLanguage
import Foundation

extension Session {
  /// `load mnist train batch=10000 shuffle=true`: the first batch of a dataset split through
  /// the current transform, stored under `name`.
  public func load(
    dataset: DatasetName, split: Split, batchSize: Int?, shuffle: Bool, root: String?, name: String
  ) throws(CommandError) {
    let clock = ContinuousClock(), start = clock.now
    let directory = DataDirectory.resolve(explicit: root.map { resolve($0).path })
    let source: RawDataset
    do {
      source = try raw(dataset, split: split, directory: directory.url)
    } catch {
      throw CommandError("\(error)", suggestion: "fetch the data with `scripts/fetch-data \(dataset.rawValue)` (or `make data`), or point root= / FFNB_DATA at a folder holding \(dataset.rawValue)/")
    }
    let size = batchSize ?? source.count
    guard size > 0 else { throw CommandError("batch must be positive, got \(size)") }
    let batch: Batch
    do {
      batch = try withGenerator("shuffle/\(name)") { (g: inout Generator) throws(DataError) in
        try Batching.first(of: source, batchSize: size, shuffle: shuffle, pipeline: transform, generator: &g)
      }
    } catch {
      throw CommandError("\(error)")
    }
    let loaded = LoadedData(name: name, dataset: dataset, split: split, batch: batch, shuffle: shuffle,
                            transform: transform, directory: directory.url, source: source)
    if datasets[name] == nil { datasetOrder.append(name) }
    datasets[name] = loaded
    if trainingPairs?.dataName == name { trainingPairs = nil }
    let seconds = (clock.now - start).seconds
    let what = batch.count < source.count
      ? "first batch of \(batch.count) of \(source.count) (\(shuffle ? "shuffled" : "in file order"))"
      : "all \(Plural.count(source.count, "example"))\(shuffle ? ", shuffled" : "")"
    console.line("\(name): \(dataset.torchvisionName) \(split.rawValue), \(what), \(Plural.count(batch.features.cols, "feature")) [\(Format.seconds(seconds))]")
  }

  /// `transform to-tensor | normalize(0.1, 0.1) | flatten`: the pipeline for later loads.
  public func setTransform(_ steps: [TransformStep]) throws(CommandError) {
    do {
      transform = try TransformPipeline(steps)
    } catch {
      throw CommandError("\(error)")
    }
    transformIsExplicit = true
    console.line("transform: \(transform)" + (datasets.isEmpty ? "" : " (applies to the next load; re-run the load cells to use it)"))
  }

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
