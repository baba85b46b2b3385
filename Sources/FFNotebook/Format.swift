import FFKernels
import FFRuntime
import FFPlots
import Foundation

/// Number formatting shared by every command's output.
enum Format {
  /// "3.4 ms", "0.84 s", "12.3 s", "2 m 05 s": the plots module's durations, one format everywhere.
  static func seconds(_ s: Double) -> String { ProgressFormat.duration(seconds: s) }

  /// 1386700 -> "1,386,700".
  static func grouped(_ n: Int) -> String { Plural.grouped(n) }

  /// "354,100 parameters", "1 parameter".
  static func parameters(_ n: Int) -> String { Plural.count(n, "parameter", number: grouped(n)) }

  /// A hyperparameter value as a person writes it: 0.15, 2, 0.0001, 1e-08.
  static func value(_ x: Float) -> String {
    if x == x.rounded() && abs(x) < 1e7 { return String(Int(x)) }
    var s = String(format: "%.6g", Double(x))
    if s.contains("e") { return s }
    while s.hasSuffix("0") { s.removeLast() }
    return s
  }

  /// Loss as the seed prints it.
  static func loss(_ x: Float) -> String { String(format: "%.4f", Double(x)) }

  /// "recipe hinton: rms, sum goodness (T 1), scaled init, onehot labels (1), smoothed (momentum 0.9, decay 0.001), peer 0.03, head from layers 2, 3 (lr 0.1, decay 0.003)"
  static func recipe(_ r: ModelRecipe) -> String {
    var parts = ["\(r.normalization.rawValue) norm"]
    parts.append(r.goodness == .sum ? "sum goodness (T \(value(r.temperature)))" : "mean goodness")
    parts.append("\(r.initialization.rawValue) init")
    parts.append(r.labels == .onehot ? "onehot labels (\(value(r.labelStrength)))" : "max labels")
    parts.append(r.optimizer == .smoothed ? "smoothed (momentum \(value(r.momentum)), decay \(value(r.weightDecay)))" : "adam")
    if r.peer > 0 { parts.append("peer \(value(r.peer))") }
    if r.hasHead {
      parts.append("head from \(Plural.noun(r.headLayers.count, "layer")) \(r.headLayers.map(String.init).joined(separator: ", ")) (lr \(value(r.headLR)), decay \(value(r.headDecay)))")
    }
    return "recipe \(r.name.rawValue): " + parts.joined(separator: ", ")
  }

  /// "epoch 10: validation error 1.85 % by goodness, 1.92 % by softmax"
  static func errors(_ m: ErrorMeasurement) -> String {
    var text = "epoch \(m.epoch): \(m.data) error \(String(format: "%.2f", m.goodness)) % by goodness"
    if let s = m.softmax { text += ", \(String(format: "%.2f", s)) % by softmax" }
    return text
  }
}
