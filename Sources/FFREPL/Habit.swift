import FFLanguage
import FFNotebook

/// Lines typed out of habit from IPython or a shell, answered with what ffnb calls it
/// instead of a parse error.
enum Habit: Equatable {
  /// `exit`, `quit`, `exit()`, `quit()`.
  case leave
  /// `learn?`, `?learn`, `learn??`: IPython's help suffix.
  case help(String)
  /// `help :run`: help on a meta-command.
  case metaHelp(String)

  init?(_ line: String) {
    if ["exit", "quit", "exit()", "quit()", "q"].contains(line) {
      self = .leave
      return
    }
    if line.hasPrefix("help :") {
      self = .metaHelp(String(line.dropFirst("help :".count)).trimmingBlanks())
      return
    }
    let topic = line.trimmingCharacters(in: ["?"])
    if topic != line, !topic.isEmpty, topic.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
      self = .help(topic)
      return
    }
    return nil
  }
}

extension InteractiveSession {
  func respond(to habit: Habit) {
    switch habit {
    case .leave:
      console.line("hint: ffnb's REPL leaves with :q (or Ctrl-D)")
    case .help(let topic):
      console.line(console.styled("(help \(VisibleText.escaping(topic)))", .dim))
      guard CommandSpec.help(topic: topic) != nil else {
        failures += 1
        let suggestion = Suggestions.closest(to: topic, in: CommandSpec.helpTopics)
        printError("no help topic '\(topic)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; `help` lists them"))
        return
      }
      console.line(Interpreter.helpText(topic))
    case .metaHelp(let name):
      guard let command = MetaCommandName(word: name) else {
        failures += 1
        let suggestion = Suggestions.closest(to: name, in: MetaCommandSpec.names)
        printError("no meta-command ':\(name)'" + (suggestion.map { "; did you mean ':\($0)'?" } ?? "; :help lists them"))
        return
      }
      let spec = command.spec
      console.line(":" + ([spec.name] + spec.aliases).joined(separator: ", :") + (spec.argument.map { " " + $0 } ?? "") + ": " + spec.summary)
    }
  }
}
