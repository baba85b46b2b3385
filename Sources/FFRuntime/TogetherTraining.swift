import FFKernels

/// Buffers of one mini-batch run through every layer, allocated once per `learn`. Rows are laid
/// out [neutral | positive | negative] (the neutral block only with a head), so the positive and
/// neutral passes are one product per layer and the positive and negative gradients another.
final class TogetherBuffers {
  let batch: Int
  let neutralRows: Int
  /// The labelled images, normalised in place: layer 1's input. (rows, in)
  let input: Matrix
  /// Per layer: activations, then dL/dz in place. (rows, out_l)
  let activations: [Matrix]
  /// Per layer: the normalised activations, the next layer's (and the head's) input. (rows, out_l)
  let normalized: [Matrix]
  /// Per layer: goodness per row. (1, rows)
  let goodness: [Matrix]
  let coefficients: Matrix
  let ones: Matrix
  /// Head logits, then probabilities, of the neutral rows. (batch, classes)
  let logits: Matrix
  /// The hard-negative distribution. (batch, classes)
  let hard: Matrix

  init(model: FFModel, batch: Int) {
    self.batch = batch
    neutralRows = model.head == nil ? 0 : batch
    let rows = neutralRows + 2 * batch
    input = Matrix(rows: rows, cols: model.layers[0].inputs)
    activations = model.layers.map { Matrix(rows: rows, cols: $0.outputs) }
    normalized = model.layers.map { Matrix(rows: rows, cols: $0.outputs) }
    goodness = model.layers.map { _ in Matrix(rows: 1, cols: rows) }
    coefficients = Matrix(rows: 1, cols: 2 * batch)
    ones = Matrix(rows: 1, cols: 2 * batch)
    ones.fill(1)
    logits = Matrix(rows: batch, cols: LabelOverlay.classes)
    hard = Matrix(rows: batch, cols: LabelOverlay.classes)
  }

  /// Bytes of these buffers for a model with `dims` and a batch of `batch` pairs.
  static func estimatedBytes(dims: [Int], batch: Int, head: Bool) -> Int {
    let rows = (head ? 3 : 2) * batch
    return 4 * rows * (dims[0] + 2 * dims.dropFirst().reduce(0, +) + 2 * dims.count + 20)
  }
}

