/// The value lists of a sweep: `-p lr=0.03,0.1,0.3` and the lines of a `--sweep` file
/// (`lr=0.03 dims=[784, 400]`), read with the language's own lexer, so a comma inside
/// brackets, parentheses or a string never splits a value.
package enum SweepSyntax {
  /// One `name=value` of a sweep: the value's source text (what a worker's `-p` gets) and its value.
  package struct Assignment: Sendable, Equatable {
    package var name: String
    package var text: String
    package var value: Value
  }

  /// `lr=0.03,0.1`: the name and each alternative; a text without a top-level comma gives
  /// exactly what `parseAssignment` gives.
  package static func alternatives(_ text: String, origin: SourceOrigin = SourceOrigin(file: "-p")) throws(Diagnostic) -> [Assignment] {
    let scalars = Array(text.unicodeScalars)
    let (tokens, diagnostics) = Lexer.tokenize(text, origin: origin)
    if let first = diagnostics.first { throw first }
    guard tokens.count >= 2, case .identifier(let name) = tokens[0].kind, tokens[1].kind == .equals else {
      return [try single(text, origin: origin)]
    }
    var pieces: [(start: Int, end: Int, at: SourceRange)] = []
    var depth = 0
    var start = tokens[1].range.start.column  // just after '='
    for token in tokens.dropFirst(2) {
      if token.isOpening { depth += 1 } else if token.isClosing { depth = max(0, depth - 1) }
      if depth == 0 && (token.kind == .comma || token.kind == .end || token.kind == .newline) {
        pieces.append((start, token.range.start.column - 1, token.range))
        start = token.range.start.column
        if token.kind != .comma { break }
      }
    }
    guard pieces.count > 1 else { return [try single(text, origin: origin)] }
    return try pieces.map { (piece) throws(Diagnostic) -> Assignment in
      let value = String(String.UnicodeScalarView(scalars[min(piece.start, scalars.count)..<min(max(piece.start, piece.end), scalars.count)]))
      guard !value.allSatisfy({ $0 == " " || $0 == "\t" }) else {
        throw Diagnostic(.error, "an empty value in the list of \(name)'s values: each ',' separates two values", at: piece.at)
      }
      return try single("\(name)=\(value.trimmingBlanks)", origin: origin)
    }
  }

  /// Whether `name=...` lists values: a comma outside brackets, parentheses and strings
  /// after the `=` (`lr=0.1,0.3`, and `lr=0.1,,0.3`, which `alternatives` then rejects).
  package static func isList(_ text: String) -> Bool {
    let (tokens, diagnostics) = Lexer.tokenize(text, origin: SourceOrigin(file: "-p"))
    guard diagnostics.isEmpty, tokens.count >= 2, case .identifier = tokens[0].kind, tokens[1].kind == .equals else { return false }
    var depth = 0
    for token in tokens.dropFirst(2) {
      if token.isOpening { depth += 1 } else if token.isClosing { depth = max(0, depth - 1) }
      if depth == 0 && token.kind == .comma { return true }
    }
    return false
  }

  /// `lr=0.03 dims=[784, 400]`: the assignments of one line of a sweep file (a line that is
  /// blank or only a `#` comment has none).
  package static func line(_ text: String, origin: SourceOrigin) throws(Diagnostic) -> [Assignment] {
    let scalars = Array(text.unicodeScalars)
    let (tokens, diagnostics) = Lexer.tokenize(text, origin: origin)
    if let first = diagnostics.first { throw first }
    let meaningful = tokens.filter { $0.kind != .newline && $0.kind != .end }
    guard let first = meaningful.first else { return [] }
    // Each assignment starts at a name followed by '=' outside brackets.
    var starts: [Int] = []
    var depth = 0
    for (i, token) in meaningful.enumerated() {
      if token.isOpening { depth += 1 } else if token.isClosing { depth = max(0, depth - 1) }
      if depth == 0, case .identifier = token.kind, i + 1 < meaningful.count, meaningful[i + 1].kind == .equals { starts.append(i) }
    }
    guard starts.first == 0 else {
      throw Diagnostic(.error, "expected name=value, as in lr=0.05 num_epochs=50", at: first.range)
    }
    var result: [Assignment] = []
    for (k, i) in starts.enumerated() {
      let from = meaningful[i].range.start.column - 1
      let to = k + 1 < starts.count ? meaningful[starts[k + 1]].range.start.column - 1 : (meaningful.last.map { $0.range.end.column - 1 } ?? scalars.count)
      let piece = String(String.UnicodeScalarView(scalars[from..<min(max(from, to), scalars.count)])).trimmingBlanks
      let assignment = try single(piece, origin: origin)
      if result.contains(where: { $0.name == assignment.name }) {
        throw Diagnostic(.error, "\(assignment.name) is set twice on this line", at: meaningful[i].range)
      }
      result.append(assignment)
    }
    return result
  }

  private static func single(_ text: String, origin: SourceOrigin) throws(Diagnostic) -> Assignment {
    let (name, value) = try parseAssignment(text, origin: origin)
    let eq = text.firstIndex(of: "=") ?? text.endIndex
    return Assignment(name: name, text: String(text[text.index(after: eq)...]).trimmingBlanks, value: value)
  }
}

extension String {
  fileprivate var trimmingBlanks: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return String(s)
  }
}
