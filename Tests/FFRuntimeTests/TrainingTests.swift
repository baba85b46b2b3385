import FFKernels
import Testing
@testable import FFRuntime

@Suite struct TrainingTests {
  func data(_ seed: UInt64, rows: Int = 8, cols: Int = 12) -> (Matrix, Matrix) {
    var g = Generator(seed: seed, stream: "data")
    let pos = Matrix(rows: rows, cols: cols), neg = Matrix(rows: rows, cols: cols)
    g.fillNormal(pos.elements); g.fillNormal(neg.elements)
    return (pos, neg)
  }

  @Test func sameSeedGivesSameModelAndLosses() throws {
    func run() throws -> ([Float], [Float]) {
      var g = Generator(seed: 7, stream: "init")
      let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 5, lr: 0.05), generator: &g)
      let (p, n) = data(1)
      _ = try m.learn(positive: p, negative: n)
      return (m.layers[1].weights.array, m.layers.flatMap(\.lossHistory))
    }
    let a = try run(), b = try run()
    #expect(a.0 == b.0)
    #expect(a.1 == b.1)
    #expect(a.1.count == 10)
  }

  @Test func greedyTrainingFeedsEachLayerThePreviousOutputs() throws {
    var g = Generator(seed: 3, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 4, lr: 0.05), generator: &g)
    let (p, n) = data(2)
    _ = try m.learn(positive: p, negative: n)
    // Layer 2's first loss must be the loss on layer 1's final outputs with layer 2's initial weights.
    var g2 = Generator(seed: 3, stream: "init")
    let fresh = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 4, lr: 0.05), generator: &g2)
    let expected = fresh.layers[1].lossAndGradients(positive: m.layers[0].forward(p), negative: m.layers[0].forward(n))
    #expect(abs(m.layers[1].lossHistory[0] - expected) < 1e-6)
  }

  @Test func learningOneLayerLeavesOthersUntouched() throws {
    var g = Generator(seed: 4, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 3), generator: &g)
    let before = m.layers[0].weights.array
    let (p, n) = data(3)
    _ = try m.learn(positive: p, negative: n, only: 2...2, epochs: 2)
    #expect(m.layers[0].weights.array == before)
    #expect(m.layers[0].adamSteps == 0)
    #expect(m.layers[1].adamSteps == 2)
  }

  @Test func stopRequestEndsAtAnEpochBoundaryAndKeepsState() throws {
    var g = Generator(seed: 5, stream: "init")
    let m = try FFModel(dims: [12, 6, 4], hyper: LayerHyperparameters(epochs: 50), generator: &g)
    let (p, n) = data(4)
    var epochs = 0
    var events: [TrainingEvent] = []
    let control = TrainingControl(observer: { e in
      events.append(e)
      if case .epochFinished = e { epochs += 1 }
    }, shouldStop: { epochs >= 3 })
    let outcome = try m.learn(positive: p, negative: n, control: control)
    #expect(outcome == .interrupted(layer: 1, epoch: 3))
    #expect(m.layers[0].adamSteps == 3)
    #expect(m.layers[1].adamSteps == 0)
    // Continuing trains on from the same optimizer state.
    _ = try m.learn(positive: p, negative: n, only: 1...1, epochs: 2)
    #expect(m.layers[0].adamSteps == 5)
    #expect(m.layers[0].lossHistory.count == 5)
  }

  @Test func nonFiniteLossStopsWithLayerAndEpoch() throws {
    var g = Generator(seed: 6, stream: "init")
    let m = try FFModel(dims: [12, 6], hyper: LayerHyperparameters(epochs: 5, threshold: .infinity), generator: &g)
    let before = m.layers[0].weights.array
    let (p, n) = data(5)
    #expect(throws: FFRuntimeError.self) { try m.learn(positive: p, negative: n) }
    do {
      _ = try m.learn(positive: p, negative: n)
    } catch {
      guard case let .nonFiniteLoss(layer, epoch, _, suspects) = error else { Issue.record("wrong error \(error)"); return }
      #expect(layer == 1 && epoch == 1)
      #expect(suspects == ["lr"])  // the seed's recipe: nothing else scales the steps
      #expect(error.description.contains("layer 1, epoch 1"))
      #expect(error.description.hasSuffix("Try a smaller lr."))
    }
    #expect(m.layers[0].weights.array == before)
  }

  @Test func absurdDimensionsAreRefusedBeforeAllocating() {
    var g = Generator(seed: 1)
    #expect(throws: FFRuntimeError.self) {
      _ = try FFModel(dims: [784, 2_000_000_000, 10], hyper: LayerHyperparameters(), generator: &g)
    }
    #expect(throws: FFRuntimeError.self) { _ = try FFModel(dims: [784], hyper: LayerHyperparameters(), generator: &g) }
    #expect(throws: FFRuntimeError.self) { _ = try FFModel(dims: [5, 4], hyper: LayerHyperparameters(), generator: &g) }
  }

  @Test func negativeLabels() {
    var g = Generator(seed: 9, stream: "neg")
    let labels = (0..<5000).map { $0 % 10 }
    let wrong = NegativeLabels.draw(for: labels, mode: .wrong, generator: &g)
    #expect(zip(wrong, labels).allSatisfy { $0 != $1 })
    #expect(Set(wrong) == Set(0..<10))
    let random = NegativeLabels.draw(for: labels, mode: .random, generator: &g)
    let same = zip(random, labels).filter { $0 == $1 }.count
    #expect(same > 350 && same < 650, "about 10 % of random negatives carry the true label, got \(same)")
  }
}
