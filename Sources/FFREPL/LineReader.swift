/// What a read at the prompt gave.
public enum LineInput: Sendable, Equatable {
  /// A line, without its line terminator.
  case line(String)
  /// Ctrl-C at the prompt: the line (and any continuation lines) is abandoned.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
}

/// Where the REPL's input comes from: readline on a terminal, plain lines otherwise.
public protocol LineReader: AnyObject {
  /// Whether a person is typing: prompts are shown and questions may be asked. False for
  /// piped input, whose output must stay clean and deterministic.
  var isInteractive: Bool { get }
  /// Reads one line, showing `prompt` when interactive.
  func read(prompt: String) -> LineInput
  /// Remembers an entered line (or multi-line statement joined with spaces) for Up-arrow
  /// and later sessions; a reader without history ignores it.
  func remember(_ entry: String)
}

/// Lines from standard input (or any line source) without prompts, echo or history: what
/// `ffnb < script.txt` and pipes get.
public final class PlainLineReader: LineReader {
  private let next: () -> String?
  public let isInteractive = false
  /// With `--echo`: given each line read, after the prompt it would have had (`ffnb> learn`,
  /// trailing blanks dropped), so a transcript shows which line made which output.
  public var echo: ((String) -> Void)?

  /// Reads from `next` (default: standard input); a trailing `\r` is dropped so CRLF
  /// scripts behave like LF ones.
  public init(next: @escaping () -> String? = { Swift.readLine(strippingNewline: true) }) {
    self.next = next
  }

  /// Reads the lines of `lines` in order, then reports the end of input.
  public convenience init(lines: [String]) {
    var iterator = lines.makeIterator()
    self.init(next: { iterator.next() })
  }

  public func read(prompt: String) -> LineInput {
    guard var line = next() else { return .endOfInput }
    if line.hasSuffix("\r") { line.removeLast() }
    if let echo {
      var shown = prompt + line
      while let last = shown.last, last == " " || last == "\t" { shown.removeLast() }
      echo(shown)
    }
    return .line(line)
  }

  public func remember(_ entry: String) {}
}
