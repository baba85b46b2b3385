#if canImport(Glibc)
import Glibc
#endif

/// Why a file cannot be read or written, with its path.
///
/// `problem` is the reason alone ("it is a FIFO (named pipe), not a regular file", "permission
/// denied") for callers whose own message already names the file; `description` is the whole
/// sentence (`notebooks/x.ffnb is a FIFO (named pipe), not a regular file`, `cannot write
/// runs/m.ffm: no space left on device`). Never Foundation's "NSCocoaErrorDomain error 512".
package struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was being done to the file.
  package enum Operation: Sendable, Equatable {
    case read
    case write
  }

  /// Why it failed.
  package enum Reason: Sendable, Equatable {
    /// Nothing at the path (ENOENT on reading).
    case missing
    /// The folder a file would be written into does not exist.
    case missingFolder(String)
    /// EACCES or EPERM on the file itself.
    case permissionDenied
    /// The folder does not let a (temporary) file be made in it.
    case folderNotWritable(String)
    /// A FIFO, socket or device where a regular file is needed.
    case notRegular(FileKind)
    /// A FIFO that no process has open for reading (writing to it would wait forever).
    case fifoWithoutReader
    /// A directory where a file is needed.
    case directory
    /// ELOOP: a chain of symbolic links that never ends.
    case symlinkLoop
    /// Larger than the documented limit for this kind of file (`what`: "a notebook").
    case tooLarge(size: Int, limit: Int, what: String)
    /// Any other errno, said with strerror.
    case system(Int32)
  }

  package var path: String
  package var operation: Operation
  package var reason: Reason

  package init(path: String, _ operation: Operation, _ reason: Reason) {
    self.path = path
    self.operation = operation
    self.reason = reason
  }

  /// The error for `errno` value `code` while reading or writing `path`.
  package init(path: String, _ operation: Operation, errno code: Int32) {
    self.init(path: path, operation, Reason(errno: code))
  }

  /// The reason without the path.
  package var problem: String {
    switch reason {
    case .missing: "no such file"
    case .missingFolder(let folder): "the folder \(folder) does not exist"
    case .permissionDenied: "permission denied"
    case .folderNotWritable(let folder): "permission denied: the folder \(folder) is not writable"
    case .notRegular(let kind): "it is \(kind), not a regular file"
    case .fifoWithoutReader: "it is a FIFO (named pipe) that no process is reading"
    case .directory: "it is a directory"
    case .symlinkLoop: "too many levels of symbolic links"
    case .tooLarge(let size, let limit, let what):
      // Exact bytes when rounding would make the size read like the limit.
      "it is \(ByteCount.format(size) == ByteCount.format(limit) ? "\(size) bytes" : ByteCount.format(size)), "
        + "more than the \(ByteCount.format(limit)) limit for \(what)"
    case .system(let code): String(cString: strerror(code))
    }
  }

  /// The whole message, naming the path.
  package var description: String {
    switch reason {
    case .notRegular(let kind): "\(path) is \(kind), not a regular file"
    default: "cannot \(operation == .read ? "read" : "write") \(path): \(problem)"
    }
  }
}

extension FileError.Reason {
  /// The reason an errno value gives.
  package init(errno code: Int32) {
    switch code {
    case ENOENT: self = .missing
    case EACCES, EPERM: self = .permissionDenied
    case ELOOP: self = .symlinkLoop
    case EISDIR: self = .directory
    default: self = .system(code)
    }
  }
}

/// Byte counts for messages: "64 MiB", "1.5 GiB", "312 bytes".
package enum ByteCount {
  package static func format(_ bytes: Int) -> String {
    let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (size, name) in units where bytes >= size {
      let value = (Double(bytes) / Double(size) * 10).rounded() / 10
      let text = value == value.rounded() ? String(Int(value)) : String(value)
      return "\(text) \(name)"
    }
    return bytes == 1 ? "1 byte" : "\(bytes) bytes"
  }
}
