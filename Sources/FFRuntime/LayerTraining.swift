import FFKernels

// The Forward-Forward layer objective and its gradient (Hinton 2022, as the seed implements it,
// and as Hinton's ffcode does).
//
// For a stacked batch of R = P + Q rows (P positives, then Q negatives), a layer with
// W: (out, in), b: (out) computes, per row i:
//   x_i = x_i / (||x_i|| + eps)    (l2, the seed's)   or   x_i / (eps + rms(x_i))   (rms, ffcode's)
//   z_i = W x_i + b,   h_i = relu(z_i)
//
// Goodness `mean` (the seed's): g_i = (1/out) sum_j h_ij^2,
//   s_i = threshold - g_i (positives), g_i - threshold (negatives),  L = (1/R) sum_i softplus(s_i)
//   dL/dz_ij = c_i h_ij,   c_i = (2 / (R out)) sigmoid(s_i) sign_i,  sign_i = -1 positives, +1 negatives
//   (relu' = 1[z > 0] and h_ij = 0 where z_ij <= 0, so the mask is already in h).
// The seed concatenates both sets and takes one mean, so R = 2N weights every row equally.
//
// Goodness `sum` (ffcode's): logit_i = (sum_j h_ij^2 - out) / T, p_i = logistic(logit_i),
//   L = sum_i -log p_i (positives) + sum_i -log(1 - p_i) (negatives)
//   dL/dlogit_i = -(1 - p_i) (positives), p_i (negatives);  dL/dz_ij = (2 / T) dL/dlogit_i h_ij.
//   ffcode folds the 2 into its rate: c_i = dL/dlogit_i / T.
//
// Peer normalisation (ffcode): m_j = mu m_j + (1 - mu) mean_{positives} h_ij, then
//   lambda (m_j - mean_k m_k) is added to dL/dz_ij of every positive row, not gated by the relu,
//   which revives units that are always off and calms those always on.
//
// Optimizer `adam`: dL/dW = G^T X, dL/db = G^T 1 with the 1/R of the mean in c_i (the seed's).
// Optimizer `smoothed` (ffcode): G_W = m G_W + (1 - m) G^T X / P, G_b likewise, folded into the
//   GEMM's alpha and beta; then W -= lr gain (G_W + decay W), b -= lr gain G_b.
// No gradient flows to the input: FF layers learn locally.

extension FFLayer {
  /// Normalises rows of x into y (y may be x) as this layer's recipe says. x, y: (N, in).
  func normalize(_ x: Matrix, into y: Matrix) {
    switch recipe.normalization {
    case .l2: Elementwise.normalizeRows(x, into: y, eps: hyper.eps)
    case .rms: Elementwise.rmsNormalizeRows(x, into: y, eps: hyper.eps)
    }
  }

  /// What `biasReluGoodness` multiplies the sum of squares by: 1/out for the mean, 1 for the sum.
  var goodnessScale: Float { recipe.goodness == .mean ? 1 / Float(outputs) : 1 }

  /// h = relu(x W^T + b) for every row of an already-normalised input, into `out`, with each
  /// row's goodness in `goodness`. x: (N, in), out: (N, out), goodness: (1, >= N).
  /// `rounded`: x already rounded to bf16 (for bf16 products; the input of a whole training).
  func activate(normalized x: Matrix, into out: Matrix, goodness: Matrix, rounded: BF16Matrix? = nil) {
    BLAS.gemm(x, .none, weights, .transpose, into: out, precision: precision, roundedA: rounded)
    Elementwise.biasReluGoodness(out, bias: bias.base, goodness: goodness.base, scale: goodnessScale)
  }

