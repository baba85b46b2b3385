import FFKernels

// Layer 1 sees every image several times per mini-batch: with the true label (positive), a
// drawn label (negative) and, with a head, the neutral label. The rows differ only in the 10
// label pixels, so with x = [l; i] (label pixels l, image pixels i) and the row's normalisation
// scale s = 1 / (eps + norm([l; i])):
//   z = s (W_l l + W_i i) + b = s (a + c_l) + b,   a = W_i i computed once per image,
// where c_l = W_l l is one column of W times the label value (or, neutral, the sum of the ten
// columns times value / 10). The positive and negative rows of an image have the same s (one
// pixel of the same value), so the weight gradient's image part folds both into one row:
//   dW_i = sum over images of s (g_pos + g_neg)^T i,
// one product over n images instead of 2n rows, plus a 10-column scatter for the label pixels.
// Forward products shrink from 3n (or 2n) rows to n, and the gradient's from 2n to n.

extension FFModel {
  /// Gathers the mini-batch's images into `buffers.images` (each moved by a random shift of up
  /// to `shift` pixels, drawn from `shifts`, when asked), their squared image norms, and the
  /// product a = i W_i^T for each; refreshes the label columns from the current weights.
  func prepareSharedFirstLayer(
    _ x: Matrix, members: ArraySlice<Int>, value: Float, buffers b: TogetherBuffers, shift: Int = 0,
    shifts: inout Generator
  ) {
    let layer = layers[0], d = layer.inputs, out = layer.outputs, classes = LabelOverlay.classes
    let n = members.count
    let side = Int(Double(d).squareRoot())
    for (k, i) in members.enumerated() {
      if shift > 0 && side * side == d {
        let span = 2 * shift + 1
        let dx = shifts.nextInt(below: span) - shift, dy = shifts.nextInt(below: span) - shift
        Elementwise.shiftImage(x.row(i), side: side, dx: dx, dy: dy, into: b.images.row(k))
      } else {
        b.images.assignRows(from: x, i..<(i + 1), at: k)
      }
      b.imageSquares.base[k] = Elementwise.sumOfSquares(b.images.row(k).baseAddress! + classes, count: d - classes)
    }
    // a = i W_i^T: (n, d - 10) x (d - 10, out), reading past each row's label pixels.
    BLAS.gemm(m: n, n: out, k: d - classes, a: b.images.base + classes, lda: d, transA: .none,
              b: layer.weights.base + classes, ldb: d, transB: .transpose, c: b.imageProducts.base, ldc: out,
              precision: layer.precision)
    let neutral = b.labelColumns.row(classes)
    for o in 0..<out { neutral[o] = 0 }
    let w = layer.weights
    let share = value / Float(classes)
    for o in 0..<out {
      let row = w.row(o)
      for y in 0..<classes {
        b.labelColumns.base[y * out + o] = value * row[y]
        neutral[o] += share * row[y]
      }
    }
  }

  /// Layer 1's activations for rows `start..<start + n` of the buffers: image k of the batch
  /// with label column `column(k)` (0..<10, or 10 for neutral) whose pixels' squares sum to
  /// `labelSquares`. Writes each row's scale, activations and goodness.
  func activateSharedFirstLayer(
    start: Int, n: Int, labelSquares: Float, buffers b: TogetherBuffers, column: (Int) -> Int
  ) {
    let layer = layers[0], out = layer.outputs
    let invD = 1 / Float(layer.inputs), eps = layer.hyper.eps, rms = layer.recipe.normalization == .rms
    let scale = layer.goodnessScale
    for k in 0..<n {
      let r = start + k
      let squares = b.imageSquares.base[k] + labelSquares
      let s = 1 / ((rms ? squares * invD : squares).squareRoot() + eps)
      b.scales.base[r] = s
      b.goodness[0].base[r] = Elementwise.sharedRowReluGoodness(
        product: b.imageProducts.base + k * out, labelColumn: b.labelColumns.base + column(k) * out, scale: s,
        bias: layer.bias.base, into: b.activations[0].base + r * out, count: out, goodnessScale: scale)
    }
  }

  /// Layer 1's gradients from dL/dz of its n positive rows, then n negative rows, at `start`
  /// of `buffers.activations[0]` (`gradient`: those 2n rows), into its gradient buffers as
  /// `accumulateGradients` would leave them for the materialised input.
  func accumulateSharedFirstLayerGradients(
    start: Int, n: Int, labels: [Int], negativeLabels: [Int], value: Float, buffers b: TogetherBuffers, gradient: Matrix
  ) {
    let layer = layers[0], d = layer.inputs, out = layer.outputs, classes = LabelOverlay.classes
    let g = b.activations[0]
    b.labelGradient.fill(0)
    for k in 0..<n {
      let s = b.scales.base[start + k]
      let positive = g.row(start + k), negative = g.row(start + n + k), folded = b.folded.row(k)
      let up = b.labelGradient.row(labels[k]), down = b.labelGradient.row(negativeLabels[k])
      let sv = s * value
      for o in 0..<out {
        folded[o] = s * (positive[o] + negative[o])
        up[o] += sv * positive[o]
        down[o] += sv * negative[o]
      }
    }
    let (alpha, beta) = layer.gradientScaling(positives: n)
    // Image part: (out, n) x (n, d - 10) into columns 10... of the (out, d) gradient.
    BLAS.gemm(m: out, n: d - classes, k: n, a: b.folded.base, lda: out, transA: .transpose,
              b: b.images.base + classes, ldb: d, transB: .none, c: layer.weightGradient.base + classes, ldc: d,
              alpha: alpha, beta: beta, precision: layer.precision)
    for o in 0..<out {
      let row = layer.weightGradient.row(o)
      for y in 0..<classes {
        row[y] = (beta == 0 ? 0 : beta * row[y]) + alpha * b.labelGradient.base[y * out + o]
      }
    }
    BLAS.gemv(gradient, .transpose, x: b.ones.base, into: layer.biasGradient.base, alpha: alpha, beta: beta)
  }
}
