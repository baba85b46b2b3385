import FFData
import FFKernels
import Foundation
import Testing

#if DEBUG
  private let optimized = false
#else
  private let optimized = true
#endif

/// All 70000 MNIST images read from disk and decoded + normalised well under half a second.
/// Meaningful only in an optimised build: `swift test -c release --filter FFDataTests.LoadTimeTests`.
@Suite struct LoadTimeTests {
  @Test(.enabled(if: optimized, "timing needs an optimised build"))
  func allOfMNISTLoadsAndNormalizesInUnderHalfASecond() throws {
    let directory = RealData.directory.url
    let clock = ContinuousClock()
    var train: RawDataset?, test: RawDataset?
    var trainX: Matrix?, testX: Matrix?
    let read = try clock.measure {
      train = try RawDataset.load(.mnist, split: .train, directory: directory)
      test = try RawDataset.load(.mnist, split: .test, directory: directory)
    }
    let transform = try clock.measure {
      trainX = try TransformPipeline.seed.apply(to: try #require(train).images)
      testX = try TransformPipeline.seed.apply(to: try #require(test).images)
    }
    print("FFData: read 70000 MNIST images in \(read), decoded+normalised in \(transform), total \(read + transform)")
    #expect(trainX?.rows == 60000 && testX?.rows == 10000)
    #expect(read + transform < .milliseconds(500))
  }
}
