/// The requests a client sends on the shell and control channels, by the protocol's names.
/// Every message the kernel reads is one of these or is dropped as unknown: the kernel's one
/// switch over them is exhaustive, so a new case cannot go unhandled.
package enum RequestType: String, Sendable, CaseIterable {
  case kernelInfo = "kernel_info_request"
  case execute = "execute_request"
  case complete = "complete_request"
  case inspect = "inspect_request"
  case isComplete = "is_complete_request"
  case history = "history_request"
  case commInfo = "comm_info_request"
  case shutdown = "shutdown_request"
  case interrupt = "interrupt_request"
  /// Widgets and other comms: ffnb has none, so an opened comm is closed at once.
  case commOpen = "comm_open"
  case commMessage = "comm_msg"
  case commClose = "comm_close"

  /// The reply's type (`execute_reply` for `execute_request`); nil for comm messages, which
  /// get none.
  var replyType: String? {
    switch self {
    case .commOpen, .commMessage, .commClose: nil
    default: String(rawValue.dropLast("_request".count)) + "_reply"
    }
  }
}

/// What the kernel broadcasts on iopub.
package enum BroadcastType: String, Sendable {
  case status
  case stream
  case displayData = "display_data"
  case executeInput = "execute_input"
  case error
  case commClose = "comm_close"
}

/// The protocol version the kernel speaks (in every header and in kernel_info_reply).
package let protocolVersion = "5.3"
