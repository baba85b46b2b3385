import FFKernels

/// One step of a torchvision `transforms.Compose`, as the seed notebook composes them:
/// `Compose([ToTensor(), Normalize((0.1,), (0.1,)), Lambda(lambda x: torch.flatten(x))])`.
public enum TransformStep: Sendable, Equatable, CustomStringConvertible {
  /// `ToTensor()`: byte b -> b / 255 as float32.
  case toTensor
  /// `Normalize((mean,), (std,))`: x -> (x - mean) / std, in float32 like torch.
  case normalize(mean: Float, std: Float)
  /// `Lambda(lambda x: torch.flatten(x))`: (1, 28, 28) -> (784).
  case flatten

  public var description: String {
    switch self {
    case .toTensor: "ToTensor()"
    case let .normalize(mean, std): "Normalize((\(mean),), (\(std),))"
    case .flatten: "Lambda(flatten)"
    }
  }
}

/// A composed transform, applied to the rows of a `RawImages` in one fused pass.
///
/// Every step is a function of a single pixel, so the whole pipeline is a function of the byte
/// value: it is tabulated once (256 floats) and each pixel becomes one table lookup. Values
/// match torch bit for bit: the table is computed in float32 in the same order
/// (`img.float().div(255)`, then `sub_(mean).div_(std)`).
///
/// Data are always stored as (n, rows*cols) rows of a `Matrix`; `flatten` only records that the
/// notebook flattened them (`isFlat`), so a trainer can refuse unflattened images the way the
/// seed's `nn.Linear` layers would.
public struct TransformPipeline: Sendable, Equatable, CustomStringConvertible {
  /// The steps, in application order.
  public let steps: [TransformStep]

  /// The seed notebook's pipeline: ToTensor, Normalize(0.1, 0.1), flatten (bytes map to [-1, 9]).
  public static let seed = TransformPipeline(unchecked: [.toTensor, .normalize(mean: 0.1, std: 0.1), .flatten])

  /// A pipeline of `steps`, validated against what torchvision accepts:
  /// ToTensor at most once and first (it needs an image, not a tensor); Normalize before
  /// flatten (torch's Normalize wants a (C, H, W) tensor); std finite and non-zero, mean finite.
  /// Without ToTensor, pixels keep their byte values 0...255 and Normalize applies to those.
  public init(_ steps: [TransformStep]) throws(DataError) {
    var sawTensor = false
    var sawFlatten = false
    for (i, step) in steps.enumerated() {
      switch step {
      case .toTensor:
        guard !sawTensor else { throw .invalidTransform("ToTensor() appears twice; its input must be an image, not a tensor") }
        guard i == 0 else { throw .invalidTransform("ToTensor() must come first: it converts the image the other steps work on") }
        sawTensor = true
      case let .normalize(mean, std):
        guard !sawFlatten else {
          throw .invalidTransform("Normalize expects an image of shape (C, H, W); flatten after normalizing")
        }
        guard mean.isFinite else { throw .invalidTransform("Normalize mean must be finite, got \(mean)") }
        guard std.isFinite, std != 0 else { throw .invalidTransform("Normalize std must be finite and non-zero, got \(std)") }
      case .flatten:
        guard !sawFlatten else { throw .invalidTransform("flatten appears twice") }
        sawFlatten = true
      }
    }
    self.steps = steps
  }

  /// ToTensor alone: pixels as bytes/255 (what dataset statistics are usually quoted in).
  public static let toTensor = TransformPipeline(unchecked: [.toTensor])

  private init(unchecked steps: [TransformStep]) { self.steps = steps }

  /// Whether the images come out flattened, as the seed's linear layers need.
  public var isFlat: Bool { steps.contains(.flatten) }

  /// Whether pixels are scaled to [0, 1] first (without ToTensor they keep byte values 0...255).
  public var isTensor: Bool { steps.first == .toTensor }

  /// `Compose([...])` spelled as in the notebook.
  public var description: String { "Compose([" + steps.map(\.description).joined(separator: ", ") + "])" }

  /// The float each byte value becomes: entry b is the pipeline applied to pixel value b.
  public var lookupTable: [Float] {
    (0...255).map { byte in
      var x = Float(byte)
      for step in steps {
        switch step {
        case .toTensor: x = x / 255
        case let .normalize(mean, std): x = (x - mean) / std
        case .flatten: break
        }
      }
      return x
    }
  }

  /// Rows transformed between two polls of the stop request.
  static let rowsPerPoll = 4096

  /// The transformed images `indices` (all images when `nil`), in that order, as an
  /// (indices.count, rows*cols) matrix. `shouldStop` is asked every `rowsPerPoll` rows; a stop
  /// throws `.interrupted`.
  public func apply(to raw: RawImages, rows indices: [Int]? = nil, shouldStop: () -> Bool = { false }) throws(DataError) -> Matrix {
    if let indices, let bad = indices.first(where: { $0 < 0 || $0 >= raw.count }) {
      throw .indexOutOfRange(index: bad, count: raw.count)
    }
    let n = indices?.count ?? raw.count
    let width = raw.pixelsPerImage
    let out = Matrix(rows: n, cols: width)
    guard n > 0, width > 0 else { return out }
    let table = lookupTable
    var start = 0
    while start < n {
      if start > 0 && shouldStop() { throw .interrupted("transforming the images") }
      let end = min(n, start + Self.rowsPerPoll)
      table.withUnsafeBufferPointer { lut in
        raw.pixels.withUnsafeBufferPointer { pixels in
          // Most of a data load's time is spent here: one gather per pixel, 55 M for all of MNIST.
          for r in start..<end {
            let source = indices?[r] ?? r
            let src = UnsafeBufferPointer(rebasing: pixels[source * width..<(source + 1) * width])
            let dst = out.row(r)
            for j in 0..<width { dst[j] = lut[Int(src[j])] }
          }
        }
      }
      start = end
    }
    return out
  }
}
