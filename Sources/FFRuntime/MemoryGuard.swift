#if canImport(Glibc)
import Glibc
#endif

/// Refuses work whose memory would exceed what the machine has, before allocating it, so an
/// absurd `build dims=[784, 100000000]` is an error message rather than an OOM kill.
public enum MemoryGuard {
  /// Physical memory in bytes.
  public static var physicalBytes: Int {
    #if canImport(Glibc)
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    if pages > 0 && size > 0 { return pages * size }
    #endif
    return 8 << 30
  }

  /// Throws `tooLarge` when `bytes` exceeds 80 % of physical memory.
  public static func check(_ what: String, bytes: Int) throws(FFRuntimeError) {
    let available = physicalBytes / 10 * 8
    if bytes > available { throw .tooLarge(what: what, bytes: bytes, available: physicalBytes) }
  }
}
