import FFKernels
import Foundation
import Testing
@testable import FFRuntime

@Suite struct CheckpointTests {
  func trainedModel() throws -> FFModel {
    var g = Generator(seed: 21, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 3, lr: 0.05, threshold: 1.5), generator: &g)
    let p = Matrix(rows: 4, cols: 12), n = Matrix(rows: 4, cols: 12)
    g.fillNormal(p.elements); g.fillNormal(n.elements)
    _ = try m.learn(positive: p, negative: n)
    return m
  }

  func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ffnb-ckpt-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
  }

  @Test func roundTripKeepsEverythingNeededToResume() throws {
    let m = try trainedModel()
    let path = tempPath("m.ffm")
    try Checkpoint.save(m, to: path)
    let r = try Checkpoint.load(from: path)
    #expect(r.dims == m.dims)
    for (a, b) in zip(m.layers, r.layers) {
      #expect(a.weights.array == b.weights.array)
      #expect(a.bias.array == b.bias.array)
      #expect(a.adamW.m.array == b.adamW.m.array && a.adamW.v.array == b.adamW.v.array)
      #expect(a.adamB.m.array == b.adamB.m.array && a.adamB.v.array == b.adamB.v.array)
      #expect(a.adamSteps == b.adamSteps && a.lossHistory == b.lossHistory && a.hyper == b.hyper)
    }
    // Resuming from the file continues exactly as the original would.
    let p = Matrix(rows: 4, cols: 12, values: (0..<48).map { Float($0 % 7) - 3 })
    let n = Matrix(rows: 4, cols: 12, values: (0..<48).map { Float($0 % 5) - 2 })
    _ = try m.learn(positive: p, negative: n, epochs: 2)
    _ = try r.learn(positive: p, negative: n, epochs: 2)
    #expect(m.layers[1].weights.array == r.layers[1].weights.array)
  }

  @Test func corruptionIsRejectedWithAClearMessage() throws {
    let bytes = try Checkpoint.encode(try trainedModel())
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0x40
    #expect(throws: CheckpointError.self) { try Checkpoint.decode(flipped, file: "m.ffm") }
    do { _ = try Checkpoint.decode(flipped, file: "m.ffm") } catch {
      #expect(error.description.hasPrefix("m.ffm: checksum mismatch"))
    }
    do { _ = try Checkpoint.decode(Array(bytes.dropLast(100)), file: "m.ffm") } catch {
      #expect(error.description.contains("truncated"))
    }
    var magic = bytes
    magic[0] = UInt8(ascii: "X")
    do { _ = try Checkpoint.decode(magic, file: "m.ffm") } catch {
      #expect(error.description.contains("bad magic"))
    }
    for cut in [0, 5, 19, 30] {
      #expect(throws: CheckpointError.self) { try Checkpoint.decode(Array(bytes.prefix(cut)), file: "m.ffm") }
    }
    #expect(throws: CheckpointError.self) { try Checkpoint.load(from: tempPath("missing.ffm")) }
  }

  @Test func crcMatchesTheStandardCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  }
}
