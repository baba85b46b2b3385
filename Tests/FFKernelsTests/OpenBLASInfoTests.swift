import Testing
@testable import FFKernels

@Suite struct OpenBLASInfoTests {
  static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]

  @Test func theCoreFollowsTheCPUFlags() {
    // Sapphire Rapids (AMX, BF16) and Zen 4 (BF16): Debian's 0.3.21 knows neither by name.
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(flags: Self.avx512.union(["avx512_bf16", "amx_bf16"])))?.core == "Cooperlake")
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(vendor: "GenuineIntel", flags: Self.avx512))?.core == "SkylakeX")
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(vendor: "GenuineIntel", flags: ["avx2", "fma"]))?.core == "Haswell")
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(vendor: "AuthenticAMD", flags: ["avx2", "fma"]))?.core == "Zen")
    // Without AVX2 (or off x86), OpenBLAS's own detection is the best guess.
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(flags: ["sse3", "avx"])) == nil)
    #expect(OpenBLASInfo.coreRequest(environment: [:], cpu: CPUFeatures(flags: [])) == nil)
  }

  @Test func aUserChoiceWins() {
    #expect(OpenBLASInfo.coreRequest(environment: ["OPENBLAS_CORETYPE": "Prescott"], cpu: CPUFeatures(flags: Self.avx512)) == nil)
    #expect(OpenBLASInfo.coreRequest(environment: ["OPENBLAS_CORETYPE": ""], cpu: CPUFeatures(flags: Self.avx512))?.core == "SkylakeX")
  }

  @Test func cpuinfoParsing() {
    let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 fma avx512f\nbogus line\n"
    let cpu = CPUFeatures(cpuinfo: text)
    #expect(cpu.vendor == "AuthenticAMD")
    #expect(cpu.has("avx2", "fma", "avx512f"))
    #expect(!cpu.has("avx512bw"))
    #expect(CPUFeatures(cpuinfo: "") == CPUFeatures(flags: []))
  }

  @Test func aMissingOrWrongLibraryIsAClearError() {
    #expect(OpenBLASLibrary.candidates(environment: ["FFNB_OPENBLAS": "/x/libopenblas.so"]) == ["/x/libopenblas.so"])
    #expect(OpenBLASLibrary.candidates(environment: [:]).first == "libopenblas.so.0")
    // OPENBLAS_CORETYPE in the environment given: nothing is requested, so nothing is set here.
    let env = ["OPENBLAS_CORETYPE": "Haswell"]
    guard case .failure(let message) = OpenBLASLibrary.load(environment: env, cpu: CPUFeatures(flags: []),
                                                            names: ["/nonexistent/libopenblas.so", "libc.so.6"])
    else { Issue.record("loaded a library that is not OpenBLAS"); return }
    #expect(message.contains("cannot load OpenBLAS"))
    #expect(message.contains("/nonexistent/libopenblas.so"))
    #expect(message.contains("libc.so.6 is not OpenBLAS"))
  }

  @Test func theLoadedLibraryReportsItself() {
    #expect(OpenBLASInfo.config.contains("OpenBLAS"))
    #expect(!OpenBLASInfo.coreName.isEmpty)
    #expect(OpenBLASInfo.threads >= 1)
    #expect(!OpenBLASInfo.summary.isEmpty)
  }

  @Test func theChosenCoreIsTheOneRunning() {
    // In this process the core was chosen from this machine's flags, as in ffnb and ffnb-bench.
    if let request = OpenBLASLibrary.shared.request {
      #expect(OpenBLASInfo.coreName.lowercased() == request.core.lowercased())
    }
  }
}
