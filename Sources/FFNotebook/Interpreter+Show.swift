import FFData
import FFFiles
import FFKernels
import FFLanguage
import FFPlots
import FFRuntime
import Foundation

// Handlers of the commands that only look: `show`, `plot`.
extension Interpreter {
  /// Shows something without running a statement (the REPL's `:vars`, `:hyper`): nothing is
  /// recorded and no state changes. Problems are printed.
  package func inspect(_ what: ShowTarget) {
    do throws(CommandError) {
      for output in try show(ShowArguments(what: what, index: nil, data: nil), statement: nil).outputs { console.present(output) }
    } catch {
      console.line("error: " + VisibleText.escaping(error.message))
    }
  }

  func show(_ a: ShowArguments, statement: Statement?) throws(CommandError) -> CommandResult {
    let s = session
    switch a.what {
    case .vars: return CommandResult(s.variableLines().map(Output.line))
    case .model: return CommandResult(s.modelLines().map(Output.line))
    case .data: return CommandResult(s.dataLines().map(Output.line))
    case .hyper: return CommandResult(try s.hyperparameterLines().map(Output.line))
    case .transform:
      return CommandResult([.line("\(s.transform)" + (s.transformIsExplicit ? "" : " (the seed's default; set one with `transform`)"))])
    case .sample:
      let name = a.data ?? (s.datasets["train"] != nil ? "train" : (s.datasetOrder.first ?? "train"))
      return CommandResult([.image(try s.sample(index: a.index ?? 0, dataName: name, range: statement.flatMap { Self.argumentRange($0, named: "data") }))])
    case .cells:
      return CommandResult([.line(cellsDescription.map { $0().hasSuffix("\n") ? String($0().dropLast()) : $0() } ?? "no notebook is open")])
    }
  }

  func plot(_ a: PlotArguments) throws(CommandError) -> CommandResult {
    let s = session
    switch a.what {
    case .loss:
      let series = s.lossSeries()
      guard series.contains(where: { !$0.values.isEmpty }) else {
        throw CommandError("nothing to plot yet: no layer has trained; run `learn` first")
      }
      var outputs: [Output] = [.lossChart(series)]
      if let path = a.to {
        let svg = LineChartSVG.render(series: series, title: "Forward-Forward loss per layer", xLabel: "epoch", yLabel: "loss")
        outputs.append(try writeFile(svg, to: path, what: "loss plot"))
      }
      return CommandResult(outputs)
    case .errors:
      let series = s.errorSeries()
      guard !series.isEmpty else {
        throw CommandError("nothing to plot yet: no error was measured; run `learn ... eval=validation` (with schedule=together) first")
      }
      var outputs: [Output] = [.errorChart(series)]
      if let path = a.to {
        let svg = LineChartSVG.render(series: series, title: "Error while training", xLabel: "epoch", yLabel: "error %")
        outputs.append(try writeFile(svg, to: path, what: "error plot"))
      }
      return CommandResult(outputs)
    case .confusion:
      let name = s.evaluations["test"] != nil ? "test" : (s.evaluations.keys.sorted().first ?? "test")
      var outputs = [try confusion(name)]
      if let path = a.to, case let .confusion(counts, labels, title) = outputs[0] {
        outputs.append(try writeFile(ConfusionMatrixSVG.render(counts: counts, labels: labels, title: title), to: path, what: "confusion plot"))
      }
      return CommandResult(outputs)
    }
  }

  /// The last evaluation of `dataName` as a confusion matrix.
  func confusion(_ dataName: String) throws(CommandError) -> Output {
    let s = session
    guard let e = s.evaluations[dataName] else {
      throw CommandError("no predictions for '\(dataName)' yet; run `predict \(dataName)` first")
    }
    let labels = s.datasets[dataName].map { $0.dataset.classNames } ?? (0..<10).map(String.init)
    return .confusion(counts: e.confusion, labels: labels, title: "\(dataName): confusion")
  }

  /// Writes a text file through `AtomicFile` (temporary file, then rename; devices and FIFOs
  /// written through, never replaced); returns the line saying so.
  func writeFile(_ text: String, to path: String, what: String) throws(CommandError) -> Output {
    let s = session
    let url = try s.outputURL(for: path, what: what)
    do {
      try AtomicFile.write(text, to: url.path)
    } catch {
      throw CommandError("cannot write the \(what) to \(s.display(url)): \(error.problem)")
    }
    return .line("wrote \(what) to \(s.display(url))")
  }
}

extension Session {
  /// `show vars`: every variable with its type and value.
  func variableLines() -> [String] {
    let vars = environment.variables.sorted { $0.key < $1.key }
    guard !vars.isEmpty else { return ["no variables (define one with `set name = value`)"] }
    let width = vars.map(\.key.count).max() ?? 0
    return vars.map { name, value in pad(name, width) + " = " + value.description + "  (\(value.kindName))" }
  }

