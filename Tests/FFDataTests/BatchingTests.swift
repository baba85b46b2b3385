import FFData
import FFKernels
import Testing

/// The seed's `next(iter(DataLoader(data, batch_size, shuffle=True)))`.
@Suite struct BatchingTests {
  @Test func shuffledBatchesAreReproducibleForASeedAndDifferAcrossSeeds() throws {
    var a = Generator(seed: 42, stream: "shuffle/mnist/train")
    var b = Generator(seed: 42, stream: "shuffle/mnist/train")
    var c = Generator(seed: 43, stream: "shuffle/mnist/train")
    let first = try Batching.firstBatch(count: 60000, batchSize: 10000, shuffle: true, generator: &a)
    let again = try Batching.firstBatch(count: 60000, batchSize: 10000, shuffle: true, generator: &b)
    let other = try Batching.firstBatch(count: 60000, batchSize: 10000, shuffle: true, generator: &c)
    #expect(first == again)
    #expect(first != other)
    #expect(first.count == 10000)
    #expect(Set(first).count == 10000 && first.allSatisfy { $0 >= 0 && $0 < 60000 })
    // A shuffle, not a prefix: the batch reaches past the first 10000 examples.
    #expect(first.contains { $0 >= 10000 })
  }

  @Test func unshuffledBatchIsTheFirstRowsAndSizeIsClamped() throws {
    var g = Generator(seed: 1)
    #expect(try Batching.firstBatch(count: 100, batchSize: 5, shuffle: false, generator: &g) == [0, 1, 2, 3, 4])
    #expect(try Batching.firstBatch(count: 3, batchSize: 10, shuffle: false, generator: &g) == [0, 1, 2])
    #expect(try Batching.firstBatch(count: 3, batchSize: 10, shuffle: true, generator: &g).sorted() == [0, 1, 2])
    #expect(throws: DataError.invalidBatchSize(0)) {
      try Batching.firstBatch(count: 3, batchSize: 0, shuffle: false, generator: &g)
    }
  }

  @Test func batchHoldsTheTransformedRowsAndTheirLabels() throws {
    let test = try RealData.mnistTest.get()
    var g = Generator(seed: 7, stream: "shuffle/mnist/test")
    let batch = try Batching.first(of: test, batchSize: 1000, shuffle: true, pipeline: .seed, generator: &g)
    #expect(batch.count == 1000 && batch.features.rows == 1000 && batch.features.cols == 784)
    #expect(batch.isFlat)
    #expect(batch.labels == batch.indices.map { Int(test.labels[$0]) })
    let t = TransformPipeline.seed.lookupTable
    for r in [0, 500, 999] {
      #expect(Array(batch.features.row(r)) == (try test.images.image(batch.indices[r])).map { t[Int($0)] })
    }

    var unused = Generator(seed: 0)
    let plain = try Batching.first(of: test, batchSize: 10, shuffle: false, pipeline: .seed, generator: &unused)
    #expect(plain.indices == Array(0..<10))
    #expect(plain.labels == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])  // MNIST's first ten test labels
  }
}
