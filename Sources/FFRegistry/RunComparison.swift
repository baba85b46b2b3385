/// What sets runs apart: the parameters whose values differ, and each run's results. State
/// only; `table` and `chart` present it.
package struct RunComparison: Sendable {
  package let runs: [RunRecord]
  /// Parameters not equal in every run (missing in some counts as differing), in first-seen order.
  package let differing: [(name: String, values: [String?])]
  /// Data sets any run measured, in first-measured order.
  package let datasets: [String]

  package init(_ runs: [RunRecord]) {
    self.runs = runs
    var names: [String] = []
    for run in runs { for p in run.parameters where !names.contains(p.name) { names.append(p.name) } }
    differing = names.compactMap { name in
      let values = runs.map { run in run.parameters.first { $0.name == name }?.value }
      return Set(values).count > 1 ? (name, values) : nil
    }
    var datasets: [String] = []
    for run in runs { for a in run.accuracies where !datasets.contains(a.dataset) { datasets.append(a.dataset) } }
    self.datasets = datasets
  }

  /// The notebooks, when the runs are not all of the same one.
  package var notebooks: [String]? {
    Set(runs.map(\.notebook)).count > 1 ? runs.map { $0.notebook.map(RunText.fileName) ?? "-" } : nil
  }

  /// Side by side: one column per run; rows for differing parameters, then results.
  package var table: String {
    var rows = [["run"] + runs.map(\.shortID)]
    if let notebooks { rows.append(["notebook"] + notebooks) }
    for (name, values) in differing { rows.append([name] + values.map { $0 ?? "-" }) }
    rows.append(["status"] + runs.map(\.status.rawValue))
    for dataset in datasets {
      rows.append(["\(dataset) accuracy"] + runs.map { run in
        run.accuracies.last { $0.dataset == dataset }.map { String(format: "%.2f %%", $0.percent) } ?? "-"
      })
    }
    let layers = runs.map(\.losses.count).max() ?? 0
    for layer in 0..<layers {
      rows.append(["final loss, layer \(layer + 1)"] + runs.map { RunText.loss($0.losses[safe: layer]?.last) })
    }
    rows.append(["epochs"] + runs.map { run in run.losses.isEmpty ? "-" : run.losses.map { String($0.count) }.joined(separator: "+") })
    rows.append(["time"] + runs.map { RunText.duration($0.seconds) })
    return TextTable.render(rows, rightAligned: Set(1...max(1, runs.count)))
  }

  /// One curve per run and layer, named by the run and what sets it apart.
  package var lossSeries: [(name: String, values: [Double])] {
    var series: [(String, [Double])] = []
    for (i, run) in runs.enumerated() {
      let label = ([run.shortID] + differing.map { "\($0.name)=\($0.values[i] ?? "-")" }).joined(separator: " ")
      for (layer, curve) in run.losses.enumerated() where !curve.isEmpty {
        series.append((run.losses.count > 1 ? "\(label), layer \(layer + 1)" : label, curve))
      }
    }
    return series
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
