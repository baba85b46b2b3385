#if canImport(Glibc)
import Glibc
#endif

/// A regular file open for reading, and nothing else: FIFOs, sockets, devices and directories
/// are refused with a message that names them, before anything is read.
///
/// Opening never blocks. The path is `stat`ed first (a FIFO is refused without opening it), then
/// opened with `O_NONBLOCK` (so a FIFO swapped in after the `stat` cannot block the open either)
/// and `fstat`ed again, which closes that race; only then is `O_NONBLOCK` cleared.
package final class ReadableFile {
  /// The path as given, for messages.
  package let path: String
  /// The open descriptor (close-on-exec); closed when this object goes away.
  package let descriptor: Int32
  /// The file's size when it was opened.
  package let size: Int

  /// Opens `path` for reading; throws unless it is a regular file (symbolic links are followed).
  package init(path: String) throws(FileError) {
    var info = stat()
    guard stat(path, &info) == 0 else { throw FileError(path: path, .read, errno: errno) }
    try Self.requireRegular(info, path: path)
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else { throw FileError(path: path, .read, errno: errno) }
    var opened = stat()
    guard fstat(fd, &opened) == 0 else {
      let code = errno
      close(fd)
      throw FileError(path: path, .read, errno: code)
    }
    do {
      try Self.requireRegular(opened, path: path)
    } catch {
      close(fd)
      throw error
    }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    self.path = path
    descriptor = fd
    size = Int(opened.st_size)
  }

  deinit { close(descriptor) }

  private static func requireRegular(_ info: stat, path: String) throws(FileError) {
    switch FileKind(mode: info.st_mode) {
    case .regular: return
    case .directory: throw FileError(path: path, .read, .directory)
    case let kind: throw FileError(path: path, .read, .notRegular(kind))
    }
  }

  /// One `read(2)` into `buffer` (retried on EINTR); 0 at the end of the file.
  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = Glibc.read(descriptor, base, buffer.count)
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw FileError(path: path, .read, errno: errno)
    }
  }

  /// Reads until `buffer` is full or the file ends; returns how many bytes were read.
  package func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
    var done = 0
    while done < buffer.count {
      let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
      if n == 0 { break }
      done += n
    }
    return done
  }

  /// The rest of the file, refused before reading when it is larger than `limit` bytes (and
  /// when it grows past `limit` while being read). `what` names the kind of file in the
  /// message ("a notebook").
  package func readAll(limit: Int, what: String) throws(FileError) -> [UInt8] {
    guard size <= limit else { throw FileError(path: path, .read, .tooLarge(size: size, limit: limit, what: what)) }
    // One byte more than the size: a file that grew (or a /proc file whose size says 0) shows it.
    var bytes = [UInt8](repeating: 0, count: size + 1)
    var filled = 0
    var failure: FileError?
    while failure == nil {
      if filled == bytes.count {
        guard bytes.count <= limit else {
          throw FileError(path: path, .read, .tooLarge(size: bytes.count, limit: limit, what: what))
        }
        bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 1 << 16), limit + 1 - bytes.count)))
      }
      let n = bytes.withUnsafeMutableBytes { raw -> Int in
        do throws(FileError) {
          return try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
        } catch {
          failure = error
          return 0
        }
      }
      if n == 0 { break }
      filled += n
    }
    if let failure { throw failure }
    bytes.removeSubrange(filled...)
    return bytes
  }

  /// The whole file at `path`, which must be a regular file of at most `limit` bytes.
  package static func readAll(path: String, limit: Int, what: String) throws(FileError) -> [UInt8] {
    try ReadableFile(path: path).readAll(limit: limit, what: what)
  }
}
