import ArgumentParser
import FFFiles
import FFRegistry
import Foundation

/// Where a sweep's files go. With `--output DIR/` (a trailing slash or an existing folder):
/// each point's executed notebook and log, and the plot, in DIR. Without: the logs in a
/// temporary folder (those of points that failed are kept and named), the plot in the
/// working directory.
struct SweepFolders {
  /// The `--output` folder, if given.
  let output: String?
  /// Where the logs go.
  let work: String
  let id: UUID

  init(output: String?, stem: String, id: UUID) throws {
    self.id = id
    if let output {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
      guard output.hasSuffix("/") || (exists && isDirectory.boolValue) else {
        NotebookLoading.printError("a sweep writes one executed notebook per point: give --output a folder (a trailing / makes one, as in --output runs/)")
        throw ExitCode(2)
      }
      do {
        try Folder.make(output)
      } catch {
        NotebookLoading.printError(error.description)
        throw ExitCode(2)
      }
      let folder = output.hasSuffix("/") ? String(output.dropLast()) : output
      self.output = folder
      work = folder
    } else {
      self.output = nil
      work = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-sweep-\(RunRecord.short(id))").path
      do {
        try Folder.make(work)
      } catch {
        NotebookLoading.printError("\(error.description), for the sweep's logs")
        throw ExitCode(2)
      }
    }
  }

  /// `quickstart-3.log`: point 3's output (1-based, as the table numbers points).
  func log(_ point: Int, stem: String) -> String { "\(work)/\(stem)-\(point + 1).log" }

  /// `DIR/quickstart-3.ipynb`, with `--output DIR/`.
  func executedNotebook(_ point: Int, stem: String) -> String? { output.map { "\($0)/\(stem)-\(point + 1).ipynb" } }

  /// The SVG of the points' loss curves.
  func plot(stem: String) -> String {
    output.map { "\($0)/\(stem)-sweep.svg" } ?? "\(stem)-sweep-\(RunRecord.short(id)).svg"
  }

  /// Used when the registry in force is off or cannot be used.
  var temporaryRegistry: String { "\(work)/sweep-\(RunRecord.short(id)).sqlite" }

  /// Removes the temporary registry and, without `--output`, the logs of points that finished.
  func cleanUp(keeping kept: [String], registry: String) {
    let fm = FileManager.default
    if registry == temporaryRegistry {
      for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: registry + suffix) }
    }
    guard output == nil else { return }
    if kept.isEmpty {
      try? fm.removeItem(atPath: work)
      return
    }
    for file in (try? fm.contentsOfDirectory(atPath: work)) ?? [] where !kept.contains("\(work)/\(file)") {
      try? fm.removeItem(atPath: "\(work)/\(file)")
    }
  }
}
