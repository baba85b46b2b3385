#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The temporary file an atomic write is filling, removed if the process is ended by SIGTERM,
/// SIGHUP or SIGINT before the rename, so a killed `save` leaves no `.m.ffm.ffnb-tmp-PID`
/// behind.
///
/// A signal handler may only make async-signal-safe calls, so the path lives in a static C
/// buffer allocated once, and a lock-free flag says whether it holds a path. The handler is
/// installed only for the length of a write, and only over signals whose disposition is the
/// default (ending the process): an ignored signal, or one the REPL catches to stop `learn`
/// gently, does not end the process and is left alone. The handler unlinks the file, puts the
/// default action back and raises the signal again, so the process still ends as it would have.
package enum InFlightTemporary {
  /// Signals whose default action ends the process during a write.
  package static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
  /// Longest path kept (longer paths are written without the signal clean-up).
  static let capacity = Int(PATH_MAX)
  /// NUL-terminated path of the temporary file; valid while `isSet`.
  nonisolated(unsafe) static let buffer: UnsafeMutablePointer<CChar> = .allocate(capacity: capacity + 1)
  /// Whether `buffer` holds a path to remove.
  static let isSet = Atomic<Bool>(false)
  /// One write at a time per process: the buffer holds one path.
  static let lock = Mutex<Void>(())

  /// The signal handler: async-signal-safe calls only.
  static let handler: @convention(c) (Int32) -> Void = { signal in
    if InFlightTemporary.isSet.load(ordering: .acquiring) { unlink(InFlightTemporary.buffer) }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigemptyset(&action.sa_mask)
    sigaction(signal, &action, nil)
    // Blocked while this handler runs: delivered with the default action when it returns.
    raise(signal)
  }

  /// Runs `body` with `path` registered for removal on a fatal signal, the handler installed
  /// over every default disposition in `signals` and restored afterwards. Serialised per process.
  package static func guarding<T>(_ path: String, _ body: () throws(FileError) -> T) throws(FileError) -> T {
    try lock.withLock { _ throws(FileError) -> T in
      let stored = register(path)
      var previous: [(Int32, sigaction)] = []
      for signal in signals {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { continue }
        // `nil` is SIG_DFL: the signal would end the process.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        for other in signals { sigaddset(&action.sa_mask, other) }
        if stored, sigaction(signal, &action, nil) == 0 { previous.append((signal, current)) }
      }
      // Past RLIMIT_FSIZE a write would end the process with SIGXFSZ; ignored, it fails with
      // EFBIG ("File too large") and the temporary file is removed like after any failure.
      var fileSize = sigaction()
      let ignoresFileSize = sigaction(SIGXFSZ, nil, &fileSize) == 0 && fileSize.__sigaction_handler.sa_handler == nil
      if ignoresFileSize {
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&ignore.sa_mask)
        if sigaction(SIGXFSZ, &ignore, nil) == 0 { previous.append((SIGXFSZ, fileSize)) }
      }
      defer {
        for (signal, action) in previous {
          var old = action
          sigaction(signal, &old, nil)
        }
        isSet.store(false, ordering: .releasing)
      }
      return try body()
    }
  }

  /// Copies `path` into the static buffer; false when it does not fit.
  private static func register(_ path: String) -> Bool {
    isSet.store(false, ordering: .releasing)
    let utf8 = Array(path.utf8)
    guard utf8.count <= capacity, !utf8.contains(0) else { return false }
    utf8.withUnsafeBufferPointer { source in
      UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: source.count)
    }
    buffer[utf8.count] = 0
    isSet.store(true, ordering: .releasing)
    return true
  }

  /// What the handler does before re-raising: removes the registered file. For tests, which
  /// cannot let a real signal end the test process.
  package static func removeRegisteredFile() {
    if isSet.load(ordering: .acquiring) { unlink(buffer) }
  }

  /// Whether `signal` is handled by the clean-up handler while no write is in flight: taken
  /// under the write lock, so a write on another thread (tests run in parallel) cannot
  /// make it true for the length of its own write (for tests).
  package static func isHandlingBetweenWrites(_ signal: Int32) -> Bool {
    lock.withLock { _ in isHandling(signal) }
  }

  /// Whether `signal` is currently handled by the clean-up handler (for tests).
  package static func isHandling(_ signal: Int32) -> Bool {
    var current = sigaction()
    guard sigaction(signal, nil, &current) == 0, let installed = current.__sigaction_handler.sa_handler else { return false }
    return unsafeBitCast(installed, to: UnsafeRawPointer.self) == unsafeBitCast(handler, to: UnsafeRawPointer.self)
  }
}
