import FFFiles

#if canImport(Glibc)
import Glibc
#endif

/// How much memory this process may still take, under every limit that applies to it: the
/// machine's RAM, the address-space and data-segment limits (`ulimit -v`, `ulimit -d`:
/// `RLIMIT_AS`, `RLIMIT_DATA`) and the container's memory limit (cgroup v2 `memory.max`, or
/// v1 `memory.limit_in_bytes`).
///
/// A too-large `build`, `learn` or `load` is refused with a message naming the limit before
/// anything is allocated; without this, a container's limit ends the process in an allocation
/// (Swift traps when malloc fails) or the kernel's OOM killer does. Every source is injectable
/// (`Sources`), so tests can pose any limit.
public struct MemoryLimits: Sendable, Equatable {
  /// One limit and how much of it is in use.
  public struct Limit: Sendable, Equatable {
    /// What it is, for messages: "the address-space limit".
    public var name: String
    /// Where it is set: "ulimit -v", "cgroup memory.max"; empty for the machine's memory.
    public var source: String
    /// The limit in bytes.
    public var total: Int
    /// Bytes of it already in use.
    public var used: Int
    /// The share of what is left that one request may take (the rest is headroom for what the
    /// estimates leave out: the allocator, OpenBLAS's buffers, the runtime).
    public var share: Double

    public init(name: String, source: String, total: Int, used: Int, share: Double) {
      self.name = name
      self.source = source
      self.total = total
      self.used = used
      self.share = share
    }

    /// Bytes a single request may still take.
    public var allowed: Int {
      let left = max(0, total - used)
      return Int(Double(left) * share)
    }

    /// "the 1.3 GiB left under the address-space limit of 2 GiB (ulimit -v)"; "this machine's 24 GiB".
    public var description: String {
      if source.isEmpty { return "\(name) \(ByteCount.format(total))" }
      return "the \(ByteCount.format(max(0, total - used))) left under \(name) of \(ByteCount.format(total)) (\(source))"
    }
  }

  /// Every limit found.
  public var limits: [Limit]

  public init(limits: [Limit]) { self.limits = limits }

  /// The first limit `bytes` would exceed, tightest first; nil when it fits under all of them.
  public func exceeded(by bytes: Int) -> Limit? {
    limits.sorted { $0.allowed < $1.allowed }.first { bytes > $0.allowed }
  }

  /// Where the figures come from; replaced in tests.
  public struct Sources: Sendable {
    /// Physical memory in bytes.
    public var physicalBytes: @Sendable () -> Int?
    /// The soft limit of a resource (`RLIMIT_AS`, `RLIMIT_DATA`); nil when unlimited.
    public var resourceLimit: @Sendable (_ resource: Int32) -> Int?
    /// A small text file's contents (`/proc/self/status`, `/proc/self/cgroup`, cgroup files); nil
    /// when it cannot be read.
    public var readFile: @Sendable (_ path: String) -> String?

    public init(
      physicalBytes: @escaping @Sendable () -> Int?, resourceLimit: @escaping @Sendable (Int32) -> Int?,
      readFile: @escaping @Sendable (String) -> String?
    ) {
      self.physicalBytes = physicalBytes
      self.resourceLimit = resourceLimit
      self.readFile = readFile
    }

    /// The running process's: sysconf, getrlimit, /proc and /sys/fs/cgroup.
    public static let system = Sources(
      physicalBytes: {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : nil
      },
      resourceLimit: { resource in
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(UInt32(resource)), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return limit.rlim_cur > UInt(Int.max) ? nil : Int(limit.rlim_cur)
      },
      readFile: { path in
        guard let bytes = try? ReadableFile.readAll(path: path, limit: 1 << 20, what: "a /proc or cgroup file") else { return nil }
        return String(decoding: bytes, as: UTF8.self)
      })
  }

  /// The share of physical memory one request may take (as before limits were read).
  static let physicalShare = 0.8
  /// The share of what is left under a process or container limit one request may take.
  static let limitShare = 0.9
  /// Values at or above this are "no limit" (cgroup v1 writes LONG_MAX rounded to a page).
  static let unlimited = 1 << 60

