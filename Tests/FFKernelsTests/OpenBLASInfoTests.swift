import Testing
@testable import FFKernels

@Suite struct OpenBLASInfoTests {
  static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]

  @Test func genericFallbackOnAModernCPUGetsTheRightCore() {
    #expect(OpenBLASInfo.preferredCore(loadedCore: "Prescott", environment: [:], cpuFlags: Self.avx512) == "SkylakeX")
    #expect(OpenBLASInfo.preferredCore(loadedCore: "Prescott", environment: [:], cpuFlags: ["avx2", "fma"]) == "Haswell")
    #expect(OpenBLASInfo.preferredCore(loadedCore: "Prescott", environment: [:], cpuFlags: ["sse3"]) == nil)
  }

  @Test func aRecognisedCoreOrAUserChoiceIsLeftAlone() {
    #expect(OpenBLASInfo.preferredCore(loadedCore: "SkylakeX", environment: [:], cpuFlags: Self.avx512) == nil)
    #expect(OpenBLASInfo.preferredCore(loadedCore: "Cooperlake", environment: [:], cpuFlags: Self.avx512) == nil)
    #expect(OpenBLASInfo.preferredCore(loadedCore: "Prescott", environment: ["OPENBLAS_CORETYPE": "Prescott"], cpuFlags: Self.avx512) == nil)
  }

  @Test func theLoadedLibraryReportsItself() {
    #expect(OpenBLASInfo.config.contains("OpenBLAS"))
    #expect(!OpenBLASInfo.coreName.isEmpty)
    #expect(OpenBLASInfo.threads >= 1)
  }
}
