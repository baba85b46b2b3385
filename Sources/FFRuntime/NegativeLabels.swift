import FFKernels

/// How negative data get their (wrong) labels.
public enum NegativeMode: String, Sendable, CaseIterable, Codable {
  /// The seed's way: the label of a sample drawn uniformly from the batch, with replacement
  /// (`labels[torch.randint(0, N, (N,))]`), so about 10 % of "negatives" carry the true label.
  case random
  /// Always a label different from the true one, uniformly among the other nine classes.
  case wrong
}

public enum NegativeLabels {
  /// Labels for the negative copy of a batch whose true labels are `labels`.
  public static func draw(for labels: [Int], mode: NegativeMode, generator: inout Generator) -> [Int] {
    switch mode {
    case .random:
      return labels.indices.map { _ in labels[generator.nextInt(below: labels.count)] }
    case .wrong:
      return labels.map { ($0 + 1 + generator.nextInt(below: LabelOverlay.classes - 1)) % LabelOverlay.classes }
    }
  }
}
