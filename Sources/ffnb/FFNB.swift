import ArgumentParser
import FFData
import FFKernels
import FFNotebook
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
    subcommands: [Run.self, Check.self, Export.self, Step.self, Repl.self, Runs.self, Compare.self, Kernel.self, Import.self],
    defaultSubcommand: Repl.self)

}

/// Options every subcommand that runs notebooks shares.
struct SessionOptions: ParsableArguments {
  @Option(name: .customShort("p"), parsing: .unconditionalSingleValue,
          help: ArgumentHelp("Override a parameter of the notebook's [parameters] cell (repeatable).", valueName: "name=value"))
  var parameters: [String] = []

  @Option(help: "Threads for matrix products, OpenBLAS's and oneDNN's (default: their own choice, usually one per core).")
  var threads: Int?

  @Option(help: ArgumentHelp(
    "Operands of matrix products when `learn` or `predict` does not say: fp32 (exact, the default), or bf16 with fp32 accumulation on oneDNN (fp32 with a note where the CPU lacks AMX and AVX512_BF16).",
    valueName: "fp32|bf16"))
  var precision: Precision = .fp32

  @Flag(help: ArgumentHelp(
    "Reuse the results of `learn` and `predict` that an earlier run with --cache stored, when the statement and everything it reads are unchanged; store new ones. The cache is the folder .ffnb-cache beside the notebook."))
  var cache = false

  @Option(help: ArgumentHelp("The replay cache's folder instead of .ffnb-cache beside the notebook (implies --cache).", valueName: "folder"),
          completion: .directory)
  var cacheDir: String?

  func applyThreads() throws {
    if let threads {
      guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
      OpenBLASInfo.setThreads(threads)
      if precision == .bf16 { BF16.setThreads(threads) }
    }
  }
}

extension Precision: ExpressibleByArgument {}

extension SessionOptions {
  /// The replay cache this command line asks for, beside `notebook` (or in the working
  /// directory without one); notes go to standard error.
  func resultCache(beside notebook: String?) -> ResultCache? {
    guard cache || cacheDir != nil else { return nil }
    let folder = cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? URL(fileURLWithPath: notebook ?? "untitled.ffnb").deletingLastPathComponent().appendingPathComponent(ResultCache.folderName, isDirectory: true)
    return ResultCache(folder: folder.standardizedFileURL, environment: VersionInfo.cacheEnvironment) { NotebookLoading.printError($0) }
  }

  /// A session for this command line's options, its files relative to `base`.
  func session(baseDirectory base: URL?) -> Session {
    let session = Session(baseDirectory: base)
    session.precision = precision
    return session
  }
}
