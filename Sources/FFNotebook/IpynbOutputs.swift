/// A cell's recorded console output as Jupyter outputs: printed text becomes a `stream` on
/// stdout, a plot a `display_data` with `image/svg+xml` and `text/plain`, a failure an `error`.
enum IpynbOutputs {
  /// The outputs of a code cell, from what the console recorded while it ran.
  ///
  /// The console records a terminal transcript, which differs from a notebook in two places:
  /// each cell starts with a rule naming the cell (in a notebook the cell itself is the
  /// header), and a failing cell prints its diagnostic before recording it as the error (a
  /// notebook shows it once, as the error output). Both are left out here.
  static func json(_ items: [OutputItem]) -> [JSONValue] {
    var cleaned: [OutputItem] = []
    for (i, item) in items.enumerated() {
      switch item {
      case .text(let raw):
        var text = IpynbText.strippingANSI(raw)
        if i == 0 { text = droppingCellHeader(text) }
        if case .error(_, let message)? = items[safe: i + 1] { text = droppingSuffix(IpynbText.strippingANSI(message), of: text) }
        if !text.isEmpty { cleaned.append(.text(text)) }
      case .display, .error:
        cleaned.append(item)
      }
    }
    return cleaned.map(output)
  }

  /// One Jupyter output.
  static func output(_ item: OutputItem) -> JSONValue {
    switch item {
    case .text(let text):
      return .object([
        "output_type": .string("stream"),
        "name": .string("stdout"),
        "text": IpynbText.json(IpynbText.strippingANSI(text)),
      ])
    case .display(let data):
      var bundle: [String: JSONValue] = ["text/plain": IpynbText.json(IpynbText.strippingANSI(data.text))]
      if let svg = data.svg { bundle["image/svg+xml"] = IpynbText.json(svg) }
      return .object([
        "output_type": .string("display_data"),
        "data": .object(bundle),
        "metadata": .object([:]),
      ])
    case .error(let name, let message):
      let lines = IpynbText.strippingANSI(message)
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      return .object([
        "output_type": .string("error"),
        "ename": .string(name),
        "evalue": .string(lines.first ?? ""),
        "traceback": .array(lines.map(JSONValue.string)),
      ])
    }
  }

  /// `text` without the runner's leading "\n── [3/6] data ───…\n" rule, if it starts with one.
  static func droppingCellHeader(_ text: String) -> String {
    guard text.hasPrefix("\n── ["), let end = text.dropFirst().firstIndex(of: "\n") else { return text }
    return String(text[text.index(after: end)...])
  }

  /// `text` without a trailing copy of `message` (and the newline printed after it).
  static func droppingSuffix(_ message: String, of text: String) -> String {
    for candidate in [message + "\n", message] where !message.isEmpty && text.hasSuffix(candidate) {
      return String(text.dropLast(candidate.count))
    }
    return text
  }
}
