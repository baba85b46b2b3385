import Foundation

/// Where runs are recorded: a file, or nowhere.
package enum RegistryLocation: Sendable, Equatable {
  case file(String)
  case off

  /// The variable that names the registry (`off` turns recording off).
  package static let environmentVariable = "FFNB_REGISTRY"

  /// `--no-registry`, else `--registry PATH`, else `$FFNB_REGISTRY`, else the user's data
  /// folder: `$XDG_DATA_HOME/ffnb/runs.sqlite`, or `~/.local/share/ffnb/runs.sqlite`.
  package static func resolve(explicit: String?, disabled: Bool, environment: [String: String]) -> RegistryLocation {
    if disabled { return .off }
    if let explicit, !explicit.isEmpty { return .file(absolute(explicit)) }
    if let named = environment[environmentVariable], !named.isEmpty {
      return named == "off" ? .off : .file(absolute(named))
    }
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
      return .file(data + "/ffnb/runs.sqlite")
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return .file(home + "/.local/share/ffnb/runs.sqlite")
  }

  /// A path made absolute against the working directory (a sweep's workers may run elsewhere).
  package static func absolute(_ path: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return expanded }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded).standardizedFileURL.path
  }

  package var path: String? {
    switch self {
    case .file(let path): path
    case .off: nil
    }
  }
}
