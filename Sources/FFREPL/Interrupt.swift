import FFFiles
import Foundation
import Synchronization

/// Ctrl-C while the REPL runs a command: a request to stop at the next epoch boundary, not
/// the end of the process (weights, optimizer state and everything else stay).
///
/// The SIGINT handler may only do async-signal-safe things, so it touches nothing but two
/// lock-free atomics and `write(2)`: it counts the press and writes one byte to a self-pipe,
/// which wakes the line reader when Ctrl-C comes at the prompt (poll(2) sees the pipe
/// readable). Training polls `isRequested` through `Session.shouldStop` at every epoch
/// boundary. A command that never polls (a long `load`) cannot be stopped gently, so the
/// third Ctrl-C during one command ends the process (status 130) as an escape hatch.
public enum Interrupt {
  /// Ctrl-C presses since the last `clear()`.
  private static let presses = Atomic<Int>(0)
  /// The write end of the self-pipe, or -1 before `install()`.
  private static let wakeWriteEnd = Atomic<Int32>(-1)
  /// The read end of the self-pipe, or -1 before `install()`.
  private static let wakeReadEnd = Atomic<Int32>(-1)
  /// Presses during one command after which the process exits.
  static let hardExitPresses = 3
  /// Whether `hardExitPresses` presses end the process: a REPL's escape hatch, but a Jupyter
  /// kernel has its own (the client restarts it), so there presses only ask to stop.
  private static let exitsOnRepeatedPresses = Atomic<Bool>(true)

  /// Whether Ctrl-C was pressed since the last `clear()`.
  public static var isRequested: Bool { presses.load(ordering: .relaxed) > 0 }

  /// Forgets earlier presses: called before each command and each prompt.
  public static func clear() {
    presses.store(0, ordering: .relaxed)
    drainWakeups()
  }

  /// The descriptor that becomes readable when Ctrl-C is pressed, or -1 before `install()`.
  static var wakeDescriptor: Int32 { wakeReadEnd.load(ordering: .relaxed) }

  /// Empties the self-pipe (it is non-blocking).
  static func drainWakeups() {
    let fd = wakeReadEnd.load(ordering: .relaxed)
    guard fd >= 0 else { return }
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(fd, &buffer, buffer.count) > 0 {}
  }

  /// Installs the SIGINT handler (once; later calls do nothing). Only for an interactive
  /// session: piped input keeps the default, so Ctrl-C ends a scripted run as usual.
  public static func install(exitsOnRepeatedPresses: Bool = true) {
    Self.exitsOnRepeatedPresses.store(exitsOnRepeatedPresses, ordering: .relaxed)
    guard wakeWriteEnd.load(ordering: .relaxed) < 0 else { return }
    // Its statics are made now, never first inside the handler.
    InFlightTemporary.removeRegisteredFile()
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
      wakeReadEnd.store(fds[0], ordering: .relaxed)
      wakeWriteEnd.store(fds[1], ordering: .relaxed)
    }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in Interrupt.handleSignal() }
    sigemptyset(&action.sa_mask)
    // SA_RESTART: a press must not make unrelated reads and writes fail with EINTR; the
    // prompt learns about it from the self-pipe instead.
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
    // A parent may hand down a mask with SIGINT blocked (threads of libdispatch block most
    // signals, and a process spawned from one inherits that); Ctrl-C would then do nothing.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// A stop request that is not a key press (a Jupyter client's `interrupt_request` on the
  /// control channel): the same as one press, never the hard exit.
  public static func request() {
    presses.wrappingAdd(1, ordering: .relaxed)
    wake()
  }

  /// Makes the self-pipe readable (async-signal-safe).
  private static func wake() {
    let fd = wakeWriteEnd.load(ordering: .relaxed)
    if fd >= 0 {
      var byte: UInt8 = 1
      _ = write(fd, &byte, 1)
    }
  }

  /// The body of the signal handler: async-signal-safe operations only.
  private static func handleSignal() {
    let count = presses.wrappingAdd(1, ordering: .relaxed).newValue
    wake()
    guard exitsOnRepeatedPresses.load(ordering: .relaxed) else { return }
    if count == hardExitPresses - 1 {
      // A StaticString: its bytes are in the binary, so nothing is allocated here.
      let message: StaticString = "\n(ffnb: Ctrl-C once more quits ffnb; training stops at the next epoch boundary)\n"
      _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    } else if count >= hardExitPresses {
      // A file being written atomically goes too (async-signal-safe: an atomic load, unlink).
      InFlightTemporary.removeRegisteredFile()
      _exit(130)
    }
  }
}
