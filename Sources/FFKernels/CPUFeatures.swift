#if canImport(Glibc)
import Glibc
#endif

/// The CPU's vendor and feature flags, as the kernel reports them for the first processor.
///
/// Read once, from the first block of /proc/cpuinfo only: on a machine with hundreds of cores
/// the whole file is hundreds of kilobytes that the kernel formats on every read, and startup
/// must stay fast. The flags there are what the kernel enabled (AVX-512 state included), so a
/// flag listed is a flag that may be used.
public struct CPUFeatures: Sendable, Equatable {
  /// "GenuineIntel", "AuthenticAMD", or "" where unknown.
  public var vendor: String
  public var flags: Set<String>

  public init(vendor: String = "", flags: Set<String>) {
    self.vendor = vendor
    self.flags = flags
  }

  /// This machine's features (empty where /proc/cpuinfo is missing or unreadable).
  public static let current = CPUFeatures(cpuinfo: firstProcessorBlock())

  /// Parses the `vendor_id` and `flags` lines of a /proc/cpuinfo block.
  public init(cpuinfo text: String) {
    var vendor = "", flags: Set<String> = []
    for line in text.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingCharacters(in: " \t")
      let value = line[line.index(after: colon)...]
      if key == "vendor_id" { vendor = value.trimmingCharacters(in: " \t") }
      if key == "flags" { flags = Set(value.split(separator: " ").map(String.init)) }
    }
    self.init(vendor: vendor, flags: flags)
  }

  public func has(_ names: String...) -> Bool { names.allSatisfy(flags.contains) }

  /// The text up to the first blank line of /proc/cpuinfo (the first processor), at most 64 KiB.
  private static func firstProcessorBlock() -> String {
    let fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while bytes.count < 65536 {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count >= 2, let end = blankLine(in: bytes) { bytes.removeSubrange(end...); break }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func blankLine(in bytes: [UInt8]) -> Int? {
    for i in 1..<bytes.count where bytes[i] == 10 && bytes[i - 1] == 10 { return i }
    return nil
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var s = self[...]
    while let c = s.first, set.contains(c) { s = s.dropFirst() }
    while let c = s.last, set.contains(c) { s = s.dropLast() }
    return String(s)
  }
}
