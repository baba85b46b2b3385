import FFLanguage
import FFNotebook

/// Why a meta-command line could not be understood.
public struct MetaCommandError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// `:nxt`: no such meta-command; `suggestion` is the closest name.
    case unknown(name: String, suggestion: String?)
    /// `:run` without its argument.
    case missingArgument(command: String, expected: String)
    /// `:cells 3`: the command takes no argument.
    case unexpectedArgument(command: String, argument: String)
    /// `:run 5-2`, `:run 0`, `:run x y`: not a cell selection.
    case badSelection(command: String, text: String, why: String)
    /// `:time :time ...`: a command that runs a line may not run itself. Each level would
    /// re-read the rest of the line and recurse once more, so a line of many nested `:time`s
    /// took time cubic in its length and stack as deep as the nesting.
    case nested(command: String)
  }
  public var reason: Reason

  public init(_ reason: Reason) { self.reason = reason }

  public var description: String {
    switch reason {
    case let .unknown(name, suggestion):
      return "unknown meta-command ':\(name)'" + (suggestion.map { "; did you mean ':\($0)'?" } ?? "; :help lists them")
    case let .missingArgument(command, expected):
      return ":\(command) needs \(expected)"
    case let .unexpectedArgument(command, argument):
      return ":\(command) takes no argument (got '\(argument)')"
    case let .badSelection(command, text, why):
      return ":\(command) \(text): \(why)"
    case let .nested(command):
      return ":\(command) cannot time another :\(command); time the command itself, as in :time learn epochs=5"
    }
  }
}

extension MetaCommand {
  /// Whether a typed line is a meta-command (starts with `:` after optional blanks).
  public static func isMetaCommand(_ line: String) -> Bool {
    line.drop { $0 == " " || $0 == "\t" }.first == ":"
  }

