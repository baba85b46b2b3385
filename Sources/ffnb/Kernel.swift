import ArgumentParser
import FFJupyter
import FFLanguage
import FFNotebook
import Foundation

/// `ffnb kernel`: the Jupyter kernel (`-f CONNECTION_FILE`, as Jupyter starts it) and the
/// kernelspec that tells Jupyter how to start it (`ffnb kernel install`).
struct Kernel: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run ffnb as a Jupyter kernel, or install its kernelspec.",
    discussion: """
      `ffnb kernel install` once, then pick the "ffnb" kernel in JupyterLab, VS Code or \
      `jupyter nbconvert --execute`: cells run in one session, with the interpreter of `ffnb run`.
      """,
    subcommands: [KernelStart.self, KernelInstall.self],
    defaultSubcommand: KernelStart.self)
}

/// `ffnb kernel -f FILE`: what Jupyter runs.
struct KernelStart: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Serve the Jupyter messaging protocol on the sockets a connection file names (Jupyter runs this).")

  @Option(name: .customShort("f"), help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "connection-file"),
          completion: .file(extensions: ["json"]))
  var connectionFile: String

  @Option(help: "Threads for matrix products, OpenBLAS's and oneDNN's (default: their own choice, usually one per core).")
  var threads: Int?

  func run() throws {
    var options = try SessionOptions.parse([])
    options.threads = threads
    try options.applyThreads()
    let connection: ConnectionFile
    do {
      connection = try ConnectionFile.read(connectionFile)
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(2)
    }
    let session = KernelSession(session: options.session(baseDirectory: nil))
    do {
      try JupyterKernel(connection: connection, session: session, version: VersionInfo.version).run()
    } catch {
      NotebookLoading.printError("the kernel cannot start: \(error)")
      throw ExitCode(1)
    }
  }
}

/// `ffnb kernel install [--user | --prefix P]`.
struct KernelInstall: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Write the ffnb kernelspec so Jupyter lists the ffnb kernel (`jupyter kernelspec list`).")

  @Flag(help: "Install for the current user, in Jupyter's user data directory (the default).")
  var user = false

  @Option(help: ArgumentHelp("Install under PREFIX/share/jupyter instead (a virtualenv's prefix, a test's temporary folder).",
                             valueName: "prefix"),
          completion: .directory)
  var prefix: String?

  func validate() throws {
    if user && prefix != nil { throw ValidationError("give --user or --prefix, not both") }
  }

  func run() throws {
    let spec = KernelSpec(executable: KernelSpec.currentExecutable)
    do {
      let folder = try spec.install(dataDirectory: KernelSpec.dataDirectory(prefix: prefix))
      print("installed the ffnb kernelspec in \(folder)")
    } catch {
      NotebookLoading.printError(error.description)
      throw ExitCode(1)
    }
  }
}
