import FFRegistry
import Foundation

/// A sweep's results: one row per point that ran, best first by the metric the notebook
/// measured last (its final `predict`, usually the test accuracy); points without it
/// (failed, stopped) after, in plan order.
package struct SweepTable: Sendable {
  package struct Row: Sendable {
    package var point: Int
    package var run: RunRecord?
    package var outcome: SweepOutcome?
  }

  package let plan: SweepPlan
  package let rows: [Row]

  /// The rows of the points in `outcomes`, each with its recorded run if there is one.
  package init(plan: SweepPlan, outcomes: [SweepOutcome], runs: [RunRecord]) {
    self.plan = plan
    var byPoint: [Int: RunRecord] = [:]
    for run in runs { if let point = run.sweep?.point { byPoint[point] = run } }
    let rows = outcomes.map { Row(point: $0.point, run: byPoint[$0.point], outcome: $0) }
    self.rows = rows.sorted { a, b in
      switch (a.run?.headline?.percent, b.run?.headline?.percent) {
      case let (x?, y?): return x != y ? x > y : a.point < b.point
      case (_?, nil): return true
      case (nil, _?): return false
      case (nil, nil): return a.point < b.point
      }
    }
  }

  /// The metric's name (`test accuracy`), from the runs that measured one.
  package var metric: String {
    let names = rows.compactMap { $0.run?.headline?.dataset }
    return names.first.map { "\($0) accuracy" } ?? "accuracy"
  }

  package var text: String {
    let layers = rows.map { $0.run?.losses.count ?? 0 }.max() ?? 0
    var header = ["point"] + plan.swept + ["status", metric]
    if layers > 0 { header.append(layers == 1 ? "final loss" : "final losses") }
    header += ["time", "run"]
    var table = [header]
    for row in rows {
      let values = plan.swept.map { name in plan.points[row.point].first { $0.name == name }?.value.description ?? "-" }
      var cells = ["\(row.point + 1)"] + values + [status(row), row.run?.headline.map(result) ?? "-"]
      if layers > 0 { cells.append(row.run.map { $0.losses.map { RunText.loss($0.last) }.joined(separator: " ") } ?? "-") }
      cells += [RunText.duration(row.run?.seconds ?? row.outcome?.seconds ?? .nan), row.run?.shortID ?? "-"]
      table.append(cells)
    }
    return TextTable.render(table, rightAligned: [0, 1 + plan.swept.count + 1])
  }

  /// The recorded status, else how the worker ended.
  private func status(_ row: Row) -> String {
    if let run = row.run { return run.status.rawValue }
    switch row.outcome?.ending {
    case .exited(let code)?: return "exit \(code)"
    case .signalled(let signal)?: return "signal \(signal)"
    case .notStarted?: return "not started"
    case nil: return "-"
    }
  }

  private func result(_ accuracy: RunAccuracy) -> String {
    "\(metric)" == "\(accuracy.dataset) accuracy" ? String(format: "%.2f %%", accuracy.percent) : accuracy.description
  }

  /// The compared runs, best first, for the sweep's SVG.
  package var comparison: RunComparison { RunComparison(rows.compactMap(\.run)) }
}
