import FFNotebook
import Foundation

/// A message's header: who sent it, when, and what kind of message it is.
package struct MessageHeader: Sendable {
  package var id: String
  package var session: String
  package var username: String
  package var date: String
  package var type: String
  package var version: String

  /// The header of a fresh message of `type` from the kernel's `session`.
  init(type: String, session: String) {
    self.id = UUID().uuidString.lowercased()
    self.session = session
    self.username = "ffnb"
    self.date = IpynbTimestamp.jupyter(Date())
    self.type = type
    self.version = protocolVersion
  }

  /// A received header; nil when `msg_type` or `msg_id` is missing or not a string (the other
  /// fields are only echoed back, so their absence is tolerated).
  init?(json: JSONValue) {
    guard let type = json["msg_type"]?.stringValue, let id = json["msg_id"]?.stringValue else { return nil }
    self.id = id
    self.type = type
    self.session = json["session"]?.stringValue ?? ""
    self.username = json["username"]?.stringValue ?? ""
    self.date = json["date"]?.stringValue ?? ""
    self.version = json["version"]?.stringValue ?? ""
  }

  var json: JSONValue {
    .object([
      "msg_id": .string(id), "session": .string(session), "username": .string(username),
      "date": .string(date), "msg_type": .string(type), "version": .string(version),
    ])
  }
}

/// One message as the wire protocol carries it: routing identities, then the delimiter, the
/// signature and four JSON frames (header, parent header, metadata, content), then buffers.
package struct Message: Sendable {
  /// The ROUTER socket's routing prefix: where the reply goes.
  package var identities: [[UInt8]] = []
  package var header: MessageHeader
  /// The header as received, echoed verbatim as the reply's parent header.
  package var headerJSON: JSONValue
  package var parentHeader: JSONValue = .object([:])
  package var metadata: JSONValue = .object([:])
  package var content: JSONValue = .object([:])

  static let delimiter = Array("<IDS|MSG>".utf8)
}

/// Why a received message was dropped.
package enum WireError: Error, Sendable, CustomStringConvertible {
  case noDelimiter
  case missingFrames(Int)
  case badSignature
  case invalidHeader(String)
  /// The header was readable but the content was not: the sender can still be answered.
  case invalidContent(Message, String)

  package var description: String {
    switch self {
    case .noDelimiter: "no <IDS|MSG> delimiter frame"
    case .missingFrames(let n): "\(n) frames after the delimiter; a message needs a signature and four JSON frames"
    case .badSignature: "the signature does not match the connection file's key"
    case .invalidHeader(let why): "unreadable header: \(why)"
    case .invalidContent(let message, let why): "unreadable \(message.header.type) (parent \(message.header.id)): \(why)"
    }
  }
}

/// Turns frames into messages and back, checking and making signatures.
package struct WireFormat: Sendable {
  package let signer: MessageSigner

  package init(signer: MessageSigner) { self.signer = signer }

  /// A received multipart message, verified: a message with a bad signature is refused
  /// before any of its JSON is read.
  package func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
    guard let delimiter = frames.firstIndex(of: Message.delimiter) else { throw .noDelimiter }
    let rest = frames[(delimiter + 1)...]
    guard rest.count >= 5 else { throw .missingFrames(rest.count) }
    let signature = rest[rest.startIndex]
    let json = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
    guard signer.isValid(signature, for: json) else { throw .badSignature }
    let headerJSON: JSONValue
    do {
      headerJSON = try JSONValue.parse(json[0])
    } catch {
      throw .invalidHeader(error.description)
    }
    guard let header = MessageHeader(json: headerJSON) else { throw .invalidHeader("no msg_type or msg_id") }
    var message = Message(identities: Array(frames[..<delimiter]), header: header, headerJSON: headerJSON)
    do {
      message.parentHeader = try JSONValue.parse(json[1])
      message.metadata = try JSONValue.parse(json[2])
      message.content = try JSONValue.parse(json[3])
    } catch {
      throw .invalidContent(message, error.description)
    }
    guard message.content.objectValue != nil else { throw .invalidContent(message, "the content is not a JSON object") }
    return message
  }

  /// The frames of a message from the kernel: `identities` route it (a reply), or for iopub
  /// the topic does.
  package func encode(
    type: String, session: String, parent: JSONValue, content: JSONValue, identities: [[UInt8]]
  ) -> [[UInt8]] {
    let header = MessageHeader(type: type, session: session)
    let json = [header.json, parent, .object([:]), content].map { Array($0.compactEncoded().utf8) }
    return identities + [Message.delimiter, Array(signer.signature(json).utf8)] + json
  }
}
