import ArgumentParser
import FFNotebook

/// `--snapshot-budget SIZE` of `step` and `repl`: how much memory the REPL's snapshots
/// (`:undo`, `:back`) may keep.
struct SnapshotOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "Memory the REPL's snapshots (:undo, :back N) may keep, oldest dropped first: a size such as 512M or 1G, or 0 to turn them off.",
    valueName: "SIZE"))
  var snapshotBudget: SnapshotBudget = .standard
}

extension SnapshotBudget: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
}
