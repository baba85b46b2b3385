/// Grayscale images such as MNIST digits: `show sample N` in a notebook.
///
/// Pixels are mapped from their own minimum (black) to their maximum (white), so normalised
/// inputs (the seed notebook's `Normalize((0.1307,), (0.3081,))` gives -0.42...2.82) look like
/// the familiar light-on-dark MNIST digit. The Forward-Forward label overlay (the seed notebook's
/// `Generate_data` writes the label as one bright pixel among the first ten of the top row) is
/// outlined in the SVG so it is clearly part of the input, not of the digit.
public enum DigitImage {
  /// Renders the image as a standalone SVG.
  ///
  /// - Parameters:
  ///   - pixels: row-major grey values; NaN and infinities draw black; missing pixels (fewer
  ///     than `rows * cols`) draw black and extra ones are ignored.
  ///   - rows, cols: the image shape (MNIST: 28 x 28).
  ///   - label: shown as the caption "label 7" (no caption when nil).
  ///   - title: drawn above the image (omitted when nil or empty).
  ///   - highlightFirst: how many leading pixels (row-major) to outline: the label overlay; 0
  ///     for none.
  ///   - scale: pixels of SVG per image pixel (at least 1).
  public static func svg(
    pixels: [Float], rows: Int = 28, cols: Int = 28, label: Int?, title: String?,
    highlightFirst: Int = 10, scale: Int = 8
  ) -> String {
    let rows = max(0, rows)
    let cols = max(0, cols)
    let cell = Double(max(1, scale))
    let levels = greyLevels(pixels, count: rows * cols)
    let caption = label.map { "label \($0)" }
    let title = (title ?? "").isEmpty ? nil : title

    let pad = 12.0
    let titleHeight = title == nil ? 0.0 : 26
    let captionHeight = caption == nil ? 0.0 : 24
    let imageWidth = Double(cols) * cell
    let imageHeight = Double(rows) * cell
    let textWidth = max(
      title.map { SVGDocument.estimatedWidth($0, size: 14) } ?? 0,
      caption.map { SVGDocument.estimatedWidth($0, size: 13) } ?? 0)
    let width = max(imageWidth, textWidth, 60) + 2 * pad
    let height = pad + titleHeight + imageHeight + captionHeight + pad
    let left = (width - imageWidth) / 2
    let top = pad + titleHeight

    var svg = SVGDocument(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)))
    if let title {
      svg.text(
        title, x: width / 2, y: pad + 14, size: 14, anchor: "middle", fill: "#111111",
        weight: "bold")
    }
    svg.rect(x: left, y: top, width: imageWidth, height: imageHeight, fill: "#000000")
    svg.group([("shape-rendering", "crispEdges")]) { svg in
      for r in 0..<rows {
        for c in 0..<cols {
          let grey = levels[r * cols + c]
          guard grey > 0 else { continue }  // the background is already black
          svg.rect(
            x: left + Double(c) * cell, y: top + Double(r) * cell, width: cell, height: cell,
            fill: hexGrey(grey))
        }
      }
    }
    // The label overlay: one outline per row the first `highlightFirst` pixels span.
    let highlighted = min(max(0, highlightFirst), rows * cols)
    if highlighted > 0, cols > 0 {
      var start = 0
      while start < highlighted {
        let r = start / cols
        let end = min(highlighted, (r + 1) * cols)
        let inset = 0.75
        svg.rect(
          x: left + Double(start % cols) * cell + inset, y: top + Double(r) * cell + inset,
          width: Double(end - start) * cell - 2 * inset, height: cell - 2 * inset,
          fill: "none", stroke: Palette.svg(1), strokeWidth: 1.5)
        start = end
      }
    }
    svg.rect(
      x: left - 0.5, y: top - 0.5, width: imageWidth + 1, height: imageHeight + 1, fill: "none",
      stroke: "#777777")
    if let caption {
      svg.text(
        caption, x: width / 2, y: top + imageHeight + 18, size: 13, anchor: "middle",
        fill: "#222222")
    }
    return svg.rendered
  }

  /// Each of `count` pixels as a grey level 0...255, black for the minimum and white for the
  /// maximum of the finite pixels (all black when they are all equal).
  static func greyLevels(_ pixels: [Float], count: Int) -> [Int] {
    let finite = pixels.prefix(count).filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max(), hi > lo else {
      return Array(repeating: 0, count: count)
    }
    let span = Double(hi) - Double(lo)
    return (0..<count).map { i in
      guard i < pixels.count, pixels[i].isFinite else { return 0 }
      return Int(((Double(pixels[i]) - Double(lo)) / span * 255).rounded())
    }
  }

  private static func hexGrey(_ level: Int) -> String {
    let hex = String(min(255, max(0, level)), radix: 16)
    let two = hex.count == 1 ? "0" + hex : hex
    return "#" + two + two + two
  }
}
