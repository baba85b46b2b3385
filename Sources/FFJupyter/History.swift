/// One executed cell in the kernel's history: its execution count, its source and the text
/// it printed.
package struct HistoryEntry: Sendable, Equatable {
  package var line: Int
  package var input: String
  package var output: String
}

/// What a `history_request` asks for. The kernel keeps one session's history (this
/// process's), numbered `HistoryQuery.session`.
package enum HistoryQuery: Sendable, Equatable {
  /// The last `n` entries.
  case tail(n: Int)
  /// Entries `start..<stop` (every one from `start` when `stop` is nil) of `session`.
  case range(session: Int, start: Int, stop: Int?)
  /// Entries whose input matches a glob (`*`, `?`), the last `n` (all when nil), each input
  /// once when `unique`.
  case search(pattern: String, n: Int?, unique: Bool)

  /// The number the current session reports (IPython numbers sessions from 1; 0 also means
  /// "the current one" in a request).
  static let session = 1

  /// The entries of `history` this query selects, oldest first.
  package func select(from history: [HistoryEntry]) -> [HistoryEntry] {
    switch self {
    case .tail(let n):
      return Array(history.suffix(max(n, 0)))
    case let .range(session, start, stop):
      guard session == Self.session || session == 0 else { return [] }
      return history.filter { entry in entry.line >= start && (stop.map { entry.line < $0 } ?? true) }
    case let .search(pattern, n, unique):
      var matches = history.filter { Glob.matches(pattern, $0.input) }
      if unique {
        // The last occurrence of each input, in history order.
        var seen = Set<String>()
        matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
      }
      return n.map { Array(matches.suffix(max($0, 0))) } ?? matches
    }
  }
}

/// Glob patterns as SQLite's GLOB (which IPython's history search uses) reads them: `*` any
/// text, `?` one character, everything else itself; the whole input must match.
enum Glob {
  static func matches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.unicodeScalars)
    let t = Array(text.unicodeScalars)
    // Iterative matching with backtracking to the last `*`: linear space, no recursion.
    var pi = 0, ti = 0
    var star: Int? = nil
    var resume = 0
    while ti < t.count {
      if pi < p.count, p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti]) {
        pi += 1
        ti += 1
      } else if pi < p.count, p[pi] == "*" {
        star = pi
        resume = ti
        pi += 1
      } else if let s = star {
        pi = s + 1
        resume += 1
        ti = resume
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
