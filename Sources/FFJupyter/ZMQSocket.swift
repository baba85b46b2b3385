import CZMQ
import Foundation

/// A libzmq call that failed, with zmq's own words for why.
package struct ZMQError: Error, Sendable, CustomStringConvertible {
  package var call: String
  package var code: Int32
  package var description: String { "\(call): \(String(cString: zmq_strerror(code)))" }

  init(_ call: String) {
    self.call = call
    self.code = zmq_errno()
  }
}

/// One ZeroMQ context: the kernel's five sockets live in it.
package final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer

  package init() throws(ZMQError) {
    guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
    self.handle = handle
  }

  /// Waits for the sockets' queued messages to go out (each socket's linger) and frees the
  /// context. Every socket must be closed first.
  package func terminate() {
    while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
  }
}

/// A ZeroMQ socket of one of the kinds a kernel binds.
///
/// A zmq socket is not thread-safe: each is used by one thread at a time (the iopub socket is
/// shared behind a lock, see `IOPub`), which is why this is `@unchecked Sendable`.
package final class ZMQSocket: @unchecked Sendable {
  package enum Kind: Sendable {
    /// Shell, control and stdin: requests from any number of clients, replies routed back.
    case router
    /// iopub: broadcasts to every subscribed client.
    case publisher
    /// Heartbeat: echoes each message back.
    case reply

    var zmqType: Int32 {
      switch self {
      case .router: ZMQ_ROUTER
      case .publisher: ZMQ_PUB
      case .reply: ZMQ_REP
      }
    }
  }

  /// A message larger than this makes zmq drop the sender's connection instead of buffering
  /// it: a hostile or broken client cannot make the kernel allocate without bound.
  static let maximumMessageBytes: Int64 = 256 << 20

  let handle: UnsafeMutableRawPointer
  package let kind: Kind

  package init(_ context: ZMQContext, kind: Kind) throws(ZMQError) {
    guard let handle = zmq_socket(context.handle, kind.zmqType) else { throw ZMQError("zmq_socket") }
    self.handle = handle
    self.kind = kind
    // On close, wait at most a second for unsent messages (a reply to shutdown_request).
    setOption(ZMQ_LINGER, Int32(1000))
    setOption(ZMQ_MAXMSGSIZE, Self.maximumMessageBytes)
    // A client that reconnects with the same identity takes over its old connection.
    if kind == .router { setOption(ZMQ_ROUTER_HANDOVER, Int32(1)) }
  }

  private func setOption<T>(_ option: Int32, _ value: T) {
    var value = value
    _ = zmq_setsockopt(handle, option, &value, MemoryLayout<T>.size)
  }

  /// Binds to an endpoint such as `tcp://127.0.0.1:5555` or `ipc:///tmp/kernel-1`.
  package func bind(_ endpoint: String) throws(ZMQError) {
    guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("zmq_bind \(endpoint)") }
  }

  /// Sends one multipart message without ever blocking: a peer that went away (or stopped
  /// reading) loses the message, the kernel goes on. Returns whether it was queued.
  @discardableResult
  package func send(_ frames: [[UInt8]]) -> Bool {
    for (i, frame) in frames.enumerated() {
      let flags = ZMQ_DONTWAIT | (i + 1 < frames.count ? ZMQ_SNDMORE : 0)
      let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
      // A first frame that cannot go drops the whole message; a later one cannot fail alone
      // (zmq queues multipart messages atomically).
      if sent < 0 { return false }
    }
    return true
  }

  /// Waits up to `timeout` milliseconds (-1: for ever) for a message and receives all its
  /// frames; nil when none came in time or the receive was interrupted by a signal.
  package func receive(timeout: Int) -> [[UInt8]]? {
    guard Self.poll([self], timeout: timeout).first == true else { return nil }
    return receiveNow()
  }

  /// Receives a message that `poll` said is waiting.
  package func receiveNow() -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    while true {
      var message = zmq_msg_t()
      zmq_msg_init(&message)
      defer { zmq_msg_close(&message) }
      guard zmq_msg_recv(&message, handle, frames.isEmpty ? ZMQ_DONTWAIT : 0) >= 0 else {
        return frames.isEmpty ? nil : frames
      }
      let size = zmq_msg_size(&message)
      let bytes = zmq_msg_data(&message).map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
      frames.append(bytes)
      if zmq_msg_more(&message) == 0 { return frames }
    }
  }

  /// Which of `sockets` have a message waiting, after up to `timeout` milliseconds.
  package static func poll(_ sockets: [ZMQSocket], timeout: Int) -> [Bool] {
    var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
    let ready = zmq_poll(&items, Int32(items.count), timeout)
    guard ready > 0 else { return Array(repeating: false, count: sockets.count) }
    return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
  }

  package func close() {
    zmq_close(handle)
  }
}
