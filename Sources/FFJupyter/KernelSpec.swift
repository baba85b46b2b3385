import FFFiles
import FFNotebook
import Foundation

/// Why a kernelspec could not be written.
package struct KernelSpecError: Error, Sendable, CustomStringConvertible {
  package var path: String
  package var reason: String
  package var description: String { "cannot install the kernelspec in \(path): \(reason)" }
}

/// The kernelspec that makes Jupyter list and start ffnb: a folder `kernels/ffnb` holding
/// `kernel.json`, in a Jupyter data directory.
package struct KernelSpec: Sendable {
  /// The command Jupyter runs, `{connection_file}` standing for the file it writes.
  package var argv: [String]

  /// The spec for the ffnb binary at `executable`.
  package init(executable: String) {
    argv = [executable, "kernel", "-f", "{connection_file}"]
  }

  /// `kernel.json`. Interrupts come as `interrupt_request` messages on the control channel
  /// (`interrupt_mode: message`), which reach the kernel on any platform and while a `learn`
  /// is training; SIGINT works as well for clients that send it.
  package var json: JSONValue {
    .object([
      "argv": .array(argv.map(JSONValue.string)),
      "display_name": .string(KernelInfo.displayName),
      "language": .string(KernelInfo.language),
      "interrupt_mode": .string("message"),
      "metadata": .object(["debugger": .bool(false)]),
    ])
  }

  /// Where a spec goes: under `prefix/share/jupyter` (what `--prefix` and `sys.prefix`
  /// installs use), else the user's Jupyter data directory as jupyter_core finds it
  /// ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter).
  package static func dataDirectory(prefix: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let prefix { return (prefix as NSString).appendingPathComponent("share/jupyter") }
    if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { return dir }
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return (xdg as NSString).appendingPathComponent("jupyter") }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return (home as NSString).appendingPathComponent(".local/share/jupyter")
  }

  /// Writes `kernels/ffnb/kernel.json` under `dataDirectory` (atomically, making the folders);
  /// returns the spec's folder.
  package func install(dataDirectory: String) throws(KernelSpecError) -> String {
    let folder = ((dataDirectory as NSString).appendingPathComponent("kernels") as NSString)
      .appendingPathComponent(KernelInfo.kernelName)
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw KernelSpecError(path: folder, reason: "cannot create the folder (\(String(cString: strerror(errno))))")
    }
    do {
      try AtomicFile.write(json.encoded(), to: (folder as NSString).appendingPathComponent("kernel.json"))
    } catch {
      throw KernelSpecError(path: folder, reason: error.problem)
    }
    return folder
  }

  /// The running binary's absolute path, so the spec starts this ffnb whatever the PATH.
  package static var currentExecutable: String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 { return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }
}
