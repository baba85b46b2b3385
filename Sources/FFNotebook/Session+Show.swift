import FFData
import FFKernels
import FFLanguage
import FFPlots
import FFRuntime
import Foundation

extension Session {
  /// `show vars`: every variable with its type and value.
  public func showVariables() {
    let vars = environment.variables.sorted { $0.key < $1.key }
    guard !vars.isEmpty else { console.line("no variables (define one with `set name = value`)"); return }
    let width = vars.map(\.key.count).max() ?? 0
    for (name, value) in vars {
      console.line(name.padding(toLength: width, withPad: " ", startingAt: 0) + " = " + value.description + "  (\(value.kindName))")
    }
  }

  /// `show hyper`: the hyperparameters `learn` will use, and where each comes from.
  public func showHyperparameters() {
    guard model != nil else {
      console.line("no model yet; `build` sets epochs, lr, threshold and eps")
      return
    }
    func source(_ key: String) -> String { linkedHyperparameters[key].map { "  (follows variable \($0))" } ?? "" }
    console.line("epochs    = \(hyper.epochs)" + source("epochs"))
    console.line("lr        = \(Format.value(hyper.lr))" + source("lr"))
    console.line("threshold = \(Format.value(hyper.threshold))" + source("threshold"))
    console.line("eps       = \(Format.value(hyper.eps))")
    console.line("seed      = \(seed)")
  }

  /// `show model`: layers, parameter counts, training state.
  public func showModel() {
    guard let model else { console.line("no model yet; run `build`"); return }
    console.line("FF model \(model.dims.map(String.init).joined(separator: "-")), \(Format.parameters(model.parameterCount))")
    console.line(" layer  shape          parameters   lr      threshold  Adam steps  last loss")
    for (k, l) in model.layers.enumerated() {
      let shape = "\(l.inputs) -> \(l.outputs)"
      let last = l.lossHistory.last.map(Format.loss) ?? "-"
      console.line(" " + pad(String(k + 1), 5) + "  " + pad(shape, 13) + "  " + pad(Format.grouped(l.parameterCount), 10, right: true)
        + "   " + pad(Format.value(l.hyper.lr), 6) + "  " + pad(Format.value(l.hyper.threshold), 9)
        + "  " + pad(String(l.adamSteps), 10, right: true) + "  " + last)
    }
  }

  /// `show data`: every loaded batch.
  public func showData() {
    guard !datasetOrder.isEmpty else { console.line("no data loaded; run `load mnist train batch=10000`"); return }
    for name in datasetOrder {
      guard let d = datasets[name] else { continue }
      let x = d.batch.features.elements
      var lo = Float.infinity, hi = -Float.infinity
      for v in x { lo = min(lo, v); hi = max(hi, v) }
      var counts = [Int](repeating: 0, count: 10)
      for l in d.batch.labels where l >= 0 && l < 10 { counts[l] += 1 }
      console.line("\(name): \(d.dataset.torchvisionName) \(d.split.rawValue), \(d.count) of \(Plural.count(d.source.count, "example"))\(d.shuffle ? " (shuffled)" : ""), \(Plural.count(d.batch.features.cols, "feature")) in [\(Format.value(lo)), \(Format.value(hi))]")
      console.line("  transform \(d.transform)")
      console.line("  from \(d.directory.path)")
      console.line("  labels per class " + counts.map(String.init).joined(separator: " "))
    }
  }

  /// `show transform`.
  public func showTransform() {
    console.line("\(transform)" + (transformIsExplicit ? "" : " (the seed's default; set one with `transform`)"))
  }

  /// `show sample 3 data=train`: one image drawn in the terminal (and as SVG in an executed
  /// notebook) with its label written into the first pixels, as the model sees positive data.
  public func showSample(index: Int, dataName: String, range: SourceRange? = nil) throws(CommandError) {
    let d = try loaded(dataName, range: range)
    guard index >= 0, index < d.count else {
      throw CommandError("sample \(index) is outside '\(dataName)' (0...\(d.count - 1))", at: range)
    }
    let x = d.batch.features
    let label = d.batch.labels[index]
    let row = Matrix(rows: 1, cols: x.cols)
    row.assignRows(from: x, index..<(index + 1))
    let side = Int(Double(x.cols).squareRoot())
    let maxValue = Elementwise.maximum(UnsafeBufferPointer(x.elements))
    if x.cols >= LabelOverlay.classes { LabelOverlay.apply(row, labels: [label], value: maxValue, into: row) }
    let pixels = row.array
    let rows = side * side == x.cols ? side : 1
    let cols = side * side == x.cols ? side : x.cols
    let name = d.dataset.classNames[safe: label] ?? String(label)
    let title = "\(dataName)[\(index)] (example \(d.batch.indices[index]) of \(d.dataset.torchvisionName) \(d.split.rawValue)): \(name)"
    let text = DigitImage.terminal(pixels: pixels, rows: rows, cols: cols, label: label, color: console.useColor)
    let svg = DigitImage.svg(pixels: pixels, rows: rows, cols: cols, label: label, title: title)
    console.display(DisplayData(text: title + "\n" + text, svg: svg))
  }

  /// Loss curves of every layer, as Series.
  func lossSeries() -> [Series] {
    guard let model else { return [] }
    return model.layers.enumerated().map { k, l in
      Series(name: "layer \(k + 1) (\(l.inputs)->\(l.outputs))", values: l.lossHistory.map(Double.init))
    }
  }

  /// `plot loss [to="loss.svg"]`: each layer's loss per epoch.
  public func plotLoss(to path: String?) throws(CommandError) {
    let series = lossSeries()
    guard series.contains(where: { !$0.values.isEmpty }) else {
      throw CommandError("nothing to plot yet: no layer has trained; run `learn` first")
    }
    let svg = LineChartSVG.render(series: series, title: "Forward-Forward loss per layer", xLabel: "epoch", yLabel: "loss")
    let text = TerminalChart.render(series: series, width: min(console.terminalWidth(), 100), height: 12, color: console.useColor)
    console.display(DisplayData(text: text, svg: svg))
    if let path { try writeFile(svg, to: path, what: "loss plot") }
  }

  /// `plot confusion [data=test] [to=...]`: the last evaluation's confusion matrix.
  public func plotConfusion(dataName: String, to path: String?) throws(CommandError) {
    guard let e = evaluations[dataName] else {
      throw CommandError("no predictions for '\(dataName)' yet; run `predict \(dataName)` first")
    }
    let labels = datasets[dataName].map { $0.dataset.classNames } ?? (0..<10).map(String.init)
    let svg = ConfusionMatrixSVG.render(counts: e.confusion, labels: labels, title: "\(dataName): confusion")
    console.display(DisplayData(text: ConfusionMatrixText.render(counts: e.confusion, labels: labels), svg: svg))
    if let path { try writeFile(svg, to: path, what: "confusion plot") }
  }

  func showConfusion(_ dataName: String) {
    try? plotConfusion(dataName: dataName, to: nil)
  }

  /// Writes a text file atomically (temporary file, then rename).
  func writeFile(_ text: String, to path: String, what: String) throws(CommandError) {
    let url = try outputURL(for: path, what: what)
    do {
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      throw CommandError("cannot write the \(what) to \(display(url)): \(String(cString: strerror(errno)))")
    }
    console.line("wrote \(what) to \(display(url))")
  }
}

/// Pads (or right-aligns) text to a column width.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: max(0, width - text.count))
  return right ? fill + text : text + fill
}

extension Array {
  subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
