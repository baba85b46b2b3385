/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
  /// The most candidates a suggestion is looked for among. Beyond it (a notebook with
  /// thousands of variables or data sets) there is no suggestion: looking would cost as much as
  /// all the names for every misspelling, and a checker meeting many would take time quadratic
  /// in the notebook. Callers holding more names skip sorting them too.
  public static let maximumCandidates = 500

  /// The candidate closest to `word`, if it is close enough to be a likely typo.
  ///
  /// Distance is the optimal-string-alignment variant of Damerau–Levenshtein (a swap of two
  /// neighbours counts 1, so `lenr` finds `learn`), compared case-insensitively. A candidate
  /// qualifies within 1 edit for words up to 5 characters and 2 edits beyond, so `x` does not
  /// "mean" `lr`. Ties go to the earlier candidate: callers list the most common names first.
  /// Cost is bounded: candidates whose length differs by more than the threshold are skipped,
  /// so a megabyte-long word costs nothing, and more than `maximumCandidates` candidates give
  /// no suggestion at once.
  public static func closest(to word: String, in candidates: some Collection<String>) -> String? {
    guard candidates.count <= maximumCandidates else { return nil }
    let target = Array(word.lowercased().unicodeScalars)
    let threshold = target.count <= 5 ? 1 : 2
    var best: (name: String, distance: Int)? = nil
    var other: [Unicode.Scalar] = []
    var rows = DistanceRows()
    for candidate in candidates {
      guard candidate != word, abs(candidate.unicodeScalars.count - target.count) <= threshold else { continue }
      other.removeAll(keepingCapacity: true)
      other.append(contentsOf: candidate.lowercased().unicodeScalars)
      let d = distance(target, other, rows: &rows)
      if d <= threshold, d < (best?.distance ?? Int.max) { best = (candidate, d) }
    }
    return best?.name
  }

  /// Names for a message, joined by commas: at most `limit` of them, then how many there are
  /// in all (`a, b, c, … (50,000 in all)`), so a message about one name never lists a
  /// notebook's fifty thousand.
  public static func listing(_ names: [String], limit: Int = 10) -> String {
    guard names.count > limit else { return names.joined(separator: ", ") }
    return names.prefix(limit).joined(separator: ", ") + ", … (\(ValueMeasure.count(names.count)) in all)"
  }

  /// `"; did you mean 'x'?"`, or an empty string without a suggestion.
  public static func didYouMean(_ suggestion: String?) -> String {
    suggestion.map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Optimal string alignment distance between two scalar arrays.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    var rows = DistanceRows()
    return distance(a, b, rows: &rows)
  }

  /// The three rows of the distance table, kept between candidates so comparing a word with
  /// many names allocates once.
  struct DistanceRows {
    var previous2: [Int] = []
    var previous: [Int] = []
    var current: [Int] = []
  }

  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], rows: inout DistanceRows) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let width = b.count + 1
    if rows.current.count < width {
      rows.previous2 = [Int](repeating: 0, count: width)
      rows.previous = [Int](repeating: 0, count: width)
      rows.current = [Int](repeating: 0, count: width)
    }
    for j in 0...b.count { rows.previous[j] = j }
    for i in 1...a.count {
      rows.current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(rows.previous[j] + 1, rows.current[j - 1] + 1, rows.previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, rows.previous2[j - 2] + 1)
        }
        rows.current[j] = value
      }
      swap(&rows.previous2, &rows.previous)
      swap(&rows.previous, &rows.current)
    }
    return rows.previous[b.count]
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
