import ArgumentParser

/// `ffnb step NOTEBOOK`: the REPL with a cursor on the notebook's first cell.
struct Step: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Step through a notebook interactively: Enter runs the next cell, typed lines run at once.",
    discussion: """
      Lines of the notebook language run in the session as soon as they are typed; lines starting \
      with ':' are REPL commands (:help lists them). Ctrl-C stops `learn` at the next epoch boundary \
      and keeps the model. With standard input not a terminal, lines are read without prompts; the \
      exit status is then 1 if any line or cell failed, 0 otherwise. The notebook is checked first, \
      as `ffnb check` does: an error there is printed and ffnb exits with status 2.
      """)

  @ArgumentParser.Argument(help: "The .ffnb notebook to step through.", completion: .file(extensions: ["ffnb"]))
  var notebook: String

  @OptionGroup var options: SessionOptions

  @OptionGroup var snapshots: SnapshotOptions

  @OptionGroup var registry: RegistryOptions

  @Flag(help: "With standard input not a terminal: print each line read after its prompt (`[3/6 data] ffnb> learn`) before its output.")
  var echo = false

  func run() throws {
    try ReplLauncher.start(notebook: notebook, options: options, snapshotBudget: snapshots.snapshotBudget, echo: echo, registry: registry)
  }
}
