import FFData
import FFKernels
import Foundation
import Testing

/// The seed's `Compose([ToTensor(), Normalize((0.1,), (0.1,)), Lambda(flatten)])` and its variants.
@Suite struct TransformTests {
  @Test func seedPipelineMapsBytesToMinusOneThroughNine() {
    let table = TransformPipeline.seed.lookupTable
    #expect(table.count == 256)
    // (0/255 - 0.1) / 0.1 = -1 and (255/255 - 0.1) / 0.1 = 9, up to float32 rounding of 0.1.
    #expect(abs(table[0] - -1) < 1e-6)
    #expect(abs(table[255] - 9) < 1e-6)
    // 51/255 = 0.2 -> (0.2 - 0.1) / 0.1 = 1.
    #expect(abs(table[51] - 1) < 1e-6)
    // Bit-exact with torch's float32 order of operations: byte/255, then sub, then div.
    let b: Float = 200
    #expect(table[200] == (b / 255 - Float(0.1)) / Float(0.1))
    #expect(TransformPipeline.seed.isFlat && TransformPipeline.seed.isTensor)
    #expect(TransformPipeline.seed.description == "Compose([ToTensor(), Normalize((0.1,), (0.1,)), Lambda(flatten)])")
  }

  @Test func withoutToTensorNormalizeActsOnByteValues() throws {
    let pipeline = try TransformPipeline([.normalize(mean: 127.5, std: 127.5)])
    let table = pipeline.lookupTable
    #expect(table[0] == -1 && table[255] == 1)
    #expect(!pipeline.isFlat && !pipeline.isTensor)
    #expect(try TransformPipeline([]).lookupTable[37] == 37)
  }

  @Test func pipelinesTorchWouldRefuseAreErrors() {
    for steps: [TransformStep] in [
      [.toTensor, .normalize(mean: 0.1, std: 0)],
      [.toTensor, .normalize(mean: 0.1, std: .nan)],
      [.toTensor, .normalize(mean: .infinity, std: 1)],
      [.toTensor, .toTensor],
      [.flatten, .toTensor],
      [.toTensor, .flatten, .normalize(mean: 0.1, std: 0.1)],
      [.toTensor, .flatten, .flatten],
    ] {
      #expect(throws: DataError.self, "\(steps)") { try TransformPipeline(steps) }
    }
    #expect(throws: DataError.invalidTransform("Normalize std must be finite and non-zero, got 0.0")) {
      try TransformPipeline([.toTensor, .normalize(mean: 0.1, std: 0)])
    }
  }

  @Test func applyGathersTheRequestedRowsInOrder() throws {
    let raw = RawImages(count: 3, rows: 1, cols: 2, pixels: [0, 255, 51, 102, 10, 20])
    let m = try TransformPipeline.seed.apply(to: raw, rows: [2, 0])
    #expect(m.rows == 2 && m.cols == 2)
    let t = TransformPipeline.seed.lookupTable
    #expect(m.array == [t[10], t[20], t[0], t[255]])
    let all = try TransformPipeline.seed.apply(to: raw)
    #expect(all.rows == 3 && all.array == raw.pixels.map { t[Int($0)] })
    #expect(throws: DataError.indexOutOfRange(index: 3, count: 3)) {
      try TransformPipeline.seed.apply(to: raw, rows: [0, 3])
    }
    #expect(throws: DataError.indexOutOfRange(index: -1, count: 3)) {
      try TransformPipeline.seed.apply(to: raw, rows: [-1])
    }
  }

  @Test func realTestSplitThroughTheSeedPipeline() throws {
    let test = try RealData.mnistTest.get()
    let m = try TransformPipeline.seed.apply(to: test.images)
    #expect(m.rows == 10000 && m.cols == 784)
    let values = m.elements
    #expect(values.min() == TransformPipeline.seed.lookupTable[0])
    #expect(values.max() == TransformPipeline.seed.lookupTable[255])
    // Row 1234 is image 1234, pixel for pixel.
    let t = TransformPipeline.seed.lookupTable
    #expect(Array(m.row(1234)) == (try test.images.image(1234)).map { t[Int($0)] })
  }
}
