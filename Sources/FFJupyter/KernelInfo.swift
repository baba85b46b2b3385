import FFNotebook

/// What `kernel_info_reply` says about ffnb, and what a kernelspec and the front end need.
package enum KernelInfo {
  /// The kernelspec's name: executed notebooks (`ffnb run --output`, `ffnb export`) name it.
  package static let kernelName = "ffnb"
  package static let displayName = "ffnb"
  package static let language = "ffnb"

  /// `language_info`: the file extension, and a CodeMirror mode (ffnb has none of its own;
  /// the shell mode colours its words, strings, numbers and `#` comments).
  package static func languageInfo(version: String) -> JSONValue {
    .object([
      "name": .string(language),
      "version": .string(version),
      "mimetype": .string("text/x-ffnb"),
      "file_extension": .string(".ffnb"),
      "pygments_lexer": .string("text"),
      "codemirror_mode": .string("shell"),
    ])
  }

  package static func reply(version: String) -> JSONValue {
    .object([
      "status": .string("ok"),
      "protocol_version": .string(protocolVersion),
      "implementation": .string("ffnb"),
      "implementation_version": .string(version),
      "language_info": languageInfo(version: version),
      "banner": .string("ffnb \(version): Forward-Forward notebooks. `help` lists the commands."),
      "help_links": .array([]),
      "debugger": .bool(false),
    ])
  }
}
