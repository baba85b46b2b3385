import FFLanguage
import FFRegistry

extension InteractiveSession {
  /// `:runs N`: the newest recorded runs of this notebook (of every notebook in an empty session).
  func listRuns(_ count: Int) {
    guard let registry = openRegistry() else { return }
    let notebookPath = notebook.cells.isEmpty ? nil : RegistryLocation.absolute(notebook.path)
    do {
      let runs = try registry.runs(notebook: notebookPath, limit: count)
      guard !runs.isEmpty else {
        console.line("no runs recorded yet in \(VisibleText.escaping(registry.path))")
        return
      }
      console.write(VisibleText.escaping(RunText.listing(runs)))
    } catch {
      printError(error.description)
    }
  }

  /// `:compare ID ID...`: the runs side by side and their loss curves in the terminal.
  func compareRuns(_ ids: [String]) {
    guard let registry = openRegistry() else { return }
    do {
      var runs: [RunRecord] = []
      for id in ids { runs.append(try registry.run(matching: id)) }
      let comparison = RunComparison(runs)
      console.write(VisibleText.escaping(comparison.table))
      if !comparison.lossSeries.isEmpty {
        let chart = ComparisonChart.terminal(comparison, width: min(console.terminalWidth(), 100), color: console.useColor)
        console.write(VisibleText.escaping(chart.hasSuffix("\n") ? chart : chart + "\n"))
      }
    } catch {
      printError(error.description)
    }
  }

  /// The session's registry, or nil after saying why there is none.
  private func openRegistry() -> RunRegistry? {
    guard let recording else {
      printError("this session records no runs")
      return nil
    }
    guard let registry = recording.recorder.registry else {
      printError(recording.recorder.location == .off
        ? "the run registry is off (--no-registry or FFNB_REGISTRY=off)"
        : "the run registry cannot be used (said when the session started)")
      return nil
    }
    return registry
  }
}
