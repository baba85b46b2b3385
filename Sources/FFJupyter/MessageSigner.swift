import Crypto

/// HMAC-SHA256 over a message's four JSON frames (header, parent header, metadata, content),
/// keyed with the connection file's key, as hex: what the Jupyter wire protocol puts in the
/// signature frame. With an empty key messages are unsigned (the signature frame is empty)
/// and every signature is accepted, as Jupyter does.
package struct MessageSigner: Sendable {
  /// The key's bytes (a `SymmetricKey` is made per use: it is not `Sendable`).
  private let keyBytes: [UInt8]

  package init(key: [UInt8]) {
    self.keyBytes = key
  }

  private var key: SymmetricKey? { keyBytes.isEmpty ? nil : SymmetricKey(data: keyBytes) }

  /// The hex signature of `frames`, or "" without a key.
  package func signature(_ frames: [[UInt8]]) -> String {
    guard let key else { return "" }
    var hmac = HMAC<SHA256>(key: key)
    for frame in frames { hmac.update(data: frame) }
    return Self.hex(Array(hmac.finalize()))
  }

  /// Whether `signature` (hex, as received) signs `frames`; compared in constant time.
  package func isValid(_ signature: [UInt8], for frames: [[UInt8]]) -> Bool {
    guard let key else { return true }
    guard let code = Self.bytes(fromHex: signature) else { return false }
    var data: [UInt8] = []
    for frame in frames { data += frame }
    return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: data, using: key)
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The bytes a hex string spells, or nil when it is not an even number of hex digits.
  static func bytes(fromHex hex: [UInt8]) -> [UInt8]? {
    guard hex.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
      default: nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(hex.count / 2)
    var i = 0
    while i < hex.count {
      guard let high = nibble(hex[i]), let low = nibble(hex[i + 1]) else { return nil }
      out.append(high << 4 | low)
      i += 2
    }
    return out
  }
}
