import RealModule

// Fused passes for the recipes beyond the seed's (Hinton's ffcode): RMS normalisation, a
// softmax head, the smoothed-gradient update and peer normalisation. Same rules as
// `Elementwise`: one walk over the data, no allocation, rebased buffers.
extension Elementwise {
  /// y_i = x_i / (eps + sqrt(mean_j x_ij^2)) for every row i (ffcode's `ffnormrows`). x, y: (N, d); y may be x.
  ///
  /// Unlike the L2 norm, a row's mean square becomes 1 whatever its width, so a layer of 1000
  /// units and the 784 pixels feed the next layer at the same scale.
  public static func rmsNormalizeRows(_ x: Matrix, into y: Matrix, eps: Float) {
    precondition(x.rows == y.rows && x.cols == y.cols, "rmsNormalizeRows: (\(x.rows), \(x.cols)) into (\(y.rows), \(y.cols))")
    let invD = 1 / Float(max(x.cols, 1))
    for r in 0..<x.rows {
      let src = UnsafeBufferPointer(x.row(r))
      let dst = y.row(r)
      var sumSquares: Float = 0
      for v in src { sumSquares = Relaxed.multiplyAdd(v, v, sumSquares) }
      let scale = 1 / ((sumSquares * invD).squareRoot() + eps)
      for j in 0..<src.count { dst[j] = src[j] * scale }
    }
  }

  /// In place: z_ij = relu(z_ij + b_j), and g_i = scale * sum_j z_ij^2 (scale 1/d: the seed's
  /// mean; 1: ffcode's sum). z: (N, d), bias: d, goodness: N.
  public static func biasReluGoodness(
    _ z: Matrix, bias: UnsafePointer<Float>, goodness: UnsafeMutablePointer<Float>, scale: Float
  ) {
    for r in 0..<z.rows {
      goodness[r] = biasReluSquares(z.base + r * z.cols, bias: bias, count: z.cols) * scale
    }
  }

  /// In place, one row: h = relu(z + b); returns sum(h^2). z, b: d.
  @inlinable
  public static func biasReluSquares(_ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, count d: Int) -> Float {
    let row = UnsafeMutableBufferPointer(start: z, count: d), b = UnsafeBufferPointer(start: bias, count: d)
    var sumSquares: Float = 0
    for j in 0..<d {
      let h = max(row[j] + b[j], 0)
      row[j] = h
      sumSquares = Relaxed.multiplyAdd(h, h, sumSquares)
    }
    return sumSquares
  }

  /// In place, one row: x = c x, and sum += x (the bias gradient's column sums). x, sum: d.
  /// With `rounded`, c x goes there as bf16 instead (x is left as it was): the operand of a
  /// bf16 product, rounded in this pass rather than in a sweep of its own.
  @inlinable
  public static func scaleRowAccumulating(
    _ x: UnsafeMutablePointer<Float>, by c: Float, into sum: UnsafeMutablePointer<Float>, count d: Int,
    rounded: UnsafeMutablePointer<UInt16>? = nil
  ) {
    let row = UnsafeMutableBufferPointer(start: x, count: d), total = UnsafeMutableBufferPointer(start: sum, count: d)
    if let rounded {
      let out = UnsafeMutableBufferPointer(start: rounded, count: d)
      for j in 0..<d {
        let g = c * row[j]
        out[j] = BF16.bits(g)
        total[j] += g
      }
    } else {
      for j in 0..<d {
        let g = c * row[j]
        row[j] = g
        total[j] += g
      }
    }
  }

  /// In place: row r of m, for r in `rows`, becomes c_r m_r + v (peer normalisation's extra
  /// term, the same for every row). m: (N, d), coefficients: N (indexed like m's rows), v: d.
  public static func scaleRowsAdding(
    _ m: Matrix, rows: Range<Int>, by coefficients: UnsafePointer<Float>, vector v: UnsafePointer<Float>
  ) {
    let add = UnsafeBufferPointer(start: v, count: m.cols)
    for r in rows {
      let c = coefficients[r]
      let row = m.row(r)
      for j in 0..<row.count { row[j] = Relaxed.multiplyAdd(c, row[j], add[j]) }
    }
  }

