import FFKernels
import FFTestSupport
import Foundation
import Testing

@testable import FFRuntime

/// Model files whose checksum is right but whose contents no ffnb writes: each is refused at
/// load with a message naming the layer and the field, never accepted to trap or to train on
/// garbage later.
@Suite struct MaliciousModelFileTests {
  /// A small trained model's file: 2 layers, 12 -> 6 -> 4.
  func modelBytes() throws -> [UInt8] {
    var g = Generator(seed: 21, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 3, lr: 0.05, threshold: 1.5), generator: &g)
    let p = Matrix(rows: 4, cols: 12), n = Matrix(rows: 4, cols: 12)
    g.fillNormal(p.elements)
    g.fillNormal(n.elements)
    _ = try m.learn(positive: p, negative: n)
    return try Checkpoint.encode(m)
  }

  // Offsets of layer k's header fields (see the layout in Checkpoint.swift).
  func header(_ k: Int) -> Int { 16 + 36 * k }
  func epochs(_ k: Int) -> Int { header(k) + 8 }
  func lr(_ k: Int) -> Int { header(k) + 12 }
  func threshold(_ k: Int) -> Int { header(k) + 16 }
  func eps(_ k: Int) -> Int { header(k) + 20 }
  func steps(_ k: Int) -> Int { header(k) + 24 }
  func history(_ k: Int) -> Int { header(k) + 32 }
  /// Layer 1's arrays start after both headers and the recipe block (60 bytes: a seed recipe
  /// has no head): W (6x12), b (6), m_W, v_W, m_b, v_b, history, peer means.
  let arrays = 16 + 36 * 2 + 60
  var firstWeight: Int { arrays }
  var firstSecondMoment: Int { arrays + 4 * (72 + 6 + 72) }

  /// The file with `edit` applied and its CRC recomputed, so only the validation can refuse it.
  func crafted(_ edit: (inout [UInt8]) -> Void) throws -> [UInt8] {
    var bytes = try modelBytes()
    edit(&bytes)
    let crc = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    return bytes
  }

  func put32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
  }

  func put64(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
    for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
  }

  func refusal(_ bytes: [UInt8]) -> String? {
    do {
      _ = try Checkpoint.decode(bytes, file: "m.ffm")
      return nil
    } catch {
      return error.description
    }
  }

  @Test func theUntouchedFileLoads() throws {
    #expect(refusal(try crafted { _ in }) == nil)
  }

  @Test func anAdamStepCountOfIntMaxIsRefused() throws {
    let bytes = try crafted { put64(UInt64(Int.max), at: steps(0), in: &$0) }
    let message = try #require(refusal(bytes))
    #expect(message.hasPrefix("m.ffm: layer 1: Adam step count 9223372036854775807 is outside 0...4294967295"))
    let huge = try crafted { put64(UInt64.max, at: steps(1), in: &$0) }
    #expect(refusal(huge)?.contains("layer 2: Adam step count") == true)
  }

  @Test func hyperparametersOutsideWhatBuildAcceptsAreRefused() throws {
    let cases: [(String, (inout [UInt8]) -> Void)] = [
      ("epochs 0 is outside", { put32(0, at: epochs(0), in: &$0) }),
      ("epochs 4000000000 is outside", { put32(4_000_000_000, at: epochs(1), in: &$0) }),
      ("lr 0.0 is not a positive finite number", { put32(Float(0).bitPattern, at: lr(0), in: &$0) }),
      ("lr -0.5 is not a positive finite number", { put32(Float(-0.5).bitPattern, at: lr(0), in: &$0) }),
      ("lr inf is not a positive finite number", { put32(Float.infinity.bitPattern, at: lr(1), in: &$0) }),
      ("threshold nan is not finite", { put32(Float.nan.bitPattern, at: threshold(0), in: &$0) }),
      ("eps -1.0 is not a finite number >= 0", { put32(Float(-1).bitPattern, at: eps(0), in: &$0) }),
      ("eps inf is not a finite number >= 0", { put32(Float.infinity.bitPattern, at: eps(1), in: &$0) }),
    ]
    for (expected, edit) in cases {
      let message = refusal(try crafted(edit))
      #expect(message?.contains(expected) == true, "\(expected): got \(message ?? "accepted")")
    }
  }

  @Test func nonFiniteWeightsAndNegativeSecondMomentsAreRefused() throws {
    let nanWeight = try crafted { put32(Float.nan.bitPattern, at: firstWeight + 4 * 5, in: &$0) }
    #expect(refusal(nanWeight) == "m.ffm: layer 1: weight entry 5 is nan; the file is not a model ffnb writes")
    let infinite = try crafted { put32(Float.infinity.bitPattern, at: firstWeight, in: &$0) }
    #expect(refusal(infinite)?.contains("layer 1: weight entry 0 is inf") == true)
    let negative = try crafted { put32(Float(-1).bitPattern, at: firstSecondMoment, in: &$0) }
    #expect(refusal(negative)?.contains("layer 1: Adam second-moment (weights) entry 0 is -1.0") == true)
  }

  @Test func aLossHistoryLongerThanTheStepsOrNotFiniteIsRefused() throws {
    // Layer 2's history is the 3 floats before its 4 peer means and the CRC.
    let nanLoss = try crafted { put32(Float.nan.bitPattern, at: $0.count - 4 - 16 - 4, in: &$0) }
    #expect(refusal(nanLoss)?.contains("layer 2: loss history entry 2 is nan") == true)
    let fewerSteps = try crafted { put64(1, at: steps(0), in: &$0) }
    #expect(refusal(fewerSteps)?.contains("layer 1: loss history of 3 entries is longer than the 1 Adam steps taken") == true)
  }

  @Test func aModelAtTheStepLimitRefusesToTrainInsteadOfOverflowing() throws {
    var g = Generator(seed: 1, stream: "init")
    let m = try FFModel(dims: [12, 4], hyper: LayerHyperparameters(epochs: 2), generator: &g)
    m.layers[0].adamSteps = FFLayer.maximumAdamSteps - 1
    let p = Matrix(rows: 2, cols: 12), n = Matrix(rows: 2, cols: 12)
    g.fillNormal(p.elements)
    g.fillNormal(n.elements)
    #expect(throws: FFRuntimeError.invalidArgument("layer 1 has taken 4294967294 Adam steps; 2 more would pass the limit of 4294967295")) {
      try m.learn(positive: p, negative: n)
    }
    #expect(m.layers[0].adamSteps == FFLayer.maximumAdamSteps - 1, "nothing was trained")
    _ = try m.learn(positive: p, negative: n, epochs: 1)
    #expect(m.layers[0].adamSteps == FFLayer.maximumAdamSteps)
  }

  @Test func aModelWhoseFieldsDoNotFitTheFileIsRefusedAtSaveNotTrapped() throws {
    let layer = FFLayer(weights: Matrix(rows: 2, cols: 10), bias: [0, 0], hyper: LayerHyperparameters(epochs: 5_000_000_000))
    let model = FFModel(layers: [layer])
    let folder = try makeFolder("ckpt")
    defer { removeFolder(folder) }
    #expect(throws: CheckpointError(file: folder + "/m.ffm", problem: "cannot save: layer 1 has epochs 5000000000; a model file holds 1...1000000")) {
      try Checkpoint.save(model, to: folder + "/m.ffm")
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/m.ffm"))
  }

  @Test func buildRefusesWhatASaveCouldNotHold() throws {
    var g = Generator(seed: 1, stream: "init")
    #expect(throws: FFRuntimeError.invalidArgument("epochs must be between 1 and 1000000, got 5000000000")) {
      try FFModel(dims: [784, 20], hyper: LayerHyperparameters(epochs: 5_000_000_000), generator: &g)
    }
    #expect(throws: FFRuntimeError.invalidArgument("every size in dims must be at most 16777215, got [10, 16777216]")) {
      try FFModel(dims: [10, 1 << 24], hyper: LayerHyperparameters(), generator: &g)
    }
  }

  @Test func modelFilesThatAreNotRegularFilesAreRefusedWithoutBlocking() throws {
    let folder = try makeFolder("ckpt")
    defer { removeFolder(folder) }
    let fifo = folder + "/m.ffm"
    try makeFIFO(fifo)
    let (result, blocked) = withoutBlocking(on: fifo) { Result { try Checkpoint.load(from: fifo) } }
    #expect(!blocked)
    #expect(throws: CheckpointError(file: fifo, problem: "it is a FIFO (named pipe), not a regular file")) { try result.get() }
    #expect(throws: CheckpointError(file: "/dev/zero", problem: "it is a character device, not a regular file")) {
      try Checkpoint.load(from: "/dev/zero")
    }
    #expect(throws: CheckpointError(file: folder, problem: "it is a directory")) { try Checkpoint.load(from: folder) }
  }

  @Test func savingOverAFIFOWithoutAReaderIsRefusedAndTheFIFOKept() throws {
    var g = Generator(seed: 1, stream: "init")
    let m = try FFModel(dims: [12, 4], hyper: LayerHyperparameters(), generator: &g)
    let folder = try makeFolder("ckpt")
    defer { removeFolder(folder) }
    let fifo = folder + "/m.ffm"
    try makeFIFO(fifo)
    #expect(throws: CheckpointError(file: fifo, problem: "cannot write: it is a FIFO (named pipe) that no process is reading")) {
      try Checkpoint.save(m, to: fifo)
    }
    var info = stat()
    #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }
}
