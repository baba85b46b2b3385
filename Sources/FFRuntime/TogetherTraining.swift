import FFKernels

/// Buffers of one mini-batch run through every layer, allocated once per `learn`. Rows are laid
/// out [neutral | positive | negative] (the neutral block only with a head), so the neutral and
/// positive passes are one product per layer and the positive and negative gradients another.
/// Layer 1 never materialises its input: see SharedFirstLayer.swift.
final class TogetherBuffers {
  let batch: Int
  let neutralRows: Int
  /// The mini-batch's images; layer 1 reads their pixels 10... (batch, in)
  let images: Matrix
  /// Layer 1's product per image, once for all the image's passes, and its label columns.
  let shared: SharedImageBuffers
  /// Each row's normalisation scale in layer 1. (1, rows)
  let scales: Matrix
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
  /// The batch's true and negative labels.
  var labels: [Int], negativeLabels: [Int]
  /// Where each step's time goes, when asked (`TrainingControl.profile`).
  var profile: StepProfile?

  init(model: FFModel, batch: Int) {
    self.batch = batch
    neutralRows = model.head == nil ? 0 : batch
    let rows = neutralRows + 2 * batch, classes = LabelOverlay.classes
    let first = model.layers[0]
    images = Matrix(rows: batch, cols: first.inputs)
    shared = SharedImageBuffers(layer: first, capacity: batch)
    scales = Matrix(rows: 1, cols: rows)
    activations = model.layers.map { Matrix(rows: rows, cols: $0.outputs) }
    normalized = model.layers.map { Matrix(rows: rows, cols: $0.outputs) }
    goodness = model.layers.map { _ in Matrix(rows: 1, cols: rows) }
    coefficients = Matrix(rows: 1, cols: 2 * batch)
    ones = Matrix(rows: 1, cols: 2 * batch)
    ones.fill(1)
    logits = Matrix(rows: batch, cols: classes)
    hard = Matrix(rows: batch, cols: classes)
    labels = [Int](repeating: 0, count: batch)
    negativeLabels = labels
  }

  /// The views a mini-batch of n pairs works on, made when n changes (the first batch and a
  /// shorter last one), so a mini-batch allocates nothing.
  private var views: BatchViews?

  func views(pairs n: Int) -> BatchViews {
    if let views, views.pairs == n { return views }
    let made = BatchViews(self, pairs: n)
    views = made
    return made
  }

  /// Bytes of these buffers for a model with `dims` and a batch of `batch` pairs.
  static func estimatedBytes(dims: [Int], batch: Int, head: Bool) -> Int {
    let rows = (head ? 3 : 2) * batch
    return 4 * rows * (2 * dims.dropFirst().reduce(0, +) + 2 * dims.count + 20) + 4 * batch * dims[0]
      + SharedImageBuffers.estimatedBytes(capacity: batch, outputs: dims[1])
  }
}

/// The parts of `TogetherBuffers` one mini-batch of n pairs reads and writes, as views.
struct BatchViews {
  let pairs: Int
  /// Per layer: the neutral and positive rows, the negative rows, and the positive and
  /// negative rows (the gradient's), of the activations and of the normalised activations.
  let forwardActivations: [Matrix], forwardNormalized: [Matrix]
  let negativeActivations: [Matrix], negativeNormalized: [Matrix]
  let pairActivations: [Matrix], pairNormalized: [Matrix]
  /// The neutral rows of the normalised activations: the head's input. (n, out_l) each
  let headFeatures: [Matrix]
  /// (n, classes) each.
  let logits: Matrix, hard: Matrix

  init(_ b: TogetherBuffers, pairs n: Int) {
    let neutral = b.neutralRows > 0 ? n : 0
    let forward = 0..<(neutral + n), negative = (neutral + n)..<(neutral + 2 * n), pair = neutral..<(neutral + 2 * n)
    pairs = n
    forwardActivations = b.activations.map { $0.rows(forward) }
    forwardNormalized = b.normalized.map { $0.rows(forward) }
    negativeActivations = b.activations.map { $0.rows(negative) }
    negativeNormalized = b.normalized.map { $0.rows(negative) }
    pairActivations = b.activations.map { $0.rows(pair) }
    pairNormalized = b.normalized.map { $0.rows(pair) }
    headFeatures = b.normalized.map { $0.prefixRows(n) }
    logits = b.logits.prefixRows(n)
    hard = b.hard.prefixRows(n)
  }
}