  /// The limits of this process now, read through `sources`.
  public static func current(_ sources: Sources = .system) -> MemoryLimits {
    var limits: [Limit] = []
    let physical = sources.physicalBytes() ?? 8 << 30
    limits.append(Limit(name: "this machine's", source: "", total: physical, used: 0, share: physicalShare))
    let status = sources.readFile("/proc/self/status").map(ProcStatus.init) ?? ProcStatus(text: "")
    if let limit = sources.resourceLimit(Int32(RLIMIT_AS.rawValue)), limit < unlimited {
      limits.append(Limit(name: "the address-space limit", source: "ulimit -v", total: limit, used: status.kilobytes("VmSize") * 1024, share: limitShare))
    }
    if let limit = sources.resourceLimit(Int32(RLIMIT_DATA.rawValue)), limit < unlimited {
      limits.append(Limit(name: "the data-segment limit", source: "ulimit -d", total: limit, used: status.kilobytes("VmData") * 1024, share: limitShare))
    }
    if let cgroup = CgroupMemory.limit(sources) { limits.append(cgroup) }
    return MemoryLimits(limits: limits)
  }
}

/// Fields of `/proc/self/status` ("VmSize:    3896 kB").
struct ProcStatus {
  let text: String
  func kilobytes(_ field: String) -> Int {
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
      return Int(digits) ?? 0
    }
    return 0
  }
}

/// The container's memory limit from the cgroup file system, the tightest of the process's
/// cgroup and its ancestors. cgroup v2 first (`0::/path` in /proc/self/cgroup, then
/// `memory.max` and `memory.current`), else v1's memory controller (`memory.limit_in_bytes`,
/// `memory.usage_in_bytes`). Usage leaves out inactive page cache (`inactive_file` in
/// `memory.stat`), which the kernel reclaims before refusing memory, as `docker stats` does.
/// Where the process's path is not visible (a container without a cgroup namespace sees its
/// own cgroup at the mount's root), the root of the mount is read instead. Anything missing
/// or unreadable means no limit.
enum CgroupMemory {
  static let name = "the container's memory limit"

  static func limit(_ sources: MemoryLimits.Sources) -> MemoryLimits.Limit? {
    guard let table = sources.readFile("/proc/self/cgroup") else { return nil }
    var v2Path: String?
    var v1Path: String?
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      if fields[0] == "0" && fields[1].isEmpty { v2Path = String(fields[2]) }
      if fields[1].split(separator: ",").contains("memory") { v1Path = String(fields[2]) }
    }
    var found: [MemoryLimits.Limit] = []
    if let v2Path {
      found += walk(source: "cgroup memory.max", root: "/sys/fs/cgroup", path: v2Path, sources: sources, max: "memory.max", current: "memory.current", inactive: "inactive_file")
    }
    if found.isEmpty, let v1Path {
      found += walk(source: "cgroup memory.limit_in_bytes", root: "/sys/fs/cgroup/memory", path: v1Path, sources: sources, max: "memory.limit_in_bytes",
                    current: "memory.usage_in_bytes", inactive: "total_inactive_file")
    }
    return found.min { $0.allowed < $1.allowed }
  }

  /// The limits of `path` and each of its ancestors under `root`; the mount's root alone when
  /// `path` is not there or climbs out of it.
  static func walk(
    source: String, root: String, path: String, sources: MemoryLimits.Sources, max maxFile: String, current currentFile: String, inactive: String
  ) -> [MemoryLimits.Limit] {
    var components = path.split(separator: "/").map(String.init)
    // Outside the namespace's root (`/../x`) or not mounted here: the mount's root is ours.
    if components.contains("..") || sources.readFile(folder(root, components) + "/" + maxFile) == nil { components = [] }
    var limits: [MemoryLimits.Limit] = []
    while true {
      let dir = folder(root, components)
      if let text = sources.readFile(dir + "/" + maxFile), let total = Int(text.trimmingWhitespace()), total < MemoryLimits.unlimited {
        let current = sources.readFile(dir + "/" + currentFile).flatMap { Int($0.trimmingWhitespace()) } ?? 0
        let stat = sources.readFile(dir + "/memory.stat") ?? ""
        var reclaimable = 0
        for line in stat.split(separator: "\n") where line.hasPrefix(inactive + " ") {
          reclaimable = Int(line.dropFirst(inactive.count + 1)) ?? 0
        }
        limits.append(.init(name: name, source: source, total: total, used: max(0, current - reclaimable), share: MemoryLimits.limitShare))
      }
      if components.isEmpty { break }
      components.removeLast()
    }
    return limits
  }

  static func folder(_ root: String, _ components: [String]) -> String {
    components.isEmpty ? root : root + "/" + components.joined(separator: "/")
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> Substring {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return s
  }
}
