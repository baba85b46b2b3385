import FFKernels

/// Why a dataset, a transform or a batch request was refused.
///
/// Every case that concerns a file carries its path, and `description` starts with it, so a
/// message such as
/// `data/mnist/train-images-idx3-ubyte: truncated: header says 60000 images of 28x28 (47040016 bytes), file has 47039000`
/// tells the user which file to fetch again (`scripts/fetch-data`). Bad files never crash the
/// process: every length is checked before it is read.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Neither the raw file nor its `.gz` variant exists; `tried` lists every path looked at.
  case missing(path: String, tried: [String])
  /// The file exists but could not be read (permissions, a directory, an I/O error).
  case unreadable(path: String, reason: String)
  /// A `.gz` file is corrupt or cut short.
  case gzip(path: String, reason: String)
  /// The file is shorter than its IDX header.
  case headerTooShort(path: String, bytes: Int, needed: Int)
  /// The first four bytes are not the IDX magic number this file must have.
  case badMagic(path: String, expected: UInt32, found: UInt32)
  /// The header's dimensions are not what this file must hold (e.g. images not 28x28).
  case badDimensions(path: String, reason: String)
  /// The file's length disagrees with its header. `header` says what the header promises.
  case sizeMismatch(path: String, header: String, expected: Int, actual: Int)
  /// A gzip file holds more than its header declares (how much more is not read).
  case trailingData(path: String, header: String, expected: Int)
  /// The header declares more data than a limit allows (`limit` says which); refused before
  /// anything is allocated.
  case tooLarge(path: String, header: String, bytes: Int, limit: String)
  /// Stopped on request (Ctrl-C) while `doing` ("reading data/mnist/train-images-idx3-ubyte").
  case interrupted(String)
  /// An images file and its labels file hold different numbers of items.
  case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
  /// A label byte is not a class of the dataset.
  case labelOutOfRange(path: String, index: Int, label: UInt8, classes: Int)
  /// A transform pipeline that torchvision would refuse, or whose arithmetic is undefined.
  case invalidTransform(String)
  /// A batch size that is not positive (torch's DataLoader refuses it too).
  case invalidBatchSize(Int)
  /// A row index outside the dataset.
  case indexOutOfRange(index: Int, count: Int)

  public var description: String {
    switch self {
    case let .missing(path, tried):
      let others = tried.filter { $0 != path }
      let alsoTried = others.isEmpty ? "" : " (also tried \(others.joined(separator: ", ")))"
      return "\(path): missing\(alsoTried); run scripts/fetch-data"
    case let .unreadable(path, reason):
      return "\(path): cannot read: \(reason)"
    case let .gzip(path, reason):
      return "\(path): corrupt gzip data: \(reason)"
    case let .headerTooShort(path, bytes, needed):
      return "\(path): truncated: \(Plural.count(bytes, "byte")), shorter than its \(needed)-byte IDX header"
    case let .badMagic(path, expected, found):
      return "\(path): not an IDX \(Self.kind(ofMagic: expected)) file: magic \(Self.hex(found)), expected \(Self.hex(expected))"
    case let .badDimensions(path, reason):
      return "\(path): unexpected dimensions: \(reason)"
    case let .sizeMismatch(path, header, expected, actual):
      let what = actual < expected ? "truncated" : "trailing data"
      return "\(path): \(what): header says \(header) (\(Plural.count(expected, "byte"))), file has \(actual)"
    case let .trailingData(path, header, expected):
      return "\(path): trailing data: header says \(header) (\(Plural.count(expected, "byte"))), the decompressed file holds more"
    case let .tooLarge(path, header, bytes, limit):
      return "\(path): header says \(header) (\(Plural.count(bytes, "byte"))), more than \(limit); refusing before reading it"
    case let .interrupted(doing):
      return "interrupted while \(doing)"
    case let .countMismatch(imagesPath, images, labelsPath, labels):
      return "\(labelsPath): holds \(Plural.count(labels, "label")) but \(imagesPath) holds \(Plural.count(images, "image"))"
    case let .labelOutOfRange(path, index, label, classes):
      return "\(path): label \(label) at index \(index) is not a class (0..<\(classes))"
    case let .invalidTransform(reason):
      return "invalid transform: \(reason)"
    case let .invalidBatchSize(size):
      return "batch size must be positive, got \(size)"
    case let .indexOutOfRange(index, count):
      return "row index \(index) outside the dataset's \(Plural.count(count, "row"))"
    }
  }

  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
  }

  static func kind(ofMagic magic: UInt32) -> String {
    switch magic {
    case IDX.imagesMagic: "images"
    case IDX.labelsMagic: "labels"
    default: "unsigned-byte"
    }
  }
}
