import CZlib
import Foundation

/// Whole-file reads into `[UInt8]`, raw or gzip-compressed.
///
/// Raw reads go straight from `read(2)` into the array's storage (one 47 MB copy for MNIST's
/// training images, no `Data` bridging); gzip reads stream through zlib's `gzread`.
enum FileBytes {
  /// The bytes of the file at `path`, exactly as stored.
  static func readRaw(_ path: String) throws(DataError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
    let size = Int(info.st_size)
    guard size > 0 else { return [] }
    var readError: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      var done = 0
      while done < size {
        let n = read(fd, buffer.baseAddress! + done, size - done)
        if n < 0 {
          if errno == EINTR { continue }
          readError = errno
          break
        }
        if n == 0 { break }  // The file shrank while we read; the header checks report it.
        done += n
      }
      initialized = done
    }
    if readError != 0 { throw .unreadable(path: path, reason: String(cString: strerror(readError))) }
    return bytes
  }

  /// The decompressed bytes of the gzip file at `path`.
  ///
  /// A stream cut short is an error (zlib reports `Z_BUF_ERROR` "unexpected end of file" only
  /// through `gzerror`, after handing back the partial data, so it is checked at the end).
  static func readGzip(_ path: String) throws(DataError) -> [UInt8] {
    // Open through a descriptor first: gzopen's failures do not say why.
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw .unreadable(path: path, reason: "not a regular file")
    }
    guard let file = gzdopen(fd, "rb") else {
      close(fd)
      throw .gzip(path: path, reason: "zlib could not open the stream")
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 20)

    let chunkSize = 1 << 20
    var out: [UInt8] = []
    // IDX data compresses about 4:1; reserving that avoids most regrowth.
    out.reserveCapacity(min(Int(info.st_size) * 5, 1 << 30))
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    while true {
      let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(chunkSize)) }
      if n < 0 { break }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<Int(n)])
    }
    var code: Int32 = Z_OK
    let message = gzerror(file, &code)
    if code != Z_OK {
      let text = message.map { String(cString: $0) } ?? "zlib error \(code)"
      throw .gzip(path: path, reason: text.isEmpty ? "zlib error \(code)" : text)
    }
    return out
  }
}
