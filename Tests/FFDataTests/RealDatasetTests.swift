import FFData
import Testing

/// Checks on the real MNIST and Fashion-MNIST files against their published statistics.
@Suite struct RealDatasetTests {
  @Test func mnistTrainingSetHasThePublishedClassCountsAndOrder() throws {
    let train = try RealData.mnistTrain.get()
    #expect(train.count == 60000)
    #expect(train.images.count == 60000 && train.images.rows == 28 && train.images.cols == 28)
    #expect(train.labels.prefix(10).map(Int.init) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
    let stats = train.statistics()
    #expect(stats.labelCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    #expect(stats.pixelCount == 60000 * 784)
    // The normalisation constants everyone quotes for MNIST (torchvision examples).
    #expect(abs(stats.mean() - 0.1307) < 1e-4)
    #expect(abs(stats.standardDeviation() - 0.3081) < 1e-4)
  }

  @Test func mnistTestSetHasThePublishedClassCounts() throws {
    let test = try RealData.mnistTest.get()
    #expect(test.count == 10000)
    #expect(test.statistics().labelCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
  }

  @Test func fashionMNISTIsBalanced() throws {
    let train = try RealData.fashionTrain.get()
    let test = try RealData.fashionTest.get()
    #expect(train.statistics().labelCounts == Array(repeating: 6000, count: 10))
    #expect(test.statistics().labelCounts == Array(repeating: 1000, count: 10))
    #expect(train.name.classNames[9] == "Ankle boot")
  }

  @Test func statisticsFollowThePipeline() throws {
    let stats = try RealData.mnistTest.get().statistics()
    // Normalize is affine, so the seed pipeline's moments follow from ToTensor's.
    let mean = stats.mean(), std = stats.standardDeviation()
    #expect(abs(stats.mean(through: .seed) - (mean - 0.1) / 0.1) < 1e-5)
    #expect(abs(stats.standardDeviation(through: .seed) - std / 0.1) < 1e-5)
    let raw = try TransformPipeline([])
    #expect(abs(stats.mean(through: raw) - mean * 255) < 1e-3)
  }

  @Test func firstImageLooksLikeAFive() throws {
    let train = try RealData.mnistTrain.get()
    let five = try train.images.image(0)
    #expect(five.count == 784)
    // A handwritten digit: mostly background, with some full-intensity ink near the middle.
    let ink = five.filter { $0 > 128 }.count
    #expect(ink > 50 && ink < 300)
    #expect(five.prefix(28).allSatisfy { $0 == 0 })  // the top row is blank
  }
}
