import ArgumentParser
import FFKernels
import FFLanguage
import FFNotebook
import Foundation

/// `ffnb export NOTEBOOK --to ipynb`: converts without running anything.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Convert a notebook to another format without running it.",
    discussion: """
      --to ipynb writes a Jupyter notebook (nbformat 4.5): markdown cells as markdown, code cells \
      with their ffnb source and no outputs. To keep the outputs, run it instead: \
      ffnb run NOTEBOOK --output executed.ipynb.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case ipynb
  }

  @ArgumentParser.Argument(help: "The .ffnb notebook to convert.", completion: .file(extensions: ["ffnb"]))
  var notebook: String

  @Option(help: "The format to write.")
  var to: Format = .ipynb

  @Option(name: [.customShort("o"), .customLong("output")],
          help: ArgumentHelp("Where to write (default: the notebook's path with .ipynb).", valueName: "path"),
          completion: .file(extensions: ["ipynb"]))
  var output: String?

  func run() throws {
    let nb = try NotebookLoading.load(notebook)
    let path = output ?? Self.defaultOutput(for: notebook)
    do {
      try IpynbDocument.refuseOverwriting(input: notebook, with: path)
      try IpynbDocument(notebook: nb, ffnbVersion: VersionInfo.version).write(to: path)
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(1)
    }
    print("wrote \(path) (\(Plural.count(nb.cells.count, "cell")))")
  }

  /// `notebooks/mnist.ffnb` -> `notebooks/mnist.ipynb`; a name without .ffnb gains .ipynb.
  static func defaultOutput(for notebook: String) -> String {
    let ns = notebook as NSString
    return (ns.pathExtension == "ffnb" ? ns.deletingPathExtension : notebook) + ".ipynb"
  }
}
