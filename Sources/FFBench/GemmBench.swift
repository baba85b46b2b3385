import FFKernels
import Foundation

/// `ffnb-bench --gemm`: the products FF training runs, in fp32 on OpenBLAS and in bf16 on
/// oneDNN, in one process, as a Markdown table. "bf16 ffnb" is `BLAS.gemm(precision: .bf16)` as
/// training calls it (fp32 operands rounded on the way); "oneDNN alone" is the same matmul on
/// operands rounded beforehand, the reference the 70 % goal is measured against.
/// The shapes are issue 13's: the seed's layer 1 and 2 products over 2 x 10,000 stacked rows,
/// and one mini-batch of Hinton's recipe.
func gemmBench(reps: Int) {
  struct Shape { var name: String; var m, n, k: Int; var transA, transB: BLAS.Transpose }
  let shapes = [
    Shape(name: "layer 1 forward", m: 20000, n: 1000, k: 784, transA: .none, transB: .transpose),
    Shape(name: "layer 1 gradient", m: 1000, n: 784, k: 20000, transA: .transpose, transB: .none),
    Shape(name: "layer 2 forward", m: 20000, n: 500, k: 1000, transA: .none, transB: .transpose),
    Shape(name: "layer 2 gradient", m: 500, n: 1000, k: 20000, transA: .transpose, transB: .none),
    Shape(name: "mini-batch forward", m: 300, n: 1000, k: 1000, transA: .none, transB: .transpose),
    Shape(name: "mini-batch gradient", m: 1000, n: 1000, k: 200, transA: .transpose, transB: .none),
  ]
  print("bf16: \(BF16.isAvailable ? BF16.status : BF16.fallbackNote)")
  print("")
  print("| product (M x N x K) | fp32 OpenBLAS | bf16 ffnb | oneDNN alone | ffnb / oneDNN | bf16 / fp32 | oneDNN kernel |")
  print("|---|---:|---:|---:|---:|---:|---|")
  for s in shapes {
    let aRows = s.transA == .none ? s.m : s.k, aCols = s.transA == .none ? s.k : s.m
    let bRows = s.transB == .none ? s.k : s.n, bCols = s.transB == .none ? s.n : s.k
    let a = Matrix(rows: aRows, cols: aCols), b = Matrix(rows: bRows, cols: bCols), c = Matrix(rows: s.m, cols: s.n)
    var g = Generator(seed: 2)
    g.fillNormal(a.elements)
    g.fillNormal(b.elements)
    let flops = 2.0 * Double(s.m) * Double(s.n) * Double(s.k)
    func rate(_ precision: Precision, roundedA: BF16Matrix? = nil, roundedB: BF16Matrix? = nil) -> Double {
      let run = { BLAS.gemm(a, s.transA, b, s.transB, into: c, precision: precision, roundedA: roundedA, roundedB: roundedB) }
      run()  // warm-up; creates the primitive
      return flops / median((0..<max(reps, 5)).map { _ in time(run) }) / 1e9
    }
    let fp32 = rate(.fp32)
    let kernel = BF16.gemm(m: s.m, n: s.n, k: s.k, a: a.base, lda: a.cols, transA: s.transA, b: b.base, ldb: b.cols,
                           transB: s.transB, c: c.base, ldc: c.cols)
    guard let kernel else {
      print("| \(s.name) \(s.m) x \(s.n) x \(s.k) | \(f(fp32)) GFLOP/s | n/a | n/a | | | refused |")
      continue
    }
    let bf16 = rate(.bf16)
    let alone = rate(.bf16, roundedA: BF16Matrix(rounding: a), roundedB: BF16Matrix(rounding: b))
    print("| \(s.name) \(s.m) x \(s.n) x \(s.k) | \(f(fp32)) GFLOP/s | \(f(bf16)) GFLOP/s | \(f(alone)) GFLOP/s | \(f(100 * bf16 / alone)) % | \(f(bf16 / fp32, 2))x | \(kernel) |")
  }
}
