import FFKernels
import Testing
@testable import FFRuntime

/// Greedy training of layer 1 on the seed's labelled pairs shares each image's product between
/// its two rows (SharedImageWorkspace). These check it against the materialised rows
/// (LayerWorkspace) on the same input, against finite differences, and that anything without
/// the structure keeps the materialised path.
@Suite struct SharedFirstLayerTests {
  /// Pairs as the interpreter makes them: images of random pixels, the true label and a drawn
  /// one written in with the batch maximum. (n, d) each.
  struct Pairs {
    let positive: Matrix, negative: Matrix
    let labels: [Int], negatives: [Int]
    let value: Float
  }

  static func pairs(rows n: Int, cols d: Int, seed: UInt64, mode: NegativeMode = .random) -> Pairs {
    var g = Generator(seed: seed, stream: "shared pairs")
    let x = Matrix(rows: n, cols: d)
    g.fillNormal(x.elements)
    let labels = (0..<n).map { _ in g.nextInt(below: LabelOverlay.classes) }
    let negatives = NegativeLabels.draw(for: labels, mode: mode, generator: &g)
    let value = Elementwise.maximum(UnsafeBufferPointer(x.elements))
    let positive = Matrix(rows: n, cols: d), negative = Matrix(rows: n, cols: d)
    LabelOverlay.apply(x, labels: labels, value: value, into: positive)
    LabelOverlay.apply(x, labels: negatives, value: value, into: negative)
    return Pairs(positive: positive, negative: negative, labels: labels, negatives: negatives, value: value)
  }

  /// The seed's recipe, the seed's with RMS normalisation, and Hinton's (RMS, sum goodness,
  /// the smoothed optimizer, peer normalisation).
  static func recipe(_ name: String) -> ModelRecipe {
    switch name {
    case "seed-rms":
      var r = ModelRecipe.seed
      r.normalization = .rms
      return r
    case "hinton": return .hinton(layers: 1)
    default: return .seed
    }
  }

  static func layer(_ recipe: ModelRecipe, inputs: Int, outputs: Int, seed: UInt64) -> FFLayer {
    var g = Generator(seed: seed, stream: "shared layer")
    return FFLayer(inputs: inputs, outputs: outputs, hyper: LayerHyperparameters(threshold: 0.5), recipe: recipe, generator: &g)
  }

  /// A layer with the same parameters and state (peer means start equal too).
  static func twin(_ layer: FFLayer) -> FFLayer {
    FFLayer(weights: layer.weights.copy(), bias: layer.bias.array, hyper: layer.hyper, recipe: layer.recipe)
  }

