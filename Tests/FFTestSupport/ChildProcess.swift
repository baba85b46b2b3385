import Foundation

/// A child process started with posix_spawn and waited for with bounded polling.
///
/// Foundation's `Process` is not used for two reasons seen on this platform: a child spawned
/// from a test thread inherits that thread's blocked signals (so `ffnb` under tmux would never
/// see SIGINT), and its exit was not always noticed inside the test runner (a test would hang).
/// Here the child gets an empty signal mask and default handlers, and `waitpid(WNOHANG)` is
/// polled against a deadline, so no wait can hang.
public struct ChildProcess {
  public let pid: pid_t
  /// Held while spawning and while creating descriptors that must not leak into a child.
  public static let spawnLock = NSLock()

  /// Starts `arguments[0]` (looked up in PATH) with `environment`, its standard streams
  /// connected to the given descriptors.
  public init(_ arguments: [String], environment: [String: String], stdin: Int32, stdout: Int32, stderr: Int32, directory: String? = nil) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var command = arguments
    if let directory {
      // posix_spawn has no working-directory action in this libc's Swift view: go through sh.
      command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
    }
    let argv = command.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child: pid_t = 0
    Self.spawnLock.lock()
    defer { Self.spawnLock.unlock() }
    let status = posix_spawnp(&child, command[0], &actions, &attributes, argv, envp)
    guard status == 0 else { throw TestFailure("cannot start \(command[0]): \(String(cString: strerror(status)))") }
    pid = child
  }

  /// Waits for the exit status; kills the child and throws after `timeout`.
  public func wait(timeout: Duration, what: String) throws -> Int32 {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var status: Int32 = 0
    while clock.now < deadline {
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
      }
      if result < 0 { throw TestFailure("\(what): waitpid failed: \(String(cString: strerror(errno)))") }
      Thread.sleep(forTimeInterval: 0.01)
    }
    kill(pid, SIGKILL)
    _ = waitpid(pid, &status, 0)
    throw TestFailure("\(what) did not finish within \(timeout)")
  }
}
