import Crypto

/// A notebook's content hash: SHA-256 (swift-crypto) as lowercase hex, so runs of the same
/// notebook text can be told from runs of an edited one.
package enum ContentHash {
  package static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef")
    var text = ""
    for byte in SHA256.hash(data: Array(bytes)) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0xF)])
    }
    return text
  }
}