extension FFModel {
  /// Trains every layer on every mini-batch (ffcode's schedule): for each batch of `schedule.batch`
  /// pairs (the whole set when nil), reshuffled every epoch from `shuffle`,
  /// 1. the positive pass (true label) and, with a head, the neutral pass (every label at a tenth)
  ///    run through all layers;
  /// 2. the head learns from the neutral pass, and hard negatives are drawn from its belief
  ///    (or random/wrong labels from `negativeDraws`);
  /// 3. the negative pass runs through all layers;
  /// 4. every layer takes one step from its positive and negative rows.
  /// All passes of a batch use the weights from before its steps, as ffcode does.
  ///
  /// x: (N, in) images without labels written in (the first 10 pixels are overwritten);
  /// labels: N. `overlayValue` is the label pixel for `labels = max` (the seed's batch maximum).
  public func learnTogether(
    images x: Matrix, labels: [Int], epochs: Int, schedule: LearningSchedule, negatives: NegativeMode,
    overlayValue: Float, shuffle: inout Generator, negativeDraws: inout Generator,
    control: TrainingControl = TrainingControl()
  ) throws(FFRuntimeError) -> TrainingOutcome {
    guard x.cols == layers[0].inputs else {
      throw .shapeMismatch("the model takes \(layers[0].inputs) inputs per sample, the data have \(x.cols)")
    }
    precondition(labels.count == x.rows, "\(labels.count) labels for \(x.rows) images")
    guard x.rows > 0 else { throw .invalidArgument("no images to learn from") }
    guard negatives != .hard || head != nil else {
      throw .invalidArgument("hard negatives are drawn from the softmax head's belief, and this model has no head (build with head=[2, 3] or recipe=hinton)")
    }
    let batch = min(schedule.batch ?? x.rows, x.rows)
    let batches = (x.rows + batch - 1) / batch
    let (steps, overflow) = epochs.multipliedReportingOverflow(by: batches)
    for (k, layer) in layers.enumerated() where overflow || steps > FFLayer.maximumAdamSteps - layer.adamSteps {
      throw FFLayer.tooManySteps(k + 1, layer.adamSteps, more: steps)
    }
    try MemoryGuard.check("training on mini-batches of \(batch)",
                          bytes: TogetherBuffers.estimatedBytes(dims: dims, batch: batch, head: head != nil))
    let buffers = TogetherBuffers(model: self, batch: batch)
    let value = recipe.labels == .max ? overlayValue : recipe.labelStrength
    let clock = ContinuousClock()
    let start = clock.now
    control.observer(.togetherStarted(layers: layers.count, epochs: epochs, pairs: x.rows, batch: batch, negatives: negatives))
    var negativeLabels = [Int](repeating: 0, count: batch)
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      let gain = schedule.gain(epoch: epoch, of: epochs)
      let order = shuffle.permutation(x.rows)
      var losses = [Double](repeating: 0, count: layers.count)
      var headLoss: Double = 0
      for b in 0..<batches {
        let members = order[(b * batch)..<min((b + 1) * batch, x.rows)]
        let batchLabels = members.map { labels[$0] }
        headLoss += try step(
          x, members: members, labels: batchLabels, negatives: negatives, value: value, gain: gain, epoch: epoch,
          buffers: buffers, negativeLabels: &negativeLabels, draws: &negativeDraws, losses: &losses)
        let last = epoch == epochs && b == batches - 1
        if !last && b < batches - 1 && control.shouldStop() {
          control.observer(.togetherInterrupted(epoch: epoch, batches: b + 1, of: batches))
          return .interruptedTogether(epochs: epoch - 1, batches: b + 1)
        }
      }
      let rows = Double(2 * x.rows)
      let means = losses.map { Float($0 / rows) }
      for (layer, loss) in zip(layers, means) { layer.lossHistory.append(loss) }
      control.observer(.togetherEpoch(epoch: epoch, epochs: epochs, losses: means,
                                      headLoss: head == nil ? nil : Float(headLoss / Double(x.rows)),
                                      elapsed: (clock.now - start).seconds))
      control.epochEnded(epoch)
      if epoch < epochs && control.shouldStop() {
        control.observer(.togetherInterrupted(epoch: epoch, batches: batches, of: batches))
        return .interruptedTogether(epochs: epoch, batches: 0)
      }
    }
    control.observer(.togetherFinished(epochs: epochs, seconds: (clock.now - start).seconds))
    return .completed
  }

  /// One mini-batch through every layer and one step of each; adds each layer's summed loss
  /// to `losses` and returns the head's summed loss (0 without a head). `given` replaces the
  /// drawn negative labels (the reference tests fix them; the hard distribution is still made).
  func step(
    _ x: Matrix, members: ArraySlice<Int>, labels: [Int], negatives: NegativeMode, value: Float, gain: Float, epoch: Int,
    buffers: TogetherBuffers, negativeLabels: inout [Int], draws: inout Generator, losses: inout [Double],
    given: [Int]? = nil
  ) throws(FFRuntimeError) -> Double {
    let n = members.count
    let neutral = head == nil ? 0 : n
    let input = buffers.input
    // Positive rows (and neutral rows above them): the image, then its label pixels.
    for (k, i) in members.enumerated() {
      if neutral > 0 {
        input.assignRows(from: x, i..<(i + 1), at: k)
        LabelOverlay.writeNeutral(input.row(k), value: value)
      }
      input.assignRows(from: x, i..<(i + 1), at: neutral + k)
      LabelOverlay.write(input.row(neutral + k), label: labels[k], value: value)
    }
    forward(rows: 0..<(neutral + n), buffers: buffers)

    var headLoss: Double = 0
    if let head {
      let logits = buffers.logits.prefixRows(n), hard = buffers.hard.prefixRows(n)
      let features = buffers.normalized.map { $0.prefixRows(n) }
      head.logits(normalized: features, into: logits)
      hard.assign(logits)
      Elementwise.softmaxRows(logits)
      for k in 0..<n { headLoss -= Double(Float.log(max(logits[k, labels[k]], Float.leastNormalMagnitude))) }
      if negatives == .hard {
        for k in 0..<n {
          HardNegatives.distribution(logits: hard.row(k), trueLabel: labels[k])
          if given == nil { negativeLabels[k] = HardNegatives.sample(UnsafeBufferPointer(hard.row(k)), generator: &draws) }
        }
      }
      head.step(normalized: features, probabilities: logits, labels: labels[...], rate: recipe.headLR * gain,
                decay: recipe.headDecay, momentum: recipe.momentum)
    }
    if let given {
      for k in 0..<n { negativeLabels[k] = given[k] }
    } else if negatives != .hard {
      let drawn = NegativeLabels.draw(for: labels, mode: negatives, generator: &draws)
      for k in 0..<n { negativeLabels[k] = drawn[k] }
    }
    for (k, i) in members.enumerated() {
      input.assignRows(from: x, i..<(i + 1), at: neutral + n + k)
      LabelOverlay.write(input.row(neutral + n + k), label: negativeLabels[k], value: value)
    }
    forward(rows: (neutral + n)..<(neutral + 2 * n), buffers: buffers)

    // Every layer's step, from the positive and negative rows of the passes above.
    let pairRows = neutral..<(neutral + 2 * n)
    for (l, layer) in layers.enumerated() {
      let g = buffers.activations[l].rows(pairRows)
      let layerInput = l == 0 ? input.rows(pairRows) : buffers.normalized[l - 1].rows(pairRows)
      let loss = layer.lossGradient(g, goodness: buffers.goodness[l].base + neutral, positives: n,
                                    coefficients: buffers.coefficients.base)
      layer.accumulateGradients(g, input: layerInput, positives: n, ones: buffers.ones.base)
      try layer.checkFinite(loss: Float(loss), layerNumber: l + 1, epoch: epoch)
      losses[l] += loss
    }
    for (l, layer) in layers.enumerated() { try layer.optimizerStep(layerNumber: l + 1, gain: gain) }
    return headLoss
  }

  /// Rows `rows` of the buffers' input through every layer: normalise, activate, normalise the
  /// activities for the next layer (and the head).
  private func forward(rows: Range<Int>, buffers: TogetherBuffers) {
    var current = buffers.input.rows(rows)
    layers[0].normalize(current, into: current)
    for (l, layer) in layers.enumerated() {
      let h = buffers.activations[l].rows(rows)
      let g = buffers.goodness[l].base + rows.lowerBound
      BLAS.gemm(current, .none, layer.weights, .transpose, into: h)
      Elementwise.biasReluGoodness(h, bias: layer.bias.base, goodness: g, scale: layer.goodnessScale)
      let next = buffers.normalized[l].rows(rows)
      (l + 1 < layers.count ? layers[l + 1] : layer).normalize(h, into: next)
      current = next
    }
  }
}
