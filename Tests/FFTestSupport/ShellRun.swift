import Foundation
import Glibc

/// Runs `script` with `/bin/sh -c`, `$FFNB` naming the built binary, standard input empty:
/// for tests that set process limits first (`ulimit -v`, `ulimit -f`) or use the shell's
/// redirections. Returns standard output, standard error and the status (128 + N when ended
/// by signal N); the wait is bounded by `timeout`.
public func runShell(
  _ script: String, environment extra: [String: String] = [:], timeout: Duration = .seconds(120), directory: URL? = nil
) throws -> (stdout: String, stderr: String, status: Int32) {
  guard let binary = Binary.path else { throw TestFailure(Binary.missingReason) }
  var environment = ProcessInfo.processInfo.environment
  environment["FFNB"] = binary
  environment["FFNB_DATA"] = Binary.dataDirectory
  environment["NO_COLOR"] = "1"
  environment["COLUMNS"] = nil
  environment["FFNB_REGISTRY"] = Binary.testRegistry
  for (key, value) in extra { environment[key] = value }
  let stdout = try CloexecPipe(), stderr = try CloexecPipe()
  let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
  defer { close(null) }
  let child = try ChildProcess(
    ["/bin/sh", "-c", script], environment: environment, stdin: null, stdout: stdout.write, stderr: stderr.write,
    directory: (directory ?? Binary.packageRoot).path)
  close(stdout.write)
  close(stderr.write)
  let outBox = DataBox(), errBox = DataBox()
  let group = DispatchGroup()
  for (fd, box) in [(stdout.read, outBox), (stderr.read, errBox)] {
    DispatchQueue.global().async(group: group) {
      box.data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
    }
  }
  let status = try child.wait(timeout: timeout, what: "sh -c \(script)")
  guard group.wait(timeout: .now() + 10) == .success else { throw TestFailure("the output pipes of sh stayed open") }
  return (String(decoding: outBox.data, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self), status)
}