extension FFModel {
  /// Trains every layer on every mini-batch (ffcode's schedule): for each batch of `schedule.batch`
  /// pairs (the whole set when nil), reshuffled every epoch from `shuffle`,
  /// 1. the positive pass (true label) and, with a head, the neutral pass (every label at a tenth)
  ///    run through all layers;
  /// 2. the head's gradients come from the neutral pass, and hard negatives are drawn from its belief
  ///    (or random/wrong labels from `negativeDraws`);
  /// 3. the negative pass runs through all layers;
  /// 4. every layer takes one step from its positive and negative rows, and the head one step,
  ///    once every loss and gradient of the step, and the head's update, is finite (else no
  ///    weight moves, the smoothed gradients the step entered restart, and it throws).
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
    buffers.profile = control.profile
    // Whatever ends the training, no layer is left prescaled (normally the last step of each
    // epoch already leaves every smoothed gradient whole).
    defer { abandonPrescaling() }
    let value = recipe.labels == .max ? overlayValue : recipe.labelStrength
    // Shifts draw from their own stream, made only when asked, so training without them draws
    // exactly what it always did.
    var shifts = Generator(seed: schedule.shift > 0 ? shuffle.next() : 0, stream: "shift")
    let clock = ContinuousClock()
    let start = clock.now
    control.observer(.togetherStarted(layers: layers.count, epochs: epochs, pairs: x.rows, batch: batch, negatives: negatives))
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      let gain = schedule.gain(epoch: epoch, of: epochs)
      let order = shuffle.permutation(x.rows)
      var losses = [Double](repeating: 0, count: layers.count)
      var headLoss: Double = 0
      for b in 0..<batches {
        let members = order[(b * batch)..<min((b + 1) * batch, x.rows)]
        for (k, i) in members.enumerated() { buffers.labels[k] = labels[i] }
        // A stop is asked for before the step, so the step knows whether another follows at once
        // within this epoch (and can leave its smoothed gradients prescaled for it).
        let stop = b < batches - 1 && control.shouldStop()
        headLoss += try step(
          x, members: members, negatives: negatives, value: value, gain: gain, epoch: epoch,
          buffers: buffers, draws: &negativeDraws, losses: &losses, shift: schedule.shift, shifts: &shifts,
          followed: b < batches - 1 && !stop)
        if stop {
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

  /// One mini-batch through every layer and one step of each; the true labels are in
  /// `buffers.labels`. Adds each layer's summed loss to `losses` and returns the head's summed
  /// loss (0 without a head). `given` replaces the drawn negative labels (the reference tests
  /// fix them; the hard distribution is still made). `followed`: another step of this model
  /// follows at once, with nothing reading the smoothed gradients in between, so each layer's
  /// update may leave them multiplied by the momentum (see `FFLayer.weightGradientPrescaled`).
  func step(
    _ x: Matrix, members: ArraySlice<Int>, negatives: NegativeMode, value: Float, gain: Float, epoch: Int,
    buffers b: TogetherBuffers, draws: inout Generator, losses: inout [Double], given: [Int]? = nil,
    shift: Int = 0, shifts: inout Generator, followed: Bool = false
  ) throws(FFRuntimeError) -> Double {
    let n = members.count
    let neutral = head == nil ? 0 : n
    let classes = LabelOverlay.classes
    let v = b.views(pairs: n)
    let labelSquares = value * value, neutralValue = value / Float(classes)
    let profile = b.profile
    profile?.begin()
    gatherImages(x, members: members, into: b, shift: shift, shifts: &shifts)
    profile?.mark(.gather)
    layers[0].sharedImageProducts(b.images, rows: 0..<n, into: b.shared.products)
    profile?.mark(.firstLayerProduct)
    layers[0].sharedLabelColumns(value: value, into: b.shared.labelColumns)
    // The neutral and positive passes.
    if neutral > 0 {
      activateFirstLayer(start: 0, n: n, labelSquares: Float(classes) * neutralValue * neutralValue, buffers: b) { _ in classes }
    }
    activateFirstLayer(start: neutral, n: n, labelSquares: labelSquares, buffers: b) { b.labels[$0] }
    forwardFromLayer2(activations: v.forwardActivations, normalized: v.forwardNormalized, goodness: b.goodness, first: 0,
                      profile: profile)
    profile?.mark(.rowPasses)

    var headLoss: Double = 0
    if let head {
      let logits = v.logits, hard = v.hard, features = v.headFeatures
      head.logits(normalized: features, into: logits)
      hard.assign(logits)
      Elementwise.softmaxRows(logits)
      for k in 0..<n { headLoss -= Double(Float.log(max(logits[k, b.labels[k]], Float.leastNormalMagnitude))) }
      guard headLoss.isFinite else {
        // Non-finite features come from a layer (its weights overflowed): that layer is named, not the head.
        undoStep(throughLayer: -1, headEntered: false)
        for (l, layer) in layers.enumerated() {
          let g = UnsafeBufferPointer(start: b.goodness[l].base, count: neutral + n)
          if let bad = g.first(where: { !$0.isFinite }) {
            throw .nonFiniteLoss(layer: l + 1, epoch: epoch, loss: bad, suspects: layer.recipe.gradientScales)
          }
        }
        throw .nonFiniteHead(epoch: epoch, loss: Float(headLoss / Double(n)))
      }
      if negatives == .hard {
        for k in 0..<n {
          HardNegatives.distribution(logits: hard.row(k), trueLabel: b.labels[k])
          if given == nil { b.negativeLabels[k] = HardNegatives.sample(UnsafeBufferPointer(hard.row(k)), generator: &draws) }
        }
      }
      // The head's gradients now; its weights change with the layers', once every gradient of
      // the step is finite, so a refused step leaves the head as it leaves the layers.
      guard head.accumulateGradients(normalized: features, probabilities: logits, labels: b.labels[0..<n],
                                     momentum: recipe.momentum)
      else {
        undoStep(throughLayer: -1, headEntered: true)
        throw .nonFiniteHead(epoch: epoch, loss: Float(headLoss / Double(n)))
      }
    }
    if let given {
      for k in 0..<n { b.negativeLabels[k] = given[k] }
    } else if negatives != .hard {
      NegativeLabels.draw(for: b.labels[0..<n], mode: negatives, generator: &draws, into: &b.negativeLabels)
    }
    profile?.mark(.head)
    // The negative pass.
    activateFirstLayer(start: neutral + n, n: n, labelSquares: labelSquares, buffers: b) { b.negativeLabels[$0] }
    forwardFromLayer2(activations: v.negativeActivations, normalized: v.negativeNormalized, goodness: b.goodness, first: neutral + n,
                      profile: profile)
    profile?.mark(.rowPasses)

    // Every layer's step, from the positive and negative rows of the passes above.
    for (l, layer) in layers.enumerated() {
      let g = v.pairActivations[l]
      let loss = layer.lossGradient(g, goodness: b.goodness[l].base + neutral, positives: n, coefficients: b.coefficients.base)
      profile?.mark(.lossGradients)
      if l == 0 {
        layer.accumulateSharedGradients(g, images: b.images, scales: b.scales.base + neutral, labels: b.labels,
                                        negativeLabels: b.negativeLabels, value: value, buffers: b.shared, ones: b.ones.base)
      } else {
        layer.accumulateGradients(g, input: v.pairNormalized[l - 1], positives: n, ones: b.ones.base)
      }
      profile?.mark(.gradientProducts)
      do {
        try layer.checkFinite(loss: Float(loss), layerNumber: l + 1, epoch: epoch)
      } catch {
        undoStep(throughLayer: l, headEntered: head != nil)
        throw error
      }
      losses[l] += loss
      profile?.mark(.finiteCheck)
    }
    // The head first: its step is refused if it would overflow, before any layer moves.
    if let head, !head.update(rate: recipe.headLR * gain, decay: recipe.headDecay) {
      undoStep(throughLayer: layers.count - 1, headEntered: true)
      throw .nonFiniteHead(epoch: epoch, loss: Float(headLoss / Double(n)))
    }
    for (l, layer) in layers.enumerated() {
      let prescale = followed && layer.gradientProductScalesApart(rows: l == 0 ? n : 2 * n)
      do {
        try layer.optimizerStep(layerNumber: l + 1, gain: gain, prescale: prescale)
      } catch {
        abandonPrescaling()
        throw error
      }
    }
    profile?.mark(.update)
    return headLoss
  }

  /// Undoes what a step refused by one of its checks had changed: no weight has moved (every
  /// update comes after every check), so what remains is the state the step entered. The
  /// smoothed gradients it added to (layers 1 through `last` + 1, whose products ran, and the
  /// head's when `headEntered`) restart from zero, as a refusing layer's own do; those layers'
  /// peer means return to their values before the step; no layer is left prescaled.
  private func undoStep(throughLayer last: Int, headEntered: Bool) {
    if headEntered { head?.restartSmoothedGradients() }
    for layer in layers.prefix(max(last + 1, 0)) {
      layer.restartSmoothedGradients()
      if layer.recipe.peer > 0 { layer.peerMeans.assign(layer.peerMeansBefore) }
    }
    abandonPrescaling()
  }

  /// After a refused step: layers whose smoothed gradients are still prescaled (their product
  /// did not run) restart them from zero, as the refusing layer does, so no layer is left
  /// holding momentum x G where G is expected.
  func abandonPrescaling() {
    for layer in layers where layer.weightGradientPrescaled { layer.restartSmoothedGradients() }
  }

  /// Gathers the mini-batch's images into `buffers.images` (each moved by a random shift of up
  /// to `shift` pixels, drawn from `shifts`, when asked) and their squared image norms into
  /// `buffers.shared.imageSquares`.
  private func gatherImages(
    _ x: Matrix, members: ArraySlice<Int>, into b: TogetherBuffers, shift: Int, shifts: inout Generator
  ) {
    let d = layers[0].inputs
    let side = Int(Double(d).squareRoot())
    for (k, i) in members.enumerated() {
      if shift > 0 && side * side == d {
        let span = 2 * shift + 1
        let dx = shifts.nextInt(below: span) - shift, dy = shifts.nextInt(below: span) - shift
        Elementwise.shiftImage(x.row(i), side: side, dx: dx, dy: dy, into: b.images.row(k))
      } else {
        b.images.assignRows(from: x, i..<(i + 1), at: k)
      }
    }
    layers[0].sharedImageSquares(b.images, rows: 0..<members.count, into: b.shared.imageSquares.base)
  }

  /// Layer 1's activations for rows `start..<start + n` of the buffers: image k of the batch
  /// with label column `column(k)` (0..<10, or 10 for neutral) whose pixels' squares sum to
  /// `labelSquares`. Writes each row's scale, activations and goodness.
  private func activateFirstLayer(start: Int, n: Int, labelSquares: Float, buffers b: TogetherBuffers, column: (Int) -> Int) {
    let layer = layers[0]
    layer.sharedScales(imageSquares: b.shared.imageSquares.base, labelSquares: labelSquares, count: n, into: b.scales.base + start)
    layer.activateShared(products: b.shared.products, scales: b.scales.base + start, labelColumns: b.shared.labelColumns,
                         count: n, column: column, into: b.activations[0].base + start * layer.outputs,
                         goodness: b.goodness[0].base + start)
  }

  /// Some rows (`activations` and `normalized`: those rows of each layer's buffers) from layer
  /// 1's activations through the other layers: normalise each layer's activities for the next
  /// layer (and the head), activate it. `goodness` rows start at `first`. `profile`: the
  /// products' time is marked apart from the passes'.
  private func forwardFromLayer2(
    activations: [Matrix], normalized: [Matrix], goodness: [Matrix], first: Int, profile: StepProfile?
  ) {
    for (l, layer) in layers.enumerated() {
      let h = activations[l]
      if l > 0 {
        profile?.mark(.rowPasses)
        BLAS.gemm(normalized[l - 1], .none, layer.weights, .transpose, into: h, precision: layer.precision)
        profile?.mark(.forwardProducts)
        Elementwise.biasReluGoodness(h, bias: layer.bias.base, goodness: goodness[l].base + first, scale: layer.goodnessScale)
      }
      (l + 1 < layers.count ? layers[l + 1] : layer).normalize(h, into: normalized[l])
    }
  }
}
