import ArgumentParser
import FFData
import FFKernels
import Foundation

/// The `ffnb` command line: argument parsing only; the work happens in FFNotebook and FFREPL.
@main
struct FFNB: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ffnb",
    abstract: "Replay, step through and tweak Forward-Forward notebooks from a terminal.",
    discussion: """
      Without a subcommand, ffnb opens an empty interactive session (the same as `ffnb repl`).
      Notebooks are .ffnb files; see README.md for the language.
      """,
    version: VersionInfo.text,
    subcommands: [Run.self, Check.self, Export.self, Step.self, Repl.self],
    defaultSubcommand: Repl.self)

}

/// Options every subcommand that runs notebooks shares.
struct SessionOptions: ParsableArguments {
  @Option(name: .customShort("p"), parsing: .unconditionalSingleValue,
          help: ArgumentHelp("Override a parameter of the notebook's [parameters] cell (repeatable).", valueName: "name=value"))
  var parameters: [String] = []

  @Option(help: "OpenBLAS threads (default: OpenBLAS's own choice, usually one per core).")
  var threads: Int?

  func applyThreads() throws {
    if let threads {
      guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
      OpenBLASInfo.setThreads(threads)
    }
  }
}
