/// Images exactly as stored in an IDX file: `count` images of `rows` x `cols` unsigned bytes,
/// row-major, image after image (`pixels.count == count * rows * cols`).
///
/// Bytes are kept rather than floats: 47 MB instead of 188 MB for MNIST's training set, and a
/// transform pipeline turns the rows a batch needs into floats in one pass (`TransformPipeline`).
public struct RawImages: Sendable, Equatable {
  /// Number of images.
  public let count: Int
  /// Pixel rows per image (28 for MNIST).
  public let rows: Int
  /// Pixel columns per image (28 for MNIST).
  public let cols: Int
  /// All pixels, `count * rows * cols` bytes, 0 = background.
  public let pixels: [UInt8]

  /// Bytes per image (`rows * cols`, 784 for MNIST).
  public var pixelsPerImage: Int { rows * cols }

  /// Images from their bytes; `pixels.count` must be `count * rows * cols`.
  public init(count: Int, rows: Int, cols: Int, pixels: [UInt8]) {
    precondition(count >= 0 && rows >= 0 && cols >= 0 && pixels.count == count * rows * cols,
                 "RawImages: \(pixels.count) bytes for \(count) images of \(rows)x\(cols)")
    self.count = count
    self.rows = rows
    self.cols = cols
    self.pixels = pixels
  }

  /// The bytes of image `index` (row-major, `rows * cols` of them), for display.
  public func image(_ index: Int) throws(DataError) -> ArraySlice<UInt8> {
    guard index >= 0 && index < count else { throw .indexOutOfRange(index: index, count: count) }
    let start = index * pixelsPerImage
    return pixels[start..<start + pixelsPerImage]
  }
}
