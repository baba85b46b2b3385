import FFKernels

// Deep copies of a model, for the REPL's snapshots (`:undo`, `:back`).
//
// `FFModel`, `FFLayer` and `SoftmaxHead` are classes whose buffers training updates in place
// (weights, biases, gradients, Adam moments, peer means), so keeping a reference keeps
// nothing: a snapshot must own its own copy of every buffer. A copy is bit for bit the
// original: continuing to train it gives exactly the numbers the original would give.

extension FFModel {
  /// An independent copy: every parameter, gradient and optimizer buffer copied, step counts,
  /// loss history, hyperparameters and precision kept.
  package func copy() -> FFModel {
    FFModel(layers: layers.map { $0.copy() }, recipe: recipe, head: head?.copy())
  }

  /// Bytes of every buffer the model owns (what a copy costs): the layers' matrices and Adam
  /// moments, their loss histories, and the head's weights and gradients.
  package var storageBytes: Int {
    layers.reduce(0) { $0 + $1.storageBytes } + (head?.storageBytes ?? 0)
  }
}

extension FFLayer {
  /// An independent copy of the layer with every buffer copied (scratch buffers too, so the
  /// copy equals the original in every field).
  func copy() -> FFLayer {
    let layer = FFLayer(inputs: inputs, outputs: outputs, hyper: hyper, recipe: recipe)
    for (to, from) in zip(layer.buffers, buffers) { to.assign(from) }
    layer.weightGradientPrescaled = weightGradientPrescaled
    layer.adamSteps = adamSteps
    layer.lossHistory = lossHistory
    layer.precision = precision
    return layer
  }

  /// Every matrix the layer owns, in a fixed order (`copy` pairs them up by position; tests
  /// compare them bit for bit).
  package var buffers: [Matrix] {
    [weights, bias, weightGradient, biasGradient, peerMeans, unitScratch, peerMeansBefore, adamW.m, adamW.v, adamB.m, adamB.v]
  }

  var storageBytes: Int {
    buffers.reduce(0) { $0 + $1.byteCount } + lossHistory.count * MemoryLayout<Float>.stride
  }
}

extension SoftmaxHead {
  /// An independent copy: weights, smoothed gradients and the step count.
  func copy() -> SoftmaxHead {
    let head = SoftmaxHead(layers: layers, weights: weights.map { $0.copy() }, gradients: gradients.map { $0.copy() })
    head.steps = steps
    return head
  }

  /// Every matrix the head owns: weights, then smoothed gradients.
  package var buffers: [Matrix] { weights + gradients }

  var storageBytes: Int {
    buffers.reduce(0) { $0 + $1.byteCount }
  }
}
