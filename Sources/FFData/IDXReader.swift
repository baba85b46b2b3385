import FFKernels

/// Reader for the IDX format of the MNIST family (LeCun et al., http://yann.lecun.com/exdb/mnist/).
///
/// An IDX file is a big-endian header, a magic number `0x0000TTDD` (TT = element type, 0x08 for
/// unsigned bytes; DD = number of dimensions) followed by one UInt32 per dimension, then the
/// elements. ffnb reads the two kinds the datasets use: images (0x00000803: count, rows, cols)
/// and labels (0x00000801: count). Every length is checked against the header before any
/// element is touched, so a truncated or foreign file is an error, never a crash.
public enum IDX {
  /// Magic number of an unsigned-byte file with three dimensions: (count, rows, cols) images.
  public static let imagesMagic: UInt32 = 0x0000_0803
  /// Magic number of an unsigned-byte file with one dimension: count labels.
  public static let labelsMagic: UInt32 = 0x0000_0801

  /// Reads an images file, raw or gzip-compressed (`gzip` selects the decoder).
  public static func readImages(path: String, gzip: Bool = false) throws(DataError) -> RawImages {
    var bytes = try gzip ? FileBytes.readGzip(path) : FileBytes.readRaw(path)
    let dims = try header(of: bytes, path: path, magic: imagesMagic, dimensions: 3)
    let (count, rows, cols) = (dims[0], dims[1], dims[2])
    guard rows > 0, cols > 0 else {
      throw .badDimensions(path: path, reason: "images of \(rows)x\(cols)")
    }
    let headerBytes = 4 + 4 * 3
    // Dimensions are at most 2^32-1 each; the product can overflow Int only on absurd headers.
    let (perImage, o1) = rows.multipliedReportingOverflow(by: cols)
    let (body, o2) = count.multipliedReportingOverflow(by: perImage)
    let (expected, o3) = body.addingReportingOverflow(headerBytes)
    guard !(o1 || o2 || o3) else {
      throw .badDimensions(path: path, reason: "header says \(Plural.count(count, "image")) of \(rows)x\(cols), too large")
    }
    guard bytes.count == expected else {
      throw .sizeMismatch(
        path: path, header: "\(Plural.count(count, "image")) of \(rows)x\(cols)", expected: expected, actual: bytes.count)
    }
    // In place: shifts the pixels down over the header without a second 47 MB allocation.
    bytes.removeSubrange(0..<headerBytes)
    return RawImages(count: count, rows: rows, cols: cols, pixels: bytes)
  }

  /// Reads a labels file, raw or gzip-compressed (`gzip` selects the decoder).
  public static func readLabels(path: String, gzip: Bool = false) throws(DataError) -> [UInt8] {
    var bytes = try gzip ? FileBytes.readGzip(path) : FileBytes.readRaw(path)
    let count = try header(of: bytes, path: path, magic: labelsMagic, dimensions: 1)[0]
    let headerBytes = 4 + 4
    guard bytes.count == count + headerBytes else {
      throw .sizeMismatch(path: path, header: Plural.count(count, "label"), expected: count + headerBytes, actual: bytes.count)
    }
    bytes.removeSubrange(0..<headerBytes)
    return bytes
  }

  /// Checks the magic number and returns the header's dimensions.
  static func header(of bytes: [UInt8], path: String, magic: UInt32, dimensions: Int) throws(DataError) -> [Int] {
    let needed = 4 + 4 * dimensions
    guard bytes.count >= needed else {
      throw .headerTooShort(path: path, bytes: bytes.count, needed: needed)
    }
    let found = bigEndianUInt32(bytes, at: 0)
    guard found == magic else { throw .badMagic(path: path, expected: magic, found: found) }
    return (0..<dimensions).map { Int(bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
  }

  /// The big-endian UInt32 at `offset`; the caller has checked `offset + 4 <= bytes.count`.
  static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
      | UInt32(bytes[offset + 3])
  }
}
