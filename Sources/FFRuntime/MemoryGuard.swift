import FFKernels

/// Refuses work whose memory would exceed what this process may take, before allocating it, so
/// an absurd `build dims=[784, 100000000]` is an error message rather than an OOM kill or a
/// trap in an allocation.
///
/// "What this process may take" is the tightest of `MemoryLimits`: 80 % of physical memory,
/// what is left under `ulimit -v` / `ulimit -d`, and what is left under the container's cgroup
/// limit. The limits are read afresh for each check (usage changes as a session goes on);
/// tests pass their own.
public enum MemoryGuard {
  /// Physical memory in bytes.
  public static var physicalBytes: Int {
    MemoryLimits.Sources.system.physicalBytes() ?? 8 << 30
  }

  /// Throws `tooLarge` when `bytes` exceeds what one request may take under any limit.
  public static func check(_ what: String, bytes: Int, limits: MemoryLimits = .current()) throws(FFRuntimeError) {
    if let limit = limits.exceeded(by: bytes) {
      throw .tooLarge(what: what, bytes: bytes, limit: limit.description)
    }
  }
}
