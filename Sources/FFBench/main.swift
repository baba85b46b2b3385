import FFKernels
import FFRuntime
import Foundation

// Quick probe (replaced by the full benchmark): sgemm ceiling vs a training epoch on seed shapes.
let n = 10_000
let dims = [784, 1000, 500, 200]
func time(_ body: () -> Void) -> Double {
  let c = ContinuousClock(); let s = c.now; body(); return (c.now - s).seconds
}
print("core \(OpenBLASInfo.coreName) threads \(OpenBLASInfo.threads)")
var g = Generator(seed: 0)
for k in 0..<3 {
  let (din, dout) = (dims[k], dims[k + 1])
  let x = Matrix(rows: 2 * n, cols: din); g.fillNormal(x.elements)
  let w = Matrix(rows: dout, cols: din); g.fillNormal(w.elements)
  let z = Matrix(rows: 2 * n, cols: dout)
  let gw = Matrix(rows: dout, cols: din)
  let flops = 2.0 * 2 * Double(2 * n * din * dout)
  BLAS.gemm(x, .none, w, .transpose, into: z)
  let reps = 10
  let t = time { for _ in 0..<reps { BLAS.gemm(x, .none, w, .transpose, into: z); BLAS.gemm(z, .transpose, x, .none, into: gw) } } / Double(reps)
  let layer = FFLayer(inputs: din, outputs: dout, hyper: LayerHyperparameters(epochs: reps, lr: 0.15), generator: &g)
  let model = FFModel(layers: [layer])
  let pos = Matrix(rows: n, cols: din), neg = Matrix(rows: n, cols: din)
  pos.assignRows(from: x, 0..<n); neg.assignRows(from: x, n..<(2 * n))
  var epochTimes: [Double] = []
  var last = 0.0
  let control = TrainingControl(observer: { e in
    if case let .epochFinished(_, _, _, _, elapsed) = e { epochTimes.append(elapsed - last); last = elapsed }
  })
  _ = try model.learn(positive: pos, negative: neg, control: control)
  let te = epochTimes.sorted()[epochTimes.count / 2]
  print(String(format: "layer %d %d->%d: sgemm pair %.1f ms (%.0f GFLOP/s), epoch %.1f ms (%.0f GFLOP/s) = %.1f %%", k + 1, din, dout, t * 1e3, flops / t / 1e9, te * 1e3, flops / te / 1e9, 100 * t / te))
}