  /// In place, row by row: logits become softmax probabilities (max subtracted first). m: (N, k).
  public static func softmaxRows(_ m: Matrix) {
    for r in 0..<m.rows {
      let row = m.row(r)
      var top = -Float.infinity
      for v in row where v > top { top = v }
      var sum: Float = 0
      for j in 0..<row.count {
        let e = Float.exp(row[j] - top)
        row[j] = e
        sum += e
      }
      let inv = 1 / sum
      for j in 0..<row.count { row[j] *= inv }
    }
  }

  /// p -= rate * (g + decay * p) over `count` parameters: the smoothed-gradient step (ffcode's
  /// `W += epsilon * (G - wc * W)` written for a descent gradient).
  public static func smoothedStep(
    parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, count: Int, rate: Float, decay: Float
  ) {
    ParallelChunks.run(count: count) { range in
      let pb = UnsafeMutableBufferPointer(start: p + range.lowerBound, count: range.count)
      let gb = UnsafeBufferPointer(start: g + range.lowerBound, count: range.count)
      if decay == 0 {
        for i in 0..<gb.count { pb[i] -= rate * gb[i] }
      } else {
        for i in 0..<gb.count { pb[i] -= rate * Relaxed.multiplyAdd(decay, pb[i], gb[i]) }
      }
    }
  }

  /// Whether `smoothedStep` with these arguments leaves every parameter finite, without
  /// writing anything: the same expression, summed as `allFinite` sums. p, g: `count` each.
  public static func smoothedStepStaysFinite(
    parameters p: UnsafePointer<Float>, gradients g: UnsafePointer<Float>, count: Int, rate: Float, decay: Float
  ) -> Bool {
    let pb = UnsafeBufferPointer(start: p, count: count), gb = UnsafeBufferPointer(start: g, count: count)
    var acc: Float = 0
    if decay == 0 {
      for i in 0..<count { acc = Relaxed.sum(acc, (pb[i] - rate * gb[i]) * 0) }
    } else {
      for i in 0..<count { acc = Relaxed.sum(acc, (pb[i] - rate * Relaxed.multiplyAdd(decay, pb[i], gb[i])) * 0) }
    }
    return acc == 0
  }

  /// The smoothed step, then g *= momentum in the same pass, while g is in cache: the
  /// multiplication a following product with beta = momentum would make first (OpenBLAS's
  /// scaling pass over C), so that product can run with beta 1. The bits are those of the step
  /// followed by that pass. p, g: `count` each.
  public static func smoothedStep(
    parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count: Int, rate: Float, decay: Float,
    thenScalingGradientsBy momentum: Float
  ) {
    ParallelChunks.run(count: count) { range in
      let pb = UnsafeMutableBufferPointer(start: p + range.lowerBound, count: range.count)
      let gb = UnsafeMutableBufferPointer(start: g + range.lowerBound, count: range.count)
      if decay == 0 {
        for i in 0..<gb.count {
          let gi = gb[i]
          pb[i] -= rate * gi
          gb[i] = momentum * gi
        }
      } else {
        for i in 0..<gb.count {
          let gi = gb[i]
          pb[i] -= rate * Relaxed.multiplyAdd(decay, pb[i], gi)
          gb[i] = momentum * gi
        }
      }
    }
  }

  /// Index of the largest element of each row (the first on ties, as torch.argmax). m: (N, k) -> N.
  public static func argmaxRows(_ m: Matrix) -> [Int] {
    (0..<m.rows).map { r in
      let row = m.row(r)
      var best = 0
      for j in 1..<max(row.count, 1) where row[j] > row[best] { best = j }
      return best
    }
  }

