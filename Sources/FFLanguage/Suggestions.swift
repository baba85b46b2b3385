/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
  /// The candidate closest to `word`, if it is close enough to be a likely typo.
  ///
  /// Distance is the optimal-string-alignment variant of Damerau–Levenshtein (a swap of two
  /// neighbours counts 1, so `lenr` finds `learn`), compared case-insensitively. A candidate
  /// qualifies within 1 edit for words up to 5 characters and 2 edits beyond, so `x` does not
  /// "mean" `lr`. Ties go to the earlier candidate: callers list the most common names first.
  /// Cost is bounded: candidates whose length differs by more than the threshold are skipped,
  /// so a megabyte-long word costs nothing.
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(word.lowercased().unicodeScalars)
    let threshold = target.count <= 5 ? 1 : 2
    var best: (name: String, distance: Int)? = nil
    for candidate in candidates {
      let other = Array(candidate.lowercased().unicodeScalars)
      guard abs(other.count - target.count) <= threshold, candidate != word else { continue }
      let d = distance(target, other)
      if d <= threshold, d < (best?.distance ?? Int.max) { best = (candidate, d) }
    }
    return best?.name
  }

  /// `"; did you mean 'x'?"`, or an empty string without a suggestion.
  public static func didYouMean(_ suggestion: String?) -> String {
    suggestion.map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Optimal string alignment distance between two scalar arrays.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, previous2[j - 2] + 1)
        }
        current[j] = value
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
  }
}

/// Showing user text inside messages safely.
enum Escaping {
  /// A character as a message shows it: printable characters as themselves, anything
  /// invisible or unprintable (controls, NUL, non-space whitespace, U+FFFD from invalid
  /// UTF-8) as a Swift-style escape like `\u{0}`.
  static func character(_ scalar: Unicode.Scalar) -> String {
    if isPrintable(scalar) { return String(scalar) }
    return "\\u{" + String(scalar.value, radix: 16) + "}"
  }

  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
      .paragraphSeparator, .spaceSeparator:
      return false
    default:
      return scalar != "\u{FFFD}"
    }
  }

  /// User text for a message: unprintable characters escaped, and cut to `limit`
  /// characters with `…` so a 10 MB identifier does not become a 10 MB message.
  static func truncated(_ text: String, limit: Int = 40) -> String {
    var result = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count == limit { return result + "…" }
      result += character(scalar)
      count += 1
    }
    return result
  }

  /// A string literal in command-language syntax: quotes, with `\"`, `\\`, `\n`, `\t` escaped.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
