import Foundation

/// Where the kernel says what it tells no client: messages it dropped (a bad signature,
/// unreadable JSON, an unknown type). Standard error, which Jupyter shows in its server log.
package struct KernelLog: Sendable {
  package var write: @Sendable (String) -> Void

  package init(write: @escaping @Sendable (String) -> Void) { self.write = write }

  package static let standardError = KernelLog { line in
    FileHandle.standardError.write(Data(("ffnb kernel: " + line + "\n").utf8))
  }
}
