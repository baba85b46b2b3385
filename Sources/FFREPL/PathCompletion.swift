import Foundation

/// File-path completion: inside a string (`save model "runs/m`) and after `:save`.
enum PathCompletion {
  /// Entries of the word's directory that extend its last component. Directories end in `/`
  /// (more follows, so nothing is appended); a single file gets `closing` (`"` inside a string).
  /// Hidden entries are offered only when the component starts with `.`.
  ///
  /// A relative word is looked up in `base` (the working directory when nil), the folder the
  /// path will be resolved against; candidates keep the text as typed.
  static func complete(_ word: String, closing: String, relativeTo base: String?, context: CompletionContext) -> Completion {
    let slash = word.lastIndex(of: "/")
    let directory = slash.map { String(word[...$0]) } ?? ""
    let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
    let listed = folder(directory, relativeTo: base)
    guard let entries = context.listDirectory(listed) else { return Completion(candidates: [], suffix: "") }
    let candidates = entries
      .filter { $0.name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.name.hasPrefix(".")) }
      .map { directory + $0.name + ($0.isDirectory ? "/" : "") }
      .sorted()
    let suffix = candidates.count == 1 && !candidates[0].hasSuffix("/") ? closing : ""
    return Completion(candidates: candidates, suffix: suffix)
  }

  /// The folder to list for the typed `directory` (empty, or ending in `/`): absolute and `~/`
  /// paths as they are, relative ones inside `base`.
  static func folder(_ directory: String, relativeTo base: String?) -> String {
    if directory.hasPrefix("/") || directory.hasPrefix("~/") { return expandingTilde(directory) }
    guard let base, !base.isEmpty else { return directory.isEmpty ? "." : directory }
    let root = base.hasSuffix("/") ? base : base + "/"
    return root + directory
  }

  static func expandingTilde(_ path: String) -> String {
    guard path.hasPrefix("~/") else { return path }
    return (path as NSString).expandingTildeInPath + "/"
  }
}

/// Directory listings from the real file system.
public enum FileSystemListing {
  /// The entries of `directory`, or nil when it cannot be read.
  @Sendable public static func list(_ directory: String) -> [(name: String, isDirectory: Bool)]? {
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return nil }
    return names.map { name in
      var isDirectory: ObjCBool = false
      let path = (directory as NSString).appendingPathComponent(name)
      _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
      return (name, isDirectory.boolValue)
    }
  }
}