  /// Turns activations h (positives first, `positives` of them, then negatives) into dL/dz in
  /// place, adding peer normalisation to positive rows; returns the summed loss of the rows.
  /// h: (R, out); goodness, coefficients: R.
  func lossGradient(
    _ h: Matrix, goodness: UnsafePointer<Float>, positives: Int, coefficients c: UnsafeMutablePointer<Float>
  ) -> Double {
    let rows = h.rows
    let objective = RowObjective(self, rows: rows)
    var loss: Double = 0
    for i in 0..<rows {
      let (rowLoss, coefficient) = objective(goodness: goodness[i], positive: i < positives)
      loss += Double(rowLoss)
      c[i] = coefficient
    }
    guard recipe.peer > 0, positives > 0 else {
      Elementwise.scaleRows(h, by: c)
      return loss
    }
    // Peer normalisation: update the running means from the positives' activities, then add
    // lambda (m_j - mean m) to every positive row (scaled like c_i for Adam's mean over rows).
    let v = unitScratch.elements, means = peerMeans.elements
    peerMeansBefore.assign(peerMeans)
    Elementwise.columnSums(h, rows: 0..<positives, into: unitScratch.base)
    let mu = recipe.peerMomentum, invP = 1 / Float(positives)
    var total: Float = 0
    for j in 0..<outputs {
      means[j] = mu * means[j] + (1 - mu) * v[j] * invP
      total += means[j]
    }
    let average = total / Float(outputs)
    let strength = recipe.peer * (recipe.optimizer == .adam ? 1 / Float(rows) : 1)
    for j in 0..<outputs { v[j] = strength * (means[j] - average) }
    Elementwise.scaleRowsAdding(h, rows: 0..<positives, by: c, vector: unitScratch.base)
    Elementwise.scaleRows(h, rows: positives..<rows, by: c)
    return loss
  }

  /// A row's loss and c_i (what scales its h into dL/dz), from its goodness: the formulas above,
  /// for a batch of `rows` rows (Adam's mean over rows is in c_i). One place for every path.
  struct RowObjective {
    let goodness: ModelRecipe.Goodness
    let threshold: Float, units: Float, temperature: Float, scale: Float

    init(_ layer: FFLayer, rows: Int) {
      let adam = layer.recipe.optimizer == .adam
      goodness = layer.recipe.goodness
      threshold = layer.hyper.threshold
      units = Float(layer.outputs)
      temperature = layer.recipe.temperature
      scale = switch goodness {
      case .mean: adam ? 2 / (Float(rows) * units) : 2 / units
      case .sum: adam ? 1 / (Float(rows) * temperature) : 1 / temperature
      }
    }

    @inline(__always)
    func callAsFunction(goodness g: Float, positive: Bool) -> (loss: Float, coefficient: Float) {
      switch goodness {
      case .mean:
        let s = positive ? threshold - g : g - threshold
        let d = scale * Elementwise.sigmoid(s)
        return (Elementwise.softplus(s), positive ? -d : d)
      case .sum:
        let logit = (g - units) / temperature
        return positive ? (Elementwise.softplus(-logit), -scale * Elementwise.sigmoid(-logit))
          : (Elementwise.softplus(logit), scale * Elementwise.sigmoid(logit))
      }
    }
  }

  /// dL/dW and dL/db from G = dL/dz (R, out) and the normalised input x (R, in), into the
  /// gradient buffers: replaced for Adam, smoothed into them for the `smoothed` optimizer
  /// (its 1/P and momentum folded into the GEMM's alpha and beta). `ones`: R ones.
  func accumulateGradients(
    _ g: Matrix, input x: Matrix, positives: Int, ones: UnsafePointer<Float>, roundedInput: BF16Matrix? = nil
  ) {
    let (alpha, beta) = gradientScaling(positives: positives)
    BLAS.gemm(g, .transpose, x, .none, into: weightGradient, alpha: alpha, beta: takeWeightGradientBeta(beta),
              precision: precision, roundedB: roundedInput)
    BLAS.gemv(g, .transpose, x: ones, into: biasGradient.base, alpha: alpha, beta: beta)
  }

