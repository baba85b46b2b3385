import FFKernels

// Layer 1 sees every image several times: in training with the true label (positive) and a
// drawn label (negative), and with Hinton's head also the neutral label; in prediction under
// each of the 10 labels. The rows differ only in the 10 label pixels, so with x = [l; i] (label
// pixels l, image pixels i) and the row's normalisation scale s = 1 / (eps + norm([l; i])):
//   z = s (W_l l + W_i i) + b = s (a + c_l) + b,   a = W_i i computed once per image,
// where c_l = W_l l is one column of W times the label value (or, neutral, the sum of the ten
// columns times value / 10). Rows whose label pixels have the same squares (one pixel of the
// same value: positive, negative, every label in prediction) have the same s, so the weight
// gradient's image part folds a pair into one row:
//   dW_i = sum over images of s (g_pos + g_neg)^T i,
// one product over n images instead of 2n rows, plus a 10-column scatter for the label pixels.
// The forward product shrinks from 2n rows (3n with a head, 10n in prediction) to n, and the
// gradient's from K = 2n to n. The images are read as they are (pixels 10...), never
// normalised into a copy: s multiplies the product instead.

/// Layer 1's scratch for sharing each image's product, for blocks of up to `capacity` images.
final class SharedImageBuffers {
  let capacity: Int
  /// Sum of squares of each image's pixels 10... (1, capacity)
  let imageSquares: Matrix
  /// a = i W_i^T per image; then, in training, the folded gradient rows s (g_pos + g_neg),
  /// written once every pass that reads a has run. (capacity, out)
  let products: Matrix
  /// Row y < 10: the label value times W[:, y]; row 10: the neutral label's columns. (11, out)
  let labelColumns: Matrix
  /// The label pixels' part of the weight gradient, one row per label. (10, out)
  let labelGradient: Matrix
  /// One pair's positive and negative activations, in cache while its gradient is folded. (2, out)
  let pairScratch: Matrix
  /// The bias gradient's sum over rows, before the optimizer's scaling. (1, out)
  let biasSum: Matrix
  /// With bf16 products, the folded rows as the gradient product's operand, written rounded by
  /// the fused pass itself. (capacity, out)
  let roundedFolded: BF16Matrix?

  init(layer: FFLayer, capacity: Int) {
    let classes = LabelOverlay.classes
    self.capacity = capacity
    imageSquares = Matrix(rows: 1, cols: capacity)
    products = Matrix(rows: capacity, cols: layer.outputs)
    labelColumns = Matrix(rows: classes + 1, cols: layer.outputs)
    labelGradient = Matrix(rows: classes, cols: layer.outputs)
    pairScratch = Matrix(rows: 2, cols: layer.outputs)
    biasSum = Matrix(rows: 1, cols: layer.outputs)
    roundedFolded = layer.precision.effective == .bf16 ? BF16Matrix(rows: capacity, cols: layer.outputs) : nil
  }

  /// Bytes of these buffers for `capacity` images of a layer with `outputs` units.
  static func estimatedBytes(capacity: Int, outputs: Int) -> Int {
    4 * (capacity * (outputs + 1) + (2 * LabelOverlay.classes + 4) * outputs)
  }
}

extension FFLayer {
  /// Each image's sum of squares over pixels 10... (the part of its rows' norm the label
  /// pixels do not change), for rows `rows` of `images` into squares[0..<rows.count].
  /// images: (N, in).
  func sharedImageSquares(_ images: Matrix, rows: Range<Int>, into squares: UnsafeMutablePointer<Float>) {
    let classes = LabelOverlay.classes, d = inputs
    precondition(images.cols == d && rows.lowerBound >= 0 && rows.upperBound <= images.rows, "images (\(images.rows), \(images.cols)), rows \(rows)")
    for (k, r) in rows.enumerated() {
      squares[k] = Elementwise.sumOfSquares(images.base + r * d + classes, count: d - classes)
    }
  }

  /// The normalisation scale of n rows whose image pixels' squares sum to imageSquares[k] and
  /// whose label pixels' squares sum to `labelSquares`: 1 / (||x|| + eps) (l2) or
  /// 1 / (eps + sqrt(mean x^2)) (rms), as `normalize` computes it. imageSquares, scales: n.
  func sharedScales(
    imageSquares: UnsafePointer<Float>, labelSquares: Float, count n: Int, into scales: UnsafeMutablePointer<Float>
  ) {
    let invD = 1 / Float(inputs), eps = hyper.eps, rms = recipe.normalization == .rms
    for k in 0..<n {
      let squares = imageSquares[k] + labelSquares
      scales[k] = 1 / ((rms ? squares * invD : squares).squareRoot() + eps)
    }
  }

  /// The label columns c_y = value W[:, y] (rows 0..<10) and the neutral label's
  /// sum_y (value / 10) W[:, y] (row 10), from the current weights. columns: (11, out).
  func sharedLabelColumns(value: Float, into columns: Matrix) {
    let classes = LabelOverlay.classes, out = outputs
    precondition(columns.rows == classes + 1 && columns.cols == out, "label columns (\(columns.rows), \(columns.cols)) for \(out) units")
    let neutral = columns.row(classes)
    for o in 0..<out { neutral[o] = 0 }
    let share = value / Float(classes)
    for o in 0..<out {
      let row = weights.row(o)
      for y in 0..<classes {
        columns.base[y * out + o] = value * row[y]
        neutral[o] += share * row[y]
      }
    }
  }