  /// Parses a line such as `:run 2-5`; the line must start with `:` (after blanks).
  public static func parse(_ line: String) throws(MetaCommandError) -> MetaCommand {
    let trimmed = line.trimmingBlanks()
    let body = trimmed.hasPrefix(":") ? trimmed.dropFirst() : Substring(trimmed)
    let name = String(body.prefix { !$0.isBlank })
    let argument = body.dropFirst(name.count).trimmingBlanks()
    let arg: String? = argument.isEmpty ? nil : argument

    func noArgument(_ command: MetaCommand) throws(MetaCommandError) -> MetaCommand {
      if let arg { throw MetaCommandError(.unexpectedArgument(command: name, argument: arg)) }
      return command
    }
    guard let command = MetaCommandName(word: name) else {
      throw MetaCommandError(.unknown(name: name, suggestion: Suggestions.closest(to: name, in: MetaCommandSpec.names)))
    }
    func cell() throws(MetaCommandError) -> CellSelection? {
      try arg.map { (a) throws(MetaCommandError) in try CellSelection.parse(a, command: name) }
    }
    switch command {
    case .next: return try noArgument(.next)
    case .all: return try noArgument(.all)
    case .again: return try noArgument(.again)
    case .cells: return try noArgument(.cells)
    case .vars: return try noArgument(.vars)
    case .hyper: return try noArgument(.hyper)
    case .history: return try noArgument(.history)
    case .log: return try noArgument(.log)
    case .reload: return try noArgument(.reload)
    case .write: return try noArgument(.write(force: name.hasSuffix("!")))
    case .undo: return try noArgument(.undo)
    case .help: return try noArgument(.help)
    case .quit: return try noArgument(.quit)
    case .run:
      guard let arg else { throw MetaCommandError(.missingArgument(command: name, expected: "a cell: N, N-M, a name, or stale")) }
      if arg == "stale" { return .runStale }
      return .run(try CellSelection.parse(arg, command: name))
    case .back:
      guard let arg else { throw MetaCommandError(.missingArgument(command: name, expected: "a cell: N or a name, as in :back 4")) }
      let selection = try CellSelection.parse(arg, command: name)
      if case .range = selection { throw MetaCommandError(.badSelection(command: name, text: arg, why: "name one cell: N or a name")) }
      return .back(selection)
    case .snapshots:
      guard let arg else { return .snapshots(budget: nil) }
      let words = arg.split(whereSeparator: \.isBlank)
      guard words.first == "budget" else {
        throw MetaCommandError(.badSelection(command: name, text: arg, why: "expected nothing, or budget SIZE (as in :snapshots budget 512M)"))
      }
      guard words.count >= 2 else { throw MetaCommandError(.missingArgument(command: name + " budget", expected: SnapshotBudget.expected)) }
      guard words.count == 2 else {
        throw MetaCommandError(.unexpectedArgument(command: name + " budget " + words[1], argument: words[2...].joined(separator: " ")))
      }
      guard let budget = SnapshotBudget(parsing: String(words[1])) else {
        throw MetaCommandError(.badSelection(command: name + " budget", text: String(words[1]), why: "expected " + SnapshotBudget.expected))
      }
      return .snapshots(budget: budget)
    case .show:
      return .show(try cell())
    case .edit:
      return .edit(try cell())
    case .reactive:
      switch arg {
      case nil: return .reactive(nil)
      case "on"?: return .reactive(true)
      case "off"?: return .reactive(false)
      default: throw MetaCommandError(.badSelection(command: name, text: arg ?? "", why: "expected on or off"))
      }
    case .time:
      guard let arg else { throw MetaCommandError(.missingArgument(command: name, expected: "a line to run, as in :time learn epochs=5")) }
      // Only the inner command's name is read: the rest of the line is never looked at again.
      if isMetaCommand(arg), MetaCommandName(word: String(arg.dropFirst().prefix { !$0.isBlank })) == .time {
        throw MetaCommandError(.nested(command: MetaCommandName.time.rawValue))
      }
      return .time(arg)
    case .runs:
      guard let arg else { return .runs(count: nil) }
      guard let count = Int(arg), count >= 1 else {
        throw MetaCommandError(.badSelection(command: name, text: arg, why: "expected how many runs to list, a number from 1"))
      }
      return .runs(count: count)
    case .compare:
      let ids = (arg ?? "").split(whereSeparator: \.isBlank).map(String.init)
      guard ids.count >= 2 else {
        throw MetaCommandError(.missingArgument(command: name, expected: "two or more run ids, as in :compare 3f2a 9c1e (:runs lists them)"))
      }
      if let bad = ids.first(where: { id in id.count < 4 || !id.allSatisfy { $0.isHexDigit || $0 == "-" } }) {
        throw MetaCommandError(.badSelection(command: name, text: bad, why: "a run id is hex digits, at least 4 of them (:runs lists them)"))
      }
      return .compare(ids)
    case .save:
      guard let arg else { throw MetaCommandError(.missingArgument(command: name, expected: "a file path, as in :save runs/tweaked.ffnb")) }
      return .save(path: arg.unquoted())
    }
  }
}

extension CellSelection {
  /// `3`, `2-5` or a cell name (letters, digits, `_`, `-`, not starting with a digit).
  static func parse(_ text: String, command: String) throws(MetaCommandError) -> CellSelection {
    func bad(_ why: String) -> MetaCommandError { MetaCommandError(.badSelection(command: command, text: text, why: why)) }
    if text.contains(where: \.isBlank) { throw bad("expected one cell: N, N-M or a name") }
    if let first = text.first, first.isASCII, first.isNumber {
      let parts = text.split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count <= 2, let lower = Int(parts[0]), let upper = Int(parts.last ?? "") else {
        throw bad("expected a cell number N or a range N-M")
      }
      guard lower >= 1 else { throw bad("cells are numbered from 1") }
      guard lower <= upper else { throw bad("the range is empty (\(lower) > \(upper))") }
      return parts.count == 1 ? .index(lower) : .range(lower...upper)
    }
    let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    guard allowed, !text.isEmpty else { throw bad("a cell name has only letters, digits, '_' and '-'") }
    return .name(text)
  }
}

extension Character {
  var isBlank: Bool { self == " " || self == "\t" }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingBlanks() -> String {
    String(drop { $0.isBlank }.reversed().drop { $0.isBlank }.reversed())
  }

  /// A path given in double quotes (`:save "my runs/x.ffnb"`) without them.
  func unquoted() -> String {
    if count >= 2, hasPrefix("\""), hasSuffix("\"") { return String(dropFirst().dropLast()) }
    return String(self)
  }
}
