import FFKernels
import Testing

@testable import FFRuntime

/// Training together leaves each layer's smoothed weight gradient multiplied by the momentum
/// at the end of a step that another step follows, so the next gradient product runs with
/// beta 1 (OpenBLAS then skips its own scaling pass over C). That must change no bit: the
/// multiplication is the one OpenBLAS's pass makes, only moved into the update's pass.
@Suite struct PrescaledSmoothingTests {
  /// Mini-batches of `batch` pairs of `data` through a fresh Hinton-recipe model, each step
  /// told whether another follows (`prescale`) or not; returns the model.
  func trained(dims: [Int], rows: Int, batch: Int, prescale: Bool) throws -> FFModel {
    var g = Generator(seed: 21, stream: "init")
    let model = try FFModel(dims: dims, hyper: LayerHyperparameters(epochs: 1, lr: 0.01), recipe: .hinton(layers: dims.count - 1),
                            generator: &g)
    var d = Generator(seed: 4, stream: "images")
    let x = Matrix(rows: rows, cols: dims[0])
    for i in 0..<x.count { x.base[i] = d.nextUniform() }
    let labels = (0..<rows).map { ($0 * 3) % 10 }
    let buffers = TogetherBuffers(model: model, batch: batch)
    var draws = Generator(seed: 8, stream: "negatives"), shifts = Generator(seed: 1)
    var losses = [Double](repeating: 0, count: model.layers.count)
    let batches = rows / batch
    for b in 0..<batches {
      let members = (b * batch)..<((b + 1) * batch)
      for (k, i) in members.enumerated() { buffers.labels[k] = labels[i] }
      _ = try model.step(x, members: ArraySlice(Array(members)), negatives: .hard, value: 1, gain: 1, epoch: 1, buffers: buffers,
                         draws: &draws, losses: &losses, shifts: &shifts, followed: prescale && b < batches - 1)
    }
    return model
  }

  /// The recipe's own shapes (784-1000-1000, mini-batches of 100), smaller ones, and tiny ones
  /// that OpenBLAS's small-matrix kernels take (left unscaled): weights, smoothed gradients,
  /// peer means and head bit for bit the same with and without prescaling.
  @Test(arguments: [[784, 1000, 1000], [210, 300, 200], [24, 8, 6]])
  func prescalingChangesNoBit(dims: [Int]) throws {
    let batch = dims[0] > 100 ? 100 : 4
    let plain = try trained(dims: dims, rows: 4 * batch, batch: batch, prescale: false)
    let fused = try trained(dims: dims, rows: 4 * batch, batch: batch, prescale: true)
    for (a, b) in zip(plain.layers, fused.layers) {
      #expect(!b.weightGradientPrescaled)
      for (x, y) in zip(a.buffers, b.buffers) {
        #expect(x.array.map(\.bitPattern) == y.array.map(\.bitPattern))
      }
    }
    for (x, y) in zip(plain.head!.weights + plain.head!.gradients, fused.head!.weights + fused.head!.gradients) {
      #expect(x.array.map(\.bitPattern) == y.array.map(\.bitPattern))
    }
  }

  /// Between steps the buffer holds momentum x G; the next product consumes that, and a step
  /// that no other follows leaves G whole, as saving and copying need.
  @Test func theFlagLastsOnlyUntilTheNextProduct() throws {
    let model = try trained(dims: [210, 300, 200], rows: 200, batch: 100, prescale: true)
    #expect(model.layers.allSatisfy { !$0.weightGradientPrescaled })
    _ = try Checkpoint.encode(model)
    let copy = model.copy()
    #expect(copy.layers.allSatisfy { !$0.weightGradientPrescaled })
  }

  /// A stop in the middle of an epoch, and the end of training, leave every gradient whole:
  /// the model saves, and its smoothed gradients are those of training without prescaling.
  @Test(arguments: [2, nil])
  func learnTogetherEndsWithWholeGradients(stopAfter: Int?) throws {
    var g = Generator(seed: 21, stream: "init")
    let model = try FFModel(dims: [210, 300, 200], hyper: LayerHyperparameters(epochs: 1, lr: 0.01), recipe: .hinton(layers: 2),
                            generator: &g)
    var d = Generator(seed: 4, stream: "images")
    let x = Matrix(rows: 500, cols: 210)
    for i in 0..<x.count { x.base[i] = d.nextUniform() }
    var asked = 0
    let control = TrainingControl(shouldStop: {
      asked += 1
      return stopAfter.map { asked >= $0 } ?? false
    })
    var shuffle = Generator(seed: 1), draws = Generator(seed: 2)
    let outcome = try model.learnTogether(
      images: x, labels: (0..<500).map { $0 % 10 }, epochs: 2, schedule: LearningSchedule(batch: 100, order: .together, rate: .constant),
      negatives: .hard, overlayValue: 1, shuffle: &shuffle, negativeDraws: &draws, control: control)
    #expect(outcome == (stopAfter == nil ? .completed : .interruptedTogether(epochs: 0, batches: 2)))
    #expect(model.layers.allSatisfy { !$0.weightGradientPrescaled })
    _ = try Checkpoint.encode(model)
  }

  /// A refused step (a non-finite loss in layer 1) restarts the smoothed gradients of the
  /// later layers that were left prescaled, so nothing half-scaled survives.
  @Test func aRefusedStepLeavesNoLayerPrescaled() throws {
    var g = Generator(seed: 21, stream: "init")
    let model = try FFModel(dims: [210, 300, 200], hyper: LayerHyperparameters(epochs: 1, lr: 0.01), recipe: .hinton(layers: 2),
                            generator: &g)
    let x = Matrix(rows: 200, cols: 210)
    x.fill(0.5)
    let buffers = TogetherBuffers(model: model, batch: 100)
    var draws = Generator(seed: 8), shifts = Generator(seed: 1)
    var losses = [0.0, 0.0]
    _ = try model.step(x, members: ArraySlice(Array(0..<100)), negatives: .hard, value: 1, gain: 1, epoch: 1, buffers: buffers,
                       draws: &draws, losses: &losses, shifts: &shifts, followed: true)
    #expect(model.layers.allSatisfy { $0.weightGradientPrescaled })
    model.layers[0].weights.base[0] = .infinity
    #expect(throws: FFRuntimeError.self) {
      _ = try model.step(x, members: ArraySlice(Array(100..<200)), negatives: .hard, value: 1, gain: 1, epoch: 1, buffers: buffers,
                         draws: &draws, losses: &losses, shifts: &shifts, followed: true)
    }
    #expect(model.layers.allSatisfy { !$0.weightGradientPrescaled })
    #expect(model.layers[1].lastWeightGradient.array.allSatisfy { $0 == 0 })
  }
}
