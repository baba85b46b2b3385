#if canImport(Glibc)
import Glibc
#endif

/// What a path names, from `st_mode`: a regular file is the only kind ffnb reads or replaces;
/// the others are named in messages so the user sees why (`x.ffnb is a FIFO (named pipe), not
/// a regular file`).
package enum FileKind: Sendable, Equatable, CustomStringConvertible {
  case regular
  case directory
  case fifo
  case socket
  case characterDevice
  case blockDevice
  case symbolicLink
  case unknown

  /// The kind of a `stat` result.
  package init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFIFO: self = .fifo
    case S_IFSOCK: self = .socket
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFLNK: self = .symbolicLink
    default: self = .unknown
    }
  }

  /// With its article, for "is a FIFO (named pipe), not a regular file".
  package var description: String {
    switch self {
    case .regular: "a regular file"
    case .directory: "a directory"
    case .fifo: "a FIFO (named pipe)"
    case .socket: "a socket"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .symbolicLink: "a symbolic link"
    case .unknown: "not a regular file"
    }
  }
}