  /// `show hyper`: the hyperparameters the next `learn` uses, and where each comes from.
  /// A followed variable changed since the last `learn` shows its new value, as `learn` will use it.
  func hyperparameterLines() throws(CommandError) -> [String] {
    guard model != nil else { return ["no model yet; `build` sets epochs, lr, threshold and eps"] }
    let next = try pendingHyperparameters().hyper
    func source(_ key: String, _ old: String, _ new: String) -> String {
      guard let variable = linkedHyperparameters[key] else { return "" }
      return old == new ? "  (follows variable \(variable))" : "  (follows variable \(variable); the model has \(old) until the next learn)"
    }
    return [
      "epochs    = \(next.epochs)" + source("epochs", String(hyper.epochs), String(next.epochs)),
      "lr        = \(Format.value(next.lr))" + source("lr", Format.value(hyper.lr), Format.value(next.lr)),
      "threshold = \(Format.value(next.threshold))" + source("threshold", Format.value(hyper.threshold), Format.value(next.threshold)),
      "eps       = \(Format.value(next.eps))",
      "seed      = \(seed)",
    ]
  }

  /// `show model`: layers, parameter counts, training state.
  func modelLines() -> [String] {
    guard let model else { return ["no model yet; run `build`"] }
    var lines = [
      "FF model \(model.dims.map(String.init).joined(separator: "-")), \(Format.parameters(model.parameterCount))",
      " layer  shape          parameters   lr      threshold  Adam steps  last loss",
    ]
    for (k, l) in model.layers.enumerated() {
      let shape = "\(l.inputs) -> \(l.outputs)"
      let last = l.lossHistory.last.map(Format.loss) ?? "-"
      lines.append(" " + pad(String(k + 1), 5) + "  " + pad(shape, 13) + "  " + pad(Format.grouped(l.parameterCount), 10, right: true)
        + "   " + pad(Format.value(l.hyper.lr), 6) + "  " + pad(Format.value(l.hyper.threshold), 9)
        + "  " + pad(String(l.adamSteps), 10, right: true) + "  " + last)
    }
    if model.recipe != .seed {
      lines.append(" " + Format.recipe(model.recipe)
        + (model.recipe.optimizer == .smoothed ? " (the steps column counts smoothed-gradient steps)" : ""))
    }
    if let head = model.head {
      lines.append(" softmax head: reads layers \(head.layers.map(String.init).joined(separator: ", ")), \(Format.parameters(head.parameterCount)), \(Plural.count(head.steps, "step"))")
    }
    return lines
  }

  /// `show data`: every loaded batch.
  func dataLines() -> [String] {
    guard !datasetOrder.isEmpty else { return ["no data loaded; run `load mnist train batch=10000`"] }
    var lines: [String] = []
    for name in datasetOrder {
      guard let d = datasets[name] else { continue }
      let x = d.batch.features.elements
      var lo = Float.infinity, hi = -Float.infinity
      for v in x { lo = min(lo, v); hi = max(hi, v) }
      var counts = [Int](repeating: 0, count: 10)
      for l in d.batch.labels where l >= 0 && l < 10 { counts[l] += 1 }
      lines.append("\(name): \(d.dataset.torchvisionName) \(d.split.rawValue), \(d.count) of \(Plural.count(d.source.count, "example"))\(d.shuffle ? " (shuffled)" : ""), \(Plural.count(d.batch.features.cols, "feature")) in [\(Format.value(lo)), \(Format.value(hi))]")
      lines.append("  transform \(d.transform)")
      lines.append("  from \(d.directory.path)")
      lines.append("  labels per class " + counts.map(String.init).joined(separator: " "))
    }
    return lines
  }

  /// `show sample 3 data=train`: one image with its label written into the first pixels, as
  /// the model sees positive data.
  func sample(index: Int, dataName: String, range: SourceRange? = nil) throws(CommandError) -> ImageSample {
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
    let name = d.dataset.classNames[safe: label] ?? String(label)
    return ImageSample(
      pixels: row.array, rows: side * side == x.cols ? side : 1, cols: side * side == x.cols ? side : x.cols, label: label,
      title: "\(dataName)[\(index)] (example \(d.batch.indices[index]) of \(d.dataset.torchvisionName) \(d.split.rawValue)): \(name)")
  }

  /// The errors `learn eval=` measured, one series per data set and read-out; NaN at epochs
  /// where none was measured (charts join the measured points).
  func errorSeries() -> [Series] {
    guard let last = errorHistory.map(\.epoch).max() else { return [] }
    var series: [Series] = []
    for name in Array(Set(errorHistory.map(\.data))).sorted() {
      let points = errorHistory.filter { $0.data == name }
      var goodness = [Double](repeating: .nan, count: last), softmax = goodness
      for p in points where p.epoch >= 1 {
        goodness[p.epoch - 1] = p.goodness
        if let v = p.softmax { softmax[p.epoch - 1] = v }
      }
      series.append(Series(name: "\(name) by goodness", values: goodness))
      if points.contains(where: { $0.softmax != nil }) { series.append(Series(name: "\(name) by softmax", values: softmax)) }
    }
    return series
  }

  /// Loss curves of every layer, as Series.
  func lossSeries() -> [Series] {
    guard let model else { return [] }
    return model.layers.enumerated().map { k, l in
      Series(name: "layer \(k + 1) (\(l.inputs)->\(l.outputs))", values: l.lossHistory.map(Double.init))
    }
  }
}
