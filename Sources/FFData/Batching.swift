import FFKernels

/// A batch of transformed examples: what the seed's `next(iter(DataLoader(...)))` returns.
public struct Batch {
  /// Transformed images, (n, rows*cols) (n, 784 for MNIST), row i = example `indices[i]`.
  public let features: Matrix
  /// Labels, one per row.
  public let labels: [Int]
  /// Which examples of the dataset the rows are.
  public let indices: [Int]
  /// Whether the pipeline flattened the images (`TransformPipeline.isFlat`).
  public let isFlat: Bool

  /// Number of examples.
  public var count: Int { indices.count }

  /// Rows `range`: the features share this batch's storage (a validation split carved from a
  /// training set costs no second copy of the images).
  public func rows(_ range: Range<Int>) -> Batch {
    Batch(features: features.rows(range), labels: Array(labels[range]), indices: Array(indices[range]), isFlat: isFlat)
  }
}

/// Batch selection as torch's `DataLoader(dataset, batch_size, shuffle)`.
///
/// The seed only ever takes the first batch (`next(iter(loader))`), so that is what is offered.
/// With shuffle, torch's `RandomSampler` draws a permutation of the whole dataset and the first
/// batch is its first `batchSize` entries; ffnb does the same with its own seeded `Generator`
/// (it does not reproduce torch's random stream; see `Generator`).
public enum Batching {
  /// Indices of the first batch: the first `batchSize` entries of `generator.permutation(count)`
  /// when shuffling, else `0..<batchSize`. `batchSize` is clamped to `count`, as the last
  /// (here: only) batch of a DataLoader is simply shorter.
  public static func firstBatch(
    count: Int, batchSize: Int, shuffle: Bool, generator: inout Generator
  ) throws(DataError) -> [Int] {
    guard batchSize > 0 else { throw .invalidBatchSize(batchSize) }
    let n = min(batchSize, max(count, 0))
    guard shuffle else { return Array(0..<n) }
    return Array(generator.permutation(max(count, 0)).prefix(n))
  }

  /// The first batch of `dataset` through `pipeline`: `firstBatch` then `batch(of:indices:pipeline:)`.
  /// `shouldStop` is asked while transforming (see `TransformPipeline.apply`).
  public static func first(
    of dataset: RawDataset, batchSize: Int, shuffle: Bool, pipeline: TransformPipeline,
    generator: inout Generator, shouldStop: () -> Bool = { false }
  ) throws(DataError) -> Batch {
    let indices = try firstBatch(count: dataset.count, batchSize: batchSize, shuffle: shuffle, generator: &generator)
    return try batch(of: dataset, indices: indices, pipeline: pipeline, shouldStop: shouldStop)
  }

  /// Examples `indices` of `dataset`, transformed by `pipeline`, in that order.
  public static func batch(
    of dataset: RawDataset, indices: [Int], pipeline: TransformPipeline, shouldStop: () -> Bool = { false }
  ) throws(DataError) -> Batch {
    let features = try pipeline.apply(to: dataset.images, rows: indices, shouldStop: shouldStop)
    let labels = indices.map { Int(dataset.labels[$0]) }
    return Batch(features: features, labels: labels, indices: indices, isFlat: pipeline.isFlat)
  }
}
