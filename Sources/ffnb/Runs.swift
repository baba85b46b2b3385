import ArgumentParser
import FFLanguage
import FFRegistry
import Foundation

/// `ffnb runs`: the run registry: list, show, merge.
struct Runs: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the recorded runs (newest first), show one, or merge registries.",
    discussion: """
      Every `ffnb run` (each sweep point too) and every `learn` or `predict` in the REPL is \
      recorded in the run registry, a SQLite file. A run is named by the first digits of its id.
      """,
    subcommands: [RunsList.self, RunsShow.self, RunsMerge.self],
    defaultSubcommand: RunsList.self)
}

/// `ffnb runs [list]`.
struct RunsList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded runs, newest first.")

  @Option(help: ArgumentHelp("Only the runs of this notebook.", valueName: "path"), completion: .file(extensions: ["ffnb"]))
  var notebook: String?

  @Option(help: "At most this many runs.")
  var limit = 20

  @OptionGroup var registry: RegistryPath

  func validate() throws {
    guard limit >= 1 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
  }

  func run() throws {
    let store = try registry.open(forReading: true)
    let runs = try reporting { () throws(RegistryError) in try store.runs(notebook: notebook.map(RegistryLocation.absolute), limit: limit) }
    guard !runs.isEmpty else {
      print(VisibleText.escaping(notebook.map { "no runs of \($0) in \(store.path)" } ?? "no runs in \(store.path)"))
      return
    }
    print(VisibleText.escaping(RunText.listing(runs)), terminator: "")
  }
}

/// `ffnb runs show ID`.
struct RunsShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything recorded about one run.")

  @ArgumentParser.Argument(help: "The run's id, or its first digits (at least 4).")
  var id: String

  @OptionGroup var registry: RegistryPath

  func run() throws {
    let store = try registry.open(forReading: true)
    let run = try reporting { () throws(RegistryError) in try store.run(matching: id) }
    print(VisibleText.escaping(RunText.details(run)), terminator: "")
  }
}

/// `ffnb runs merge DB...`.
struct RunsMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge", abstract: "Copy the runs of other registries (shards, other machines) into this one, skipping those it holds.")

  @ArgumentParser.Argument(help: ArgumentHelp("Registries to merge from.", valueName: "registry"), completion: .file(extensions: ["sqlite"]))
  var sources: [String]

  @OptionGroup var registry: RegistryPath

  func validate() throws {
    guard !sources.isEmpty else { throw ValidationError("give at least one registry to merge from") }
  }

  func run() throws {
    let store = try registry.open()
    for source in sources {
      let path = RegistryLocation.absolute(source)
      guard path != store.path else {
        NotebookLoading.printError("\(source) is the registry being merged into; skipped")
        continue
      }
      let other = try RegistryPath.open(path, mustExist: true, readingOnly: true)
      let (added, present) = try reporting { () throws(RegistryError) in try store.merge(from: other) }
      print("\(VisibleText.escaping(source)): \(added) run\(added == 1 ? "" : "s") added, \(present) already in \(VisibleText.escaping(store.path))")
    }
  }
}

/// `ffnb compare ID ID...`.
struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare recorded runs: the parameters that differ and the results side by side, and their loss curves in one SVG.")

  @ArgumentParser.Argument(help: "Two or more run ids (or their first digits).")
  var ids: [String]

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Where to write the SVG of the loss curves.", valueName: "path"),
          completion: .file(extensions: ["svg"]))
  var output = "compare.svg"

  @OptionGroup var registry: RegistryPath

  func validate() throws {
    guard ids.count >= 2 else { throw ValidationError("give at least two runs to compare (`ffnb runs` lists them)") }
  }

  func run() throws {
    let store = try registry.open(forReading: true)
    var runs: [RunRecord] = []
    for id in ids {
      runs.append(try reporting { () throws(RegistryError) in try store.run(matching: id) })
    }
    let comparison = RunComparison(runs)
    print(VisibleText.escaping(comparison.table), terminator: "")
    do {
      try ComparisonChart.write(comparison, title: "loss per epoch", to: output)
      print("wrote loss curves to \(VisibleText.escaping(output))")
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(1)
    }
  }
}

/// Runs a registry operation; its error is printed in one line and ffnb exits with status 2.
func reporting<T>(_ body: () throws(RegistryError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    NotebookLoading.printError(error.description)
    throw ExitCode(2)
  }
}
