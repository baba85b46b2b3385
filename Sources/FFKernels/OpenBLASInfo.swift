/// What OpenBLAS loaded: its build configuration, the kernel family ("core") it runs, threads,
/// and how that core was chosen (see `OpenBLASLibrary` for why ffnb chooses it in-process).
public enum OpenBLASInfo {
  /// `openblas_get_config()`: version and build options.
  public static var config: String { string(OpenBLASLibrary.shared.config()) }
  /// `openblas_get_corename()`: the kernel family in use, e.g. "Prescott" or "SkylakeX".
  public static var coreName: String { string(OpenBLASLibrary.shared.coreName()) }
  /// Threads OpenBLAS will use for a product.
  public static var threads: Int { Int(OpenBLASLibrary.shared.getThreads()) }
  /// Sets the OpenBLAS thread count.
  public static func setThreads(_ n: Int) { OpenBLASLibrary.shared.setThreads(Int32(clamping: n)) }

  /// The core ffnb asks OpenBLAS for, and the CPU features that justify it.
  public struct CoreRequest: Sendable, Equatable {
    public var core: String
    public var reason: String
  }

  /// The core to request through `OPENBLAS_CORETYPE` before OpenBLAS loads, from the CPU's
  /// flags: the best kernel family Debian's OpenBLAS 0.3.21 has for them, which is what its own
  /// detection picks on the CPUs it knows, and what it should pick on those it does not (it
  /// falls back to Prescott there). nil when the user set the variable (their choice wins; an
  /// empty value counts as unset) or
  /// the CPU is not x86-64 with AVX2 (OpenBLAS's own detection is then the best guess).
  public static func coreRequest(environment: [String: String], cpu: CPUFeatures) -> CoreRequest? {
    if let chosen = environment["OPENBLAS_CORETYPE"], !chosen.isEmpty { return nil }
    if cpu.has("avx512f", "avx512bw", "avx512dq", "avx512vl") {
      return cpu.has("avx512_bf16")
        ? CoreRequest(core: "Cooperlake", reason: "AVX-512 with BF16")
        : CoreRequest(core: "SkylakeX", reason: "AVX-512")
    }
    if cpu.has("avx2", "fma") {
      return cpu.vendor == "AuthenticAMD"
        ? CoreRequest(core: "Zen", reason: "AMD with AVX2 and FMA")
        : CoreRequest(core: "Haswell", reason: "AVX2 and FMA")
    }
    return nil
  }

  /// One line saying which core is in use and why.
  public static var summary: String {
    let core = coreName
    if let request = OpenBLASLibrary.shared.request {
      let honoured = core.lowercased() == request.core.lowercased()
      return honoured ? "\(core) (chosen by ffnb for this CPU: \(request.reason))"
        : "\(core) (ffnb asked for \(request.core) for \(request.reason); this OpenBLAS ignored it)"
    }
    if let chosen = Environment.current["OPENBLAS_CORETYPE"], !chosen.isEmpty { return "\(core) (OPENBLAS_CORETYPE=\(chosen))" }
    return "\(core) (detected by OpenBLAS)"
  }

  private static func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
}
