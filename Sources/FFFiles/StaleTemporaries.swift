#if canImport(Glibc)
import Glibc
#endif

/// Names of the temporary files atomic writes use, and the removal of those a dead process
/// left behind (killed by SIGKILL, or by the power going, between creating and renaming).
///
/// The name is derived from the target, `.NAME.ffnb-tmp-PID`, so a stray one says what it was
/// for and which process made it; the next write of the same target removes those whose
/// process no longer exists.
package enum StaleTemporaries {
  /// What follows the target's name in a temporary file's name, before the process id.
  package static let marker = ".ffnb-tmp-"
  /// Bytes of the target's name kept, so the temporary name fits NAME_MAX (255).
  static let nameBytes = 255 - 1 - marker.utf8.count - 10

  /// `.NAME.ffnb-tmp-PID`, NAME cut (at a character boundary) to keep it under NAME_MAX.
  package static func temporaryName(for name: String, pid: Int32) -> String {
    prefix(for: name) + String(pid)
  }

  /// `.NAME.ffnb-tmp-`: what every temporary file of `name` starts with.
  static func prefix(for name: String) -> String {
    var kept = ""
    var bytes = 0
    for scalar in name.unicodeScalars {
      let size = String(scalar).utf8.count
      if bytes + size > nameBytes { break }
      kept.unicodeScalars.append(scalar)
      bytes += size
    }
    return "." + kept + marker
  }

  /// Removes the temporary files of `name` in `folder` whose process is gone; best effort.
  package static func remove(in folder: String, for name: String) {
    let start = prefix(for: name)
    guard let directory = opendir(folder) else { return }
    defer { closedir(directory) }
    var stale: [String] = []
    while let entry = readdir(directory) {
      // The name is read in place, up to its NUL: copying `entry.pointee` would read a whole
      // `struct dirent` (280 bytes), past the end of a short last record in readdir's buffer,
      // and crash when that buffer ends at a page boundary (seen in a crowded /tmp).
      let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
      let entryName = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
      guard entryName.hasPrefix(start), let pid = Int32(entryName.dropFirst(start.count)), pid > 0 else { continue }
      if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) { stale.append(entryName) }
    }
    for entryName in stale {
      let path = (folder == "/" ? "/" : folder + "/") + entryName
      var info = stat()
      // Only regular files: never a directory or a link someone named like this.
      if lstat(path, &info) == 0, FileKind(mode: info.st_mode) == .regular { unlink(path) }
    }
  }
}
