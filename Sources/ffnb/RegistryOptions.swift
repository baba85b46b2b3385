import ArgumentParser
import FFRegistry
import FFREPL
import Foundation

/// Where `run`, `step` and `repl` record their runs, and whether they do.
struct RegistryOptions: ParsableArguments {
  @Option(name: .customLong("registry"), help: ArgumentHelp(
    "The run registry (SQLite) to record into (default: $FFNB_REGISTRY, else $XDG_DATA_HOME/ffnb/runs.sqlite or ~/.local/share/ffnb/runs.sqlite).",
    valueName: "path"), completion: .file(extensions: ["sqlite"]))
  var path: String?

  @Flag(name: .customLong("no-registry"), help: "Record nothing in the run registry (FFNB_REGISTRY=off does the same).")
  var disabled = false

  /// The sweep a worker's run belongs to, set by the sweep that started it.
  @Option(name: .customLong("sweep-id"), help: .hidden)
  var sweepID: String?

  /// The worker's point in its sweep's plan (0-based).
  @Option(name: .customLong("sweep-point"), help: .hidden)
  var sweepPoint: Int?

  var location: RegistryLocation {
    RegistryLocation.resolve(explicit: path, disabled: disabled, environment: ProcessInfo.processInfo.environment)
  }

  func validate() throws {
    if disabled && path != nil { throw ValidationError("--registry and --no-registry contradict each other; give one") }
    if (sweepID == nil) != (sweepPoint == nil) { throw ValidationError("--sweep-id and --sweep-point go together") }
    if let sweepID, UUID(uuidString: sweepID) == nil { throw ValidationError("--sweep-id must be a UUID, got '\(sweepID)'") }
  }

  /// The recorder for this process: a registry that cannot be used is said once, on standard error.
  func recorder() -> RunRecorder {
    RunRecorder(location: location) { NotebookLoading.printError($0) }
  }

  /// Records for a session of `notebook` (nil: an empty REPL).
  func recording(notebook: String?) -> RunRecording {
    let sweep = sweepID.flatMap(UUID.init(uuidString:)).map { SweepMembership(id: $0, point: sweepPoint ?? 0) }
    return RunRecording(recorder: recorder(), ffnbVersion: VersionInfo.version, notebookPath: notebook, sweep: sweep)
  }
}

/// The registry `runs` and `compare` read: `--registry`, else the default.
struct RegistryPath: ParsableArguments {
  @Option(name: .customLong("registry"), help: ArgumentHelp(
    "The run registry to read (default: $FFNB_REGISTRY, else $XDG_DATA_HOME/ffnb/runs.sqlite or ~/.local/share/ffnb/runs.sqlite).",
    valueName: "path"), completion: .file(extensions: ["sqlite"]))
  var path: String?

  /// The registry, or exit status 2 with one line saying why not. `forReading`: an existing
  /// file is opened read-only (listing or comparing runs never changes it); a missing or
  /// empty one is made a registry, as before, and has no runs.
  func open(forReading: Bool = false) throws -> RunRegistry {
    guard case .file(let file) = RegistryLocation.resolve(explicit: path, disabled: false, environment: ProcessInfo.processInfo.environment) else {
      NotebookLoading.printError("the run registry is off (FFNB_REGISTRY=off); give --registry PATH")
      throw ExitCode(2)
    }
    var info = stat()
    return try RegistryPath.open(file, readingOnly: forReading && stat(file, &info) == 0 && info.st_size > 0)
  }

  /// An existing registry file (a merge's source is never created, and opened read-only),
  /// or exit status 2.
  static func open(_ file: String, mustExist: Bool = false, readingOnly: Bool = false) throws -> RunRegistry {
    if mustExist && !FileManager.default.fileExists(atPath: file) {
      NotebookLoading.printError("no run registry at \(file)")
      throw ExitCode(2)
    }
    do {
      return try RunRegistry(path: file, readingOnly: readingOnly)
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(2)
    }
  }
}
