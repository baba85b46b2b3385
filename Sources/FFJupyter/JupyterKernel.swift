import FFNotebook
import FFREPL
import Foundation
import Synchronization

/// A Jupyter kernel over ZeroMQ: binds the connection file's five sockets and answers the
/// messaging protocol (5.3) until a client asks it to shut down.
///
/// Threads: the calling thread reads the shell socket and runs every request that touches
/// the session (execute, complete, inspect, is_complete, history), one at a time, as Jupyter
/// requires. A second thread answers the control socket, so an interrupt reaches a `learn`
/// while it trains; a third echoes heartbeats; a fourth stops the kernel when the process that
/// started it is gone. Replies go out from the thread that read the
/// request; iopub is shared behind a lock (`IOPub`).
package final class JupyterKernel: @unchecked Sendable {
  let connection: ConnectionFile
  let wire: WireFormat
  /// Touched by the shell thread only.
  let session: KernelSession
  let version: String
  let log: KernelLog
  /// This kernel's session id, in the header of every message it sends.
  let sessionID = UUID().uuidString.lowercased()
  private let stopping = Atomic<Bool>(false)
  /// The requests that were waiting on shell when a cell failed with `stop_on_error`, read
  /// before its reply went out: their execute requests are aborted, as `ffnb run` stops at a
  /// failing cell. Only those: a client that sends its next cell after seeing the failure
  /// (nbclient) gets it run, whatever the timing (shell thread only).
  private var queuedAtFailure: [[[UInt8]]] = []
  /// The client session of the request that failed: only its own queued cells are aborted,
  /// not another client's.
  private var failedSession = ""

  /// How long a socket loop waits before checking whether to stop, in milliseconds.
  static let pollInterval = 100

  package init(connection: ConnectionFile, session: KernelSession, version: String, log: KernelLog = .standardError) {
    self.connection = connection
    self.wire = WireFormat(signer: MessageSigner(key: connection.key))
    self.session = session
    self.version = version
    self.log = log
  }

  /// Serves until a shutdown request. Fails only when a socket cannot be bound.
  package func run() throws(ZMQError) {
    let context = try ZMQContext()
    var sockets: [Channel: ZMQSocket] = [:]
    defer {
      for socket in sockets.values { socket.close() }
      context.terminate()
    }
    for channel in Channel.allCases {
      let kind: ZMQSocket.Kind = switch channel {
      case .shell, .control, .stdin: .router
      case .iopub: .publisher
      case .heartbeat: .reply
      }
      let socket = try ZMQSocket(context, kind: kind)
      sockets[channel] = socket
      try socket.bind(connection.endpoint(channel))
    }
    let iopub = IOPub(socket: sockets[.iopub]!, wire: wire, session: sessionID)
    Interrupt.install(exitsOnRepeatedPresses: false)

    let threads = DispatchGroup()
    let heartbeat = sockets[.heartbeat]!
    let control = sockets[.control]!
    spawn(threads) { [self] in
      while !stopping.load(ordering: .relaxed) {
        if let frames = heartbeat.receive(timeout: Self.pollInterval) { heartbeat.send(frames) }
      }
    }
    spawn(threads) { [self] in
      while !stopping.load(ordering: .relaxed) {
        if let frames = control.receive(timeout: Self.pollInterval) { handle(frames, on: .control, socket: control, iopub: iopub) }
      }
    }

    // Orphaned (the Jupyter server that started it was killed outright): stop, as ipykernel's
    // parent poller does, instead of holding the ports and a model in memory for ever.
    let parent = getppid()
    spawn(threads) { [self] in
      while !stopping.load(ordering: .relaxed) {
        usleep(UInt32(Self.pollInterval) * 1000)
        if getppid() != parent {
          log.write("the process that started the kernel (pid \(parent)) is gone; stopping")
          stopping.store(true, ordering: .relaxed)
          Interrupt.request()
        }
      }
    }

    iopub.status("starting", parent: .object([:]))
    let shell = sockets[.shell]!
    while !stopping.load(ordering: .relaxed) {
      if let frames = shell.receive(timeout: Self.pollInterval) { handle(frames, on: .shell, socket: shell, iopub: iopub) }
      if !queuedAtFailure.isEmpty { abortQueuedExecutions(shell, iopub: iopub) }
    }
    threads.wait()
  }

  private func spawn(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
    group.enter()
    let thread = Thread {
      body()
      group.leave()
    }
    // Room for parsing deeply nested (hostile) JSON, whatever the platform's default.
    thread.stackSize = 8 << 20
    thread.start()
  }

  // MARK: Requests

  /// Decodes and answers one message; drops (and logs) what cannot be answered.
  func handle(_ frames: [[UInt8]], on channel: Channel, socket: ZMQSocket, iopub: IOPub) {
    let message: Message
    do {
      message = try wire.decode(frames)
    } catch {
      log.write("dropped a message on \(channel.rawValue): \(error)")
      // A message whose header could be read is answered, so its sender does not wait for ever.
      if case .invalidContent(let partial, let why) = error, let type = RequestType(rawValue: partial.header.type), let replyType = type.replyType {
        let content = ErrorReport(name: "BadRequest", text: "the request's JSON could not be read: \(why)").content
        reply(replyType, ["status": .string("error")].merging(content) { a, _ in a }, to: partial, on: socket)
      }
      return
    }
    guard let type = RequestType(rawValue: message.header.type) else {
      log.write("ignored a message of unknown type '\(message.header.type)' on \(channel.rawValue)")
      return
    }
    if channel == .control && type.usesSession {
      log.write("ignored \(type.rawValue) on the control channel (it belongs on shell)")
      return
    }
    iopub.status("busy", parent: message.headerJSON)
    defer { iopub.status("idle", parent: message.headerJSON) }
    let content: [String: JSONValue]?
    switch type {
    case .kernelInfo: content = KernelInfo.reply(version: version).objectValue
    case .execute: content = execute(message, socket: socket, iopub: iopub)
    case .complete: content = complete(message.content)
    case .inspect: content = inspect(message.content)
    case .isComplete: content = isComplete(message.content)
    case .history: content = history(message.content)
    case .commInfo: content = ["status": .string("ok"), "comms": .object([:])]
    case .shutdown:
      stopping.store(true, ordering: .relaxed)
      // A `learn` still training stops at its next epoch boundary.
      Interrupt.request()
      content = ["status": .string("ok"), "restart": .bool(message.content["restart"]?.boolValue ?? false)]
    case .interrupt:
      Interrupt.request()
      content = ["status": .string("ok")]
    case .commOpen:
      // No comm targets: say at once that the comm is closed.
      iopub.publish(.commClose, ["comm_id": message.content["comm_id"] ?? .string(""), "data": .object([:])], parent: message.headerJSON)
      content = nil
    case .commMessage, .commClose:
      content = nil
    }
    if let content, let replyType = type.replyType { reply(replyType, content, to: message, on: socket) }
  }

  private func reply(_ type: String, _ content: [String: JSONValue], to request: Message, on socket: ZMQSocket) {
    socket.send(wire.encode(type: type, session: sessionID, parent: request.headerJSON, content: .object(content), identities: request.identities))
  }

  /// An error reply for a request whose content does not say what the protocol requires.
  private func badRequest(_ why: String) -> [String: JSONValue] {
    ["status": .string("error")].merging(ErrorReport(name: "BadRequest", text: why).content) { a, _ in a }
  }

  private func execute(_ message: Message, socket: ZMQSocket, iopub: IOPub) -> [String: JSONValue] {
    let request = message.content
    guard let code = request["code"]?.stringValue else { return badRequest("execute_request needs \"code\" (a string)") }
    let silent = request["silent"]?.boolValue ?? false
    let storeHistory = !silent && (request["store_history"]?.boolValue ?? true)
    let parent = message.headerJSON
    if !silent {
      let count = session.executionCount + (storeHistory ? 1 : 0)
      iopub.publish(.executeInput, ["code": .string(code), "execution_count": .int(count)], parent: parent)
    }
    let cellID = message.metadata["cellId"]?.stringValue
    let outcome = session.execute(code, cellID: cellID, storeHistory: storeHistory) { item in
      if !silent { iopub.output(item, parent: parent) }
    }
    guard let failure = outcome.failure else {
      return ["status": .string("ok"), "execution_count": .int(outcome.count), "payload": .array([]), "user_expressions": .object([:])]
    }
    if !silent { iopub.publish(.error, failure.content, parent: parent) }
    if request["stop_on_error"]?.boolValue ?? true {
      while let frames = socket.receive(timeout: 0) { queuedAtFailure.append(frames) }
      failedSession = message.header.session
    }
    var reply = failure.content
    reply["status"] = .string("error")
    reply["execution_count"] = .int(outcome.count)
    return reply
  }

  /// Answers the execute requests the failing cell's client had waiting behind it with
  /// `aborted` (Jupyter's "Run All" sent them at once); other requests are answered as usual.
  private func abortQueuedExecutions(_ shell: ZMQSocket, iopub: IOPub) {
    let queued = queuedAtFailure
    queuedAtFailure = []
    for frames in queued {
      guard let message = try? wire.decode(frames), message.header.type == RequestType.execute.rawValue,
            message.header.session == failedSession
      else {
        handle(frames, on: .shell, socket: shell, iopub: iopub)
        continue
      }
      iopub.status("busy", parent: message.headerJSON)
      reply("execute_reply", ["status": .string("aborted"), "execution_count": .int(session.executionCount)], to: message, on: shell)
      iopub.status("idle", parent: message.headerJSON)
    }
  }

  private func complete(_ request: JSONValue) -> [String: JSONValue] {
    guard let code = request["code"]?.stringValue else { return badRequest("complete_request needs \"code\" (a string)") }
    let cursor = request["cursor_pos"]?.intValue ?? code.unicodeScalars.count
    let (matches, start, end) = session.complete(code, cursor: cursor)
    return [
      "status": .string("ok"), "matches": .array(matches.map(JSONValue.string)),
      "cursor_start": .int(start), "cursor_end": .int(end), "metadata": .object([:]),
    ]
  }

  private func inspect(_ request: JSONValue) -> [String: JSONValue] {
    guard let code = request["code"]?.stringValue else { return badRequest("inspect_request needs \"code\" (a string)") }
    let cursor = request["cursor_pos"]?.intValue ?? code.unicodeScalars.count
    let help = session.inspect(code, cursor: cursor)
    return [
      "status": .string("ok"), "found": .bool(help != nil),
      "data": .object(help.map { ["text/plain": .string($0)] } ?? [:]), "metadata": .object([:]),
    ]
  }

  private func isComplete(_ request: JSONValue) -> [String: JSONValue] {
    guard let code = request["code"]?.stringValue else { return badRequest("is_complete_request needs \"code\" (a string)") }
    let status = session.completeness(of: code)
    var reply: [String: JSONValue] = ["status": .string(status.rawValue)]
    if status == .incomplete { reply["indent"] = .string("") }
    return reply
  }

  private func history(_ request: JSONValue) -> [String: JSONValue] {
    let query: HistoryQuery
    switch request["hist_access_type"]?.stringValue ?? "tail" {
    case "range":
      query = .range(session: request["session"]?.intValue ?? 0, start: request["start"]?.intValue ?? 1, stop: request["stop"]?.intValue)
    case "search":
      query = .search(pattern: request["pattern"]?.stringValue ?? "*", n: request["n"]?.intValue, unique: request["unique"]?.boolValue ?? false)
    default:
      query = .tail(n: request["n"]?.intValue ?? 10)
    }
    let withOutput = request["output"]?.boolValue ?? false
    let entries = query.select(from: session.history).map { entry -> JSONValue in
      let input: JSONValue = withOutput ? .array([.string(entry.input), .string(entry.output)]) : .string(entry.input)
      return .array([.int(HistoryQuery.session), .int(entry.line), input])
    }
    return ["status": .string("ok"), "history": .array(entries)]
  }
}

extension RequestType {
  /// Requests that read or change the session, answered on the shell thread only.
  var usesSession: Bool {
    switch self {
    case .execute, .complete, .inspect, .isComplete, .history: true
    case .kernelInfo, .commInfo, .shutdown, .interrupt, .commOpen, .commMessage, .commClose: false
    }
  }
}
