import Foundation

/// Number formatting shared by chart labels, tables and SVG coordinates.
public enum PlotNumber {
  /// `value` like C's `%.<digits>g` but without trailing zeros: 0.5 -> "0.5", 2 -> "2",
  /// 0.123456 -> "0.1235", 1234567 -> "1.235e+06", -0.0 -> "0", NaN -> "nan", inf -> "inf".
  public static func compact(_ value: Double, significantDigits digits: Int = 4) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return "0" }
    let raw = String(format: "%.\(max(1, digits))g", value)
    // Split off an exponent, trim zeros from the mantissa only.
    let parts = raw.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
    let mantissa = trimmingZeros(String(parts[0]))
    return parts.count == 2 ? mantissa + "e" + parts[1] : mantissa
  }

  /// `value` with exactly `decimals` digits after the point (`%.Nf`), "-0" shown as "0".
  public static func fixed(_ value: Double, decimals: Int) -> String {
    if !value.isFinite { return compact(value) }
    let text = String(format: "%.\(max(0, decimals))f", value)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// An SVG coordinate or length: at most two decimals, no trailing zeros ("12.5", "3", "0.25").
  static func svg(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    return trimmingZeros(fixed(value, decimals: 2))
  }

  private static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var t = Substring(text)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return t == "-0" ? "0" : String(t)
  }
}
