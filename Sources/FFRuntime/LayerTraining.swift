import FFKernels

// The Forward-Forward layer objective and its gradient (Hinton 2022, as the seed implements it).
//
// For a stacked batch of R = P + Q rows (P positives, then Q negatives), a layer with
// W: (out, in), b: (out) computes, per row i:
//   x_i = x_i / (||x_i|| + eps)                        (fixed while the layer trains)
//   z_i = W x_i + b,   h_i = relu(z_i),   g_i = (1/out) sum_j h_ij^2
//   s_i = threshold - g_i  (positive rows),   s_i = g_i - threshold  (negative rows)
//   L   = (1/R) sum_i softplus(s_i),   softplus(s) = log(1 + exp(s))
// The seed concatenates both sets and takes one mean, so R = 2N weights every row equally.
//
// Gradient, by the chain rule, with softplus' = sigmoid:
//   dL/dg_i  = (1/R) sigmoid(s_i) * sign_i,   sign_i = -1 for positives, +1 for negatives
//   dg_i/dz_ij = (2/out) h_ij                 (relu' = 1[z > 0] and h_ij = 0 where z_ij <= 0,
//                                              so the mask is already in h)
//   dL/dz_ij = c_i h_ij,   c_i = (2 / (R out)) sigmoid(s_i) sign_i
//   dL/dW = G^T X,  dL/db = G^T 1,   where G = (dL/dz_ij): (R, out), X: (R, in)
// No gradient flows to the input: FF layers learn locally and greedily.

extension FFLayer {
  /// One full-batch evaluation: the loss before the step, leaving dL/dW and dL/db in the
  /// layer's gradient buffers. Most of the running time is spent in the two GEMMs here.
  func lossAndGradients(_ ws: LayerWorkspace) -> Float {
    let x = ws.normalized, z = ws.activations
    let rows = ws.rows
    // z = x W^T: (R, in) x (in, out) -> (R, out)
    BLAS.gemm(x, .none, weights, .transpose, into: z)
    // One fused pass per row: bias, relu, goodness.
    Elementwise.biasReluGoodness(z, bias: bias.base, goodness: ws.goodness.base)

    let threshold = hyper.threshold
    let scale = 2 / (Float(rows) * Float(outputs))
    let g = ws.goodness.elements, c = ws.coefficients.elements
    var loss: Double = 0
    for i in 0..<rows {
      let positive = i < ws.positives
      let s = positive ? threshold - g[i] : g[i] - threshold
      loss += Double(Elementwise.softplus(s))
      let d = scale * Elementwise.sigmoid(s)
      c[i] = positive ? -d : d
    }
    // G = c_i h_i, in place.
    Elementwise.scaleRows(z, by: ws.coefficients.base)
    // dL/dW = G^T x: (out, R) x (R, in) -> (out, in)
    BLAS.gemm(z, .transpose, x, .none, into: weightGradient)
    // dL/db = G^T 1
    BLAS.gemv(z, .transpose, x: ws.ones.base, into: biasGradient.base)
    return Float(loss / Double(rows))
  }

  /// h = relu(x_ W^T + b) for every row of an already-normalised input, into `out`; returns
  /// nothing but fills `goodness` (1, R) when given.
  func activate(normalized x: Matrix, into out: Matrix, goodness: Matrix) {
    BLAS.gemm(x, .none, weights, .transpose, into: out)
    Elementwise.biasReluGoodness(out, bias: bias.base, goodness: goodness.base)
  }

  /// The seed's `Learning.forward`: normalise rows, then relu(x_ W^T + b). x: (N, in) -> (N, out).
  public func forward(_ x: Matrix) -> Matrix {
    precondition(x.cols == inputs, "layer expects \(inputs) inputs, got \(x.cols)")
    let xn = Matrix(rows: x.rows, cols: x.cols)
    Elementwise.normalizeRows(x, into: xn, eps: hyper.eps)
    let h = Matrix(rows: x.rows, cols: outputs)
    activate(normalized: xn, into: h, goodness: Matrix(rows: 1, cols: x.rows))
    return h
  }

  /// Goodness (mean squared activity) of every row of x: (N, in) -> N.
  public func goodness(_ x: Matrix) -> [Float] {
    let h = forward(x)
    return (0..<h.rows).map { r in h.row(r).reduce(0) { $0 + $1 * $1 } / Float(outputs) }
  }

  /// Loss on positives x_pos and negatives x_neg, leaving the gradients in
  /// `lastWeightGradient` / `lastBiasGradient` (no step is taken). For tests and inspection.
  public func lossAndGradients(positive: Matrix, negative: Matrix) -> Float {
    let ws = LayerWorkspace(input: FFModel.stack(positive, negative), positives: positive.rows,
                            outputs: outputs, eps: hyper.eps)
    return lossAndGradients(ws)
  }

  /// Trains this layer for `epochs` full-batch Adam steps on a stacked input (positives first).
  ///
  /// Returns the layer's activations for the same rows recomputed with the final weights (the
  /// next layer's input), or nil when `control` asked to stop (the steps taken are kept).
  /// Throws when the loss or a gradient stops being finite; the weights are then those of the
  /// last finite step.
  func train(
    stacked input: Matrix, positives: Int, epochs: Int, layerNumber: Int, control: TrainingControl
  ) throws(FFRuntimeError) -> (output: Matrix?, epochsDone: Int) {
    guard epochs <= Self.maximumAdamSteps - adamSteps else { throw Self.tooManySteps(layerNumber, adamSteps, more: epochs) }
    let ws = LayerWorkspace(input: input, positives: positives, outputs: outputs, eps: hyper.eps)
    let clock = ContinuousClock()
    let start = clock.now
    control.observer(.layerStarted(layer: layerNumber, epochs: epochs, inputs: inputs, outputs: outputs, rows: input.rows))
    var lastLoss = Float.nan
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      let loss = lossAndGradients(ws)
      guard loss.isFinite,
            Elementwise.allFinite(UnsafeBufferPointer(weightGradient.elements)),
            Elementwise.allFinite(UnsafeBufferPointer(biasGradient.elements))
      else {
        throw .nonFiniteLoss(layer: layerNumber, epoch: epoch, loss: loss)
      }
      try adamStep(layerNumber: layerNumber)
      lossHistory.append(loss)
      lastLoss = loss
      control.observer(.epochFinished(layer: layerNumber, epoch: epoch, epochs: epochs, loss: loss,
                                      elapsed: (clock.now - start).seconds))
      if epoch < epochs && control.shouldStop() {
        control.observer(.interrupted(layer: layerNumber, epoch: epoch, epochs: epochs))
        return (nil, epoch)
      }
    }
    activate(normalized: ws.normalized, into: ws.activations, goodness: ws.goodness)
    control.observer(.layerFinished(layer: layerNumber, epochs: epochs, loss: lastLoss,
                                    seconds: (clock.now - start).seconds))
    return (ws.activations, epochs)
  }
}

extension Duration {
  /// The duration in seconds as a Double.
  public var seconds: Double {
    let (s, a) = components
    return Double(s) + Double(a) * 1e-18
  }
}