  /// One row of a first layer whose input is an image with label pixels written in, from the
  /// image's product computed once: h = relu(s (a + c) + b), returning scale * sum(h^2).
  /// a: the image's x_img W_img^T row, c: the label pixels' W_label l (one column of W times
  /// the label value), s: the row's normalisation scale; all of length d.
  public static func sharedRowReluGoodness(
    product a: UnsafePointer<Float>, labelColumn c: UnsafePointer<Float>, scale s: Float, bias b: UnsafePointer<Float>,
    into h: UnsafeMutablePointer<Float>, count d: Int, goodnessScale: Float
  ) -> Float {
    let ab = UnsafeBufferPointer(start: a, count: d), cb = UnsafeBufferPointer(start: c, count: d)
    let bb = UnsafeBufferPointer(start: b, count: d), hb = UnsafeMutableBufferPointer(start: h, count: d)
    var sumSquares: Float = 0
    for j in 0..<d {
      let v = max(Relaxed.multiplyAdd(s, ab[j] + cb[j], bb[j]), 0)
      hb[j] = v
      sumSquares = Relaxed.multiplyAdd(v, v, sumSquares)
    }
    return sumSquares * goodnessScale
  }

  /// Sum of squares of `count` floats.
  public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var s: Float = 0
    for v in UnsafeBufferPointer(start: x, count: count) { s = Relaxed.multiplyAdd(v, v, s) }
    return s
  }

  /// A side x side image moved by (dx, dy) pixels (right and down positive), zeros where it
  /// uncovers: the shift augmentation of training. src, dst: side * side, distinct.
  public static func shiftImage(
    _ src: UnsafeMutableBufferPointer<Float>, side: Int, dx: Int, dy: Int, into dst: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(src.count == side * side && dst.count == side * side, "shiftImage: \(src.count) pixels for side \(side)")
    for r in 0..<side {
      let from = r - dy
      let target = dst.baseAddress! + r * side
      guard from >= 0 && from < side else {
        target.update(repeating: 0, count: side)
        continue
      }
      let source = src.baseAddress! + from * side
      for c in 0..<side {
        let f = c - dx
        target[c] = f >= 0 && f < side ? source[f] : 0
      }
    }
  }
}

extension Elementwise {
  /// One pair of layer 1's rows turned into its gradient contributions, in one pass over them:
  /// with g+ = c+ h+ and g- = c- h- (dL/dz of the positive and the negative row),
  ///   folded = s (g+ + g-)        the pair's row of the image part's gradient product
  ///   up += sv g+, down += sv g-  the label pixels' gradient rows (up may be down)
  ///   biasSum += g+ + g-
  /// Neither g row is ever written: layer 1's training needs only these. All of length d.
  @inlinable
  public static func foldPair(
    positive hp: UnsafePointer<Float>, _ cp: Float, negative hn: UnsafePointer<Float>, _ cn: Float,
    scale s: Float, labelScale sv: Float, into folded: UnsafeMutablePointer<Float>,
    up: UnsafeMutablePointer<Float>, down: UnsafeMutablePointer<Float>, biasSum: UnsafeMutablePointer<Float>, count d: Int,
    rounded: UnsafeMutablePointer<UInt16>? = nil
  ) {
    // bf16 products: the folded row only as the product's rounded operand; the same arithmetic.
    if let rounded, up == down {
      for j in 0..<d {
        let gp = cp * hp[j], gn = cn * hn[j], g = gp + gn
        rounded[j] = BF16.bits(s * g)
        up[j] = Relaxed.multiplyAdd(sv, g, up[j])
        biasSum[j] += g
      }
    } else if let rounded {
      for j in 0..<d {
        let gp = cp * hp[j], gn = cn * hn[j], g = gp + gn
        rounded[j] = BF16.bits(s * g)
        up[j] = Relaxed.multiplyAdd(sv, gp, up[j])
        down[j] = Relaxed.multiplyAdd(sv, gn, down[j])
        biasSum[j] += g
      }
    } else if up == down {
      for j in 0..<d {
        let gp = cp * hp[j], gn = cn * hn[j], g = gp + gn
        folded[j] = s * g
        up[j] = Relaxed.multiplyAdd(sv, g, up[j])
        biasSum[j] += g
      }
    } else {
      for j in 0..<d {
        let gp = cp * hp[j], gn = cn * hn[j], g = gp + gn
        folded[j] = s * g
        up[j] = Relaxed.multiplyAdd(sv, gp, up[j])
        down[j] = Relaxed.multiplyAdd(sv, gn, down[j])
        biasSum[j] += g
      }
    }
  }
}
