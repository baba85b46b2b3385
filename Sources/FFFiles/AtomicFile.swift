#if canImport(Glibc)
import Glibc
#endif

/// The one way ffnb writes a file: models, executed notebooks, exports, the REPL's `:save` and
/// `:write`, SVG plots.
///
/// - A missing path or a regular file is replaced atomically: the bytes go to a temporary file
///   in the same folder (`.NAME.ffnb-tmp-PID`), which is flushed (`fsync`) and renamed over the
///   target, so a reader sees the old file or the new one, never half of one. The old file's
///   mode is kept, and its owner when the process may set it. A fatal signal during the write
///   removes the temporary file (`InFlightTemporary`), and each write removes the temporaries
///   that dead processes left beside the same target.
/// - A character device (`/dev/null`, a terminal) or a FIFO is written through: opened without
///   truncating or creating, never replaced by a regular file. A FIFO nobody reads is refused
///   rather than waited on.
/// - A directory, a socket or a block device is refused with a message naming it.
/// - A symbolic link is followed: its target is what gets replaced, and the link stays.
package enum AtomicFile {
  /// How a write reached its target.
  package enum Outcome: Sendable, Equatable {
    /// A regular file was made or replaced atomically.
    case replaced
    /// The bytes were written through to a device or FIFO.
    case wroteThrough(FileKind)
  }

  /// Writes `bytes` to `path` by the rules above. `afterTemporaryCreated` is called with the
  /// temporary file's path once it exists, before it is filled (tests simulate a signal
  /// arriving mid-write with it).
  @discardableResult
  package static func write(
    _ bytes: UnsafeRawBufferPointer, to path: String, afterTemporaryCreated: ((String) -> Void)? = nil
  ) throws(FileError) -> Outcome {
    guard !path.isEmpty else { throw FileError(path: path, .write, .missing) }
    var target = path
    var info = stat()
    if lstat(path, &info) != 0 {
      let code = errno
      // A missing path is made; anything else (a loop, a file used as a folder) is an error.
      guard code == ENOENT else { throw FileError(path: path, .write, errno: code) }
      return try replace(bytes, at: path, shownAs: path, keeping: nil, hook: afterTemporaryCreated)
    }
    if FileKind(mode: info.st_mode) == .symbolicLink {
      if let resolved = realpath(path, nil) {
        target = String(cString: resolved)
        free(resolved)
        guard stat(target, &info) == 0 else { throw FileError(path: path, .write, errno: errno) }
      } else {
        let code = errno
        // A dangling link is replaced by the file; a loop is an error.
        guard code == ENOENT else { throw FileError(path: path, .write, errno: code) }
        return try replace(bytes, at: path, shownAs: path, keeping: nil, hook: afterTemporaryCreated)
      }
    }
    switch FileKind(mode: info.st_mode) {
    case .regular:
      return try replace(bytes, at: target, shownAs: path, keeping: info, hook: afterTemporaryCreated)
    case .directory:
      throw FileError(path: path, .write, .directory)
    case .characterDevice, .fifo:
      try writeThrough(bytes, to: path)
      return .wroteThrough(FileKind(mode: info.st_mode))
    case let kind:
      throw FileError(path: path, .write, .notRegular(kind))
    }
  }

  /// Writes `bytes` to `path` (see `write(_:to:)`).
  @discardableResult
  package static func write(
    _ bytes: [UInt8], to path: String, afterTemporaryCreated: ((String) -> Void)? = nil
  ) throws(FileError) -> Outcome {
    var result: Result<Outcome, FileError> = .failure(FileError(path: path, .write, .missing))
    bytes.withUnsafeBytes { raw in
      do throws(FileError) { result = .success(try write(raw, to: path, afterTemporaryCreated: afterTemporaryCreated)) } catch { result = .failure(error) }
    }
    return try result.get()
  }

  /// Writes `text` as UTF-8 to `path` (see `write(_:to:)`).
  @discardableResult
  package static func write(_ text: String, to path: String) throws(FileError) -> Outcome {
    var text = text
    var result: Result<Outcome, FileError> = .failure(FileError(path: path, .write, .missing))
    text.withUTF8 { utf8 in
      do throws(FileError) { result = .success(try write(UnsafeRawBufferPointer(utf8), to: path)) } catch { result = .failure(error) }
    }
    return try result.get()
  }

  // MARK: Write-through

  private static func writeThrough(_ bytes: UnsafeRawBufferPointer, to path: String) throws(FileError) {
    // Non-blocking open: a FIFO without a reader fails with ENXIO instead of waiting forever.
    let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    guard fd >= 0 else {
      let code = errno
      throw FileError(path: path, .write, code == ENXIO ? .fifoWithoutReader : FileError.Reason(errno: code))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, .write, errno: errno) }
    let kind = FileKind(mode: info.st_mode)
    guard kind == .characterDevice || kind == .fifo else {
      // Swapped for something else since the first look: never write into it.
      throw FileError(path: path, .write, kind == .directory ? .directory : .notRegular(kind))
    }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    try writeAll(bytes, to: fd, path: path)
  }

  // MARK: Atomic replacement

  /// Writes a temporary file beside `target` and renames it over `target`; `old` is the
  /// replaced file's status (its mode and owner are kept), nil for a new file.
  private static func replace(
    _ bytes: UnsafeRawBufferPointer, at target: String, shownAs path: String, keeping old: stat?,
    hook: ((String) -> Void)?
  ) throws(FileError) -> Outcome {
    let (folder, name) = split(target)
    var folderInfo = stat()
    guard stat(folder, &folderInfo) == 0 else {
      let code = errno
      throw FileError(path: path, .write, code == ENOENT ? .missingFolder(folder) : FileError.Reason(errno: code))
    }
    guard FileKind(mode: folderInfo.st_mode) == .directory else {
      throw FileError(path: path, .write, .system(ENOTDIR))
    }
    let temporary = (folder == "/" ? "/" : folder + "/") + StaleTemporaries.temporaryName(for: name, pid: getpid())
    return try InFlightTemporary.guarding(temporary) { () throws(FileError) -> Outcome in
      // Under the lock, so never another thread's file in flight. This process's own id
      // counts as stale too: an earlier process that had the same id left it.
      StaleTemporaries.remove(in: folder, for: name)
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
      guard fd >= 0 else {
        let code = errno
        throw FileError(path: path, .write, code == EACCES || code == EPERM ? .folderNotWritable(folder) : FileError.Reason(errno: code))
      }
      var closed = false
      var renamed = false
      defer {
        if !closed { close(fd) }
        if !renamed { unlink(temporary) }
      }
      hook?(temporary)
      if let old {
        // Owner first: changing it may clear set-id bits, which the mode then restores.
        _ = fchown(fd, old.st_uid, old.st_gid)
        _ = fchmod(fd, old.st_mode & 0o7777)
      }
      try writeAll(bytes, to: fd, path: path)
      guard fsync(fd) == 0 else { throw FileError(path: path, .write, errno: errno) }
      closed = true
      guard close(fd) == 0 else { throw FileError(path: path, .write, errno: errno) }
      guard rename(temporary, target) == 0 else { throw FileError(path: path, .write, errno: errno) }
      renamed = true
      syncFolder(folder)
      return .replaced
    }
  }

  /// The folder and the last component of `path` ("." for a bare name).
  static func split(_ path: String) -> (folder: String, name: String) {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
    let folder = trimmed[..<slash]
    return (folder.isEmpty ? "/" : String(folder), String(trimmed[trimmed.index(after: slash)...]))
  }

  /// Makes the rename durable; best effort (some file systems refuse to sync a folder).
  private static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }

  private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(FileError) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(fd, base + done, min(bytes.count - done, 1 << 30))
      if n < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, .write, errno: errno)
      }
      done += n
    }
  }
}
