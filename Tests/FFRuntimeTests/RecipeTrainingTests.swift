import FFKernels
import Foundation
import Testing

@testable import FFRuntime

/// The pieces of Hinton's recipe beyond the reference step: hard-negative sampling, the sum
/// goodness gradient against finite differences, the rate schedule, and training together.
@Suite struct RecipeTrainingTests {
  @Test func hardNegativesNeverDrawTheTrueLabelAndFollowTheDistribution() {
    let logits: [Float] = [0.3, -1.2, 2.0, 0.1, 0.0, 1.1, -0.4, 0.7, 1.9, -2.0]
    let trueLabel = 2
    var row = logits
    row.withUnsafeMutableBufferPointer { HardNegatives.distribution(logits: $0, trueLabel: trueLabel) }
    #expect(row[trueLabel] == 0)
    #expect(abs(row.reduce(0, +) - 1) < 1e-5)
    // softmax over the nine others, computed independently.
    let others = logits.enumerated().filter { $0.offset != trueLabel }.map { exp(Double($0.element)) }
    let total = others.reduce(0, +)
    let expected = logits.indices.map { $0 == trueLabel ? 0 : exp(Double(logits[$0])) / total }
    for (a, e) in zip(row, expected) { #expect(abs(Double(a) - e) < 1e-6) }

    var g = Generator(seed: 7, stream: "hard")
    let draws = 200_000
    var counts = [Int](repeating: 0, count: 10)
    row.withUnsafeBufferPointer { p in
      for _ in 0..<draws { counts[HardNegatives.sample(p, generator: &g)] += 1 }
    }
    #expect(counts[trueLabel] == 0)
    // Each count is binomial(draws, p): within 5 standard deviations (a false alarm about once
    // in 1.7 million runs per label), and the chi-square of the nine free cells below its
    // 99.99th percentile (33.7 for 8 degrees of freedom).
    var chi2 = 0.0
    for j in 0..<10 where j != trueLabel {
      let mean = Double(draws) * expected[j]
      let sd = (mean * (1 - expected[j])).squareRoot()
      #expect(abs(Double(counts[j]) - mean) < 5 * sd, "label \(j): \(counts[j]) draws, expected about \(Int(mean))")
      chi2 += pow(Double(counts[j]) - mean, 2) / mean
    }
    #expect(chi2 < 33.7, "chi-square \(chi2) for \(counts)")
  }

  @Test(arguments: [[Float](repeating: 0, count: 10), [5000, 0, 0, 0, 0, 0, 0, 0, 0, 0], [.nan, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
  func degenerateLogitsStillGiveAWrongLabel(logits: [Float]) {
    var row = logits
    row.withUnsafeMutableBufferPointer { HardNegatives.distribution(logits: $0, trueLabel: 0) }
    var g = Generator(seed: 1)
    for _ in 0..<1000 {
      let label = row.withUnsafeBufferPointer { HardNegatives.sample($0, generator: &g) }
      #expect(label != 0 && label < 10)
    }
  }

  /// ffcode's loss, written directly in Double: RMS-normalised input, logit (sum h^2 - units) / T,
  /// -log p on positives, -log(1 - p) on negatives, summed over rows.
  static func referenceLoss(w: [[Double]], b: [Double], pos: [[Double]], neg: [[Double]], temperature: Double) -> Double {
    func logit(_ x: [Double]) -> Double {
      let rms = (x.map { $0 * $0 }.reduce(0, +) / Double(x.count)).squareRoot()
      let xn = x.map { $0 / rms }
      var g = 0.0
      for (j, row) in w.enumerated() {
        let h = max(zip(row, xn).map { $0 * $1 }.reduce(0, +) + b[j], 0)
        g += h * h
      }
      return (g - Double(w.count)) / temperature
    }
    func softplus(_ s: Double) -> Double { max(s, 0) + log(1 + exp(-abs(s))) }
    return pos.map { softplus(-logit($0)) }.reduce(0, +) + neg.map { softplus(logit($0)) }.reduce(0, +)
  }

  /// The `sum` goodness gradient (smoothed optimizer, momentum 0 so the buffer holds dW / P
  /// exactly) is half the derivative of the summed loss divided by P: ffcode folds the 2 of
  /// d(h^2)/dh into its rate.
  @Test(arguments: [UInt64(1), 2, 3])
  func sumGoodnessGradientMatchesFiniteDifferences(seed: UInt64) {
    var recipe = ModelRecipe.hinton(layers: 1)
    recipe.momentum = 0
    recipe.peer = 0
    recipe.temperature = 3
    var gen = Generator(seed: seed, stream: "gradcheck-sum")
    let (n, din, dout) = (4, 7, 6)
    let layer = FFLayer(inputs: din, outputs: dout, hyper: LayerHyperparameters(eps: 0), recipe: recipe, generator: &gen)
    gen.fillNormal(layer.bias.elements)
    for i in 0..<layer.weights.count { layer.weights.base[i] *= 2 }
    let pos = Matrix(rows: n, cols: din), neg = Matrix(rows: n, cols: din)
    gen.fillNormal(pos.elements)
    gen.fillNormal(neg.elements)
    _ = layer.lossAndGradients(positive: pos, negative: neg)

    let w = layer.weights.nested.map { $0.map(Double.init) }, b = layer.bias.array.map(Double.init)
    let p = pos.nested.map { $0.map(Double.init) }, q = neg.nested.map { $0.map(Double.init) }
    let f = { (w: [[Double]], b: [Double]) in Self.referenceLoss(w: w, b: b, pos: p, neg: q, temperature: 3) / Double(n) }
    let h = 1e-6
    for j in 0..<dout {
      for i in 0..<din {
        var up = w, down = w
        up[j][i] += h
        down[j][i] -= h
        let numeric = (f(up, b) - f(down, b)) / (2 * h)
        let analytic = 2 * Double(layer.lastWeightGradient[j, i])
        #expect(abs(numeric - analytic) <= 2e-3 * max(1, abs(numeric)), "dW[\(j), \(i)]: \(analytic) vs \(numeric)")
      }
      var up = b, down = b
      up[j] += h
      down[j] -= h
      let numeric = (f(w, up) - f(w, down)) / (2 * h)
      #expect(abs(numeric - 2 * Double(layer.lastBiasGradient[j])) <= 2e-3 * max(1, abs(numeric)), "db[\(j)]")
    }
  }

  @Test func shiftMovesTheImageAndFillsWithZeros() {
    // 3 x 3 image 1..9, moved one right and one up.
    let src = Matrix(rows: 1, cols: 9, values: (1...9).map(Float.init)), dst = Matrix(rows: 1, cols: 9)
    Elementwise.shiftImage(src.row(0), side: 3, dx: 1, dy: -1, into: dst.row(0))
    #expect(dst.array == [0, 4, 5, 0, 7, 8, 0, 0, 0])
    Elementwise.shiftImage(src.row(0), side: 3, dx: 0, dy: 0, into: dst.row(0))
    #expect(dst.array == src.array)
  }

  @Test func shiftsChangeTrainingOnlyWhenAsked() throws {
    let (x, labels) = Self.tinyData(rows: 20, cols: 25, seed: 4)
    func run(shift: Int) throws -> [Float] {
      var g = Generator(seed: 5, stream: "init")
      let m = try FFModel(dims: [25, 8, 6], hyper: LayerHyperparameters(eps: 1e-30), recipe: .hinton(layers: 2), generator: &g)
      var shuffle = Generator(seed: 1, stream: "shuffle"), draws = Generator(seed: 1, stream: "draws")
      _ = try m.learnTogether(images: x, labels: labels, epochs: 2,
                              schedule: LearningSchedule(batch: 5, order: .together, rate: .constant, shift: shift),
                              negatives: .hard, overlayValue: 1, shuffle: &shuffle, negativeDraws: &draws)
      return m.layers[0].weights.array
    }
    #expect(try run(shift: 0) == run(shift: 0))
    #expect(try run(shift: 1) == run(shift: 1))
    #expect(try run(shift: 1) != run(shift: 0))
  }

  @Test func linearRateScheduleIsFfcodes() {
    let s = LearningSchedule(batch: 100, order: .together, rate: .linear)
    #expect(s.gain(epoch: 1, of: 100) == 1)
    #expect(s.gain(epoch: 50, of: 100) == 1)
    #expect(s.gain(epoch: 51, of: 100) == Float(99) / 100)
    #expect(s.gain(epoch: 100, of: 100) == Float(1) / 100)
    #expect(s.gain(epoch: 2, of: 3) == 1 / Float(1))  // 2 > 3/2: (1 + 2 * 1) / 3
    #expect(LearningSchedule.seed.gain(epoch: 7, of: 10) == 1)
  }

  /// Small images whose first 10 pixels are label pixels, and their labels.
  static func tinyData(rows: Int, cols: Int, seed: UInt64) -> (Matrix, [Int]) {
    var g = Generator(seed: seed, stream: "tiny")
    let x = Matrix(rows: rows, cols: cols)
    for i in 0..<x.count { x.base[i] = g.nextUniform() }
    return (x, (0..<rows).map { $0 % 10 })
  }

  static func train(_ model: FFModel, epochs: Int, stopAfter: Int? = nil, profile: StepProfile? = nil) throws -> TrainingOutcome {
    let (x, labels) = tinyData(rows: 30, cols: 24, seed: 3)
    var shuffle = Generator(seed: 1, stream: "shuffle"), draws = Generator(seed: 1, stream: "draws")
    var asked = 0
    let control = TrainingControl(shouldStop: {
      asked += 1
      return stopAfter.map { asked >= $0 } ?? false
    }, profile: profile)
    return try model.learnTogether(
      images: x, labels: labels, epochs: epochs, schedule: LearningSchedule(batch: 8, order: .together, rate: .linear),
      negatives: .hard, overlayValue: 1, shuffle: &shuffle, negativeDraws: &draws, control: control)
  }

  static func hintonModel() throws -> FFModel {
    var g = Generator(seed: 5, stream: "init")
    return try FFModel(dims: [24, 12, 10, 8], hyper: LayerHyperparameters(epochs: 3, eps: 1e-30),
                       recipe: .hinton(layers: 3), generator: &g)
  }

  @Test func trainingTogetherIsDeterministicAndLearns() throws {
    let a = try Self.hintonModel(), b = try Self.hintonModel()
    #expect(try Self.train(a, epochs: 3) == .completed)
    #expect(try Self.train(b, epochs: 3) == .completed)
    for (la, lb) in zip(a.layers, b.layers) {
      #expect(la.weights.array == lb.weights.array)
      #expect(la.lossHistory.count == 3)
      #expect(la.adamSteps == 12)  // 3 epochs of 4 mini-batches (8, 8, 8, 6)
    }
    #expect(a.head?.weights[0].array == b.head?.weights[0].array)
    #expect(a.head?.steps == 12)
    // Layer losses fall from the first epoch to the last on this easy, repeated data.
    for layer in a.layers { #expect(layer.lossHistory.last! < layer.lossHistory.first!) }
  }

  /// A step profile counts every step and gives every stage its time (the clock only moves
  /// forward, so none is negative, and the stages of a step run one after another, so their
  /// sum is at most the training's wall time); profiling changes no result.
  @Test func aProfileTimesEveryStepAndChangesNothing() throws {
    let plain = try Self.hintonModel(), profiled = try Self.hintonModel()
    let profile = StepProfile()
    let clock = ContinuousClock()
    let start = clock.now
    #expect(try Self.train(profiled, epochs: 3, profile: profile) == .completed)
    let wall = (clock.now - start).seconds
    #expect(try Self.train(plain, epochs: 3) == .completed)
    #expect(profile.steps == 12)  // 3 epochs of 4 mini-batches
    #expect(profile.seconds.allSatisfy { $0 >= 0 })
    #expect(profile.seconds.reduce(0, +) <= wall)
    #expect(profile.seconds[StepProfile.Stage.forwardProducts.rawValue] > 0)
    #expect(profile.seconds[StepProfile.Stage.gradientProducts.rawValue] > 0)
    for (a, b) in zip(plain.layers, profiled.layers) { #expect(a.weights.array == b.weights.array) }
    #expect(StepProfile.Stage.allCases.filter(\.isProduct) == [.firstLayerProduct, .forwardProducts, .gradientProducts])
  }

  /// A head whose rate makes it diverge refuses the step like a layer does: an error naming
  /// the head, and neither the head nor any layer changed by the refused step (the head has
  /// taken as many steps as the layers, and everything is finite).
  @Test func aDivergingHeadRefusesTheStep() throws {
    var g = Generator(seed: 5, stream: "init")
    var recipe = ModelRecipe.hinton(layers: 3)
    recipe.headLR = 1e30
    let m = try FFModel(dims: [24, 12, 10, 8], hyper: LayerHyperparameters(epochs: 3, eps: 1e-30), recipe: recipe, generator: &g)
    do {
      _ = try Self.train(m, epochs: 3)
      Issue.record("a head at rate 1e30 trained without an error")
    } catch {
      guard let error = error as? FFRuntimeError, case .nonFiniteHead = error else { Issue.record("wrong error \(error)"); return }
      #expect(error.description.contains("the softmax head, epoch 1"))
      #expect(error.description.contains("head_lr"))
    }
    let head = try #require(m.head)
    #expect(head.steps >= 1 && m.layers.allSatisfy { $0.adamSteps == head.steps })
    #expect(head.weights.allSatisfy { $0.array.allSatisfy(\.isFinite) } && head.gradients.allSatisfy { $0.array.allSatisfy(\.isFinite) })
    #expect(m.layers.allSatisfy { $0.weights.array.allSatisfy(\.isFinite) && !$0.weightGradientPrescaled })
  }

  /// A step a layer refuses leaves the head's weights as they were too (the head takes its step
  /// with the layers', after every gradient is checked), and names the recipe's parts that
  /// scale the gradients besides lr.
  @Test func aRefusedLayerStepLeavesTheHeadAlone() throws {
    var g = Generator(seed: 5, stream: "init")
    let m = try FFModel(dims: [24, 12, 10, 8], hyper: LayerHyperparameters(epochs: 3, lr: 1e30, eps: 1e-30),
                        recipe: .hinton(layers: 3), generator: &g)
    do {
      _ = try Self.train(m, epochs: 3)
      Issue.record("layers at rate 1e30 trained without an error")
    } catch {
      guard let error = error as? FFRuntimeError, case let .nonFiniteLoss(_, _, _, suspects) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(suspects == ["lr", "temperature", "decay", "peer"])
      #expect(error.description.hasSuffix("Try a smaller lr, or check temperature, decay and peer, which also scale the steps."))
    }
    let head = try #require(m.head)
    #expect(m.layers.allSatisfy { $0.adamSteps == head.steps })
  }

  /// What each check that can refuse a step leaves behind, against a copy of the model taken
  /// just before the step: no weight, bias or head weight moves; peer means are as they were;
  /// the smoothed gradients the step had entered restart from zero, the others stay. The
  /// sabotage makes one check fail: an infinite head weight (the head's loss), a head weight
  /// its update would overflow (the look-ahead), a layer whose squared activities overflow
  /// (its loss), and an infinite weight in layer 2 (whose rows the head reads: layer 2 is
  /// named, not the head).
  @Test(arguments: ["head loss", "head update", "layer 3 loss", "layer 2 weight"])
  func aRefusedStepMovesNothing(_ sabotage: String) throws {
    var g = Generator(seed: 5, stream: "init")
    var recipe = ModelRecipe.hinton(layers: 3)
    if sabotage == "head update" { (recipe.headLR, recipe.headDecay) = (10, 10) }  // W (1 - 100) - 10 G overflows at 1e37
    let m = try FFModel(dims: [24, 12, 10, 8], hyper: LayerHyperparameters(epochs: 3, eps: 1e-30), recipe: recipe, generator: &g)
    let (x, labels) = Self.tinyData(rows: 16, cols: 24, seed: 3)
    let buffers = TogetherBuffers(model: m, batch: 8)
    var draws = Generator(seed: 2, stream: "draws"), shifts = Generator(seed: 1)
    var losses = [Double](repeating: 0, count: 3)
    func step(_ members: Range<Int>) throws {
      for (k, i) in members.enumerated() { buffers.labels[k] = labels[i] }
      _ = try m.step(x, members: ArraySlice(Array(members)), negatives: .hard, value: 1, gain: 1, epoch: 1, buffers: buffers,
                     draws: &draws, losses: &losses, shifts: &shifts)
    }
    try step(0..<8)  // a good step first: smoothed gradients and peer means away from their start
    let head = try #require(m.head)
    switch sabotage {
    case "head loss": head.weights[0][0, 0] = .infinity
    case "head update": head.weights[0][0, 0] = 1e37  // its logits stay finite: the loss and gradients pass
    case "layer 3 loss": for i in 0..<m.layers[2].weights.count { m.layers[2].weights.base[i] *= 1e19 }
    default: m.layers[1].weights[0, 0] = .infinity
    }
    let before = m.copy()
    do {
      try step(8..<16)
      Issue.record("\(sabotage): the step was taken")
    } catch let error as FFRuntimeError {
      switch (sabotage, error) {
      case ("head loss", .nonFiniteHead), ("head update", .nonFiniteHead), ("layer 3 loss", .nonFiniteLoss(3, _, _, _)),
           ("layer 2 weight", .nonFiniteLoss(2, _, _, _)): break
      default: Issue.record("\(sabotage): wrong error \(error)")
      }
    }
    func bits(_ matrix: Matrix) -> [UInt32] { matrix.array.map(\.bitPattern) }
    // The checks the step passed before the refusing one decide which gradients it had entered.
    let entered: (head: Bool, layers: Int) = sabotage == "head loss" || sabotage == "layer 2 weight" ? (false, 0) : (true, 3)
    for (l, (a, b)) in zip(m.layers, before.layers).enumerated() {
      #expect(bits(a.weights) == bits(b.weights) && bits(a.bias) == bits(b.bias), "\(sabotage): layer \(l + 1) moved")
      #expect(bits(a.peerMeans) == bits(b.peerMeans), "\(sabotage): layer \(l + 1)'s peer means moved")
      let restarted = l < entered.layers
      #expect(restarted ? a.lastWeightGradient.array.allSatisfy { $0 == 0 } : bits(a.lastWeightGradient) == bits(b.lastWeightGradient),
              "\(sabotage): layer \(l + 1)'s smoothed gradient")
      #expect(a.adamSteps == 1 && !a.weightGradientPrescaled)
    }
    for (a, b) in zip(head.weights, before.head!.weights) { #expect(bits(a) == bits(b), "\(sabotage): the head moved") }
    for (a, b) in zip(head.gradients, before.head!.gradients) {
      #expect(entered.head ? a.array.allSatisfy { $0 == 0 } : bits(a) == bits(b), "\(sabotage): the head's smoothed gradient")
    }
    #expect(head.steps == 1)
  }

  @Test func aStopEndsAtAMiniBatchBoundaryKeepingTheSteps() throws {
    let m = try Self.hintonModel()
    let outcome = try Self.train(m, epochs: 3, stopAfter: 2)
    #expect(outcome == .interruptedTogether(epochs: 0, batches: 2))
    #expect(m.layers.allSatisfy { $0.adamSteps == 2 })
    #expect(m.head?.steps == 2)
  }

  /// Greedy training in mini-batches: each epoch is a pass of ceil(N / B) steps over shuffled
  /// pairs (a pair's positive and negative stay together), layer after layer.
  @Test(arguments: [ModelRecipe.seed, ModelRecipe.hinton(layers: 2)])
  func greedyMiniBatches(recipe: ModelRecipe) throws {
    var recipe = recipe
    recipe.headLayers = []
    let (x, labels) = Self.tinyData(rows: 22, cols: 24, seed: 9)
    let pos = Matrix(rows: 22, cols: 24), neg = Matrix(rows: 22, cols: 24)
    LabelOverlay.apply(x, labels: labels, value: 1, into: pos)
    LabelOverlay.apply(x, labels: labels.map { ($0 + 3) % 10 }, value: 1, into: neg)
    func run() throws -> FFModel {
      var g = Generator(seed: 2, stream: "init")
      let m = try FFModel(dims: [24, 10, 8], hyper: LayerHyperparameters(epochs: 4, lr: 0.01, eps: 1e-4), recipe: recipe, generator: &g)
      var shuffle = Generator(seed: 3, stream: "shuffle")
      #expect(try m.learn(positive: pos, negative: neg, schedule: LearningSchedule(batch: 5), generator: &shuffle) == .completed)
      return m
    }
    let a = try run(), b = try run()
    for (la, lb) in zip(a.layers, b.layers) {
      #expect(la.adamSteps == 4 * 5)  // 4 epochs of ceil(22 / 5) = 5 mini-batches
      #expect(la.lossHistory.count == 4)
      #expect(la.weights.array == lb.weights.array)
      #expect(la.lossHistory.last! < la.lossHistory.first!)
    }
  }

  /// A step refused for a non-finite loss leaves the smoothed state finite: the model still
  /// saves, loads and trains.
  @Test func aNonFiniteStepLeavesAModelThatSavesAndLoads() throws {
    let m = try Self.hintonModel()
    _ = try Self.train(m, epochs: 1)
    for i in 0..<m.layers[1].weights.count { m.layers[1].weights.base[i] *= 1e30 }
    #expect(throws: FFRuntimeError.self) { try Self.train(m, epochs: 1) }
    for layer in m.layers {
      #expect(Elementwise.allFinite(UnsafeBufferPointer(layer.lastWeightGradient.elements)))
      #expect(Elementwise.allFinite(UnsafeBufferPointer(layer.peerMeans.elements)))
    }
    for i in 0..<m.layers[1].weights.count { m.layers[1].weights.base[i] *= 1e-30 }
    let loaded = try Checkpoint.decode(try Checkpoint.encode(m), file: "m")
    #expect(loaded.layers[1].weights.array == m.layers[1].weights.array)
    #expect(try Self.train(loaded, epochs: 1) == .completed)
  }

  /// Layer 1 of training together never materialises its input (SharedFirstLayer.swift); its
  /// gradient must equal the one computed on the materialised positive and negative rows, for
  /// the seed's recipe (Adam, L2, mean goodness, batch-maximum labels) and Hinton's.
  @Test(arguments: [ModelRecipe.seed, ModelRecipe.hinton(layers: 2)])
  func sharedFirstLayerGradientEqualsTheMaterialisedOne(recipe: ModelRecipe) throws {
    var recipe = recipe
    recipe.headLayers = []
    recipe.momentum = 0  // the smoothed buffer then holds dW / n exactly
    let (x, labels) = Self.tinyData(rows: 5, cols: 24, seed: 11)
    let negatives = labels.map { ($0 + 4) % 10 }
    var g = Generator(seed: 6, stream: "init")
    let m = try FFModel(dims: [24, 8, 6], hyper: LayerHyperparameters(threshold: 0.3, eps: 1e-4), recipe: recipe, generator: &g)
    let reference = FFLayer(weights: m.layers[0].weights.copy(), bias: m.layers[0].bias.array, hyper: m.layers[0].hyper,
                            recipe: recipe)
    let value: Float = 0.9
    let buffers = TogetherBuffers(model: m, batch: 5)
    buffers.labels = labels
    var draws = Generator(seed: 1), shifts = Generator(seed: 1)
    var losses = [Double](repeating: 0, count: 2)
    _ = try m.step(x, members: [0, 1, 2, 3, 4], negatives: .wrong, value: value, gain: 1, epoch: 1, buffers: buffers,
                   draws: &draws, losses: &losses, given: negatives, shifts: &shifts)
    let pos = Matrix(rows: 5, cols: 24), neg = Matrix(rows: 5, cols: 24)
    LabelOverlay.apply(x, labels: labels, value: value, into: pos)
    LabelOverlay.apply(x, labels: negatives, value: value, into: neg)
    let loss = reference.lossAndGradients(positive: pos, negative: neg)
    // Both buffers hold what the optimizer steps on (Adam: the gradient of the mean loss;
    // smoothed with momentum 0: dW / n), computed two ways; the step itself leaves them alone.
    let shared = m.layers[0].lastWeightGradient.array, materialised = reference.lastWeightGradient.array
    for (a, b) in zip(shared, materialised) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    for (a, b) in zip(m.layers[0].lastBiasGradient, reference.lastBiasGradient) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    for (a, b) in zip(m.layers[0].peerMeans.array, reference.peerMeans.array) { #expect(abs(a - b) <= 1e-6) }
    #expect(abs(losses[0] / 10 - Double(loss)) <= 1e-5 * max(1, abs(Double(loss))))
  }

  @Test func hardNegativesNeedAHead() throws {
    var g = Generator(seed: 1)
    var recipe = ModelRecipe.hinton(layers: 2)
    recipe.headLayers = []
    let m = try FFModel(dims: [24, 6, 6], hyper: LayerHyperparameters(), recipe: recipe, generator: &g)
    #expect(throws: FFRuntimeError.self) { try Self.train(m, epochs: 1) }
  }

  @Test func recipesAreChecked() {
    var r = ModelRecipe.hinton(layers: 3)
    r.headLayers = [3, 2]
    #expect(throws: FFRuntimeError.self) { try FFModel.check(r, layers: 3) }
    r.headLayers = [4]
    #expect(throws: FFRuntimeError.self) { try FFModel.check(r, layers: 3) }
    r = .hinton(layers: 3)
    r.momentum = 1
    #expect(throws: FFRuntimeError.self) { try FFModel.check(r, layers: 3) }
    r = .hinton(layers: 3)
    r.temperature = .nan
    #expect(throws: FFRuntimeError.self) { try FFModel.check(r, layers: 3) }
    #expect(throws: Never.self) { try FFModel.check(.hinton(layers: 3), layers: 3) }
  }
}