  /// a = i W_i^T for rows `rows` of `images`, reading past each row's label pixels, into the
  /// first rows.count rows of `products`: (n, in - 10) x (in - 10, out) -> (n, out), one GEMM.
  /// images: (N, in), products: (>= n, out).
  /// `rounded`: those rows' pixels 10... already rounded to bf16, for bf16 products.
  func sharedImageProducts(_ images: Matrix, rows: Range<Int>, into products: Matrix, rounded: BF16Rows? = nil) {
    let classes = LabelOverlay.classes, d = inputs
    precondition(images.cols == d && rows.lowerBound >= 0 && rows.upperBound <= images.rows, "images (\(images.rows), \(images.cols)), rows \(rows)")
    precondition(products.cols == outputs && products.rows >= rows.count, "products (\(products.rows), \(products.cols)) for \(rows.count) images")
    // An input of label pixels only (in = 10) has no image part: a = 0, not a K = 0 GEMM.
    guard d > classes else { return products.base.update(repeating: 0, count: rows.count * outputs) }
    BLAS.gemm(m: rows.count, n: outputs, k: d - classes, a: images.base + rows.lowerBound * d + classes, lda: d, transA: .none,
              b: weights.base + classes, ldb: d, transB: .transpose, c: products.base, ldc: outputs,
              precision: precision, roundedA: rounded)
  }

  /// n rows of activations, row k from image k's product, scale scales[k] and label column
  /// `column(k)` (0..<10, or 10 for neutral): h = relu(s (a + c) + b), one fused pass per row,
  /// with each row's goodness. products: (>= n, out); scales, goodness: n; h: n rows of out.
  func activateShared(
    products: Matrix, scales: UnsafePointer<Float>, labelColumns: Matrix, count n: Int, column: (Int) -> Int,
    into h: UnsafeMutablePointer<Float>, goodness: UnsafeMutablePointer<Float>
  ) {
    let out = outputs, scale = goodnessScale
    precondition(products.cols == out && products.rows >= n, "products (\(products.rows), \(products.cols)) for \(n) rows")
    for k in 0..<n {
      goodness[k] = Elementwise.sharedRowReluGoodness(
        product: products.base + k * out, labelColumn: labelColumns.base + column(k) * out, scale: scales[k],
        bias: bias.base, into: h + k * out, count: out, goodnessScale: scale)
    }
  }

  /// Layer 1's gradients from dL/dz of n positive rows, then their n negative rows (`g`:
  /// (2n, out)), where pair k is image k of `images` (pixels 10..., (>= n, in)) with scale
  /// scales[k] in both rows and label pixel `value` at labels[k] / negativeLabels[k]; into the
  /// gradient buffers as `accumulateGradients` leaves them for the materialised rows.
  /// Overwrites `buffers.products` with the folded rows. ones: 2n. `roundedImages`: pixels 10...
  /// of images 0..<n already rounded to bf16, for bf16 products.
  func accumulateSharedGradients(
    _ g: Matrix, images: Matrix, scales: UnsafePointer<Float>, labels: [Int], negativeLabels: [Int], value: Float,
    buffers b: SharedImageBuffers, ones: UnsafePointer<Float>, roundedImages: BF16Rows? = nil
  ) {
    let n = g.rows / 2, d = inputs, out = outputs
    precondition(g.rows == 2 * n && g.cols == out && images.cols == d && images.rows >= n && b.capacity >= n,
                 "gradient (\(g.rows), \(g.cols)) for images (\(images.rows), \(images.cols))")
    precondition(labels.count >= n && negativeLabels.count >= n, "\(labels.count), \(negativeLabels.count) labels for \(n) pairs")
    let folded = b.products
    b.labelGradient.fill(0)
    for k in 0..<n {
      let s = scales[k]
      let positive = g.row(k), negative = g.row(n + k), row = folded.row(k)
      let up = b.labelGradient.row(labels[k]), down = b.labelGradient.row(negativeLabels[k])
      let sv = s * value
      for o in 0..<out {
        row[o] = s * (positive[o] + negative[o])
        up[o] += sv * positive[o]
        down[o] += sv * negative[o]
      }
    }
    let (alpha, beta) = gradientScaling(positives: n)
    combineSharedGradients(images: images, pairs: n, buffers: b, roundedImages: roundedImages)
    BLAS.gemv(g, .transpose, x: ones, into: biasGradient.base, alpha: alpha, beta: beta)
  }

  /// The weight gradient from n folded rows in `buffers.products` and the label pixels' rows in
  /// `buffers.labelGradient`: the image part's product (out, n) x (n, in - 10) into columns
  /// 10... and the 10-column scatter, scaled as the optimizer says (replaced, or smoothed into).
  /// `roundedFolded`: the folded rows as written in bf16 (then `buffers.products` is not read).
  func combineSharedGradients(
    images: Matrix, pairs n: Int, buffers b: SharedImageBuffers, roundedImages: BF16Rows?, roundedFolded: BF16Rows? = nil
  ) {
    let d = inputs, out = outputs, classes = LabelOverlay.classes
    let (alpha, smoothing) = gradientScaling(positives: n)
    let beta = takeWeightGradientBeta(smoothing)
    BLAS.gemm(m: out, n: d - classes, k: n, a: b.products.base, lda: out, transA: .transpose,
              b: images.base + classes, ldb: d, transB: .none, c: weightGradient.base + classes, ldc: d,
              alpha: alpha, beta: beta, precision: precision, roundedA: roundedFolded, roundedB: roundedImages)
    for o in 0..<out {
      let row = weightGradient.row(o)
      for y in 0..<classes {
        row[y] = (beta == 0 ? 0 : beta * row[y]) + alpha * b.labelGradient.base[y * out + o]
      }
    }
  }
}
