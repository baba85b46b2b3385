#if canImport(Glibc)
import Glibc
#endif

/// Why a folder could not be made: the folder asked for, the part of its path that failed,
/// and why in strerror's words (Foundation's `createDirectory` only says "NSCocoaErrorDomain
/// error 512" on Linux).
package struct FolderError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The folder asked for, as given.
  package var folder: String
  /// The first part of its path that could not be made or used (`runs` of `runs/a/b`).
  package var failing: String
  package var code: Int32

  /// The reason alone: "runs is not a folder", "permission denied making /srv/x".
  package var problem: String {
    switch code {
    case ENOTDIR, EEXIST: "\(failing) is not a folder"
    case EACCES, EPERM: "permission denied making \(failing)"
    default: "cannot make \(failing): \(String(cString: strerror(code)))"
    }
  }

  package var description: String { "cannot create the folder \(folder): \(problem)" }
}

/// Folders made as `mkdir -p` makes them.
package enum Folder {
  /// Makes `path` and its missing parents (mode 0777 less the umask). A part made meanwhile
  /// by another process is fine; a part that is a file, or cannot be made, is an error.
  package static func make(_ path: String) throws(FolderError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
      var info = stat()
      if stat(prefix, &info) == 0 {
        guard FileKind(mode: info.st_mode) == .directory else { throw FolderError(folder: path, failing: prefix, code: ENOTDIR) }
        continue
      }
      guard errno == ENOENT else { throw FolderError(folder: path, failing: prefix, code: errno) }
      if mkdir(prefix, 0o777) != 0 {
        let code = errno
        // Made by another process between the stat and the mkdir.
        guard code == EEXIST, stat(prefix, &info) == 0, FileKind(mode: info.st_mode) == .directory else {
          throw FolderError(folder: path, failing: prefix, code: code)
        }
      }
    }
  }
}