  /// The beta of the product about to add into `weightGradient`: 1 when the last step left the
  /// gradient multiplied by the momentum already (see `weightGradientPrescaled`), else `beta`.
  /// Call it once per product: the product consumes the prescaling.
  func takeWeightGradientBeta(_ beta: Float) -> Float {
    defer { weightGradientPrescaled = false }
    return weightGradientPrescaled ? 1 : beta
  }

  /// (alpha, beta) of the gradient products: (1, 0) for Adam, which steps on this batch's
  /// gradient; ((1 - m) / P, m) for the smoothed optimizer, which keeps a running average.
  func gradientScaling(positives: Int) -> (alpha: Float, beta: Float) {
    switch recipe.optimizer {
    case .adam: (1, 0)
    case .smoothed: ((1 - recipe.momentum) / Float(max(positives, 1)), recipe.momentum)
    }
  }

  /// One evaluation on a workspace's rows: the mean loss before the step, leaving the gradients
  /// in the layer's buffers. Most of the running time is spent in the two GEMMs here.
  func lossAndGradients(_ ws: some GreedyWorkspace) -> Float {
    Float(ws.evaluate(self) / Double(ws.rows))
  }

  /// The layer's forward pass: normalise rows, then relu(x_ W^T + b). x: (N, in) -> (N, out).
  public func forward(_ x: Matrix) -> Matrix {
    precondition(x.cols == inputs, "layer expects \(inputs) inputs, got \(x.cols)")
    let xn = Matrix(rows: x.rows, cols: x.cols)
    normalize(x, into: xn)
    let h = Matrix(rows: x.rows, cols: outputs)
    activate(normalized: xn, into: h, goodness: Matrix(rows: 1, cols: x.rows))
    return h
  }

  /// The forward pass of greedy training's input: (rows, in) -> (rows, out), layer 1's labelled
  /// pairs sharing each image's product.
  func forward(_ input: GreedyInput) -> Matrix {
    switch input {
    case let .pairs(pairs): SharedImageWorkspace(layer: self, pairs: pairs).output(self)
    case let .stacked(x, _): forward(x)
    }
  }

  /// Goodness (mean squared activity, or the sum with the `sum` recipe) of every row of x: (N, in) -> N.
  public func goodness(_ x: Matrix) -> [Float] {
    let h = forward(x)
    let scale = goodnessScale
    return (0..<h.rows).map { r in h.row(r).reduce(0) { $0 + $1 * $1 } * scale }
  }

  /// Loss on positives x_pos and negatives x_neg, leaving the gradients in
  /// `lastWeightGradient` / `lastBiasGradient` (no step is taken), on the materialised rows
  /// whatever their structure: the reference the shared path is checked against. For tests
  /// and inspection.
  public func lossAndGradients(positive: Matrix, negative: Matrix) -> Float {
    lossAndGradients(LayerWorkspace(layer: self, input: FFModel.stack(positive, negative), positives: positive.rows))
  }

  /// The workspace greedy training evaluates `input` on; `batch`: pairs per mini-batch.
  func workspace(_ input: GreedyInput, batch: Int?) -> any GreedyWorkspace {
    switch input {
    case let .pairs(pairs): SharedImageWorkspace(layer: self, pairs: pairs, batch: batch)
    case let .stacked(x, positives): LayerWorkspace(layer: self, input: x, positives: positives, batch: batch)
    }
  }

