import FFLanguage

/// What completion needs to know about the session: names that exist right now.
public struct CompletionContext: Sendable {
  /// Variables defined with `set`.
  public var variables: [String]
  /// Names of the notebook's cells (for `:run` and `:show`).
  public var cellNames: [String]
  /// Names of loaded data sets (`train`, `test`, `as=` names).
  public var datasets: [String]
  /// Lists a directory for path completion: entry names and whether each is a directory.
  /// Nil when the directory cannot be read.
  public var listDirectory: @Sendable (String) -> [(name: String, isDirectory: Bool)]?
  /// The folder relative paths inside strings are resolved against when the line runs: the
  /// notebook's folder (`Session.baseDirectory`), so Tab offers the files the command will
  /// find. Nil means the working directory. (`:save` paths are the REPL's own and stay
  /// relative to the working directory.)
  public var baseDirectory: String?

  public init(
    variables: [String] = [], cellNames: [String] = [], datasets: [String] = [],
    baseDirectory: String? = nil,
    listDirectory: @escaping @Sendable (String) -> [(name: String, isDirectory: Bool)]? = FileSystemListing.list
  ) {
    self.variables = variables
    self.cellNames = cellNames
    self.datasets = datasets
    self.baseDirectory = baseDirectory
    self.listDirectory = listDirectory
  }
}

/// The completions for the word under the cursor.
public struct Completion: Sendable, Equatable {
  /// Full replacements for the word (not just the missing suffix), sorted, without duplicates.
  public var candidates: [String]
  /// What to add after a single, complete candidate: a space after a command or value,
  /// nothing after `name=` or a directory (more follows), `"` to close a completed path
  /// inside a string.
  public var suffix: String

  public init(candidates: [String], suffix: String) {
    self.candidates = candidates
    self.suffix = suffix
  }
}

/// Tab completion for the REPL, as a pure function of the text before the cursor.
///
/// The word being completed is the text after the last of `wordBreakCharacters` (readline is
/// given the same set, so the word it passes and the one computed here agree). What is offered
/// depends on where the word is: commands and `set` first on a line; `name=` for the parameters
/// of the command (from `CommandSpec`, the table the binder uses) not given yet; the choices of
/// a parameter after its `=`; variables where a value may go; transform steps after `transform`
/// or `|`; meta-commands after `:`; cell names after `:run` and `:show`; file paths inside a
/// string (relative to the notebook's folder, as the command will resolve them) and after
/// `:save` (relative to the working directory, as `:save` writes).
public enum Completer {
  /// Characters that end a word for completion. `-`, `:` and `/` are not among them:
  /// `to-tensor`, `fashion-mnist`, `:run` and `runs/mnist.ffm` are words.
  public static let wordBreakCharacters = " \t\n\"=([,|)]+*"

  /// The word under the cursor: the end of `prefix` after the last break character.
  public static func word(in prefix: String) -> Substring {
    let start = prefix.lastIndex { wordBreakCharacters.contains($0) }.map { prefix.index(after: $0) } ?? prefix.startIndex
    return prefix[start...]
  }

  /// The completions for the word ending `prefix` (the line up to the cursor).
  public static func complete(_ prefix: String, context: CompletionContext) -> Completion {
    let word = String(word(in: prefix))
    let before = String(prefix.dropLast(word.count))
    if quoteCount(before) % 2 == 1 {
      return PathCompletion.complete(word, closing: "\"", relativeTo: context.baseDirectory, context: context)
    }
    let leading = before.drop { $0.isBlank }
    if leading.isEmpty && word.hasPrefix(":") || leading.hasPrefix(":") {
      return completeMeta(before: String(leading), word: word, context: context)
    }
    return finish(languageCandidates(before: String(leading), word: word, context: context), word: word)
  }

  /// Keeps the candidates that extend `word`; picks the suffix for a single one.
  static func finish(_ candidates: [String], word: String) -> Completion {
    var seen = Set<String>()
    let matching = candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
    let suffix = matching.count == 1 && (matching[0].hasSuffix("=") || matching[0].hasSuffix("/")) ? "" : " "
    return Completion(candidates: matching, suffix: suffix)
  }

  /// Completion on a line that starts with `:`.
  static func completeMeta(before: String, word: String, context: CompletionContext) -> Completion {
    if before.isEmpty {
      return finish(MetaCommandSpec.names.map { ":" + $0 }, word: word)
    }
    let name = before.dropFirst().prefix { !$0.isBlank }
    let argument = before.dropFirst(1 + name.count).drop { $0.isBlank }
    guard let command = MetaCommandName(word: String(name)) else { return Completion(candidates: [], suffix: " ") }
    let none = Completion(candidates: [], suffix: " ")
    switch command {
    case .run:
      return argument.isEmpty ? finish(context.cellNames + ["stale"], word: word) : none
    case .show, .edit, .back:
      return argument.isEmpty ? finish(context.cellNames, word: word) : none
    case .snapshots:
      return argument.isEmpty ? finish(["budget"], word: word) : none
    case .reactive:
      return argument.isEmpty ? finish(["on", "off"], word: word) : none
    case .save:
      return argument.isEmpty ? PathCompletion.complete(word, closing: " ", relativeTo: nil, context: context) : none
    case .time:
      // `:time` takes a whole line: complete it as if it stood alone.
      return complete(String(argument) + word, context: context)
    case .next, .all, .again, .cells, .vars, .hyper, .history, .log, .reload, .write, .undo, .runs, .compare, .help, .quit:
      return none
    }
  }

