import FFKernels
import Testing
@testable import FFRuntime

/// The fused evaluations (one pass per row or pair after the forward product) against the
/// separate passes they replace, on the same input: loss, goodness, dL/dW and dL/db agree to
/// float rounding. The separate passes are themselves checked by finite differences
/// (GradientCheckTests) and by Hinton's reference values.
@Suite struct FusedPassesTests {
  typealias Shared = SharedFirstLayerTests

  @Test(arguments: ["seed", "seed-rms"])
  func fusedRowsEqualTheSeparatePasses(recipe: String) throws {
    let p = Shared.pairs(rows: 40, cols: 30, seed: 21)
    let fused = Shared.layer(Shared.recipe(recipe), inputs: 30, outputs: 12, seed: 22), separate = Shared.twin(fused)
    #expect(fused.fusesRows)
    let x = Matrix(rows: 80, cols: 30)
    fused.normalize(FFModel.stack(p.positive, p.negative), into: x)
    let h1 = Matrix(rows: 80, cols: 12), g1 = Matrix(rows: 1, cols: 80)
    let a = fused.fusedLossAndGradients(normalized: x, positives: 40, into: h1, goodness: g1.base)

    let h2 = Matrix(rows: 80, cols: 12), g2 = Matrix(rows: 1, cols: 80), c = Matrix(rows: 1, cols: 80), ones = Matrix(rows: 1, cols: 80)
    ones.fill(1)
    separate.activate(normalized: x, into: h2, goodness: g2)
    let b = separate.lossGradient(h2, goodness: g2.base, positives: 40, coefficients: c.base)
    separate.accumulateGradients(h2, input: x, positives: 40, ones: ones.base)

    Shared.expectClose([Float(a)], [Float(b)], "loss", relative: 1e-6)
    #expect(g1.array == g2.array, "goodness")
    #expect(h1.array == h2.array, "dL/dz")
    #expect(fused.weightGradient.array == separate.weightGradient.array, "dL/dW: the same product of the same rows")
    Shared.expectClose(fused.biasGradient.array, separate.biasGradient.array, "dL/db", relative: 1e-5)
  }

  @Test(arguments: ["seed", "seed-rms"])
  func fusedPairsEqualTheSeparatePasses(recipe: String) throws {
    let p = Shared.pairs(rows: 24, cols: 40, seed: 23, mode: .random)
    let fused = Shared.layer(Shared.recipe(recipe), inputs: 40, outputs: 16, seed: 24), separate = Shared.twin(fused)
    #expect(fused.fusesSharedPairs)
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    // Random negatives include the true label sometimes: the up == down branch of the fold.
    #expect(zip(pairs.labels, pairs.negativeLabels).contains { $0 == $1 })
    let ws = SharedImageWorkspace(layer: fused, pairs: pairs)
    let scales = ws.all.scales.base
    let b1 = SharedImageBuffers(layer: fused, capacity: 24), b2 = SharedImageBuffers(layer: separate, capacity: 24)
    fused.sharedLabelColumns(value: pairs.value, into: b1.labelColumns)
    separate.sharedLabelColumns(value: pairs.value, into: b2.labelColumns)
    let g1 = Matrix(rows: 1, cols: 48)
    let a = fused.fusedSharedLossAndGradients(images: pairs.images, scales: scales, labels: pairs.labels, negativeLabels: pairs.negativeLabels,
                                        value: pairs.value, pairs: 24, buffers: b1, goodness: g1.base)

    let h = Matrix(rows: 48, cols: 16), g2 = Matrix(rows: 1, cols: 48), c = Matrix(rows: 1, cols: 48), ones = Matrix(rows: 1, cols: 48)
    ones.fill(1)
    separate.sharedImageProducts(pairs.images, rows: 0..<24, into: b2.products)
    separate.activateShared(products: b2.products, scales: scales, labelColumns: b2.labelColumns, count: 24,
                            column: { pairs.labels[$0] }, into: h.base, goodness: g2.base)
    separate.activateShared(products: b2.products, scales: scales, labelColumns: b2.labelColumns, count: 24,
                            column: { pairs.negativeLabels[$0] }, into: h.base + 24 * 16, goodness: g2.base + 24)
    let b = separate.lossGradient(h, goodness: g2.base, positives: 24, coefficients: c.base)
    separate.accumulateSharedGradients(h, images: pairs.images, scales: scales, labels: pairs.labels,
                                       negativeLabels: pairs.negativeLabels, value: pairs.value, buffers: b2, ones: ones.base)

    Shared.expectClose([Float(a)], [Float(b)], "loss", relative: 1e-6)
    #expect(g1.array == g2.array, "goodness")
    Shared.expectClose(fused.weightGradient.array, separate.weightGradient.array, "dL/dW", relative: 1e-6)
    Shared.expectClose(fused.biasGradient.array, separate.biasGradient.array, "dL/db", relative: 1e-5)
  }
}
