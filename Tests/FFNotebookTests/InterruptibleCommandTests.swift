import FFLanguage
import FFTestSupport
import Foundation
import Testing

@testable import FFNotebook

/// Ctrl-C during `load` (reading, decompressing, transforming) and `predict` stops them with a
/// clear error; the session keeps what it had and stores nothing half-made.
@Suite struct InterruptibleCommandTests {
  /// A data folder with `count` test images (enough for several chunks and prediction blocks).
  static let largeRoot: URL = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-large-\(getpid())", isDirectory: true)
    let folder = root.appendingPathComponent("mnist", isDirectory: true)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let count = 5000
    func idx(_ magic: UInt32, _ dims: [UInt32], _ body: [UInt8]) -> Data {
      var bytes: [UInt8] = []
      for word in [magic] + dims { bytes += [UInt8(word >> 24), UInt8((word >> 16) & 0xff), UInt8((word >> 8) & 0xff), UInt8(word & 0xff)] }
      return Data(bytes + body)
    }
    try? idx(0x803, [UInt32(count), 28, 28], (0..<(count * 784)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
      .write(to: folder.appendingPathComponent("t10k-images-idx3-ubyte"))
    try? idx(0x801, [UInt32(count)], (0..<count).map { UInt8($0 % 10) }).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"))
    return root
  }()

  var load: String { "load mnist test root=\"\(Self.largeRoot.path)\" as=big" }

  @Test func aLoadStoppedWhileReadingKeepsNothing() throws {
    let (runner, out) = try tinyRunner()
    var polls = 0
    runner.session.shouldStop = { polls += 1; return polls >= 2 }
    let report = runner.runTyped(load)
    #expect(report.error == nil && report.isInterrupted, "stopped, not failed")
    #expect(out.text.contains("load interrupted (Ctrl-C); nothing was loaded"))
    #expect(runner.session.datasets["big"] == nil)
    // Nothing half-read was cached: the same load, not stopped, reads the whole set.
    runner.session.shouldStop = { false }
    #expect(runner.runTyped(load).error == nil)
    #expect(runner.session.datasets["big"]?.batch.count == 5000)
  }

  @Test func aLoadStoppedWhileTransformingKeepsTheOldBatch() throws {
    let (runner, out) = try tinyRunner()
    #expect(runner.runTyped(load + " batch=10").error == nil)
    // The raw files are cached now: the only polls left are the transform's.
    runner.session.shouldStop = { true }
    let report = runner.runTyped(load)
    #expect(report.isInterrupted && report.error == nil)
    #expect(out.text.contains("load interrupted (Ctrl-C); nothing was loaded"))
    #expect(runner.session.datasets["big"]?.batch.count == 10, "the earlier batch is kept")
  }

  @Test func aPredictStoppedBetweenBlocksRecordsNoAccuracy() throws {
    let (runner, out) = try tinyRunner()
    for line in ["seed 0", load, "build [784, 10] epochs=1"] { #expect(runner.runTyped(line).error == nil, "\(line)") }
    var polls = 0
    runner.session.shouldStop = { polls += 1; return true }
    let report = runner.runTyped("predict big")
    #expect(report.isInterrupted && report.error == nil)
    #expect(out.text.contains("predict interrupted (Ctrl-C); no accuracy was recorded"))
    #expect(polls == 1, "asked after the first block of 2048 samples")
    #expect(runner.session.evaluations["big"] == nil)
    runner.session.shouldStop = { false }
    #expect(runner.runTyped("predict big").error == nil)
    #expect(runner.session.evaluations["big"] != nil)
  }

  @Test("a cell whose load is stopped by Ctrl-C ends interrupted, not failed, so `ffnb run` exits 130")
  func aStoppedLoadInterruptsItsCell() throws {
    let (runner, _) = try tinyRunner()
    runner.runCell(2)
    runner.session.shouldStop = { true }
    #expect(runner.runCell(3) == .interrupted)
    #expect(runner.session.datasets.isEmpty)
  }
}
