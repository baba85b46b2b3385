import FFFiles
import FFNotebook

/// The five channels of a kernel, each a socket on its own port.
package enum Channel: String, Sendable, CaseIterable {
  case shell, control, iopub, stdin
  case heartbeat = "hb"

  /// The connection file's key for this channel's port (`shell_port`, `hb_port`, ...).
  var portKey: String { rawValue + "_port" }
}

/// Why a connection file cannot be used.
package struct ConnectionFileError: Error, Sendable, CustomStringConvertible {
  package var path: String
  package var reason: String
  package var description: String { "cannot use the connection file \(path): \(reason)" }
}

/// The connection file a Jupyter client writes before starting a kernel: where to bind each
/// channel and the key that signs every message.
package struct ConnectionFile: Sendable {
  package enum Transport: String, Sendable {
    case tcp, ipc
  }

  package var transport: Transport
  package var ip: String
  package var ports: [Channel: Int]
  /// The HMAC key; empty means messages are not signed (Jupyter allows it, for tests).
  package var key: [UInt8]

  /// Connection files are a few hundred bytes.
  static let maximumBytes = 1 << 20

  package static func read(_ path: String) throws(ConnectionFileError) -> ConnectionFile {
    let bytes: [UInt8]
    do {
      bytes = try ReadableFile.readAll(path: path, limit: maximumBytes, what: "connection file")
    } catch {
      throw ConnectionFileError(path: path, reason: error.problem)
    }
    do {
      return try parse(JSONValue.parse(bytes))
    } catch let error as JSONParseError {
      throw ConnectionFileError(path: path, reason: error.description)
    } catch let error as ConnectionFileError {
      throw ConnectionFileError(path: path, reason: error.reason)
    } catch {
      throw ConnectionFileError(path: path, reason: "\(error)")
    }
  }

  /// The settings in a parsed connection file; `path` is left for the caller to fill in.
  package static func parse(_ json: JSONValue) throws(ConnectionFileError) -> ConnectionFile {
    func bad(_ reason: String) -> ConnectionFileError { ConnectionFileError(path: "", reason: reason) }
    guard json.objectValue != nil else { throw bad("it is not a JSON object") }
    /// An optional text member: absent gives the default, any other type is an error. Read
    /// as absent, `"key": 123` would be the empty key, and the kernel would sign nothing and
    /// accept every message, while the client meant to sign them.
    func text(_ member: String, default fallback: String) throws(ConnectionFileError) -> String {
      guard let value = json[member] else { return fallback }
      guard let text = value.stringValue else { throw bad("\"\(member)\" is not a string") }
      return text
    }
    let transportName = try text("transport", default: "tcp")
    guard let transport = Transport(rawValue: transportName) else { throw bad("unknown transport '\(transportName)' (tcp or ipc)") }
    guard let ip = json["ip"]?.stringValue, !ip.isEmpty else { throw bad("no \"ip\"") }
    let scheme = try text("signature_scheme", default: "hmac-sha256")
    guard scheme == "hmac-sha256" else { throw bad("signature scheme '\(scheme)' is not supported (hmac-sha256 is)") }
    var ports: [Channel: Int] = [:]
    for channel in Channel.allCases {
      guard let port = json[channel.portKey]?.intValue, (1...65535).contains(port) else {
        throw bad("\"\(channel.portKey)\" is missing or not a port number")
      }
      ports[channel] = port
    }
    let key = try text("key", default: "")
    return ConnectionFile(transport: transport, ip: ip, ports: ports, key: Array(key.utf8))
  }

  /// `tcp://127.0.0.1:5555`, or for ipc `ipc://IP-PORT` (the path jupyter_client uses).
  package func endpoint(_ channel: Channel) -> String {
    let port = ports[channel] ?? 0
    switch transport {
    case .tcp: return "tcp://\(ip):\(port)"
    case .ipc: return "ipc://\(ip)-\(port)"
    }
  }
}
