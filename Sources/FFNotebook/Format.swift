import FFKernels
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
}

