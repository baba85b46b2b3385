import FFKernels

/// How negative data get their (wrong) labels.
public enum NegativeMode: String, Sendable, CaseIterable, Codable {
  /// The seed's way: the label of a sample drawn uniformly from the batch, with replacement
  /// (`labels[torch.randint(0, N, (N,))]`), so about 10 % of "negatives" carry the true label.
  case random
  /// Always a label different from the true one, uniformly among the other nine classes.
  case wrong
  /// ffcode's: drawn from the softmax head's belief with the true label excluded, so a likely
  /// confusion (a 4 that looks like a 9 gets 9). Needs a head and training all layers together.
  case hard
}

public enum NegativeLabels {
  /// Labels for the negative copy of a batch whose true labels are `labels` (random or wrong;
  /// hard negatives come from `HardNegatives`).
  public static func draw(for labels: [Int], mode: NegativeMode, generator: inout Generator) -> [Int] {
    var drawn = [Int](repeating: 0, count: labels.count)
    draw(for: labels[...], mode: mode, generator: &generator, into: &drawn)
    return drawn
  }

  /// The same draws into drawn[0..<labels.count], allocating nothing (training's inner loop).
  public static func draw(for labels: ArraySlice<Int>, mode: NegativeMode, generator: inout Generator, into drawn: inout [Int]) {
    precondition(drawn.count >= labels.count, "room for \(drawn.count) labels, \(labels.count) to draw")
    switch mode {
    case .random:
      for k in 0..<labels.count { drawn[k] = labels[labels.startIndex + generator.nextInt(below: labels.count)] }
    case .wrong, .hard:
      precondition(mode == .wrong, "hard negatives are drawn from the head's belief (HardNegatives), not here")
      for k in 0..<labels.count {
        drawn[k] = (labels[labels.startIndex + k] + 1 + generator.nextInt(below: LabelOverlay.classes - 1)) % LabelOverlay.classes
      }
    }
  }
}

/// Hard negatives (ffcode's `choosefrom(softmax(labin - 1000 * targets))`).
public enum HardNegatives {
  /// In place: a row of head logits becomes the distribution hard negatives are drawn from,
  /// softmax(logits - 1000 onehot(true)): the true label gets (about) 0, so it is never drawn.
  public static func distribution(logits row: UnsafeMutableBufferPointer<Float>, trueLabel: Int) {
    row[trueLabel] -= 1000
    var top = -Float.infinity
    for v in row where v > top { top = v }
    var sum: Float = 0
    for j in 0..<row.count {
      let e = Float.exp(row[j] - top)
      row[j] = e
      sum += e
    }
    for j in 0..<row.count { row[j] /= sum }
    row[trueLabel] = 0
    // Logits so far apart (or not finite) that no other label keeps any weight: any wrong label
    // is then as good as another.
    var others: Float = 0
    for v in row { others += v }
    if !(others > 0 && others.isFinite) {
      for j in 0..<row.count { row[j] = j == trueLabel ? 0 : 1 / Float(row.count - 1) }
    }
  }

  /// A label drawn from `probabilities` (summing to about 1, 0 at the true label): the first
  /// whose running sum passes a uniform draw; rounding that leaves the sum short picks the last
  /// label with a non-zero probability, never the true one.
  public static func sample(_ probabilities: UnsafeBufferPointer<Float>, generator: inout Generator) -> Int {
    let r = generator.nextUniform()
    var sum: Float = 0
    var last = -1
    for (j, p) in probabilities.enumerated() where p > 0 {
      sum += p
      last = j
      if r < sum { return j }
    }
    precondition(last >= 0, "a hard-negative distribution with no label to draw")
    return last
  }
}
