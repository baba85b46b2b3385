import FFData
import FFKernels
import FFRuntime
import Foundation

// ffnb-bench: the runtime's figures on the seed configuration, in one process, printed as
// Markdown. `make bench` runs it beside a full `ffnb run notebooks/mnist.ffnb`.
//
//   ffnb-bench [--epochs N] [--reps N] [--bf16]
//     --epochs  epochs per layer to train (default 350, the seed's)
//     --reps    repetitions of the short measurements, whose median is reported (default 5)
//     --bf16    train and predict with bf16 products, against oneDNN's bf16 matmul on the same
//               shapes (operands rounded beforehand) instead of sgemm
//   ffnb-bench --recipe [--recipe-epochs N]
//     Hinton's recipe instead (notebooks/hinton.ffnb's first N epochs, default 2)
//   ffnb-bench --gemm
//     the training products in fp32 (OpenBLAS) and bf16 (oneDNN), side by side
//   ffnb-bench --core
//     only the OpenBLAS core it runs (`make bench` checks it is the one `ffnb` runs)

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
  guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]), v > 0 else { return fallback }
  return v
}
let epochs = option("--epochs", 350)
let reps = option("--reps", 5)
let dims = [784, 1000, 500, 200]
let (trainSize, testSize) = (10_000, 1_000)
let precision: Precision = arguments.contains("--bf16") ? .bf16 : .fp32

let clock = ContinuousClock()
func time(_ body: () throws -> Void) rethrows -> Double {
  let s = clock.now
  try body()
  return (clock.now - s).seconds
}
func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

if arguments.contains("--core") {
  print(OpenBLASInfo.coreName)
  exit(0)
}
let directory = DataDirectory.resolve(explicit: nil).url
print("OpenBLAS core \(OpenBLASInfo.summary), \(Plural.count(OpenBLASInfo.threads, "thread")); data \(directory.path)")
print("")
if arguments.contains("--gemm") {
  gemmBench(reps: reps)
  exit(0)
}
if arguments.contains("--recipe") {
  try recipeBench(epochs: option("--recipe-epochs", 2), reps: reps, directory: directory)
  exit(0)
}

// 1. Loading and normalising all 70,000 MNIST images.
var loadTimes: [Double] = []
var train: RawDataset? = nil, test: RawDataset? = nil
for _ in 0..<reps {
  loadTimes.append(try time {
    let a = try RawDataset.load(.mnist, split: .train, directory: directory)
    let b = try RawDataset.load(.mnist, split: .test, directory: directory)
    _ = try TransformPipeline.seed.apply(to: a.images)
    _ = try TransformPipeline.seed.apply(to: b.images)
    train = a; test = b
  })
}
guard let train, let test else { fatalError("no data") }

// 2. The seed's batches, positives and negatives, as notebooks/mnist.ffnb makes them: each
// draw comes from the stream of the statement that makes it (cell `data`, statements 3 and 4;
// cell `main`, statement 1) or of the data set it is for (negatives), so the figures here are
// those of `ffnb run notebooks/mnist.ffnb`.
var g = Generator(seed: 0, stream: "shuffle/data/3")
let trainBatch = try Batching.first(of: train, batchSize: trainSize, shuffle: true, pipeline: .seed, generator: &g)
var gt = Generator(seed: 0, stream: "shuffle/data/4")
let testBatch = try Batching.first(of: test, batchSize: testSize, shuffle: true, pipeline: .seed, generator: &gt)
let x = trainBatch.features
let maxValue = Elementwise.maximum(UnsafeBufferPointer(x.elements))
let pos = Matrix(rows: x.rows, cols: x.cols), neg = Matrix(rows: x.rows, cols: x.cols)
LabelOverlay.apply(x, labels: trainBatch.labels, value: maxValue, into: pos)
var gn = Generator(seed: 0, stream: "negatives/train/random")
LabelOverlay.apply(x, labels: NegativeLabels.draw(for: trainBatch.labels, mode: .random, generator: &gn), value: maxValue, into: neg)

// Layer 1 shares each image's product between its positive and negative row when the pairs
// have the seed's structure, as these do; `learn` decides with the same test.
let sharesLayer1 = LabelledPairs(positive: pos, negative: neg) != nil

// 3. Training, layer by layer, with per-epoch times.
var gi = Generator(seed: 0, stream: "init/main/1")
let model = try FFModel(dims: dims, hyper: LayerHyperparameters(epochs: epochs, lr: 0.15, threshold: 2), generator: &gi)
if precision == .bf16 && !BF16.isAvailable {
  print("ffnb-bench: --bf16 asked, but \(BF16.fallbackNote)")
  exit(1)
}
model.precision = precision
var layerSeconds = [Double](repeating: 0, count: dims.count - 1)
var epochTimes = [[Double]](repeating: [], count: dims.count - 1)
var lastElapsed = 0.0
let control = TrainingControl(observer: { e in
  switch e {
  case .layerStarted: lastElapsed = 0
  case let .epochFinished(layer, _, _, _, elapsed):
    epochTimes[layer - 1].append(elapsed - lastElapsed); lastElapsed = elapsed
  case let .layerFinished(layer, _, _, seconds): layerSeconds[layer - 1] = seconds
  default: break
  }
})
let trainSeconds = try time { _ = try model.learn(positive: pos, negative: neg, control: control) }

