import FFFiles
import Foundation

/// Why an `.ipynb` could not be written, and where.
public struct IpynbWriteError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "cannot write \(path): \(reason)" }
}

extension IpynbDocument {
  /// Writes the notebook to `path` atomically: the text goes to a temporary file in the same
  /// directory, which is then renamed over `path`. A reader (Jupyter, a CI job, an editor
  /// reloading the file) sees the old notebook or the new one, never half of one, even if
  /// ffnb is killed mid-write; and the rename cannot cross file systems.
  public func write(to path: String) throws(IpynbWriteError) {
    try IpynbFile.writeAtomically(encoded(), to: path)
  }

  /// Fails when `path` could not be written: its directory is missing or read-only, or it is a
  /// directory. `ffnb run --output` asks before running, not after minutes of training.
  public static func checkWritable(_ path: String) throws(IpynbWriteError) {
    try checkUsable(path)
    try IpynbFile.checkWritable(path)
  }

  /// The longest file name most file systems take (NAME_MAX), in bytes.
  static let maximumFileNameBytes = 255

  /// Fails for a path that can name no file to write, whatever is on disk: an empty path
  /// (which would pass for the working directory), a folder name (`runs/`), a file name
  /// longer than the file system takes. Found before a run, not when it ends.
  static func checkUsable(_ path: String) throws(IpynbWriteError) {
    if path.isEmpty { throw IpynbWriteError(path: path, reason: "the path is empty; give a file name such as runs/executed.ipynb") }
    if path.hasSuffix("/") { throw IpynbWriteError(path: path, reason: "it names a folder (the path ends with /); give a file name in it") }
    let name = (path as NSString).lastPathComponent
    if name.utf8.count > maximumFileNameBytes {
      throw IpynbWriteError(path: path, reason: "the file name is \(name.utf8.count) bytes long; file systems take at most \(maximumFileNameBytes)")
    }
  }

  /// Fails when writing `output` would replace `input` (the same file, also through a link),
  /// so `ffnb export nb.ffnb -o nb.ffnb` cannot destroy the notebook it reads.
  public static func refuseOverwriting(input: String, with output: String) throws(IpynbWriteError) {
    func canonical(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path }
    if canonical(input) == canonical(output) {
      throw IpynbWriteError(path: output, reason: "it is the notebook being read; choose another output path")
    }
  }
}

enum IpynbFile {
  static func checkWritable(_ path: String) throws(IpynbWriteError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw IpynbWriteError(path: path, reason: "it is a directory")
    }
    let directory = directoryPath(of: path)
    if !FileManager.default.fileExists(atPath: directory) {
      // A missing folder (`--output runs/x.ipynb` in a fresh clone) is made, as `mkdir -p`.
      do {
        try Folder.make(directory)
      } catch {
        throw IpynbWriteError(path: path, reason: error.description)
      }
    }
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw IpynbWriteError(path: path, reason: "\(directory) is not a directory")
    }
    // A device or FIFO is written through: its folder (/dev) need not be writable.
    var info = stat()
    if stat(path, &info) == 0, FileKind(mode: info.st_mode) != .regular { return }
    guard access(directory, W_OK) == 0 else {
      throw IpynbWriteError(path: path, reason: "the directory \(directory) is not writable")
    }
  }

  /// Through `AtomicFile`, the one writer (temporary file, fsync, rename; a device or FIFO is
  /// written through, never replaced).
  /// The path is checked as `ffnb run --output` checks it first (empty, a folder name, too
  /// long), so `ffnb export`/`import -o` say so in words instead of "cannot write : no such file".
  static func writeAtomically(_ text: String, to path: String) throws(IpynbWriteError) {
    try IpynbDocument.checkUsable(path)
    try checkWritable(path)
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      throw IpynbWriteError(path: path, reason: error.problem)
    }
  }

  /// The directory a relative or absolute path lives in ("." for a bare file name).
  static func directoryPath(of path: String) -> String {
    let directory = (path as NSString).deletingLastPathComponent
    return directory.isEmpty ? "." : directory
  }
}
