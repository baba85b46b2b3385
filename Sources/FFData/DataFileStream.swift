import CZlib
import FFFiles
import Foundation

/// The bytes of a data file read in order, raw or through zlib, a bounded piece at a time: the
/// IDX reader takes the header, checks it, and then asks for exactly the bytes it declares, so
/// no more is ever read or decompressed than the header promises (a 2 MB gzip that inflates to
/// gigabytes costs its header and the declared bytes, not gigabytes).
///
/// The file is opened through `ReadableFile`: only a regular file is read, and a FIFO, socket,
/// device or directory is refused before anything blocks.
final class DataFileStream {
  /// The path, for messages.
  let path: String
  /// Whether the bytes go through zlib.
  let isGzip: Bool
  /// The file's size on disk (compressed size for gzip).
  let fileSize: Int
  /// Bytes handed out so far (decompressed bytes for gzip).
  private(set) var position = 0
  private let file: ReadableFile
  private let gz: gzFile?

  /// Bytes read between two polls of the stop request.
  static let chunkSize = 1 << 20

  init(path: String, gzip: Bool) throws(DataError) {
    do {
      file = try ReadableFile(path: path)
    } catch {
      throw .unreadable(path: path, reason: error.problem)
    }
    self.path = path
    isGzip = gzip
    fileSize = file.size
    guard gzip else {
      gz = nil
      return
    }
    // zlib closes the descriptor it is given; it gets its own, and `file` closes the original.
    let copy = dup(file.descriptor)
    guard copy >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    guard let handle = gzdopen(copy, "rb") else {
      close(copy)
      throw .gzip(path: path, reason: "zlib could not open the stream")
    }
    gzbuffer(handle, UInt32(Self.chunkSize))
    gz = handle
  }

  deinit {
    if let gz { gzclose(gz) }
  }

  /// Fills `buffer` from the stream, a chunk at a time, asking `shouldStop` between chunks;
  /// returns how many bytes there were (fewer than asked at the end of the data).
  func read(into buffer: UnsafeMutableRawBufferPointer, shouldStop: () -> Bool = { false }) throws(DataError) -> Int {
    var done = 0
    while done < buffer.count {
      if done > 0 && shouldStop() { throw .interrupted("reading \(path)") }
      let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<min(buffer.count, done + Self.chunkSize)])
      let n = try readOnce(into: piece)
      if n == 0 { break }
      done += n
    }
    position += done
    return done
  }

  /// Whether the data ends here: reads at most one byte more.
  func isAtEnd() throws(DataError) -> Bool {
    var byte: UInt8 = 0
    var failure: DataError?
    let n = withUnsafeMutableBytes(of: &byte) { raw in
      do throws(DataError) { return try readOnce(into: raw) } catch {
        failure = error
        return 0
      }
    }
    if let failure { throw failure }
    return n == 0
  }

  /// One read: `read(2)` for a raw file, `gzread` (which reports a stream cut short only
  /// through `gzerror`, after handing back what it had) for gzip.
  private func readOnce(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
    guard let gz else {
      do {
        return try file.read(into: buffer)
      } catch {
        throw .unreadable(path: path, reason: error.problem)
      }
    }
    let n = gzread(gz, buffer.baseAddress, UInt32(buffer.count))
    if n > 0 { return Int(n) }
    var code: Int32 = Z_OK
    let message = gzerror(gz, &code)
    if code != Z_OK {
      let text = message.map { String(cString: $0) } ?? ""
      throw .gzip(path: path, reason: text.isEmpty ? "zlib error \(code)" : text)
    }
    return 0
  }
}
