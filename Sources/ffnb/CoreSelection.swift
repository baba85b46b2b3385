import FFKernels
import Foundation

/// Makes sure OpenBLAS runs the kernels this CPU deserves.
///
/// OpenBLAS picks its kernel family when the library loads, before `main`, from
/// `OPENBLAS_CORETYPE` or its own CPU detection; Debian's 0.3.21 does not recognise some newer
/// CPUs and silently falls back to SSE3 "Prescott" kernels, about 5x slower. When that happened
/// and the user did not choose a core, ffnb re-executes itself once with the right core set.
enum CoreSelection {
  /// Set in the re-executed process to the core OpenBLAS picked on its own.
  static let marker = "FFNB_OPENBLAS_FALLBACK"

  /// Re-executes the process with `OPENBLAS_CORETYPE` set when needed; returns otherwise.
  static func ensurePreferredCore() {
    let env = ProcessInfo.processInfo.environment
    guard env[marker] == nil,
          let core = OpenBLASInfo.preferredCore(environment: env, cpuFlags: OpenBLASInfo.cpuFlags())
    else { return }
    setenv(marker, OpenBLASInfo.coreName, 1)
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // execv returns only on failure: carry on with the slower kernels.
    unsetenv("OPENBLAS_CORETYPE")
  }

  /// One line saying which core is in use and why.
  static var summary: String {
    let env = ProcessInfo.processInfo.environment
    let core = OpenBLASInfo.coreName
    if let fallback = env[marker] {
      return "\(core) (selected by ffnb: OpenBLAS detected only \(fallback) on this CPU)"
    }
    if let chosen = env["OPENBLAS_CORETYPE"] { return "\(core) (OPENBLAS_CORETYPE=\(chosen))" }
    return "\(core) (detected by OpenBLAS)"
  }
}
