import FFRuntime
import Foundation

/// The commands whose results the replay cache keeps: the ones that take time. Every other
/// command runs again on a cached replay; they are cheap, and running them keeps their side
/// effects (`save model` writes its file, `load` holds its data by reference).
enum CachedCommand: String, Codable, Sendable {
  case learn, predict
}

/// What a `learn` or `predict` left behind, stored so that a replay can put it back instead of
/// computing it again: what it showed (as values, presented again on whatever console replays
/// it) and the state it wrote.
struct CacheEntry {
  var header: Header
  /// The model after a `learn`, with its optimizer state: `Checkpoint`'s bytes in the file.
  var model: FFModel?

  /// The entry's small part, stored as JSON.
  struct Header: Codable {
    /// The statement's key: an entry whose key is not its file's name is foreign.
    var key: String
    /// ffnb's version and kernels when it was stored.
    var environment: String
    var command: CachedCommand
    /// Everything the statement presented, in order.
    var shown: [Output]
    /// After a `learn`: the session's hyperparameters, errors measured, seconds per epoch.
    var hyper: LayerHyperparameters?
    var errorHistory: [ErrorMeasurement]?
    var secondsPerEpoch: [Int: Double]?
    /// After a `predict`: the data set and its evaluation.
    var data: String?
    var evaluation: Evaluation?
  }

  // File layout (integers little-endian):
  //   0   8  magic "FFNBCACH"
  //   8   4  format version (UInt32) = 1
  //   12  8  header length H (UInt64), then H bytes of JSON
  //   ..  8  model length M (UInt64; 0 for none), then M bytes of a `Checkpoint`
  //   ..  32 SHA-256 of every byte before it
  static let magic = Array("FFNBCACH".utf8)
  static let version: UInt32 = 1
  /// The largest entry read: a model file's limit plus room for the header.
  static let maximumBytes = Checkpoint.maximumFileBytes + (256 << 20)

  /// The entry as its file holds it.
  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let json = Array(try encoder.encode(header))
    let weights = try model.map { try Checkpoint.encode($0, file: "the cached model") } ?? []
    var out = Self.magic
    out.reserveCapacity(64 + json.count + weights.count)
    Self.append(Self.version, to: &out)
    Self.append(UInt64(json.count), to: &out)
    out += json
    Self.append(UInt64(weights.count), to: &out)
    out += weights
    out += out.withUnsafeBytes { CacheDigest.checksum($0) }
    return out
  }

  /// Reads an entry's bytes, checking the layout (so a short file says it is truncated) and
  /// the checksum before anything is decoded.
  init(decoding bytes: [UInt8]) throws(CacheEntryProblem) {
    guard bytes.count >= Self.magic.count + 4 + 8 + 8 + 32 else { throw .truncated }
    guard Array(bytes[0..<8]) == Self.magic else { throw .notAnEntry }
    let body = bytes.count - 32
    let version = UInt32(Self.integer(bytes, at: 8, size: 4))
    guard version == Self.version else { throw .version(version) }
    let jsonLength = Self.integer(bytes, at: 12, size: 8)
    guard jsonLength <= UInt64(body - 28) else { throw .truncated }
    let jsonEnd = 20 + Int(jsonLength)
    let modelLength = Self.integer(bytes, at: jsonEnd, size: 8)
    guard modelLength == UInt64(body - jsonEnd - 8) else { throw .truncated }
    let sum = bytes.withUnsafeBytes { CacheDigest.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
    guard sum == Array(bytes[body...]) else { throw .checksum }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      header = try decoder.decode(Header.self, from: Data(bytes[20..<jsonEnd]))
    } catch {
      throw .header("\(error)")
    }
    if modelLength > 0 {
      do throws(CheckpointError) {
        model = try Checkpoint.decode(Array(bytes[(jsonEnd + 8)..<body]), file: "the cached model")
      } catch {
        throw .model(error.description)
      }
    } else {
      model = nil
    }
  }

  init(header: Header, model: FFModel?) {
    self.header = header
    self.model = model
  }

  private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out += $0 }
  }

  /// The little-endian integer of `size` bytes at `offset` (the caller checked the bounds).
  private static func integer(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
    return value
  }
}

/// Why a stored entry was not used: it is recomputed, and the cache says why once.
enum CacheEntryProblem: Error, Sendable, Equatable, CustomStringConvertible {
  case truncated, notAnEntry, checksum
  case unreadable(String)
  case version(UInt32)
  case header(String)
  case model(String)
  /// A well-formed entry for another statement, command or ffnb (copied or renamed by hand).
  case foreign(String)
  /// What it holds cannot be what a run stored (a count out of range, a malformed chart).
  case implausible(String)

  var description: String {
    switch self {
    case .truncated: "it is truncated"
    case .unreadable(let why): "it cannot be read (\(why))"
    case .notAnEntry: "it is not a cache entry"
    case .checksum: "its checksum does not match (the file was changed or damaged)"
    case .version(let v): "it has format version \(v), this ffnb reads \(CacheEntry.version)"
    case .header(let why): "its header does not decode: \(why)"
    case .model(let why): "its model does not decode: \(why)"
    case .foreign(let why): "it belongs to \(why)"
    case .implausible(let why): "it holds \(why)"
    }
  }
}
