/// Splits a token stream into statements: a newline ends a statement unless a `(` or `[` is
/// open, in which case the statement continues on the next line.
///
/// Recovery from a bracket that is never closed: the broken statement is cut before the next
/// line that starts with an identifier in column 1 (where commands normally start), and
/// splitting resumes there, so a later typo is still reported. To keep the work linear no
/// matter the input, after two such failures the remaining lines are split one statement per
/// line.
struct StatementSegmenter {
  struct Segment {
    /// Token indices of the statement, newlines inside brackets included.
    var range: Range<Int>
    /// The outermost bracket left open at the end of the statement.
    var unclosed: Token?
    /// The statement holds text the lexer already reported.
    var hasInvalid: Bool
  }

  static let maximumUnclosedRescans = 2

  static func segments(of tokens: [Token]) -> [Segment] {
    var segments: [Segment] = []
    var index = 0
    var failures = 0
    while index < tokens.count {
      // Skip blank lines.
      while index < tokens.count, tokens[index].kind == .newline { index += 1 }
      guard index < tokens.count, tokens[index].kind != .end else { break }
      let start = index
      let lineMode = failures >= maximumUnclosedRescans
      var openers: [Int] = []
      var hasInvalid = false
      while index < tokens.count {
        let token = tokens[index]
        if token.kind == .end || (token.kind == .newline && (openers.isEmpty || lineMode)) {
          break
        }
        if token.kind == .invalid { hasInvalid = true }
        if token.isOpening {
          openers.append(index)
        } else if token.isClosing, !openers.isEmpty {
          openers.removeLast()
        }
        index += 1
      }
      if let outermost = openers.first {
        if lineMode {
          segments.append(Segment(range: start..<index, unclosed: tokens[outermost], hasInvalid: hasInvalid))
        } else {
          // Cut before the next line that starts a command at column 1, and go on from there.
          failures += 1
          let resume = resumePoint(in: tokens, after: start)
          segments.append(Segment(range: start..<resume, unclosed: tokens[outermost], hasInvalid: hasInvalid))
          index = resume
        }
      } else {
        segments.append(Segment(range: start..<index, unclosed: nil, hasInvalid: hasInvalid))
      }
    }
    return segments
  }

  /// The first token after `start`'s line that is an identifier in column 1 at the start of
  /// its line, or the end token.
  private static func resumePoint(in tokens: [Token], after start: Int) -> Int {
    let startLine = tokens[start].range.start.line
    var index = start + 1
    while index < tokens.count {
      let token = tokens[index]
      if token.kind == .end { return index }
      if token.range.start.line > startLine, token.range.start.column == 1, case .identifier = token.kind,
        tokens[index - 1].kind == .newline
      {
        return index
      }
      index += 1
    }
    return tokens.count
  }
}
