import RealModule
import Synchronization

/// Fused elementwise passes. Each walks its data once (a row of a few thousand floats stays in
/// L1 between the steps of a pass) and allocates nothing. Reductions use `Relaxed` arithmetic so
/// the compiler may reassociate and vectorise them; element access goes through rebased buffers,
/// never `base[i * cols + j]`, whose overflow checks would block vectorisation.
public enum Elementwise {
  /// y_i = x_i / (||x_i||_2 + eps) for every row i. x, y: (N, d); y may be x.
  ///
  /// The seed's `Learning.forward` normalises a layer's input this way (eps = 1e-4). A layer's
  /// input is fixed while it trains, so callers do this once per layer, not once per epoch.
  public static func normalizeRows(_ x: Matrix, into y: Matrix, eps: Float) {
    precondition(x.rows == y.rows && x.cols == y.cols, "normalizeRows: (\(x.rows), \(x.cols)) into (\(y.rows), \(y.cols))")
    for r in 0..<x.rows {
      let src = UnsafeBufferPointer(x.row(r))
      let dst = y.row(r)
      var sumSquares: Float = 0
      for v in src { sumSquares = Relaxed.multiplyAdd(v, v, sumSquares) }
      let scale = 1 / (sumSquares.squareRoot() + eps)
      for j in 0..<src.count { dst[j] = src[j] * scale }
    }
  }

  /// In place: z_ij = relu(z_ij + b_j); returns nothing but writes g_i = mean_j z_ij^2.
  ///
  /// z: (N, d) holding x W^T, bias: d, goodness: N. The seed's goodness is the *mean* of
  /// squared activities (Hinton 2022 uses the sum; the mean keeps the threshold independent of
  /// layer width).
  public static func biasReluGoodness(
    _ z: Matrix, bias: UnsafePointer<Float>, goodness: UnsafeMutablePointer<Float>
  ) {
    biasReluGoodness(z, bias: bias, goodness: goodness, scale: 1 / Float(z.cols))
  }

  /// In place: row i of m is multiplied by coefficients[i]. m: (N, d), coefficients: N.
  public static func scaleRows(_ m: Matrix, by coefficients: UnsafePointer<Float>) {
    scaleRows(m, rows: 0..<m.rows, by: coefficients)
  }

  /// In place: row r of m, for r in `rows`, is multiplied by coefficients[r] (indexed like m's
  /// rows, so a part of a stacked batch needs no view). m: (N, d), coefficients: N.
  public static func scaleRows(_ m: Matrix, rows: Range<Int>, by coefficients: UnsafePointer<Float>) {
    for r in rows {
      let c = coefficients[r]
      let row = m.row(r)
      for j in 0..<row.count { row[j] *= c }
    }
  }

  /// Column sums of m into out: out_j = sum_i m_ij. m: (N, d), out: d.
  ///
  /// Row by row so every pass is a contiguous, vectorisable axpy.
  public static func columnSums(_ m: Matrix, into out: UnsafeMutablePointer<Float>) {
    columnSums(m, rows: 0..<m.rows, into: out)
  }

  /// Column sums of rows `rows` of m: out_j = sum_{i in rows} m_ij. m: (N, d), out: d.
  public static func columnSums(_ m: Matrix, rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
    let d = m.cols
    let acc = UnsafeMutableBufferPointer(start: out, count: d)
    acc.update(repeating: 0)
    for r in rows {
      let row = m.row(r)
      for j in 0..<d { acc[j] += row[j] }
    }
  }

  /// log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
  @inlinable
  public static func softplus(_ x: Float) -> Float {
    max(x, 0) + Float.log(onePlus: Float.exp(-abs(x)))
  }

  /// 1 / (1 + exp(-x)) without overflow for either sign: the derivative of softplus.
  @inlinable
  public static func sigmoid(_ x: Float) -> Float {
    if x >= 0 {
      return 1 / (1 + Float.exp(-x))
    }
    let e = Float.exp(x)
    return e / (1 + e)
  }

  /// Largest element of a buffer (−infinity when empty).
  public static func maximum(_ x: UnsafeBufferPointer<Float>) -> Float {
    var m = -Float.infinity
    for v in x where v > m { m = v }
    return m
  }

  /// Whether every element is finite. Millions of elements (a layer's gradient, checked at
  /// every step) are split over the products' threads.
  public static func allFinite(_ x: UnsafeBufferPointer<Float>) -> Bool {
    let infinite = Atomic<Bool>(false)
    ParallelChunks.run(count: x.count) { range in
      var acc: Float = 0
      for v in UnsafeBufferPointer(rebasing: x[range]) { acc = Relaxed.sum(acc, v * 0) }
      if acc != 0 { infinite.store(true, ordering: .relaxed) }
    }
    return !infinite.load(ordering: .relaxed)
  }
}
