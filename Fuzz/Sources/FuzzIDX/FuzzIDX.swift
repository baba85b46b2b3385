// libFuzzer target: bytes -> the IDX reader (what `load mnist ...` reads), raw and gzip.
//
// The reader only takes a path, so each input is written to one file per process in
// /dev/shm (or $TMPDIR) and read four ways: images and labels, raw and through zlib (whose
// gzread also passes non-gzip bytes through, so the raw seeds reach the header checks both
// ways). Errors are fine; a crash, hang or runaway allocation is a bug.
import FFData
import Foundation

private let inputPath: String = {
  let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  return "\(directory)/ffnb-fuzz-idx-\(getpid())"
}()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
  atexit { unlink(inputPath) }
  return 0
}

private func write(_ bytes: UnsafeBufferPointer<UInt8>, to path: String) {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  precondition(fd >= 0, "cannot create \(path)")
  defer { close(fd) }
  var done = 0
  while done < bytes.count {
    let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
    precondition(n > 0, "cannot write \(path)")
    done += n
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  write(UnsafeBufferPointer(start: data, count: size), to: inputPath)
  for gzip in [false, true] {
    if let images = try? IDX.readImages(path: inputPath, gzip: gzip) {
      precondition(images.pixels.count == images.count * images.rows * images.cols)
      if images.count > 0 { _ = try? images.image(images.count - 1) }
    }
    _ = try? IDX.readLabels(path: inputPath, gzip: gzip)
  }
  return 0
}
