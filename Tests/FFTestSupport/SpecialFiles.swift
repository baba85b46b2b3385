// FIFOs, sockets and a bounded wait for code that must never block on a FIFO: shared by the
// tests of every module that reads files (FFFiles, FFData, FFRuntime, FFNotebook).

import Foundation
import Glibc
import Synchronization

/// A fresh folder under the temporary directory; remove it with `removeFolder`.
public func makeFolder(_ label: String = "files") throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

public func removeFolder(_ path: String) {
  try? FileManager.default.removeItem(atPath: path)
}

/// Makes a FIFO (named pipe) at `path`.
public func makeFIFO(_ path: String) throws {
  guard mkfifo(path, 0o644) == 0 else { throw TestFailure("mkfifo \(path): \(String(cString: strerror(errno)))") }
}

/// Binds a Unix-domain socket at `path`; returns its descriptor (close it when done).
public func makeSocket(_ path: String) throws -> Int32 {
  let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
  var address = sockaddr_un()
  address.sun_family = sa_family_t(AF_UNIX)
  withUnsafeMutableBytes(of: &address.sun_path) { raw in
    for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
  }
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
  }
  guard bound == 0 else {
    close(fd)
    throw TestFailure("bind \(path): \(String(cString: strerror(errno)))")
  }
  return fd
}

/// Runs `body`, which must not block on the FIFO at `fifo`, and says whether it did.
///
/// Bounded: should `body` block opening the FIFO for reading, a watchdog opens the write end
/// after `seconds`, which lets the open return, so the test fails instead of hanging.
public func withoutBlocking<T>(on fifo: String, seconds: Double = 5, _ body: () throws -> T) rethrows -> (value: T, blocked: Bool) {
  let state = WatchdogState()
  let path = fifo
  let watchdog = Thread {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if state.done.load(ordering: .acquiring) { return }
      usleep(10_000)
    }
    guard !state.done.load(ordering: .acquiring) else { return }
    state.released.store(true, ordering: .releasing)
    // Keep a writer open a moment so a blocked reader's open returns; then let it see the end.
    let fd = open(path, O_WRONLY | O_NONBLOCK)
    if fd >= 0 {
      usleep(200_000)
      close(fd)
    }
  }
  watchdog.start()
  defer { state.done.store(true, ordering: .releasing) }
  let value = try body()
  state.done.store(true, ordering: .releasing)
  return (value, state.released.load(ordering: .acquiring))
}

private final class WatchdogState: Sendable {
  let done = Atomic<Bool>(false)
  let released = Atomic<Bool>(false)
}

/// A character device that discards what is written to it, safe to point a writer at.
///
/// As root, a private null device node made in `folder`: a regression that replaced device
/// nodes with regular files would replace only that node, never the machine's /dev/null
/// (which other tests and processes rely on). Without root, /dev/null itself, which such a
/// process cannot replace. Nil when a node cannot be made or used.
public func privateNullDevice(in folder: String) -> String? {
  guard getuid() == 0 else { return "/dev/null" }
  let path = folder + "/null"
  // Major 1, minor 3: the null device.
  guard mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 else { return nil }
  let fd = open(path, O_WRONLY)
  guard fd >= 0 else { return nil }
  close(fd)
  return path
}

/// Whether `path` is (still) a character device.
public func isCharacterDevice(_ path: String) -> Bool {
  var info = stat()
  return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
}
