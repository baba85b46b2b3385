/// Summary numbers of a dataset: how many examples per class and the pixel distribution.
///
/// Pixels are summarised by their byte histogram, which makes the mean and standard deviation
/// exact (integer counts, sums in Double) and lets `mean(through:)` give the statistics of any
/// transform pipeline without transforming a single image. For MNIST's training set the familiar
/// numbers come out: mean 0.1307, std 0.3081 of bytes/255.
public struct DatasetStatistics: Sendable, Equatable {
  /// Examples per class, index = label.
  public let labelCounts: [Int]
  /// How many pixels have each byte value, index = value (256 entries).
  public let byteHistogram: [Int]

  /// Counts labels (below `classes`) and pixel values.
  public init(images: RawImages, labels: [UInt8], classes: Int) {
    var counts = [Int](repeating: 0, count: max(classes, 0))
    for label in labels where Int(label) < counts.count { counts[Int(label)] += 1 }
    labelCounts = counts
    // Four interleaved partial histograms (entries 0-255, 256-511, ...) break the store-to-load
    // dependency when neighbouring pixels share a value (most are 0), which would serialise the loop.
    var partial = [Int](repeating: 0, count: 4 * 256)
    partial.withUnsafeMutableBufferPointer { h in
      images.pixels.withUnsafeBufferPointer { pixels in
        let quads = pixels.count / 4
        for q in 0..<quads {
          let i = 4 * q
          h[Int(pixels[i])] &+= 1
          h[256 + Int(pixels[i + 1])] &+= 1
          h[512 + Int(pixels[i + 2])] &+= 1
          h[768 + Int(pixels[i + 3])] &+= 1
        }
        for i in 4 * quads..<pixels.count { h[Int(pixels[i])] &+= 1 }
      }
    }
    byteHistogram = (0..<256).map { partial[$0] + partial[256 + $0] + partial[512 + $0] + partial[768 + $0] }
  }

  /// Total number of pixels.
  public var pixelCount: Int { byteHistogram.reduce(0, +) }

  /// Mean of the pixels after `pipeline` (default: bytes/255, torchvision's ToTensor).
  public func mean(through pipeline: TransformPipeline = .toTensor) -> Double {
    moments(pipeline).mean
  }

  /// Population standard deviation of the pixels after `pipeline` (default: bytes/255).
  public func standardDeviation(through pipeline: TransformPipeline = .toTensor) -> Double {
    moments(pipeline).std
  }

  private func moments(_ pipeline: TransformPipeline) -> (mean: Double, std: Double) {
    let n = Double(pixelCount)
    guard n > 0 else { return (.nan, .nan) }
    let table = pipeline.lookupTable
    var sum = 0.0
    for b in 0..<256 { sum += Double(byteHistogram[b]) * Double(table[b]) }
    let mean = sum / n
    var squares = 0.0
    for b in 0..<256 {
      let d = Double(table[b]) - mean
      squares += Double(byteHistogram[b]) * d * d
    }
    return (mean, (squares / n).squareRoot())
  }
}

extension RawDataset {
  /// Label counts and pixel histogram of this split.
  public func statistics() -> DatasetStatistics {
    DatasetStatistics(images: images, labels: labels, classes: name.classCount)
  }
}

