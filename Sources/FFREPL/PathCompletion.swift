import Foundation

/// File-path completion: inside a string (`save model "runs/m`) and after `:save`.
enum PathCompletion {
  /// Entries of the word's directory that extend its last component. Directories end in `/`
  /// (more follows, so nothing is appended); a single file gets `closing` (`"` inside a string).
  /// Hidden entries are offered only when the component starts with `.`.
  static func complete(_ word: String, closing: String, context: CompletionContext) -> Completion {
    let slash = word.lastIndex(of: "/")
    let directory = slash.map { String(word[...$0]) } ?? ""
    let base = slash.map { String(word[word.index(after: $0)...]) } ?? word
    let listed = directory.isEmpty ? "." : expandingTilde(directory)
    guard let entries = context.listDirectory(listed) else { return Completion(candidates: [], suffix: "") }
    let candidates = entries
      .filter { $0.name.hasPrefix(base) && (base.hasPrefix(".") || !$0.name.hasPrefix(".")) }
      .map { directory + $0.name + ($0.isDirectory ? "/" : "") }
      .sorted()
    let suffix = candidates.count == 1 && !candidates[0].hasSuffix("/") ? closing : ""
    return Completion(candidates: candidates, suffix: suffix)
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
