import FFKernels
import Testing
@testable import FFRuntime

/// Training with bf16 products (operands rounded to bf16, fp32 accumulation). Tolerances are
/// the README's (section "bf16"): a layer's loss and gradients within 1 % of fp32's (relative
/// to the largest entry), since each operand carries a relative error of at most 2^-9; and
/// rounding an operand once for a whole training gives exactly what rounding it at every
/// product gives.
@Suite struct BF16TrainingTests {
  typealias Shared = SharedFirstLayerTests

  @Test(arguments: ["seed", "seed-rms", "hinton"])
  func gradientsStayWithinOnePercentOfFP32(recipe: String) throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let p = Shared.pairs(rows: 64, cols: 110, seed: 11)
    let exact = Shared.layer(Shared.recipe(recipe), inputs: 110, outputs: 48, seed: 12), half = Shared.twin(exact)
    half.precision = .bf16
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    // Layer 1's shared path, and the materialised rows a later layer trains on.
    let a = exact.lossAndGradients(SharedImageWorkspace(layer: exact, pairs: pairs))
    let b = half.lossAndGradients(SharedImageWorkspace(layer: half, pairs: pairs))
    Shared.expectClose([b], [a], "\(recipe): loss", relative: 1e-2)
    Shared.expectClose(half.weightGradient.array, exact.weightGradient.array, "\(recipe): weight gradient", relative: 1e-2)
    Shared.expectClose(half.biasGradient.array, exact.biasGradient.array, "\(recipe): bias gradient", relative: 1e-2)
    #expect(half.weightGradient.array != exact.weightGradient.array, "bf16 gave fp32's bits: it did not run")

    let stacked = FFModel.stack(p.positive, p.negative)
    let c = exact.lossAndGradients(LayerWorkspace(layer: exact, input: stacked, positives: 64))
    let d = half.lossAndGradients(LayerWorkspace(layer: half, input: stacked, positives: 64))
    Shared.expectClose([d], [c], "\(recipe): materialised loss", relative: 1e-2)
    Shared.expectClose(half.weightGradient.array, exact.weightGradient.array, "\(recipe): materialised weight gradient", relative: 1e-2)
  }

  @Test func roundingTheInputOnceEqualsRoundingItAtEveryProduct() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let p = Shared.pairs(rows: 32, cols: 60, seed: 13)
    let once = Shared.layer(.seed, inputs: 60, outputs: 20, seed: 14), every = Shared.twin(once)
    once.precision = .bf16
    every.precision = .bf16
    let stacked = FFModel.stack(p.positive, p.negative)
    let ws = LayerWorkspace(layer: once, input: stacked, positives: 32)
    #expect(ws.rounded != nil)
    _ = once.lossAndGradients(ws)
    // The same evaluation without the rounded copy: every product rounds its operands itself.
    let h = Matrix(rows: 64, cols: 20), g = Matrix(rows: 1, cols: 64)
    _ = every.fusedLossAndGradients(normalized: ws.normalized, positives: 32, into: h, goodness: g.base)
    #expect(once.weightGradient.array == every.weightGradient.array)
    #expect(once.biasGradient.array == every.biasGradient.array)

    // dL/dz written in bf16 by the fused pass, against the fp32 rows rounded by the product.
    let direct = Shared.twin(once)
    direct.precision = .bf16
    let h2 = Matrix(rows: 64, cols: 20), g2 = Matrix(rows: 1, cols: 64)
    _ = direct.fusedLossAndGradients(normalized: ws.normalized, positives: 32, into: h2, goodness: g2.base,
                                     roundedGradient: BF16Matrix(rows: 64, cols: 20))
    #expect(direct.weightGradient.array == every.weightGradient.array)
    #expect(direct.biasGradient.array == every.biasGradient.array)

    // Layer 1's images, rounded once, against the same images rounded by each product.
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    let shared = SharedImageWorkspace(layer: once, pairs: pairs)
    #expect(shared.roundedImages != nil)
    let products = Matrix(rows: 32, cols: 20), again = Matrix(rows: 32, cols: 20)
    once.sharedImageProducts(pairs.images, rows: 0..<32, into: products, rounded: shared.roundedImages?.rows(0..<32))
    once.sharedImageProducts(pairs.images, rows: 0..<32, into: again)
    #expect(products.array == again.array)
  }

  @Test func foldedRowsWrittenInBF16EqualTheFP32RowsRoundedByTheProduct() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let p = Shared.pairs(rows: 24, cols: 50, seed: 17)
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    let a = Shared.layer(.seed, inputs: 50, outputs: 16, seed: 18), b = Shared.twin(a)
    let plain = SharedImageBuffers(layer: a, capacity: 24)  // made in fp32: no bf16 room
    a.precision = .bf16
    b.precision = .bf16
    let direct = SharedImageBuffers(layer: b, capacity: 24)
    #expect(plain.roundedFolded == nil && direct.roundedFolded != nil)
    let ws = SharedImageWorkspace(layer: a, pairs: pairs)
    for (layer, buffers) in [(a, plain), (b, direct)] {
      layer.sharedLabelColumns(value: pairs.value, into: buffers.labelColumns)
      let g = Matrix(rows: 1, cols: 48)
      _ = layer.fusedSharedLossAndGradients(images: pairs.images, scales: ws.all.scales.base, labels: pairs.labels,
                                            negativeLabels: pairs.negativeLabels, value: pairs.value, pairs: 24, buffers: buffers,
                                            goodness: g.base)
    }
    #expect(a.weightGradient.array == b.weightGradient.array)
    #expect(a.biasGradient.array == b.biasGradient.array)
  }

  @Test func greedyTrainingInBF16FollowsFP32() throws {
    try #require(BF16.isAvailable, "bf16 not available here: \(BF16.status)")
    let p = Shared.pairs(rows: 200, cols: 60, seed: 15)
    func train(_ precision: Precision) throws -> [Float] {
      var g = Generator(seed: 16)
      let model = try FFModel(dims: [60, 40, 20], hyper: LayerHyperparameters(epochs: 30, lr: 0.03, threshold: 2), generator: &g)
      model.precision = precision
      _ = try model.learn(positive: p.positive, negative: p.negative)
      return model.layers.map { $0.lossHistory.last ?? .nan }
    }
    let exact = try train(.fp32), half = try train(.bf16)
    for (a, b) in zip(half, exact) { #expect(abs(a - b) <= 0.01 * abs(b), "final losses bf16 \(half) vs fp32 \(exact)") }
  }
}
