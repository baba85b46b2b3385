import FFKernels

// Layer 1's evaluation on labelled pairs in one pass per pair, for recipes without peer
// normalisation (the seed's): the pair's product row gives both rows' activations into a
// two-row scratch that stays in cache, their goodness gives the loss and each row's c_i, and
// foldPair turns them straight into the folded gradient row, the label pixels' rows and the
// bias sum. The (2n, out) activations and dL/dz are never written to memory, so an epoch moves
// about a fifth of the bytes the separate passes (activate, scale by c_i, fold, bias gemv) move.
// Peer normalisation needs every positive row's activity before any row's gradient (its running
// means), so it keeps those passes.

extension FFLayer {
  /// Whether `fusedSharedLossAndGradients` computes this layer's objective.
  var fusesSharedPairs: Bool { recipe.peer == 0 }

  /// Loss summed over the 2n rows of pairs 0..<n (image k with labels[k] in its positive row
  /// and negativeLabels[k] in its negative one, scale scales[k] in both), leaving dL/dW and
  /// dL/db in the gradient buffers as `accumulateSharedGradients` does, and each row's goodness
  /// in goodness[0..<2n] (positives, then negatives). images: (>= n, in); scales: n.
  /// `roundedImages`: the images' pixels 10... rounded to bf16, for bf16 products.
  func fusedSharedLossAndGradients(
    images: Matrix, scales: UnsafePointer<Float>, labels: [Int], negativeLabels: [Int], value: Float, pairs n: Int,
    buffers b: SharedImageBuffers, goodness: UnsafeMutablePointer<Float>, roundedImages: BF16Rows? = nil
  ) -> Double {
    precondition(fusesSharedPairs, "peer normalisation needs the separate passes")
    precondition(labels.count >= n && negativeLabels.count >= n && b.capacity >= n, "\(n) pairs for \(labels.count) labels")
    sharedImageProducts(images, rows: 0..<n, into: b.products, rounded: roundedImages)
    let out = outputs, scale = goodnessScale
    let objective = RowObjective(self, rows: 2 * n)
    let hp = b.pairScratch.base, hn = b.pairScratch.base + out, columns = b.labelColumns.base
    // With bf16 products (and a shape oneDNN takes), the folded rows are written only rounded.
    let (alpha, beta) = gradientScaling(positives: n), classes = LabelOverlay.classes
    let roundedFolded = b.roundedFolded.flatMap { folded in
      BF16.supports(m: out, n: inputs - classes, k: n, transA: .transpose, transB: .none, ldc: inputs, alpha: alpha, beta: beta)
        ? folded : nil
    }
    b.labelGradient.fill(0)
    b.biasSum.fill(0)
    var loss: Double = 0
    for k in 0..<n {
      let s = scales[k], row = b.products.base + k * out
      let gp = Elementwise.sharedRowReluGoodness(product: row, labelColumn: columns + labels[k] * out, scale: s,
                                                 bias: bias.base, into: hp, count: out, goodnessScale: scale)
      let gn = Elementwise.sharedRowReluGoodness(product: row, labelColumn: columns + negativeLabels[k] * out, scale: s,
                                                 bias: bias.base, into: hn, count: out, goodnessScale: scale)
      goodness[k] = gp
      goodness[n + k] = gn
      let (lp, cp) = objective(goodness: gp, positive: true), (ln, cn) = objective(goodness: gn, positive: false)
      loss += Double(lp) + Double(ln)
      // The product row is consumed: the folded row takes its place.
      Elementwise.foldPair(positive: hp, cp, negative: hn, cn, scale: s, labelScale: s * value, into: row,
                           up: b.labelGradient.base + labels[k] * out, down: b.labelGradient.base + negativeLabels[k] * out,
                           biasSum: b.biasSum.base, count: out, rounded: roundedFolded.map { $0.base + k * out })
    }
    combineSharedGradients(images: images, pairs: n, buffers: b, roundedImages: roundedImages,
                           roundedFolded: roundedFolded?.rows(0..<n))
    setBiasGradient(fromSums: b.biasSum.base, alpha: alpha, beta: beta)
    return loss
  }
}
