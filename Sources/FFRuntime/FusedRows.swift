import FFKernels

// A layer's evaluation on materialised rows with one pass over each row after the forward
// product, for recipes without peer normalisation (the seed's): bias, relu and goodness, then
// the row's loss and c_i, then h scaled into dL/dz and added to the bias gradient's sums, all
// while the row is in cache. Three sweeps of the (R, out) activations (activate, scale by c_i,
// the bias gemv) become one. Peer normalisation needs the positives' column means before any
// row's dL/dz, so it keeps the separate passes (`lossGradient`).

extension FFLayer {
  /// Whether `fusedLossAndGradients` computes this layer's objective.
  var fusesRows: Bool { recipe.peer == 0 }

  /// The loss summed over the rows of x (normalised input, `positives` positives first, then
  /// negatives), leaving dL/dW and dL/db in the gradient buffers as `lossGradient` followed by
  /// `accumulateGradients` does, and each row's goodness in `goodness`. x: (R, in); h: (R, out)
  /// scratch (dL/dz afterwards, unless written only rounded); goodness: R. `rounded`: x rounded to
  /// bf16, for bf16 products; `roundedGradient`: (>= R, out) room for dL/dz in bf16, which the
  /// pass then writes instead of the fp32 rows when the gradient product runs in bf16.
  func fusedLossAndGradients(
    normalized x: Matrix, positives: Int, into h: Matrix, goodness: UnsafeMutablePointer<Float>, rounded: BF16Matrix? = nil,
    roundedGradient: BF16Matrix? = nil
  ) -> Double {
    precondition(fusesRows, "peer normalisation needs the separate passes")
    precondition(h.rows == x.rows && h.cols == outputs, "activations (\(h.rows), \(h.cols)) for (\(x.rows), \(outputs))")
    BLAS.gemm(x, .none, weights, .transpose, into: h, precision: precision, roundedA: rounded)
    let objective = RowObjective(self, rows: h.rows), scale = goodnessScale, out = outputs
    let sums = unitScratch.base
    unitScratch.fill(0)
    let (alpha, beta) = gradientScaling(positives: positives)
    let gradientRows = roundedGradient.flatMap { g in
      precision.effective == .bf16 && g.rows >= h.rows && g.cols == out
        && BF16.supports(m: out, n: inputs, k: h.rows, transA: .transpose, transB: .none, ldc: inputs, alpha: alpha, beta: beta)
        ? g : nil
    }
    var loss: Double = 0
    for i in 0..<h.rows {
      let row = h.base + i * out
      let g = Elementwise.biasReluSquares(row, bias: bias.base, count: out) * scale
      goodness[i] = g
      let (rowLoss, c) = objective(goodness: g, positive: i < positives)
      loss += Double(rowLoss)
      Elementwise.scaleRowAccumulating(row, by: c, into: sums, count: out, rounded: gradientRows.map { $0.base + i * out })
    }
    BLAS.gemm(m: out, n: inputs, k: h.rows, a: h.base, lda: out, transA: .transpose, b: x.base, ldb: inputs, transB: .none,
              c: weightGradient.base, ldc: inputs, alpha: alpha, beta: takeWeightGradientBeta(beta), precision: precision,
              roundedA: gradientRows?.rows(0..<h.rows), roundedB: rounded.map { $0.rows(0..<$0.rows) })
    setBiasGradient(fromSums: sums, alpha: alpha, beta: beta)
    return loss
  }

  /// dL/db from the column sums of dL/dz that a fused pass gathered, scaled as the optimizer
  /// says (`gradientScaling`: replaced for Adam, smoothed into for the smoothed optimizer), as
  /// the bias gemv of the separate passes leaves it. sums: out.
  func setBiasGradient(fromSums sums: UnsafePointer<Float>, alpha: Float, beta: Float) {
    for o in 0..<outputs { biasGradient.base[o] = (beta == 0 ? 0 : beta * biasGradient.base[o]) + alpha * sums[o] }
  }
}
