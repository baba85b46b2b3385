import FFTestSupport
import Foundation
import Glibc
import Testing

/// The built binary against inputs and limits meant to break it: every one ends with a
/// message and an exit status, never a crash, a hang or an exhausted machine.
@Suite(.enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)))
struct HostileInputTests {
  @Test func aBuildTooLargeForUlimitVIsRefusedNotCrashed() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // 415 million parameters (7.7 GiB with Adam's state): within RAM, far beyond 2 GB of address space.
    try "build [784, 20000, 20000] epochs=1\n".write(to: dir.appendingPathComponent("big.ffnb"), atomically: true, encoding: .utf8)
    let r = try runShell("ulimit -v 2000000 && exec \"$FFNB\" run big.ffnb", directory: dir)
    #expect(r.status == 1, "status \(r.status): \(r.stderr)")
    #expect(r.stdout.contains("a model with dims [784, 20000, 20000] would need about 7.7 GiB, more than the"), "\(r.stdout)")
    #expect(r.stdout.contains("left under the address-space limit of 1.9 GiB (ulimit -v); refusing before allocating"))
    #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("crashed"))
  }

  @Test func aFIFOGivenAsTheNotebookIsRefusedAtOnce() throws {
    let folder = try makeFolder("e2e")
    defer { removeFolder(folder) }
    let fifo = folder + "/x.ffnb"
    try makeFIFO(fifo)
    for command in ["run", "check", "step", "export"] {
      let r = try FFNB.run([command, fifo], timeout: 20)
      #expect(r.status == 2, "\(command): status \(r.status)")
      #expect(r.stderr.contains("\(fifo): error: cannot read notebook: it is a FIFO (named pipe), not a regular file"), "\(command): \(r.stderr)")
    }
  }

  @Test func aGzipBombAsADataFileIsRefusedAfterItsHeader() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let mnist = dir.appendingPathComponent("bomb/mnist")
    try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
    // 10 images declared; 1 GB of zeros behind them (about 1 MB compressed).
    let make = try runShell(
      "{ printf '\\000\\000\\010\\003\\000\\000\\000\\012\\000\\000\\000\\034\\000\\000\\000\\034'; head -c 1000000000 /dev/zero; } | gzip -1 > bomb/mnist/train-images-idx3-ubyte.gz"
        + " && printf '\\000\\000\\010\\001\\000\\000\\000\\012\\000\\001\\002\\003\\004\\005\\006\\007\\010\\011' > bomb/mnist/train-labels-idx1-ubyte",
      directory: dir)
    #expect(make.status == 0, "\(make.stderr)")
    try "load mnist train root=\"bomb\"\n".write(to: dir.appendingPathComponent("bomb.ffnb"), atomically: true, encoding: .utf8)
    // 200 MB of address space beyond what ffnb maps at start is far less than the bomb.
    let r = try runShell("ulimit -v 1500000 && exec \"$FFNB\" run bomb.ffnb", timeout: .seconds(60), directory: dir)
    #expect(r.status == 1, "status \(r.status): \(r.stderr)")
    #expect(r.stdout.contains("bomb/mnist/train-images-idx3-ubyte.gz: trailing data: header says 10 images of 28x28 (7856 bytes), the decompressed file holds more"), "\(r.stdout)")
  }

  @Test func aWriteCutShortByUlimitFLeavesNoTemporaryFileAndTheOldFile() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = FFNB.packageRoot.appendingPathComponent("notebooks/mnist.ffnb").path
    try "old".write(to: dir.appendingPathComponent("out.ipynb"), atomically: true, encoding: .utf8)
    // 4 blocks of 1024 bytes: the executed notebook is larger.
    let r = try runShell("ulimit -f 4 && exec \"$FFNB\" export \"\(source)\" -o out.ipynb", timeout: .seconds(60), directory: dir)
    #expect(r.status == 1, "status \(r.status): \(r.stderr)")
    #expect(r.stderr.contains("cannot write out.ipynb: File too large"), "\(r.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(left == ["out.ipynb"], "no temporary file is left: \(left)")
    #expect(try String(contentsOf: dir.appendingPathComponent("out.ipynb"), encoding: .utf8) == "old")
  }

  @Test func exportsCanGoToTheNullDevice() throws {
    let folder = try makeFolder("e2e")
    defer { removeFolder(folder) }
    let null = try #require(privateNullDevice(in: folder))
    let source = FFNB.packageRoot.appendingPathComponent("notebooks/quickstart.ffnb").path
    let r = try FFNB.run(["export", source, "-o", null])
    #expect(r.status == 0 && r.stdout.contains("wrote \(null)"), "\(r.stderr)")
    #expect(isCharacterDevice(null), "the device is not replaced by a regular file")
  }
}
