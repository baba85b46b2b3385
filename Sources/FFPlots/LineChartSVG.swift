/// Line charts as standalone SVG 1.1 documents: the `plot loss` output of a notebook.
///
/// x is the step (epoch) from 1 to the longest series' length, y the values; each series gets a
/// tab10 colour, "nice" 1-2-5 ticks on both axes, light grid lines and a legend placed in the
/// first plot corner that no curve crosses (above the plot when every corner is taken).
public enum LineChartSVG {
  /// - Parameters:
  ///   - series: the curves; NaN and infinite values are skipped; series may differ in length.
  ///   - title: drawn centred above the plot (omitted when empty).
  ///   - xLabel, yLabel: axis captions (omitted when empty).
  ///   - width, height: the document size in pixels (at least 240 x 180).
  /// - Returns: the SVG document text, UTF-8, with an XML declaration.
  public static func render(
    series: [Series], title: String, xLabel: String, yLabel: String,
    width: Int = 640, height: Int = 400
  ) -> String {
    let chart = LineChartLayout(
      series: series, title: title, xLabel: xLabel, yLabel: yLabel,
      width: max(240, width), height: max(180, height))
    return chart.draw()
  }
}

/// Sizes, scales and placement of one line chart; `draw()` writes the SVG.
struct LineChartLayout {
  static let titleSize = 15.0
  static let tickSize = 11.0
  static let labelSize = 12.0
  static let legendSize = 11.0
  static let legendRowHeight = 18.0

  let series: [Series]
  let title: String
  let xLabel: String
  let yLabel: String
  let width: Int
  let height: Int

  /// The plot area (axes box) in SVG pixels.
  var plot = (left: 0.0, top: 0.0, width: 0.0, height: 0.0)
  var xScale = NiceScale(covering: 0...1, maxIntervals: 5)
  /// The x extent of the plot: from the first x tick to the last epoch, so a 41-epoch run does
  /// not leave the right fifth of the plot empty up to a "nice" 50.
  var xDomain: ClosedRange<Double> = 0...1
  var yScale = NiceScale(covering: 0...1, maxIntervals: 5)
  /// Each series' points in pixel space, downsampled; indexes match `series`.
  var paths: [[(x: Double, y: Double)]] = []
  var legend: LegendPlacement = .none
  let hasData: Bool

  init(series: [Series], title: String, xLabel: String, yLabel: String, width: Int, height: Int) {
    self.series = series
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.width = width
    self.height = height
    self.hasData = finiteRange(of: series) != nil
    let entries = legendEntries
    layOut(legendRows: 0)
    guard !entries.isEmpty else { return }
    if let corner = freeCorner() {
      legend = .inside(corner)
    } else {
      // Every corner has a curve under it: give the legend its own rows above the plot.
      let rows = legendRowsAbove(entries: entries, availableWidth: plot.width).count
      layOut(legendRows: rows)
      legend = .above
    }
  }

  /// (series index, name) of the series that have a legend entry.
  var legendEntries: [(index: Int, name: String)] {
    series.enumerated().compactMap { $0.element.name.isEmpty ? nil : ($0.offset, $0.element.name) }
  }

  /// Computes scales, margins and pixel paths for a legend of `legendRows` rows above the plot.
  private mutating func layOut(legendRows: Int) {
    let top = (title.isEmpty ? 18.0 : 42.0) + Double(legendRows) * Self.legendRowHeight
    let bottom = 8.0 + Self.tickSize + 10 + (xLabel.isEmpty ? 6 : Self.labelSize + 14)
    let plotHeight = Double(height) - top - bottom
    let longest = series.map(\.values.count).max() ?? 0
    yScale = NiceScale(
      covering: finiteRange(of: series) ?? 0...1,
      maxIntervals: max(2, min(10, Int(plotHeight / 36))))
    let yLabelWidth =
      yScale.ticks.map {
        SVGDocument.estimatedWidth(yScale.label($0), size: Self.tickSize)
      }.max() ?? 0
    let left = 10 + (yLabel.isEmpty ? 0 : Self.labelSize + 12) + yLabelWidth + 10
    let right = 18.0
    let plotWidth = Double(width) - left - right
    let xRange = longest > 0 ? 1...Double(longest) : 1...1
    let widestX = SVGDocument.estimatedWidth(String(max(longest, 10)), size: Self.tickSize)
    xScale = NiceScale(
      covering: xRange, maxIntervals: max(1, min(10, Int(plotWidth / max(50, widestX + 24)))),
      integerSteps: true)
    xDomain = xScale.lower...(longest > 1 ? Double(longest) : xScale.upper)
    plot = (left, top, plotWidth, plotHeight)
    let buckets = max(1, Int(plotWidth / 2))
    paths = series.map { s in
      Downsampling.minMax(s.finitePoints, buckets: buckets, xRange: xRange).map(pixel)
    }
  }

