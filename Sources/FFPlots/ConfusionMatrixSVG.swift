/// Confusion matrices as SVG heat maps: `predict ... confusion=true` in an executed notebook.
///
/// Cells are coloured by the row-normalised frequency (the share of each true class that went
/// to each prediction), so a rare class's errors are as visible as a common one's; the count is
/// written in every cell, dark on light cells and white on dark ones. A colour bar on the right
/// reads the shares, and the overall accuracy sits under the title.
public enum ConfusionMatrixSVG {
  /// - Parameters:
  ///   - counts: `counts[t][p]` is how many samples of true class t were predicted as p; ragged
  ///     input is padded with zeros to a square.
  ///   - labels: class names in index order; missing names are the indices.
  ///   - title: drawn above the matrix (omitted when empty).
  public static func render(counts: [[Int]], labels: [String], title: String) -> String {
    let table = ConfusionTable(counts: counts, labels: labels)
    let n = table.size
    let cell = Double(max(28, min(56, 440 / max(1, n))))
    let tickSize = 12.0
    let labelSize = 13.0

    let widestLabel = table.labels.map { SVGDocument.estimatedWidth($0, size: tickSize) }.max() ?? 0
    let rotateColumns = widestLabel > cell - 6
    let columnLabelHeight = rotateColumns ? widestLabel * 0.71 + 6 : tickSize + 4
    let top = title.isEmpty ? 34.0 : 58
    let left = 14 + labelSize + 12 + widestLabel + 10
    let grid = Double(n) * cell
    let barLeft = left + grid + 18
    let barWidth = 14.0
    let width = barLeft + barWidth + 6 + SVGDocument.estimatedWidth("100%", size: 11) + 14
    let height = top + grid + 8 + columnLabelHeight + 10 + labelSize + 12

    var svg = SVGDocument(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)))
    if !title.isEmpty {
      svg.text(
        title, x: width / 2, y: 24, size: 15, anchor: "middle", fill: "#111111", weight: "bold")
    }
    let summary =
      table.accuracy.map {
        "accuracy \(PlotNumber.fixed($0, decimals: 2))% (\(table.correct)/\(table.total))"
      } ?? "no samples"
    svg.text(summary, x: width / 2, y: top - 14, size: 12, anchor: "middle", fill: "#555555")

    let maxDigits = table.counts.flatMap { $0 }.map { String($0).count }.max() ?? 1
    let countSize = min(13, cell * 0.32, (cell - 6) / (Double(maxDigits) * 0.62))
    for r in 0..<n {
      for c in 0..<n {
        let share = table.rowShare(r, c)
        let fill = Blues.colour(share)
        let x = left + Double(c) * cell
        let y = top + Double(r) * cell
        svg.rect(x: x, y: y, width: cell, height: cell, fill: fill.hex, stroke: "#ffffff")
        svg.text(
          String(table.counts[r][c]), x: x + cell / 2, y: y + cell / 2 + countSize * 0.36,
          size: countSize, anchor: "middle", fill: fill.luminance < 0.5 ? "#ffffff" : "#1a1a1a",
          weight: r == c ? "bold" : nil)
      }
    }
    svg.rect(x: left, y: top, width: grid, height: grid, fill: "none", stroke: "#666666")

    // Row (true) and column (predicted) tick labels.
    for i in 0..<n {
      let mid = Double(i) * cell + cell / 2
      svg.text(
        table.labels[i], x: left - 8, y: top + mid + tickSize * 0.36, size: tickSize,
        anchor: "end", fill: "#333333")
      if rotateColumns {
        svg.text(
          table.labels[i], x: left + mid + tickSize * 0.3, y: top + grid + 8, size: tickSize,
          anchor: "end", fill: "#333333", rotate: -45)
      } else {
        svg.text(
          table.labels[i], x: left + mid, y: top + grid + 6 + tickSize, size: tickSize,
          anchor: "middle", fill: "#333333")
      }
    }
    svg.text(
      "predicted", x: left + grid / 2, y: top + grid + 8 + columnLabelHeight + 10 + labelSize * 0.8,
      size: labelSize, anchor: "middle", fill: "#333333")
    svg.text(
      "true", x: 14 + labelSize * 0.8, y: top + grid / 2, size: labelSize, anchor: "middle",
      fill: "#333333", rotate: -90)

    drawColourBar(&svg, x: barLeft, y: top, width: barWidth, height: grid)
    return svg.rendered
  }

  /// A vertical bar from 0% (bottom) to 100% (top) of the row share, ticks every 25%.
  private static func drawColourBar(
    _ svg: inout SVGDocument, x: Double, y: Double, width: Double, height: Double
  ) {
    let stops = Blues.anchors.enumerated().map { i, colour in
      SVGDocument.tag(
        "stop",
        [
          ("offset", PlotNumber.svg(Double(i) / Double(Blues.anchors.count - 1))),
          ("stop-color", colour.hex),
        ], text: nil)
    }.joined()
    svg.define(
      "<linearGradient id=\"ffplots-blues\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(stops)</linearGradient>"
    )
    svg.rect(
      x: x, y: y, width: width, height: height, fill: "url(#ffplots-blues)", stroke: "#666666",
      strokeWidth: 0.8)
    for quarter in 0...4 {
      let ty = y + height - Double(quarter) / 4 * height
      svg.line(x1: x + width, y1: ty, x2: x + width + 3, y2: ty, stroke: "#666666")
      svg.text(
        "\(quarter * 25)%", x: x + width + 6, y: ty + 11 * 0.36, size: 11, fill: "#444444")
    }
  }
}

/// matplotlib's sequential "Blues" map (ColorBrewer), interpolated in RGB between its nine
/// anchors: light for rare confusions, dark for the diagonal of a good classifier.
enum Blues {
  struct RGB {
    var r: Double
    var g: Double
    var b: Double

    var hex: String {
      func two(_ v: Double) -> String {
        let s = String(Int((min(1, max(0, v)) * 255).rounded()), radix: 16)
        return s.count == 1 ? "0" + s : s
      }
      return "#" + two(r) + two(g) + two(b)
    }

    /// Relative luminance (ITU-R BT.709 weights on the sRGB values), 0 black ... 1 white.
    var luminance: Double { 0.2126 * r + 0.7152 * g + 0.0722 * b }
  }

  static let anchors: [RGB] = [
    0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b,
  ].map { (v: Int) in
    RGB(
      r: Double((v >> 16) & 0xff) / 255, g: Double((v >> 8) & 0xff) / 255,
      b: Double(v & 0xff) / 255)
  }

  /// The colour for `t` in 0...1 (clamped; NaN counts as 0).
  static func colour(_ t: Double) -> RGB {
    let t = t.isFinite ? min(1, max(0, t)) : 0
    let position = t * Double(anchors.count - 1)
    let i = min(anchors.count - 2, Int(position))
    let f = position - Double(i)
    let a = anchors[i]
    let b = anchors[i + 1]
    return RGB(r: a.r + (b.r - a.r) * f, g: a.g + (b.g - a.g) * f, b: a.b + (b.b - a.b) * f)
  }
}