  /// Candidates for a word of the command language.
  static func languageCandidates(before: String, word: String, context: CompletionContext) -> [String] {
    let commandNames = CommandSpec.builtins.map(\.name) + [CommandSpec.assignment.name]
    guard !before.isEmpty else { return commandNames }
    let command = String(before.prefix { !$0.isBlank })
    let rest = before.dropFirst(command.count)
    let lastSignificant = before.last { !$0.isBlank }

    if command == CommandSpec.assignment.name {
      // `set name = expr`: an existing name to change, then any variable in the expression.
      return context.variables
    }
    guard let spec = CommandSpec.builtin(named: command) else { return [] }

    if lastSignificant == "|" || (command == CommandName.transform.rawValue && !rest.contains(where: { !$0.isBlank })) {
      return CommandSpec.transformSteps.map(\.name)
    }
    if before.last == "=" {
      // The value of `name=`: the parameter's choices, data sets, or variables.
      let name = String(before.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
      guard let parameter = spec.parameter(named: name) else { return context.variables }
      return values(for: parameter, command: spec, context: context) + context.variables
    }
    if lastSignificant == "(" || lastSignificant == "," || lastSignificant == "[" {
      // Inside a call or list: step parameters for `normalize(`, otherwise variables.
      if command == CommandName.transform.rawValue, let call = enclosingCall(before), let step = CommandSpec.transformStep(named: call) {
        return step.parameterNames.map { $0 + "=" } + context.variables
      }
      return context.variables
    }
    // An argument of its own: a named parameter not given yet, or the next positional.
    let given = arguments(of: rest)
    let named = spec.parameterNames.filter { name in !given.named.contains(name) }.map { $0 + "=" }
    var positional: [String] = []
    if given.positional < spec.positionals.count {
      positional = values(for: spec.positionals[given.positional], command: spec, context: context)
      positional += context.variables
    } else if spec.rest != nil {
      positional = context.variables
    }
    return positional + named
  }

  /// What may follow `name=` (or stand in a positional slot): word choices, `true`/`false`,
  /// loaded data set names, help topics.
  static func values(for parameter: ParameterSpec, command: CommandSpec, context: CompletionContext) -> [String] {
    if parameter.isDatasetName { return context.datasets }
    if command.name == CommandName.help.rawValue { return CommandSpec.helpTopics }
    var result: [String] = []
    for alternative in parameter.alternatives.isEmpty ? [parameter] : parameter.alternatives {
      result += choices(of: alternative.type)
    }
    return result
  }

  static func choices(of type: ValueType) -> [String] {
    switch type {
    case .word(let choices): choices
    case .bool: ["true", "false"]
    case .oneOf(let types): types.flatMap(choices(of:))
    case .pipeline: CommandSpec.transformSteps.map(\.name)
    default: []
    }
  }

  /// Named arguments given so far and how many positional ones, from the text after the
  /// command word. Brackets and strings are skipped, so `dims=[784, 10]` counts once.
  static func arguments(of text: Substring) -> (named: Set<String>, positional: Int) {
    var named = Set<String>()
    var positional = 0
    var depth = 0
    var inString = false
    var current = ""
    var sawEquals = false
    func endArgument() {
      if sawEquals { named.insert(current) } else if !current.isEmpty { positional += 1 }
      current = ""
      sawEquals = false
    }
    var previous: Character = " "
    for c in text {
      defer { previous = c }
      if inString { if c == "\"" && previous != "\\" { inString = false }; continue }
      switch c {
      case "\"": inString = true; if depth == 0 && !sawEquals { current += "\"" }
      case "[", "(": depth += 1; if depth == 1 && !sawEquals && current.isEmpty { current = "[" }
      case "]", ")": depth = max(depth - 1, 0)
      case "=" where depth == 0: sawEquals = true
      case " " where depth == 0, "\t" where depth == 0: endArgument()
      default: if depth == 0 && !sawEquals { current.append(c) }
      }
    }
    endArgument()
    return (named, positional)
  }

  /// The name of the call whose `(` is open at the end of `text` (`normalize(mean=0.1, ` -> `normalize`).
  static func enclosingCall(_ text: String) -> String? {
    guard let open = text.lastIndex(of: "("), !text[open...].contains(")") else { return nil }
    let name = text[..<open].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    return name.isEmpty ? nil : String(name.reversed())
  }

  /// Unescaped double quotes in `text`: odd means the cursor is inside a string.
  static func quoteCount(_ text: String) -> Int {
    var count = 0
    var escaped = false
    for c in text {
      if escaped { escaped = false; continue }
      if c == "\\" { escaped = true } else if c == "\"" { count += 1 }
    }
    return count
  }
}
