import Foundation

/// One point for a worker: the arguments of its `ffnb run` and the file its output goes to.
package struct SweepJob: Sendable {
  /// 0-based, in the plan.
  package var point: Int
  package var arguments: [String]
  package var log: String

  package init(point: Int, arguments: [String], log: String) {
    self.point = point
    self.arguments = arguments
    self.log = log
  }
}

/// How a worker ended.
package struct SweepOutcome: Sendable {
  package enum Ending: Sendable, Equatable {
    /// It exited with this status (0: every cell ran).
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)
    /// It could not be started.
    case notStarted(String)
  }

  package var point: Int
  package var ending: Ending
  package var seconds: Double
  package var log: String
}

/// Runs a sweep's points as worker processes (`ffnb run` of the same binary, posix_spawn), at most `jobs`
/// at once, each writing its output to its own log file.
///
/// A worker that fails does not stop the others. When `shouldStop` turns true (Ctrl-C), no
/// more workers start and those running are asked to stop with SIGINT, which a worker takes
/// as Ctrl-C: its `learn` ends at the next epoch boundary and the run is recorded as
/// interrupted. Whatever finished stays finished.
package final class SweepWorkers {
  let executable: String
  let jobs: Int
  let shouldStop: () -> Bool
  /// Called on the scheduling thread as workers start and end.
  let started: (SweepJob) -> Void
  let ended: (SweepOutcome) -> Void

  package init(
    executable: String, jobs: Int, shouldStop: @escaping () -> Bool, started: @escaping (SweepJob) -> Void,
    ended: @escaping (SweepOutcome) -> Void
  ) {
    self.executable = executable
    self.jobs = max(1, jobs)
    self.shouldStop = shouldStop
    self.started = started
    self.ended = ended
  }

  /// Runs `queue` in order; returns every outcome (points never started are absent) and
  /// whether a stop was requested.
  package func run(_ queue: [SweepJob]) -> (outcomes: [SweepOutcome], stopped: Bool) {
    var pending = queue[...]
    var running: [(job: SweepJob, pid: pid_t, start: Date)] = []
    var outcomes: [SweepOutcome] = []
    var stopped = false
    while !pending.isEmpty || !running.isEmpty {
      if !stopped && shouldStop() {
        stopped = true
        for worker in running { kill(worker.pid, SIGINT) }
      }
      while !stopped, running.count < jobs, let job = pending.first {
        pending = pending.dropFirst()
        switch Self.spawn(executable, job.arguments, log: job.log) {
        case .success(let pid):
          running.append((job, pid, Date()))
          started(job)
        case .failure(let failure):
          let outcome = SweepOutcome(point: job.point, ending: .notStarted(failure.reason), seconds: 0, log: job.log)
          outcomes.append(outcome)
          ended(outcome)
        }
      }
      if stopped { pending = [] }
      var still: [(job: SweepJob, pid: pid_t, start: Date)] = []
      for worker in running {
        var status: Int32 = 0
        let result = waitpid(worker.pid, &status, WNOHANG)
        guard result == worker.pid || (result < 0 && errno != EINTR) else {
          still.append(worker)
          continue
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        let ending: SweepOutcome.Ending = result < 0 ? .notStarted("lost track of it: \(String(cString: strerror(errno)))")
          : signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        let outcome = SweepOutcome(point: worker.job.point, ending: ending, seconds: Date().timeIntervalSince(worker.start), log: worker.job.log)
        outcomes.append(outcome)
        ended(outcome)
      }
      running = still
      if !running.isEmpty { usleep(20_000) }
    }
    return (outcomes, stopped)
  }

  /// Starts `executable` with `arguments`, standard input empty (`/dev/null`, read only) and
  /// both outputs to `log`. The child gets an empty signal mask and default handlers, so
  /// SIGINT reaches it whatever this process blocks or ignores.
  static func spawn(_ executable: String, _ arguments: [String], log: String) -> Result<pid_t, LaunchFailure> {
    let output = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard output >= 0 else { return .failure(LaunchFailure("cannot write its log \(log): \(String(cString: strerror(errno)))")) }
    defer { close(output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, output, 2)
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
    let command = [executable] + arguments
    let argv = command.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard status == 0 else { return .failure(LaunchFailure("cannot start \(executable): \(String(cString: strerror(status)))")) }
    return .success(pid)
  }

  struct LaunchFailure: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
  }
}
