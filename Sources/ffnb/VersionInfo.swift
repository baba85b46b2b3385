import FFData
import FFKernels

/// What `ffnb --version` prints: the version, the OpenBLAS build and core in use, and the data
/// directory, everything a bug report about speed or data needs.
enum VersionInfo {
  static let version = "0.1.0"

  static var text: String {
    let data = DataDirectory.resolve(explicit: nil)
    return """
      ffnb \(version)
      OpenBLAS: \(OpenBLASInfo.config.trimmingCharacters(in: .whitespaces))
      core: \(OpenBLASInfo.summary), \(Plural.count(OpenBLASInfo.threads, "thread"))
      bf16: \(BF16.isAvailable ? BF16.status : "not available (\(BF16.status)); --precision bf16 runs fp32")
      data: \(data)
      """
  }
}
