import Foundation

/// How much memory the REPL's snapshots may keep (`--snapshot-budget`, `:snapshots budget`);
/// 0 turns snapshots off.
public struct SnapshotBudget: Sendable, Hashable, CustomStringConvertible {
  public var bytes: Int

  package init(bytes: Int) { self.bytes = max(0, bytes) }

  /// 256 MiB: about fifteen copies of the seed's model with its Adam state (17 MB each).
  package static let standard = SnapshotBudget(bytes: 256 << 20)

  package var isOff: Bool { bytes == 0 }

  /// Reads `512M`, `1G`, `64k`, `300MiB`, `1.5G`, `1000000` (bytes) or `0` (off). Units are
  /// binary (K = 1024), as the budget is printed in MiB.
  package init?(parsing text: String) {
    var number = Substring(text.lowercased().filter { $0 != " " && $0 != "_" })
    for suffix in ["ib", "b"] where number.hasSuffix(suffix) && number.count > suffix.count {
      number = number.dropLast(suffix.count)
      break
    }
    var scale = 1.0
    if let last = number.last, let power = ["k": 1, "m": 2, "g": 3, "t": 4][last] {
      scale = Double(1 << (10 * power))
      number = number.dropLast()
    }
    guard let value = Double(number), value.isFinite, value >= 0, value * scale < Double(Int.max / 2) else { return nil }
    self.init(bytes: Int((value * scale).rounded()))
  }

  /// `256 MiB`, `1.5 GiB`, `off`.
  public var description: String {
    isOff ? "off" : SnapshotBudget.format(bytes)
  }

  /// A size as people read it: `812 B`, `48.2 KiB`, `17.0 MiB`, `1.5 GiB`.
  package static func format(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let rounded = value.rounded()
    if abs(value - rounded) < 0.05 || value >= 100 { return "\(Int(rounded)) \(units[unit])" }
    return String(format: "%.1f", value) + " " + units[unit]
  }

  /// What a bad size is told: the forms that work.
  package static let expected = "a size such as 512M, 1G or 64K (binary units), or 0 to turn snapshots off"
}