// The products one epoch of layer k executes: the forward product (rows, din) x (din, dout) and
// the weight gradient's (dout, rows) x (rows, din). Naive: the stacked 2N rows of every layer.
// Layer 1 sharing: N image rows and their din - 10 image pixels (the label pixels' part is a
// 10-column scatter, not a product).
func epochShape(_ k: Int, naive: Bool) -> (rows: Int, din: Int, dout: Int) {
  k == 0 && sharesLayer1 && !naive
    ? (trainSize, dims[0] - LabelOverlay.classes, dims[1]) : (2 * trainSize, dims[k], dims[k + 1])
}
func epochFlops(_ k: Int, naive: Bool) -> Double {
  let (rows, din, dout) = epochShape(k, naive: naive)
  return 2.0 * 2 * Double(rows) * Double(din) * Double(dout)
}

// 4. The reference on the same shapes as executed, in this process: the forward product and the
// weight-gradient product of one epoch, by sgemm (fp32), or by oneDNN's bf16 matmul on operands
// rounded beforehand (bf16: what the matmul alone reaches, with no rounding of ours).
let reference = precision == .bf16 ? "oneDNN bf16 matmul" : "sgemm"
var sgemmPerEpoch: [Double] = []
for k in 0..<(dims.count - 1) {
  let (rows, din, dout) = epochShape(k, naive: false)
  let a = Matrix(rows: rows, cols: din), w = Matrix(rows: dout, cols: din)
  let z = Matrix(rows: rows, cols: dout), gw = Matrix(rows: dout, cols: din)
  var gg = Generator(seed: 1)
  gg.fillNormal(a.elements); gg.fillNormal(w.elements)
  let (ra, rw, rz) = precision == .bf16
    ? (BF16Matrix(rounding: a), BF16Matrix(rounding: w), BF16Matrix(rounding: z)) : (nil, nil, nil)
  BLAS.gemm(a, .none, w, .transpose, into: z, precision: precision, roundedA: ra, roundedB: rw)  // warm-up
  BLAS.gemm(z, .transpose, a, .none, into: gw, precision: precision, roundedA: rz, roundedB: ra)
  var ts: [Double] = []
  for _ in 0..<max(reps, 5) {
    ts.append(time {
      BLAS.gemm(a, .none, w, .transpose, into: z, precision: precision, roundedA: ra, roundedB: rw)
      BLAS.gemm(z, .transpose, a, .none, into: gw, precision: precision, roundedA: rz, roundedB: ra)
    })
  }
  sgemmPerEpoch.append(median(ts))
}

// 5. Prediction over all ten labels.
var predictTest: [Double] = [], predictTrain: [Double] = []
var testPredictions: [Int] = [], trainPredictions: [Int] = []
for _ in 0..<reps { predictTest.append(try time { testPredictions = try model.predict(testBatch.features) }) }
for _ in 0..<max(1, reps / 2) { predictTrain.append(try time { trainPredictions = try model.predict(trainBatch.features) }) }
let testAccuracy = Evaluation(predictions: testPredictions, labels: testBatch.labels).accuracy
let trainAccuracy = Evaluation(predictions: trainPredictions, labels: trainBatch.labels).accuracy

if precision == .bf16 { print("bf16 products: \(BF16.status)\n") }
print("| phase | time | notes |")
print("|---|---:|---|")
print("| load + normalise all 70,000 MNIST images | \(f(median(loadTimes) * 1000)) ms | median of \(reps); target < 500 ms |")
var totalFlops = 0.0, totalNaive = 0.0
for k in 0..<(dims.count - 1) {
  let flops = epochFlops(k, naive: false) * Double(epochs), naive = epochFlops(k, naive: true) * Double(epochs)
  totalFlops += flops
  totalNaive += naive
  let achieved = flops / layerSeconds[k] / 1e9
  let ceiling = epochFlops(k, naive: false) / sgemmPerEpoch[k] / 1e9
  let count = flops == naive
    ? "\(f(flops / 1e12, 2)) TFLOP"
    : "\(f(flops / 1e12, 2)) TFLOP executed, \(f(naive / 1e12, 2)) TFLOP naive (\(f(100 * (1 - flops / naive))) % saved by sharing each image's product)"
  print("| train layer \(k + 1) (\(dims[k]) -> \(dims[k + 1]), \(epochs) epochs) | \(f(layerSeconds[k])) s | \(count) at \(f(achieved)) GFLOP/s; \(reference) on the same shapes \(f(ceiling)) GFLOP/s: \(f(100 * achieved / ceiling)) % of \(reference); median epoch \(f(median(epochTimes[k]) * 1000)) ms |")
}
print("| train all layers | \(f(trainSeconds)) s | \(f(totalFlops / 1e12, 2)) TFLOP executed (\(f(totalNaive / 1e12, 2)) naive) at \(f(totalFlops / trainSeconds / 1e9)) GFLOP/s |")
// Prediction: layer 1 makes one product per image for all ten labels; the later layers run on
// the 10n stacked rows.
let predictFlops = { (naive: Bool) -> Double in
  let n = Double(testSize), first = naive ? 10 * n * Double(dims[0]) : n * Double(dims[0] - LabelOverlay.classes)
  return 2 * first * Double(dims[1]) + (1..<(dims.count - 1)).reduce(0.0) { $0 + 2 * 10 * n * Double(dims[$1]) * Double(dims[$1 + 1]) }
}
print("| predict \(testSize) test images x 10 labels | \(f(median(predictTest) * 1000)) ms | median of \(reps); PyTorch's seed 231 ms; \(f(predictFlops(false) / 1e9, 2)) GFLOP executed, \(f(predictFlops(true) / 1e9, 2)) naive; test accuracy \(f(testAccuracy, 2)) % |")
print("| predict \(trainSize) train images x 10 labels | \(f(median(predictTrain) * 1000)) ms | train accuracy \(f(trainAccuracy, 2)) % |")
