import FFKernels
import FFPlots
import FFRuntime
import Foundation

/// Turns training events into what a person sees: the seed's "Layer k :" header and
/// "epoch/total --- Loss: x" lines every `interval` epochs, a live line on a terminal, and a
/// one-line summary per layer.
final class ProgressReporter {
  let console: Console
  let interval: Int
  private var lastDraw: Double = -1

  init(console: Console, interval: Int) {
    self.console = console
    self.interval = interval
  }

  func observe(_ event: TrainingEvent) {
    switch event {
    case let .layerStarted(layer, epochs, inputs, outputs, rows, batch):
      console.line("")
      let batches = batch.map { ", mini-batches of \(Plural.count($0, "pair"))" } ?? ""
      console.line(" Layer \(layer) : \(inputs) -> \(outputs), \(Plural.count(epochs, "epoch")) on \(Plural.count(rows, "row"))\(batches)")
      lastDraw = -1
    case let .epochFinished(_, epoch, epochs, loss, elapsed):
      if console.isTerminal {
        // Redraw at most ~20 times a second; always on the last epoch.
        if elapsed - lastDraw >= 0.05 || epoch == epochs {
          lastDraw = elapsed
          let rate = Double(epoch) / max(elapsed, 1e-9)
          let remaining = Double(epochs - epoch) / max(rate, 1e-9)
          let fraction = Double(epoch) / Double(max(epochs, 1))
          // On a narrow terminal the bar goes first, then the times, then the rate.
          console.progress(
            fraction: fraction, essential: "\(epoch)/\(epochs) --- Loss: \(Format.loss(loss))",
            optional: [String(format: "%.1f epochs/s", rate), "\(Format.seconds(elapsed)) elapsed, \(Format.seconds(remaining)) left"])
        }
        if epoch % interval == 0 || epoch == 1 { console.clearProgress() }
      }
      if epoch % interval == 0 || epoch == 1 || epoch == epochs {
        console.line("\(epoch)/\(epochs) --- Loss: \(Format.loss(loss))")
      }
    case let .layerFinished(layer, epochs, loss, seconds):
      let rate = seconds > 0 ? String(format: ", %.1f epochs/s", Double(epochs) / seconds) : ""
      console.line("layer \(layer): \(Plural.count(epochs, "epoch")), final loss \(Format.loss(loss)) in \(Format.seconds(seconds))\(rate)")
    case let .togetherStarted(layers, epochs, pairs, batch, negatives):
      console.line("")
      console.line(" All \(Plural.count(layers, "layer")) together: \(Plural.count(epochs, "epoch")) on \(Plural.grouped(pairs)) pairs, mini-batches of \(batch), \(negatives.rawValue) negatives")
      lastDraw = -1
    case let .togetherEpoch(epoch, epochs, losses, headLoss, elapsed):
      let text = "\(epoch)/\(epochs) --- Loss: " + losses.map(Format.loss).joined(separator: " ")
        + (headLoss.map { " --- head: \(Format.loss($0))" } ?? "")
      if console.isTerminal {
        lastDraw = elapsed
        let remaining = elapsed / Double(epoch) * Double(epochs - epoch)
        console.progress(
          fraction: Double(epoch) / Double(max(epochs, 1)), essential: text,
          optional: ["\(Format.seconds(elapsed)) elapsed, \(Format.seconds(remaining)) left"])
        if epoch % interval == 0 || epoch == 1 { console.clearProgress() }
      }
      if epoch % interval == 0 || epoch == 1 || epoch == epochs { console.line(text) }
    case let .togetherFinished(epochs, seconds):
      let rate = seconds > 0 ? String(format: ", %.2f epochs/s", Double(epochs) / seconds) : ""
      console.line("all layers: \(Plural.count(epochs, "epoch")) in \(Format.seconds(seconds))\(rate)")
    case let .togetherInterrupted(epoch, batches, of):
      console.line("interrupted: epoch \(epoch) stopped after \(batches)/\(of) mini-batches; weights, optimizer state, peer means and head kept (run `learn` to continue)")
    case let .interrupted(layer, epoch, epochs):
      console.line("interrupted: layer \(layer) stopped after epoch \(epoch)/\(epochs); weights and optimizer state kept (run `learn layer=\(layer)` to continue)")
    }
  }
}
