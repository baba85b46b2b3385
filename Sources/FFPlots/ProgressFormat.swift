import Foundation

/// Pieces of progress lines ("layer 2  epoch 120/350  ████▍     34%  1 m 05 s"), shared by the
/// interpreter's live display and its transcripts.
public enum ProgressFormat {
  /// The eighth-block characters from one eighth to a full cell.
  static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

  /// A human duration with the precision that matters at its size: "3.4 ms", "0.84 s", "12.3 s",
  /// "1 m 05 s", "2 h 03 m". Negative durations show as "0.00 s", NaN and infinity as "?".
  public static func duration(seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = max(0, seconds)
    if s > 0 && s < 0.00995 { return PlotNumber.fixed(s * 1000, decimals: 1) + " ms" }
    if s < 9.995 { return PlotNumber.fixed(s, decimals: 2) + " s" }
    if s < 59.95 { return PlotNumber.fixed(s, decimals: 1) + " s" }
    let total = Int(s.rounded())
    if total < 3600 {
      return "\(total / 60) m " + twoDigits(total % 60) + " s"
    }
    let minutes = Int((s / 60).rounded())
    return "\(minutes / 60) h " + twoDigits(minutes % 60) + " m"
  }

  /// A bar exactly `width` cells wide, filled to `fraction` (clamped to 0...1, NaN as 0) at
  /// one-eighth-cell resolution and padded with spaces.
  public static func bar(fraction: Double, width: Int) -> String {
    let width = max(0, width)
    let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
    let filled = Int((f * Double(width * 8)).rounded())
    var out = String(repeating: "█", count: filled / 8)
    if filled % 8 > 0 { out.append(eighths[filled % 8 - 1]) }
    return out + String(repeating: " ", count: width - out.count)
  }

  /// A live progress line that fits in `width` columns: `[bar] essential  optional...`, the
  /// pieces joined by two spaces.
  ///
  /// When the whole line does not fit, the bar narrows (down to `minimumBar` cells) and then
  /// goes; then the optional pieces go, the last one first; and if the essential piece alone
  /// is still too wide it is cut, ending in "…". The result is never wider than `width`.
  public static func line(
    fraction: Double?, essential: String, optional: [String] = [], width: Int, barWidth: Int = 20,
    minimumBar: Int = 8
  ) -> String {
    let width = max(0, width)
    var pieces = [essential] + optional
    if let fraction {
      let text = pieces.joined(separator: "  ")
      // "[" + bar + "] " around the bar.
      let room = min(barWidth, width - PlotText.displayWidth(text) - 3)
      if room >= max(1, minimumBar) { return "[" + bar(fraction: fraction, width: room) + "] " + text }
    }
    while true {
      let text = pieces.joined(separator: "  ")
      if PlotText.displayWidth(text) <= width { return text }
      if pieces.count == 1 { return PlotText.truncated(text, toWidth: width) }
      pieces.removeLast()
    }
  }

  private static func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
