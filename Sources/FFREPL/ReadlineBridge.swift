@preconcurrency import CReadline
import Foundation

/// The C side of readline: callbacks must be `@convention(c)` functions, which capture
/// nothing, so what they need lives in these statics.
///
/// `nonisolated(unsafe)` is sound here because readline is single-threaded by design: every
/// callback runs synchronously inside `rl_callback_read_char()`, which only the thread running
/// the REPL loop calls; nothing else reads or writes these values.
enum ReadlineBridge {
  /// Set by `lineHandler` when readline has a complete line (or end of input).
  nonisolated(unsafe) static var result: LineInput?
  /// Current names for completion, asked on every Tab.
  nonisolated(unsafe) static var completionContext: () -> CompletionContext = { CompletionContext() }
  /// The candidates of the completion in progress, handed out by `generator`.
  nonisolated(unsafe) static var matches: [String] = []
  nonisolated(unsafe) static var nextMatch = 0
  nonisolated(unsafe) static var isConfigured = false

  static func configure(completionContext: @escaping () -> CompletionContext) {
    self.completionContext = completionContext
    guard !isConfigured else { return }
    isConfigured = true
    // Strings readline keeps pointers to must outlive it: strdup'ed once, never freed.
    rl_readline_name = UnsafePointer(strdup("ffnb"))
    rl_catch_signals = 0
    rl_change_environment = 0
    rl_completer_word_break_characters = UnsafePointer(strdup(Completer.wordBreakCharacters))
    rl_attempted_completion_function = attemptCompletion
  }

  /// Called by readline with the finished line (nil at end of input, Ctrl-D). Leaves
  /// callback mode at once so readline does not redisplay the prompt by itself.
  static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
      result = .line(String(cString: line))
      free(line)
    } else {
      // Ctrl-D prints nothing; end the prompt's line.
      fputs("\n", stdout)
      result = .endOfInput
    }
    rl_callback_handler_remove()
  }

  /// readline's `rl_attempted_completion_function`: candidates from `Completer`, never
  /// readline's default file-name completion.
  static let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, end in
    rl_attempted_completion_over = 1
    guard let text, let buffer = rl_line_buffer, end >= 0 else { return nil }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(end))
    let prefix = String(decoding: bytes, as: UTF8.self)
    let completion = Completer.complete(prefix, context: completionContext())
    guard !completion.candidates.isEmpty else { return nil }
    matches = completion.candidates
    nextMatch = 0
    if completion.suffix.isEmpty {
      rl_completion_suppress_append = 1
    } else if let scalar = completion.suffix.unicodeScalars.first, scalar.isASCII {
      rl_completion_append_character = Int32(scalar.value)
    }
    return rl_completion_matches(text, generator)
  }

  /// readline's generator protocol: state 0 starts over; each call returns a malloc'ed copy
  /// of the next candidate, then nil.
  static let generator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { nextMatch = 0 }
    guard nextMatch < matches.count else { return nil }
    defer { nextMatch += 1 }
    return strdup(matches[nextMatch])
  }
}
