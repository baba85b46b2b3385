import Foundation

/// Where the dataset files live, and which rule chose the place (shown by `ffnb --version`).
///
/// Rules, first match wins:
/// 1. an explicit path (a notebook's `root=`),
/// 2. the environment variable `FFNB_DATA` (the Makefile sets it),
/// 3. the `data` folder of the package the running executable was built in, found by walking up
///    from `/proc/self/exe` (e.g. `.build/release/ffnb` -> the repository) to a directory holding
///    both `Package.swift` and `data/`, so the built tool works from any working directory,
/// 4. `./data`.
public struct DataDirectory: Sendable, Equatable, CustomStringConvertible {
  /// How the directory was chosen.
  public enum Rule: String, Sendable, Equatable {
    case explicit
    case environment
    case packageRoot
    case currentDirectory
  }

  /// The directory (absolute).
  public let url: URL
  /// The rule that chose it.
  public let rule: Rule

  /// The name of the environment variable of rule 2.
  public static let environmentVariable = "FFNB_DATA"

  /// E.g. `/work/main/data (from FFNB_DATA)`.
  public var description: String {
    let why: String
    switch rule {
    case .explicit: why = "given explicitly"
    case .environment: why = "from \(Self.environmentVariable)"
    case .packageRoot: why = "the package's data folder, found from the executable"
    case .currentDirectory: why = "./data in the working directory"
    }
    return "\(url.path) (\(why))"
  }

  /// Resolves the data directory by the rules above.
  ///
  /// - Parameters:
  ///   - explicit: a path given by the user; relative paths are taken against `base`.
  ///   - environment: the process environment (a parameter so tests can pass their own).
  ///   - executablePath: the running executable; `nil` reads `/proc/self/exe`.
  ///   - base: the directory relative paths start from; `nil` is the working directory.
  public static func resolve(
    explicit: String?,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executablePath: String? = nil,
    base: URL? = nil
  ) -> DataDirectory {
    let start = base ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    if let explicit, !explicit.isEmpty {
      return DataDirectory(url: absolute(explicit, against: start), rule: .explicit)
    }
    if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
      return DataDirectory(url: absolute(fromEnvironment, against: start), rule: .environment)
    }
    if let exe = executablePath ?? runningExecutable(), let root = packageRoot(above: exe) {
      return DataDirectory(url: root.appendingPathComponent("data", isDirectory: true), rule: .packageRoot)
    }
    return DataDirectory(url: start.appendingPathComponent("data", isDirectory: true).standardizedFileURL, rule: .currentDirectory)
  }

  /// The nearest ancestor of `executable` holding `Package.swift` beside a `data` folder.
  static func packageRoot(above executable: String) -> URL? {
    let fm = FileManager.default
    var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    while true {
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
        fm.fileExists(atPath: dir.appendingPathComponent("data").path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        return dir
      }
      if dir.path == "/" { return nil }
      let parent = dir.deletingLastPathComponent().standardizedFileURL
      if parent.path == dir.path { return nil }
      dir = parent
    }
  }

  /// The running executable's path, from `/proc/self/exe` (Linux).
  static func runningExecutable() -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
  }

  private static func absolute(_ path: String, against base: URL) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded, isDirectory: true).standardizedFileURL }
    return base.appendingPathComponent(expanded, isDirectory: true).standardizedFileURL
  }
}
