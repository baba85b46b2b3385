import ArgumentParser
import FFKernels
import FFLanguage
import FFNotebook
import Foundation

/// `ffnb import NOTEBOOK.ipynb [-o x.ffnb]`: the inverse of `ffnb export`.
struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Convert a Jupyter notebook of the ffnb kernel back to .ffnb.",
    discussion: """
      The inverse of `ffnb export`: cell kinds, names (metadata.name), tags (metadata.tags) and \
      sources come back as they are; outputs and other metadata are dropped. A notebook whose \
      code cells belong to another kernel is refused.
      """)

  @ArgumentParser.Argument(help: "The .ipynb notebook to convert.", completion: .file(extensions: ["ipynb"]))
  var notebook: String

  @Option(name: [.customShort("o"), .customLong("output")],
          help: ArgumentHelp("Where to write (default: the notebook's path with .ffnb).", valueName: "path"),
          completion: .file(extensions: ["ffnb"]))
  var output: String?

  func run() throws {
    let path = output ?? Self.defaultOutput(for: notebook)
    do {
      try IpynbDocument.refuseOverwriting(input: notebook, with: path)
      let nb = try IpynbImport.notebook(fromFile: notebook, ffnbPath: path)
      try nb.write(to: path)
      print("wrote \(path) (\(Plural.count(nb.cells.count, "cell")))")
    } catch {
      NotebookLoading.printError("\(error)")
      throw ExitCode(1)
    }
  }

  /// `runs/x.ipynb` -> `runs/x.ffnb`; a name without .ipynb gains .ffnb.
  static func defaultOutput(for notebook: String) -> String {
    let ns = notebook as NSString
    return (ns.pathExtension == "ipynb" ? ns.deletingPathExtension : notebook) + ".ffnb"
  }
}
