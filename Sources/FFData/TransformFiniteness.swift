import FFKernels

/// A transform can turn ordinary pixels into infinities: `normalize(mean=0.1, std=1e-45)`
/// divides by a std that float32 holds only as a denormal, and every pixel overflows. Training
/// on such data reports a non-finite loss many epochs later and suggests a smaller learning
/// rate, which cannot help. `load` asks here instead, right after the transform, and names the
/// step that made the data non-finite.
extension TransformPipeline {
  /// Where a pipeline makes loaded pixels non-finite.
  public struct NonFiniteData: Sendable, Equatable, CustomStringConvertible {
    /// 1-based position of the first step whose output is not finite, and the step count.
    public var step: Int
    public var stepCount: Int
    public var stepDescription: String
    /// The pixel byte traced, its value before that step and after it.
    public var byte: UInt8
    public var before: Float
    public var after: Float
    /// How many loaded values are non-finite, of how many.
    public var count: Int
    public var total: Int

    public var description: String {
      "the transform makes the data non-finite: step \(step) of \(stepCount), \(stepDescription), turns pixel value \(byte) "
        + "(\(before) before it) into \(after), in \(Plural.grouped(count)) of \(Plural.grouped(total)) values; "
        + "training on them would only report a non-finite loss (32-bit floats overflow past about 3.4e38: keep (x - mean) / std within that)"
    }

  }

  /// Whether the images `indices` of `raw`, through this pipeline, hold a non-finite value,
  /// and if so which step made it. Costs 256 table entries when every entry is finite (the
  /// usual case), and one pass over the batch's bytes otherwise.
  public func nonFiniteData(in raw: RawImages, rows indices: [Int]) -> NonFiniteData? {
    let table = lookupTable
    guard table.contains(where: { !$0.isFinite }) else { return nil }
    let width = raw.pixelsPerImage
    var count = 0
    var first: UInt8?
    for index in indices where index >= 0 && index < raw.count {
      for byte in raw.pixels[index * width..<(index + 1) * width] where !table[Int(byte)].isFinite {
        count += 1
        if first == nil { first = byte }
      }
    }
    guard let byte = first else { return nil }
    var x = Float(byte)
    for (i, step) in steps.enumerated() {
      let before = x
      switch step {
      case .toTensor: x = x / 255
      case let .normalize(mean, std): x = (x - mean) / std
      case .flatten: break
      }
      if !x.isFinite {
        return NonFiniteData(
          step: i + 1, stepCount: steps.count, stepDescription: step.description, byte: byte, before: before, after: x,
          count: count, total: indices.count * width)
      }
    }
    return nil
  }
}
