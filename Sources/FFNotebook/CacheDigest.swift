import Crypto

/// SHA-256 over a sequence of fields, each prefixed by its length, so that two different
/// sequences never hash alike (`"ab", "c"` and `"a", "bc"` are different inputs). The replay
/// cache names entries and pieces of state by these digests.
struct CacheDigest {
  private var hasher = SHA256()

  init() {}

  /// A digest of `fields`, in order.
  init(_ fields: String...) {
    for field in fields { add(field) }
  }

  mutating func add(_ text: String) {
    var utf8 = text
    utf8.withUTF8 { add(UnsafeRawBufferPointer($0)) }
  }

  mutating func add(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { add($0) }
  }

  mutating func add(_ bytes: UnsafeRawBufferPointer) {
    withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update(bufferPointer: $0) }
    hasher.update(bufferPointer: bytes)
  }

  /// The digest as 64 lowercase hex digits.
  func hex() -> String { Self.hex(hasher.finalize()) }

  /// The digest's 32 bytes.
  func bytes() -> [UInt8] { Array(hasher.finalize()) }

  static func hex(_ digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The plain SHA-256 of `bytes` (no length prefix): an entry file's checksum.
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
  }
}