  /// |a - b| <= relative * max|b| for every entry: a tolerance relative to the reference's
  /// scale, so entries that cancel to near zero are held to the same absolute bound.
  static func expectClose(_ a: [Float], _ b: [Float], _ what: String, relative: Float = 1e-5) {
    #expect(a.count == b.count, "\(what): \(a.count) values, expected \(b.count)")
    let scale = max(b.map(abs).max() ?? 0, Float.leastNormalMagnitude)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= relative * scale, "\(what): largest difference \(worst), \(worst / scale) of the largest entry \(scale)")
  }

  static func expectSameGradients(_ shared: FFLayer, _ materialised: FFLayer, _ what: String) {
    expectClose(shared.lastWeightGradient.array, materialised.lastWeightGradient.array, "\(what): dW")
    expectClose(shared.lastBiasGradient, materialised.lastBiasGradient, "\(what): db")
    expectClose(shared.peerMeans.array, materialised.peerMeans.array, "\(what): peer means")
  }

  @Test(arguments: ["seed", "seed-rms", "hinton"])
  func fullBatchEqualsTheMaterialisedRows(recipe: String) throws {
    let p = Self.pairs(rows: 10, cols: 24, seed: 1)
    let shared = Self.layer(Self.recipe(recipe), inputs: 24, outputs: 8, seed: 2), materialised = Self.twin(shared)
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    let sharedRows = SharedImageWorkspace(layer: shared, pairs: pairs)
    let stackedRows = LayerWorkspace(layer: materialised, input: FFModel.stack(p.positive, p.negative), positives: 10)
    let a = shared.lossAndGradients(sharedRows), b = materialised.lossAndGradients(stackedRows)
    Self.expectClose([a], [b], "loss")
    Self.expectSameGradients(shared, materialised, recipe)
    Self.expectClose(sharedRows.output(shared).array, stackedRows.output(materialised).array, "next layer's input")
  }

  @Test(arguments: ["seed", "seed-rms", "hinton"])
  func miniBatchesEqualTheMaterialisedRows(recipe: String) throws {
    let p = Self.pairs(rows: 10, cols: 24, seed: 3)
    let shared = Self.layer(Self.recipe(recipe), inputs: 24, outputs: 8, seed: 4), materialised = Self.twin(shared)
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    let sharedRows = SharedImageWorkspace(layer: shared, pairs: pairs, batch: 4)
    let stackedRows = LayerWorkspace(layer: materialised, input: FFModel.stack(p.positive, p.negative), positives: 10, batch: 4)
    // Two full mini-batches and the shorter last one, in a shuffled order; then a full one again.
    for members in [[3, 7, 1, 0], [9, 2, 5, 8], [6, 4], [4, 6, 0, 9]] {
      let a = sharedRows.evaluate(shared, pairs: members[...]), b = stackedRows.evaluate(materialised, pairs: members[...])
      Self.expectClose([Float(a)], [Float(b)], "loss of \(members)")
      Self.expectSameGradients(shared, materialised, "\(recipe), pairs \(members)")
    }
    // The output runs in blocks of the batch's size (4, 4, 2 images).
    Self.expectClose(sharedRows.output(shared).array, stackedRows.output(materialised).array, "next layer's input")
  }

  @Test(arguments: ["l2", "rms"])
  func sharedWeightGradientMatchesFiniteDifferences(normalization: String) throws {
    var recipe = ModelRecipe.seed
    recipe.normalization = normalization == "rms" ? .rms : .l2
    let p = Self.pairs(rows: 4, cols: 14, seed: 5)
    let threshold: Float = 0.5
    let layer = Self.layer(recipe, inputs: 14, outputs: 5, seed: 6)
    let pairs = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    _ = layer.lossAndGradients(SharedImageWorkspace(layer: layer, pairs: pairs))

    let pos = p.positive.nested.map { $0.map(Double.init) }, neg = p.negative.nested.map { $0.map(Double.init) }
    // Every label pixel's column (the scatter) and some image pixels' (the folded product).
    GradientCheckTests.expectFiniteDifferences(layer, columns: Array(0..<10) + [10, 12, 13]) { w, b in
      GradientCheckTests.referenceLoss(w: w, b: b, pos: pos, neg: neg, threshold: Double(threshold), eps: 1e-4,
                                       rms: normalization == "rms")
    }
  }

  @Test func theStructureIsFoundWhereItHoldsExactly() throws {
    let p = Self.pairs(rows: 8, cols: 20, seed: 7)
    let found = try #require(LabelledPairs(positive: p.positive, negative: p.negative))
    #expect(found.labels == p.labels && found.negativeLabels == p.negatives && found.value == p.value)
    #expect(found.images === p.positive, "the images are read in place")
    let wrong = Self.pairs(rows: 8, cols: 20, seed: 7, mode: .wrong)
    #expect(LabelledPairs(positive: wrong.positive, negative: wrong.negative) != nil)

    /// Whether the structure is refused once `change` altered copies of the pairs.
    func refused(_ change: (Matrix, Matrix) -> Void) -> Bool {
      let a = p.positive.copy(), b = p.negative.copy()
      change(a, b)
      return LabelledPairs(positive: a, negative: b) == nil
    }
    #expect(refused { _, n in n[3, 15] = n[3, 15].nextUp }, "an image pixel one ulp apart")
    #expect(refused { _, n in n[7, 19] = -n[7, 19] }, "an image pixel of the other sign")
    #expect(refused { a, _ in a[4, (p.labels[4] + 1) % 10] = p.value }, "two label pixels set")
    #expect(refused { _, n in n[5, p.negatives[5]] = p.value.nextDown }, "another label value in one row")
    #expect(refused { a, _ in a[0, p.labels[0]] = 0 }, "no label pixel in the first row")
    #expect(refused { a, _ in a[6, p.labels[6]] = 0 }, "no label pixel in a later row")
    #expect(refused { a, n in
      for r in 0..<8 {
        a[r, p.labels[r]] = .infinity
        n[r, p.negatives[r]] = .infinity
      }
    }, "a label value that is not finite")
    // Rows that are not the same image: the negatives in another order.
    let shuffled = Matrix(rows: 8, cols: 20)
    for r in 0..<8 { shuffled.assignRows(from: p.negative, ((r + 1) % 8)..<((r + 1) % 8 + 1), at: r) }
    #expect(LabelledPairs(positive: p.positive, negative: shuffled) == nil)
    #expect(LabelledPairs(positive: p.positive, negative: p.negative.prefixRows(7)) == nil)
    // Arbitrary matrices, and rows with no image pixels.
    var g = Generator(seed: 8)
    let x = Matrix(rows: 8, cols: 20), y = Matrix(rows: 8, cols: 20)
    g.fillNormal(x.elements); g.fillNormal(y.elements)
    #expect(LabelledPairs(positive: x, negative: y) == nil)
    let bare = Matrix(rows: 2, cols: 10)
    bare[0, 1] = 1; bare[1, 2] = 1
    #expect(LabelledPairs(positive: bare, negative: bare) == nil)
  }

  /// `learn` on labelled pairs matches the materialised path layer by layer, full batch and
  /// mini-batches: the first full-batch loss to rounding, the later ones (after Adam steps on
  /// gradients equal to rounding) closely.
  @Test(arguments: [nil, 4] as [Int?])
  func learnSharesLayer1AndTrainsAsTheMaterialisedPath(batch: Int?) throws {
    let p = Self.pairs(rows: 10, cols: 24, seed: 9)
    let hyper = LayerHyperparameters(epochs: 4, lr: 0.01, threshold: 0.5)
    var g = Generator(seed: 10, stream: "init")
    let model = try FFModel(dims: [24, 8, 6], hyper: hyper, generator: &g)
    let twin = FFModel(layers: model.layers.map(Self.twin))
    let schedule = LearningSchedule(batch: batch)
    var shuffle = Generator(seed: 11, stream: "shuffle"), same = Generator(seed: 11, stream: "shuffle")
    #expect(try model.learn(positive: p.positive, negative: p.negative, schedule: schedule, generator: &shuffle) == .completed)
    var input = FFModel.stack(p.positive, p.negative)
    for (k, layer) in twin.layers.enumerated() {
      let result = try layer.train(.stacked(input, positives: 10), epochs: 4, layerNumber: k + 1, schedule: schedule,
                                   generator: &same, control: TrainingControl())
      input = try #require(result.output)
    }
    for k in 0..<2 {
      let shared = model.layers[k].lossHistory, materialised = twin.layers[k].lossHistory
      #expect(shared.count == 4 && materialised.count == 4)
      if batch == nil { Self.expectClose([shared[0]], [materialised[0]], "layer \(k + 1)'s first loss") }
      Self.expectClose(shared, materialised, "layer \(k + 1)'s losses", relative: 1e-3)
    }
  }

  /// Without the structure, `learn` is the materialised path, to the bit.
  @Test func learnFallsBackToTheMaterialisedRows() throws {
    let p = Self.pairs(rows: 10, cols: 24, seed: 12)
    let negative = p.negative.copy()
    negative[2, 20] += 1  // row 2's negative is no longer the same image
    #expect(LabelledPairs(positive: p.positive, negative: negative) == nil)
    var g = Generator(seed: 13, stream: "init")
    let model = try FFModel(dims: [24, 8], hyper: LayerHyperparameters(epochs: 3, lr: 0.01, threshold: 0.5), generator: &g)
    let twin = Self.twin(model.layers[0])
    _ = try model.learn(positive: p.positive, negative: negative)
    var unused = Generator(seed: 0)
    _ = try twin.train(.stacked(FFModel.stack(p.positive, negative), positives: 10), epochs: 3, layerNumber: 1,
                       schedule: .seed, generator: &unused, control: TrainingControl())
    #expect(model.layers[0].lossHistory == twin.lossHistory)
    #expect(model.layers[0].weights.array == twin.weights.array)
  }
}
