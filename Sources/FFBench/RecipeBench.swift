import FFData
import FFKernels
import FFRuntime
import Foundation

/// `ffnb-bench --recipe [--recipe-epochs N]`: Hinton's recipe as notebooks/hinton.ffnb trains it
/// (784-1000-1000-1000 on all 60,000 MNIST training images, mini-batches of 100, hard negatives,
/// drawn from the notebook's own streams), timed per epoch, against `cblas_sgemm` running the
/// same products of one mini-batch in the same process.
func recipeBench(epochs: Int, reps: Int, directory: URL) throws {
  let dims = [784, 1000, 1000, 1000], batch = 100
  let raw = try RawDataset.load(.mnist, split: .train, directory: directory)
  let pipeline = try TransformPipeline([.toTensor, .flatten])
  var unused = Generator(seed: 0, stream: "unused")
  let data = try Batching.first(of: raw, batchSize: raw.count, shuffle: false, pipeline: pipeline, generator: &unused)
  var gi = Generator(seed: 0, stream: "init/model/1")
  let model = try FFModel(dims: dims, hyper: LayerHyperparameters(epochs: epochs, lr: 0.01, eps: 1e-30),
                          recipe: .hinton(layers: 3), generator: &gi)
  var shuffle = Generator(seed: 0, stream: "shuffle/learn/1"), draws = Generator(seed: 0, stream: "negatives/learn/1")
  var epochSeconds: [Double] = []
  var last = 0.0
  let profile = StepProfile()
  let control = TrainingControl(observer: { event in
    if case let .togetherEpoch(_, _, _, _, elapsed) = event {
      epochSeconds.append(elapsed - last)
      last = elapsed
    }
  }, profile: profile)
  let schedule = LearningSchedule(batch: batch, order: .together, rate: .linear)
  _ = try model.learnTogether(images: data.features, labels: data.labels, epochs: epochs, schedule: schedule, negatives: .hard,
                              overlayValue: 1, shuffle: &shuffle, negativeDraws: &draws, control: control)

  // FLOPs of one mini-batch of n pairs as executed (layer 1 once per image: forward n rows,
  // gradient K = n) and as a naive implementation does them (every pass materialised).
  let n = Double(batch), d = Double(dims[0] - LabelOverlay.classes)
  var executed = 2 * n * d * Double(dims[1]) * 2
  var naive = 2 * 3 * n * Double(dims[0]) * Double(dims[1]) + 2 * 2 * n * Double(dims[0]) * Double(dims[1])
  for k in 2..<dims.count {
    let w = Double(dims[k - 1]) * Double(dims[k])
    executed += 2 * 3 * n * w + 2 * 2 * n * w
    naive += 2 * 3 * n * w + 2 * 2 * n * w
  }
  let head = 2.0 * 2 * n * Double(dims[2] + dims[3]) * 10
  executed += head
  naive += head
  let batches = Double((data.count + batch - 1) / batch)

  // The same products with cblas_sgemm, on random operands: one mini-batch's worth, repeated.
  // The gradient products add into the smoothed gradients with beta 1, as training runs them
  // (each step leaves its gradients multiplied by the momentum, see FFLayer.weightGradientPrescaled).
  let b = Int(n)
  var g = Generator(seed: 1)
  func random(_ r: Int, _ c: Int) -> Matrix {
    let m = Matrix(rows: r, cols: c)
    g.fillNormal(m.elements)
    return m
  }
  let image = random(b, dims[0]), w1 = random(dims[1], dims[0]), a1 = random(b, dims[1]), g1 = random(dims[1], dims[0])
  let inputs = (1..<3).map { random(3 * b, dims[$0]) }, weights = (2..<4).map { random(dims[$0], dims[$0 - 1]) }
  let outputs = (2..<4).map { random(3 * b, dims[$0]) }, grads = (2..<4).map { random(dims[$0], dims[$0 - 1]) }
  func oneBatch() {
    BLAS.gemm(m: b, n: dims[1], k: dims[0] - 10, a: image.base + 10, lda: dims[0], transA: .none,
              b: w1.base + 10, ldb: dims[0], transB: .transpose, c: a1.base, ldc: dims[1])
    BLAS.gemm(m: dims[1], n: dims[0] - 10, k: b, a: a1.base, lda: dims[1], transA: .transpose,
              b: image.base + 10, ldb: dims[0], transB: .none, c: g1.base + 10, ldc: dims[0], alpha: 0.001, beta: 1)
    for k in 0..<2 {
      BLAS.gemm(inputs[k].prefixRows(2 * b), .none, weights[k], .transpose, into: outputs[k].prefixRows(2 * b))
      BLAS.gemm(inputs[k].rows((2 * b)..<(3 * b)), .none, weights[k], .transpose, into: outputs[k].rows((2 * b)..<(3 * b)))
      BLAS.gemm(outputs[k].rows(b..<(3 * b)), .transpose, inputs[k].rows(b..<(3 * b)), .none, into: grads[k], alpha: 0.001, beta: 1)
    }
  }
  oneBatch()
  var sgemm: [Double] = []
  for _ in 0..<max(reps, 3) { sgemm.append(time { for _ in 0..<100 { oneBatch() } } / 100) }
  let gemmFlops = executed - head
  let sgemmRate = gemmFlops / median(sgemm)
  let epoch = median(epochSeconds)
  let rate = executed * batches / epoch

  print("")
  print("### Hinton's recipe (notebooks/hinton.ffnb)")
  print("")
  print("| measure | value | notes |")
  print("|---|---:|---|")
  print("| one epoch (60,000 pairs, mini-batches of \(batch)) | \(f(epoch)) s | median of \(Plural.count(epochSeconds.count, "epoch")); \(f(executed * batches / 1e12, 2)) TFLOP executed, \(f(naive * batches / 1e12, 2)) TFLOP naive (\(f(100 * (1 - executed / naive))) % saved by sharing layer 1) |")
  print("| training throughput | \(f(rate / 1e9)) GFLOP/s | sgemm on the same shapes \(f(sgemmRate / 1e9)) GFLOP/s: \(f(100 * rate / sgemmRate)) % of sgemm (goal >= 70 %) |")
  print("| 100 epochs, estimated | \(f(epoch * 100 / 60)) min | goal on 2 cores <= 15 min |")

  // Where a step's time goes, and the same products alone (the sgemm reference above).
  let perStep = profile.seconds.map { $0 / Double(max(profile.steps, 1)) }
  let total = perStep.reduce(0, +)
  let products = zip(StepProfile.Stage.allCases, perStep).filter { $0.0.isProduct }.map(\.1).reduce(0, +)
  print("")
  print("Where a mini-batch step's time goes (mean of \(profile.steps) steps, \(f(total * 1000, 2)) ms each):")
  print("")
  print("| stage | ms per step | share |")
  print("|---|---:|---:|")
  for (stage, t) in zip(StepProfile.Stage.allCases, perStep) {
    print("| \(stage.name) | \(f(t * 1000, 2)) | \(f(100 * t / total)) % |")
  }
  print("| all products | \(f(products * 1000, 2)) | \(f(100 * products / total)) % |")
  print("| the same products alone, in a loop (sgemm reference) | \(f(median(sgemm) * 1000, 2)) | |")
}