  func pixel(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) {
    let fx = (p.x - xDomain.lowerBound) / (xDomain.upperBound - xDomain.lowerBound)
    let fy = (p.y - yScale.lower) / (yScale.upper - yScale.lower)
    return (plot.left + fx * plot.width, plot.top + plot.height - fy * plot.height)
  }

  func draw() -> String {
    var svg = SVGDocument(width: width, height: height)
    drawGridAndAxes(&svg)
    drawSeries(&svg)
    drawLegend(&svg)
    if !title.isEmpty {
      svg.text(
        title, x: Double(width) / 2, y: 26, size: Self.titleSize, anchor: "middle",
        fill: "#111111", weight: "bold")
    }
    if !xLabel.isEmpty {
      svg.text(
        xLabel, x: plot.left + plot.width / 2, y: Double(height) - 10, size: Self.labelSize,
        anchor: "middle", fill: "#333333")
    }
    if !yLabel.isEmpty {
      let x = 10 + Self.labelSize
      svg.text(
        yLabel, x: x, y: plot.top + plot.height / 2, size: Self.labelSize, anchor: "middle",
        fill: "#333333", rotate: -90)
    }
    return svg.rendered
  }

  private func drawGridAndAxes(_ svg: inout SVGDocument) {
    let bottom = plot.top + plot.height
    let right = plot.left + plot.width
    for tick in yScale.ticks {
      let y = pixel((xScale.lower, tick)).y
      svg.line(x1: plot.left, y1: y, x2: right, y2: y, stroke: "#e6e6e6")
      svg.line(x1: plot.left - 4, y1: y, x2: plot.left, y2: y, stroke: "#444444")
      svg.text(
        yScale.label(tick), x: plot.left - 7, y: y + Self.tickSize * 0.35, size: Self.tickSize,
        anchor: "end", fill: "#444444")
    }
    for tick in xScale.ticks where tick <= xDomain.upperBound + 1e-9 {
      let x = pixel((tick, yScale.lower)).x
      svg.line(x1: x, y1: plot.top, x2: x, y2: bottom, stroke: "#e6e6e6")
      svg.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: "#444444")
      svg.text(
        xScale.label(tick), x: x, y: bottom + 7 + Self.tickSize, size: Self.tickSize,
        anchor: "middle", fill: "#444444")
    }
    svg.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: bottom, stroke: "#444444")
    svg.line(x1: plot.left, y1: bottom, x2: right, y2: bottom, stroke: "#444444")
    if !hasData {
      svg.text(
        "no data", x: plot.left + plot.width / 2, y: plot.top + plot.height / 2,
        size: Self.labelSize, anchor: "middle", fill: "#999999")
    }
  }

  private func drawSeries(_ svg: inout SVGDocument) {
    for (index, path) in paths.enumerated() {
      let colour = Palette.svg(index)
      if path.count >= 2 {
        svg.polyline(points: path, stroke: colour, width: 1.8)
      }
      // Short runs get markers so single epochs (and a lone point) stay visible.
      if path.count <= 30 {
        for p in path {
          svg.circle(x: p.x, y: p.y, radius: path.count == 1 ? 3.5 : 2.5, fill: colour)
        }
      }
    }
  }
}
