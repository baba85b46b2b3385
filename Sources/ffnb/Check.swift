import ArgumentParser
import FFLanguage
import FFNotebook
import Foundation

/// `ffnb check NOTEBOOK`: parse and validate without running anything.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Parse and validate a notebook without running it, reporting every problem found.")

  @ArgumentParser.Argument(help: "The .ffnb notebook to check.", completion: .file(extensions: ["ffnb"]))
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Check with this parameter override (repeatable).", valueName: "name=value"))
  var parameters: [String] = []

  func run() throws {
    let text: Data
    guard let data = FileManager.default.contents(atPath: notebook) else {
      NotebookLoading.printError("\(notebook): cannot read the file")
      throw ExitCode(2)
    }
    text = data
    let (nb, parseDiagnostics) = Notebook.parse(bytes: [UInt8](text), path: notebook)
    let overrides = try NotebookLoading.overrides(parameters)
    var diagnostics = parseDiagnostics
    // The checker also reports overrides that name no parameter.
    diagnostics += Checker(overrides: Dictionary(overrides.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })).check(nb)
    let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for d in diagnostics {
      let line = d.location.file == notebook && d.location.line >= 1 && d.location.line <= lines.count ? String(lines[d.location.line - 1]) : nil
      FileHandle.standardError.write(Data((d.rendered(sourceLine: line, color: false) + "\n").utf8))
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    let code = nb.cells.filter { $0.kind == .code }.count
    print("\(notebook): \(nb.cells.count) cells (\(code) code), \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    if errors > 0 { throw ExitCode(1) }
  }
}
