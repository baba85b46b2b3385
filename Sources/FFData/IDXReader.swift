import FFFiles
import FFKernels

/// Reader for the IDX format of the MNIST family (LeCun et al., http://yann.lecun.com/exdb/mnist/).
///
/// An IDX file is a big-endian header, a magic number `0x0000TTDD` (TT = element type, 0x08 for
/// unsigned bytes; DD = number of dimensions) followed by one UInt32 per dimension, then the
/// elements. ffnb reads the two kinds the datasets use: images (0x00000803: count, rows, cols)
/// and labels (0x00000801: count).
///
/// The header is read and checked first (magic, dimensions, the declared size against
/// `maximumBytes` and the process's memory limits, with overflow-checked arithmetic); then
/// exactly the declared bytes are read, streamed through zlib for `.gz`, and one byte more is
/// asked for to refuse trailing data. Nothing is allocated before the header passes, and no
/// more is read or decompressed than it declares, so a truncated, foreign or hostile file is an
/// error, never a crash or a memory blow-up.
public enum IDX {
  /// Magic number of an unsigned-byte file with three dimensions: (count, rows, cols) images.
  public static let imagesMagic: UInt32 = 0x0000_0803
  /// Magic number of an unsigned-byte file with one dimension: count labels.
  public static let labelsMagic: UInt32 = 0x0000_0801
  /// The most element bytes one IDX file may declare: 1 GiB (MNIST's training images are
  /// 47 MB). A header asking for more is refused before anything is allocated.
  public static let maximumBytes = 1 << 30

  /// Reads an images file, raw or gzip-compressed (`gzip` selects the decoder). `shouldStop`
  /// is asked between chunks of about a megabyte (Ctrl-C in the REPL).
  public static func readImages(path: String, gzip: Bool = false, shouldStop: () -> Bool = { false }) throws(DataError) -> RawImages {
    let stream = try DataFileStream(path: path, gzip: gzip)
    let dims = try header(of: stream, magic: imagesMagic, dimensions: 3)
    let (count, rows, cols) = (dims[0], dims[1], dims[2])
    guard rows > 0, cols > 0 else {
      throw .badDimensions(path: path, reason: "images of \(rows)x\(cols)")
    }
    // Dimensions are at most 2^32-1 each; the product can overflow Int only on absurd headers.
    let (perImage, o1) = rows.multipliedReportingOverflow(by: cols)
    let (body, o2) = count.multipliedReportingOverflow(by: perImage)
    let described = "\(Plural.count(count, "image")) of \(rows)x\(cols)"
    guard !(o1 || o2) else {
      throw .badDimensions(path: path, reason: "header says \(described), too large")
    }
    let pixels = try readBody(of: stream, bytes: body, headerBytes: 4 + 4 * 3, described: described, shouldStop: shouldStop)
    return RawImages(count: count, rows: rows, cols: cols, pixels: pixels)
  }

  /// Reads a labels file, raw or gzip-compressed (`gzip` selects the decoder).
  public static func readLabels(path: String, gzip: Bool = false, shouldStop: () -> Bool = { false }) throws(DataError) -> [UInt8] {
    let stream = try DataFileStream(path: path, gzip: gzip)
    let count = try header(of: stream, magic: labelsMagic, dimensions: 1)[0]
    return try readBody(of: stream, bytes: count, headerBytes: 4 + 4, described: Plural.count(count, "label"), shouldStop: shouldStop)
  }

  /// Checks the magic number and returns the header's dimensions.
  static func header(of stream: DataFileStream, magic: UInt32, dimensions: Int) throws(DataError) -> [Int] {
    let needed = 4 + 4 * dimensions
    var bytes = [UInt8](repeating: 0, count: needed)
    var failure: DataError?
    let got = bytes.withUnsafeMutableBytes { raw in
      do throws(DataError) { return try stream.read(into: raw) } catch {
        failure = error
        return 0
      }
    }
    if let failure { throw failure }
    guard got == needed else {
      throw .headerTooShort(path: stream.path, bytes: got, needed: needed)
    }
    let found = bigEndianUInt32(bytes, at: 0)
    guard found == magic else { throw .badMagic(path: stream.path, expected: magic, found: found) }
    return (0..<dimensions).map { Int(bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
  }

  /// Exactly `bytes` element bytes after a header of `headerBytes`, and nothing after them.
  /// The size is checked against `maximumBytes`, the memory limits and (raw files) the file's
  /// length before the buffer is allocated.
  static func readBody(
    of stream: DataFileStream, bytes: Int, headerBytes: Int, described: String, shouldStop: () -> Bool
  ) throws(DataError) -> [UInt8] {
    let path = stream.path
    let expected = bytes + headerBytes  // bytes <= (2^32-1)^2: cannot overflow Int
    if !stream.isGzip, stream.fileSize != expected {
      throw .sizeMismatch(path: path, header: described, expected: expected, actual: stream.fileSize)
    }
    guard bytes <= maximumBytes else {
      throw .tooLarge(path: path, header: described, bytes: bytes, limit: "the \(ByteCount.format(maximumBytes)) limit for an IDX file")
    }
    if let limit = MemoryLimits.current().exceeded(by: bytes) {
      throw .tooLarge(path: path, header: described, bytes: bytes, limit: limit.description)
    }
    var failure: DataError?
    let body = [UInt8](unsafeUninitializedCapacity: bytes) { buffer, initialized in
      do throws(DataError) {
        initialized = try stream.read(into: UnsafeMutableRawBufferPointer(buffer), shouldStop: shouldStop)
      } catch {
        failure = error
        initialized = 0
      }
    }
    if let failure { throw failure }
    guard body.count == bytes else {
      throw .sizeMismatch(path: path, header: described, expected: expected, actual: headerBytes + body.count)
    }
    guard try stream.isAtEnd() else {
      if stream.isGzip { throw .trailingData(path: path, header: described, expected: expected) }
      // A raw file that grew while it was read.
      throw .sizeMismatch(path: path, header: described, expected: expected, actual: max(stream.fileSize, expected + 1))
    }
    return body
  }

  /// The big-endian UInt32 at `offset`; the caller has checked `offset + 4 <= bytes.count`.
  static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
      | UInt32(bytes[offset + 3])
  }
}
