import Glibc
import Testing

@testable import FFKernels

/// The limits a request is checked against, from injected sources: RAM, `ulimit -v`,
/// `ulimit -d`, and the cgroup's memory limit (v2, else v1), each with its usage.
@Suite struct MemoryLimitsTests {
  /// Sources with 16 GiB of RAM, the given rlimits and files.
  func sources(as limitAS: Int? = nil, data: Int? = nil, files: [String: String] = [:]) -> MemoryLimits.Sources {
    MemoryLimits.Sources(
      physicalBytes: { 16 << 30 },
      resourceLimit: { resource in
        resource == Int32(RLIMIT_AS.rawValue) ? limitAS : resource == Int32(RLIMIT_DATA.rawValue) ? data : nil
      },
      readFile: { files[$0] })
  }

  let status = "Name:\tffnb\nVmSize:\t  524288 kB\nVmData:\t  262144 kB\n"

  @Test func withoutProcessLimitsOnly80PercentOfRAMCounts() {
    let limits = MemoryLimits.current(sources())
    #expect(limits.limits.count == 1)
    #expect(limits.exceeded(by: 12 << 30) == nil)
    let exceeded = limits.exceeded(by: 13 << 30)
    #expect(exceeded?.description == "this machine's 16 GiB")
  }

  @Test func theAddressSpaceLimitCountsWhatIsAlreadyMapped() {
    // 2 GiB limit, 512 MiB mapped: 1.5 GiB left, 90 % of it for one request.
    let limits = MemoryLimits.current(sources(as: 2 << 30, files: ["/proc/self/status": status]))
    #expect(limits.exceeded(by: 1300 << 20) == nil)
    let exceeded = limits.exceeded(by: 1400 << 20)
    #expect(exceeded?.description == "the 1.5 GiB left under the address-space limit of 2 GiB (ulimit -v)")
  }

  @Test func theDataLimitCountsTheDataSegment() {
    let limits = MemoryLimits.current(sources(data: 1 << 30, files: ["/proc/self/status": status]))
    #expect(limits.exceeded(by: 600 << 20) == nil)
    #expect(limits.exceeded(by: 700 << 20)?.description == "the 768 MiB left under the data-segment limit of 1 GiB (ulimit -d)")
  }

  @Test func cgroupV2MemoryMaxOfTheProcessOrAnAncestorCounts() {
    let files = [
      "/proc/self/cgroup": "0::/system.slice/job.scope\n",
      "/sys/fs/cgroup/system.slice/job.scope/memory.max": "max\n",
      "/sys/fs/cgroup/system.slice/memory.max": "1073741824\n",
      "/sys/fs/cgroup/system.slice/memory.current": "536870912\n",
      // 256 MiB of that is reclaimable page cache.
      "/sys/fs/cgroup/system.slice/memory.stat": "anon 268435456\ninactive_file 268435456\n",
    ]
    let limits = MemoryLimits.current(sources(files: files))
    // 1 GiB - (512 - 256) MiB = 768 MiB left; 90 % = 691 MiB.
    #expect(limits.exceeded(by: 690 << 20) == nil)
    let exceeded = limits.exceeded(by: 700 << 20)
    #expect(exceeded?.description == "the 768 MiB left under the container's memory limit of 1 GiB (cgroup memory.max)")
  }

  @Test func aCgroupPathNotVisibleFallsBackToTheMountRoot() {
    let files = [
      "/proc/self/cgroup": "0::/../host/path\n",
      "/sys/fs/cgroup/memory.max": "536870912\n",
      "/sys/fs/cgroup/memory.current": "0\n",
    ]
    #expect(MemoryLimits.current(sources(files: files)).exceeded(by: 500 << 20) != nil, "a path outside the namespace reads the mount root")
    let hidden = ["/proc/self/cgroup": "0::/elsewhere\n", "/sys/fs/cgroup/memory.max": "536870912\n"]
    #expect(MemoryLimits.current(sources(files: hidden)).exceeded(by: 500 << 20)?.source == "cgroup memory.max")
  }

  @Test func cgroupV1IsReadWhenThereIsNoV2Limit() {
    let files = [
      "/proc/self/cgroup": "4:memory:/docker/abc\n0::/\n",
      "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "268435456\n",
      "/sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes": "0\n",
      "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
    ]
    let exceeded = MemoryLimits.current(sources(files: files)).exceeded(by: 300 << 20)
    #expect(exceeded?.source == "cgroup memory.limit_in_bytes")
    #expect(MemoryLimits.current(sources(files: files)).exceeded(by: 200 << 20) == nil)
  }

  @Test func unreadableOrMissingSourcesMeanNoLimit() {
    let limits = MemoryLimits.current(MemoryLimits.Sources(physicalBytes: { nil }, resourceLimit: { _ in nil }, readFile: { _ in nil }))
    #expect(limits.limits.count == 1, "only the (assumed 8 GiB) machine")
    let garbage = ["/proc/self/cgroup": "nonsense", "/sys/fs/cgroup/memory.max": "lots"]
    #expect(MemoryLimits.current(sources(files: garbage)).limits.count == 1)
  }

  @Test func theRealProcessHasAtLeastTheMachineLimit() {
    let limits = MemoryLimits.current()
    #expect(!limits.limits.isEmpty)
    #expect(limits.exceeded(by: 1 << 20) == nil)
    #expect(limits.exceeded(by: Int.max) != nil)
  }
}
