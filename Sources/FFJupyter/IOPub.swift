import FFNotebook
import Foundation

/// The iopub socket, shared by the shell thread (a cell's output, status) and the control
/// thread (status around interrupt and shutdown) behind a lock: a zmq socket may move between
/// threads but never be used by two at once.
final class IOPub: @unchecked Sendable {
  private let socket: ZMQSocket
  private let wire: WireFormat
  private let session: String
  private let lock = NSLock()

  init(socket: ZMQSocket, wire: WireFormat, session: String) {
    self.socket = socket
    self.wire = wire
    self.session = session
  }

  /// Broadcasts a message of `type` in reply to the request whose header is `parent`.
  func publish(_ type: BroadcastType, _ content: [String: JSONValue], parent: JSONValue) {
    let topic = Array("kernel.\(session).\(type.rawValue)".utf8)
    let frames = wire.encode(type: type.rawValue, session: session, parent: parent, content: .object(content), identities: [topic])
    lock.withLock { _ = socket.send(frames) }
  }

  func status(_ state: String, parent: JSONValue) {
    publish(.status, ["execution_state": .string(state)], parent: parent)
  }

  /// One piece of a cell's output, as shown: text as a stdout stream, a plot or image as
  /// display data with its SVG and text forms, a failure as an error.
  func output(_ item: OutputItem, parent: JSONValue) {
    switch item {
    case .text(let text):
      publish(.stream, ["name": .string("stdout"), "text": .string(text)], parent: parent)
    case .display(let data):
      var bundle: [String: JSONValue] = ["text/plain": .string(data.text)]
      if let svg = data.svg { bundle["image/svg+xml"] = .string(svg) }
      publish(.displayData, ["data": .object(bundle), "metadata": .object([:]), "transient": .object([:])], parent: parent)
    case .error(let name, let message):
      publish(.error, ErrorReport(name: name, text: message).content, parent: parent)
    }
  }
}

extension ErrorReport {
  /// The fields Jupyter's `error` message and an error reply share.
  var content: [String: JSONValue] {
    ["ename": .string(name), "evalue": .string(value), "traceback": .array(traceback.map(JSONValue.string))]
  }
}
