import Foundation

/// Runs as text: the `ffnb runs` listing and `ffnb runs show`. Presentation only; control
/// characters from paths or values are the caller's to escape (ffnb's printers do).
package enum RunText {
  /// One line per run, newest first as given, under a header.
  package static func listing(_ runs: [RunRecord]) -> String {
    var rows = [["id", "started", "kind", "status", "time", "result", "notebook", "parameters set"]]
    for run in runs {
      rows.append([
        run.shortID, timestamp(run.startedAt, seconds: false), run.kind.rawValue, run.status.rawValue,
        duration(run.seconds), run.headline?.description ?? "-", run.notebook.map(fileName) ?? "-",
        run.parameters.filter(\.overridden).map { "\($0.name)=\($0.value)" }.joined(separator: " "),
      ])
    }
    return TextTable.render(rows, rightAligned: [4])
  }

  /// Everything recorded about one run.
  package static func details(_ run: RunRecord) -> String {
    var lines: [(String, String)] = []
    lines.append(("run", run.id.uuidString.lowercased()))
    lines.append(("kind", run.kind.rawValue))
    if let notebook = run.notebook {
      lines.append(("notebook", notebook + (run.notebookHash.map { " (sha256 \($0.prefix(16))…)" } ?? "")))
    }
    lines.append(("started", timestamp(run.startedAt, seconds: true) + ", took " + duration(run.seconds)))
    lines.append(("status", run.status.rawValue + (run.failure.map { ": " + $0 } ?? "")))
    let e = run.environment
    lines.append(("ffnb", "\(e.ffnbVersion), OpenBLAS core \(e.blasCore), \(e.precision), \(e.threads) thread\(e.threads == 1 ? "" : "s"), host \(e.host)"))
    if let sweep = run.sweep { lines.append(("sweep", "\(RunRecord.short(sweep.id)), point \(sweep.point + 1)")) }
    if !run.parameters.isEmpty {
      lines.append(("parameters", run.parameters.map { "\($0.name) = \($0.value)\($0.overridden ? " (-p)" : "")" }.joined(separator: ", ")))
    }
    if !run.accuracies.isEmpty {
      lines.append(("accuracy", run.accuracies.map { "\($0.description) (\($0.correct)/\($0.total))" }.joined(separator: ", ")))
    }
    for (i, curve) in run.losses.enumerated() where !curve.isEmpty {
      lines.append(("loss layer \(i + 1)", "\(curve.count) epoch\(curve.count == 1 ? "" : "s"), first \(loss(curve.first)), final \(loss(curve.last))"))
    }
    if !run.cells.isEmpty {
      lines.append(("cells", run.cells.map { "\($0.name) \($0.status) \(duration($0.seconds))" }.joined(separator: ", ")))
    }
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 1) + $0.1 }.joined(separator: "\n") + "\n"
  }

  /// `2025-05-01 10:22` in local time.
  package static func timestamp(_ date: Date, seconds: Bool) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
  }

  /// `0.42 s`, `12.3 s`, `3 min 5 s`.
  package static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "-" }
    if seconds < 10 { return String(format: "%.2f s", seconds) }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    // A duration read from a registry may be any finite number: past about 30 years, a
    // power of ten says enough; below, doubles (1e300 would trap `Int`).
    if seconds >= 1e9 { return String(format: "%.3g s", seconds) }
    let whole = seconds.rounded()
    let rest = whole.truncatingRemainder(dividingBy: 60)  // exact, unlike whole - 60 * floor(whole / 60)
    return String(format: "%.0f min %.0f s", (whole - rest) / 60, rest)
  }

  /// A loss as `plot loss` and the progress lines show it (four decimals).
  package static func loss(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "-" }
    return String(format: "%.4f", value)
  }

  static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }
}

/// Columns padded to their widest cell, two spaces apart, a rule under the header.
package enum TextTable {
  package static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    guard let header = rows.first else { return "" }
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ row: [String]) -> String {
      var cells: [String] = []
      for i in 0..<columns {
        let cell = i < row.count ? row[i] : ""
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        cells.append(rightAligned.contains(i) ? pad + cell : cell + pad)
      }
      return cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var out = line(header) + "\n"
    out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows.dropFirst() { out += line(row) + "\n" }
    return out
  }
}
