import FFData
import FFKernels

/// What `ffnb --version` prints: the version, the OpenBLAS build and core in use, and the data
/// directory, everything a bug report about speed or data needs.
enum VersionInfo {
  static let version = "0.1.0"

  /// What computes results, for the replay cache's keys: an entry stored by another ffnb, or
  /// with other kernels or thread counts (whose sums may round differently), is not reused.
  static var cacheEnvironment: String {
    "ffnb \(version); OpenBLAS \(OpenBLASInfo.config.trimmingCharacters(in: .whitespaces)), core \(OpenBLASInfo.coreName), "
      + "\(OpenBLASInfo.threads) threads; bf16 \(BF16.isAvailable ? BF16.status : "none")"
  }

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