  /// Trains this layer for `epochs` passes over its input (positives first, then as many
  /// negatives, row i's negative at row P + i): full-batch steps (the seed's) or, with
  /// `schedule.batch`, mini-batches of that many pairs reshuffled every epoch from `generator`.
  ///
  /// Returns the layer's activations for the same rows recomputed with the final weights (the
  /// next layer's input), or nil when `control` asked to stop (the steps taken are kept).
  /// Throws when the loss or a gradient stops being finite; the weights are then those of the
  /// last finite step.
  func train(
    _ input: GreedyInput, epochs: Int, layerNumber: Int, schedule: LearningSchedule,
    generator: inout Generator, control: TrainingControl
  ) throws(FFRuntimeError) -> (output: Matrix?, epochsDone: Int) {
    let positives = input.positives
    let batch = schedule.batch.map { min($0, positives) } ?? positives
    let stepsPerEpoch = (positives + batch - 1) / max(batch, 1)
    let (steps, overflow) = epochs.multipliedReportingOverflow(by: max(stepsPerEpoch, 1))
    guard !overflow, steps <= Self.maximumAdamSteps - adamSteps else { throw Self.tooManySteps(layerNumber, adamSteps, more: steps) }
    let miniBatch = batch < positives && input.rows == 2 * positives ? batch : nil
    let ws = workspace(input, batch: miniBatch)
    let clock = ContinuousClock()
    let start = clock.now
    control.observer(.layerStarted(layer: layerNumber, epochs: epochs, inputs: inputs, outputs: outputs, rows: ws.rows,
                                   batch: miniBatch))
    var lastLoss = Float.nan
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      let gain = schedule.gain(epoch: epoch, of: epochs)
      let loss: Float
      if miniBatch != nil {
        let order = generator.permutation(positives)
        var sum: Double = 0
        var first = 0
        while first < positives {
          let n = min(batch, positives - first)
          let part = ws.evaluate(self, pairs: order[first..<(first + n)])
          try checkFinite(loss: Float(part), layerNumber: layerNumber, epoch: epoch)
          try optimizerStep(layerNumber: layerNumber, gain: gain)
          sum += part
          first += n
          if first < positives && control.shouldStop() {
            control.observer(.interrupted(layer: layerNumber, epoch: epoch - 1, epochs: epochs))
            return (nil, epoch - 1)
          }
        }
        loss = Float(sum / Double(ws.rows))
      } else {
        loss = lossAndGradients(ws)
        try checkFinite(loss: loss, layerNumber: layerNumber, epoch: epoch)
        try optimizerStep(layerNumber: layerNumber, gain: gain)
      }
      lossHistory.append(loss)
      lastLoss = loss
      control.observer(.epochFinished(layer: layerNumber, epoch: epoch, epochs: epochs, loss: loss,
                                      elapsed: (clock.now - start).seconds))
      control.epochEnded(epoch)
      if epoch < epochs && control.shouldStop() {
        control.observer(.interrupted(layer: layerNumber, epoch: epoch, epochs: epochs))
        return (nil, epoch)
      }
    }
    let output = ws.output(self)
    control.observer(.layerFinished(layer: layerNumber, epochs: epochs, loss: lastLoss,
                                    seconds: (clock.now - start).seconds))
    return (output, epochs)
  }

  /// Refuses a step whose loss or gradients are not finite (the weights stay those of the last
  /// finite step). State the refused step already changed and that a later step would read
  /// stays usable: the peer means return to their values before the step, and the smoothed
  /// gradients, which the bad step entered, restart from zero. The model stays finite,
  /// savable and trainable.
  func checkFinite(loss: Float, layerNumber: Int, epoch: Int) throws(FFRuntimeError) {
    guard loss.isFinite,
          Elementwise.allFinite(UnsafeBufferPointer(weightGradient.elements)),
          Elementwise.allFinite(UnsafeBufferPointer(biasGradient.elements))
    else {
      if recipe.optimizer == .smoothed { restartSmoothedGradients() }
      if recipe.peer > 0 { peerMeans.assign(peerMeansBefore) }
      throw .nonFiniteLoss(layer: layerNumber, epoch: epoch, loss: loss, suspects: recipe.gradientScales)
    }
  }
}

extension FFLayer {
  /// The smoothed gradients from zero, as at the start (after a refused step).
  func restartSmoothedGradients() {
    weightGradient.fill(0)
    biasGradient.fill(0)
    weightGradientPrescaled = false
  }
}

extension Duration {
  /// The duration in seconds as a Double.
  public var seconds: Double {
    let (s, a) = components
    return Double(s) + Double(a) * 1e-18
  }
}
