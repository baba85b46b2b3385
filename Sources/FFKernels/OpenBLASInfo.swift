import COpenBLAS

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What OpenBLAS loaded: its build configuration, the kernel family ("core") it picked, threads.
///
/// Debian's OpenBLAS 0.3.21 does not know newer CPUs and silently falls back to SSE3
/// "Prescott" kernels, about 5x slower than the AVX-512 ones the CPU can run. The core is
/// chosen when the library loads, before `main`, from `OPENBLAS_CORETYPE`; `preferredCore`
/// tells the executable which value to re-execute itself with.
public enum OpenBLASInfo {
  /// `openblas_get_config()`: version and build options.
  public static var config: String { String(cString: openblas_get_config()) }
  /// `openblas_get_corename()`: the kernel family in use, e.g. "Prescott" or "SkylakeX".
  public static var coreName: String { String(cString: openblas_get_corename()) }
  /// Threads OpenBLAS will use for a product.
  public static var threads: Int { Int(openblas_get_num_threads()) }
  /// Sets the OpenBLAS thread count.
  public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

  /// Generic fallback kernels that a modern x86-64 CPU should never end up on.
  static let genericCores: Set<String> = ["prescott", "core2", "katmai", "coppermine", "northwood",
                                          "banias", "atom", "nehalem", "barcelona", "opteron", "unknown"]

  /// The core to request via `OPENBLAS_CORETYPE` when the loaded one is a generic fallback on a
  /// CPU that can do better; nil when the loaded core is fine or the user chose one.
  /// `cpuFlags` is only evaluated when the loaded core is a generic one, so the common case
  /// costs no read of /proc/cpuinfo at startup.
  public static func preferredCore(
    loadedCore: String = coreName, environment: [String: String], cpuFlags: @autoclosure () -> Set<String>
  ) -> String? {
    if environment["OPENBLAS_CORETYPE"] != nil { return nil }
    guard genericCores.contains(loadedCore.lowercased()) else { return nil }
    let cpuFlags = cpuFlags()
    if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
    if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// The CPU feature flags from /proc/cpuinfo (empty where that file does not exist).
  public static func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
    for line in text.split(separator: "\n") where line.hasPrefix("flags") {
      if let colon = line.firstIndex(of: ":") {
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
      }
    }
    return []
  }
}
