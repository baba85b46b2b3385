/// Where a line chart's legend goes.
enum LegendPlacement: Equatable {
  case none
  case inside(Corner)
  /// In rows between the title and the plot.
  case above

  enum Corner: CaseIterable { case topRight, topLeft, bottomRight, bottomLeft }
}

extension LineChartLayout {
  static let swatchWidth = 18.0
  static let legendPadding = 8.0

  /// The legend box size when drawn inside the plot (one entry per row).
  var insideLegendSize: (width: Double, height: Double) {
    let widest =
      legendEntries.map {
        SVGDocument.estimatedWidth($0.name, size: Self.legendSize)
      }.max() ?? 0
    return (
      widest + Self.swatchWidth + 6 + 2 * Self.legendPadding,
      Double(legendEntries.count) * Self.legendRowHeight + Self.legendPadding
    )
  }

  func legendBox(_ corner: LegendPlacement.Corner) -> (x: Double, y: Double, w: Double, h: Double) {
    let size = insideLegendSize
    let inset = 8.0
    let left = corner == .topLeft || corner == .bottomLeft
    let top = corner == .topLeft || corner == .topRight
    let x = left ? plot.left + inset : plot.left + plot.width - inset - size.width
    let y = top ? plot.top + inset : plot.top + plot.height - inset - size.height
    return (x, y, size.width, size.height)
  }

  /// The first corner (top right, top left, bottom right, bottom left) whose legend box no
  /// curve segment or marker crosses, or nil when the box does not fit or every corner is used.
  func freeCorner() -> LegendPlacement.Corner? {
    let size = insideLegendSize
    guard size.width < plot.width * 0.6, size.height < plot.height * 0.6 else { return nil }
    return LegendPlacement.Corner.allCases.first { corner in
      let box = legendBox(corner)
      let margin = 4.0
      let r = (box.x - margin, box.y - margin, box.x + box.w + margin, box.y + box.h + margin)
      return !paths.contains { path in
        if path.count == 1 { return Self.contains(r, path[0]) }
        return zip(path, path.dropFirst()).contains { Self.segment($0, $1, crosses: r) }
      }
    }
  }

  /// Legend entries laid out in rows that fit `availableWidth`: each row lists (entry, x offset).
  func legendRowsAbove(entries: [(index: Int, name: String)], availableWidth: Double)
    -> [[(entry: (index: Int, name: String), offset: Double)]]
  {
    var rows: [[(entry: (index: Int, name: String), offset: Double)]] = [[]]
    var x = 0.0
    for entry in entries {
      let w =
        Self.swatchWidth + 6 + SVGDocument.estimatedWidth(entry.name, size: Self.legendSize) + 18
      if x + w > availableWidth, !(rows.last?.isEmpty ?? true) {
        rows.append([])
        x = 0
      }
      rows[rows.count - 1].append((entry, x))
      x += w
    }
    return rows
  }

  func drawLegend(_ svg: inout SVGDocument) {
    switch legend {
    case .none:
      return
    case .inside(let corner):
      let box = legendBox(corner)
      svg.rect(
        x: box.x, y: box.y, width: box.w, height: box.h, fill: "#ffffff", stroke: "#cccccc",
        extra: ["rx": "3", "fill-opacity": "0.9"])
      for (row, entry) in legendEntries.enumerated() {
        let y = box.y + Self.legendPadding / 2 + Double(row) * Self.legendRowHeight
        drawEntry(&svg, entry, x: box.x + Self.legendPadding, midY: y + Self.legendRowHeight / 2)
      }
    case .above:
      let rows = legendRowsAbove(entries: legendEntries, availableWidth: plot.width)
      let firstMid = plot.top - Double(rows.count) * Self.legendRowHeight + 2
      for (r, row) in rows.enumerated() {
        for item in row {
          drawEntry(
            &svg, item.entry, x: plot.left + item.offset,
            midY: firstMid + Double(r) * Self.legendRowHeight)
        }
      }
    }
  }

  private func drawEntry(
    _ svg: inout SVGDocument, _ entry: (index: Int, name: String), x: Double, midY: Double
  ) {
    svg.line(
      x1: x, y1: midY, x2: x + Self.swatchWidth, y2: midY, stroke: Palette.svg(entry.index),
      width: 2.5)
    svg.text(
      entry.name, x: x + Self.swatchWidth + 6, y: midY + Self.legendSize * 0.35,
      size: Self.legendSize, fill: "#222222")
  }

  private static func contains(
    _ r: (Double, Double, Double, Double), _ p: (x: Double, y: Double)
  ) -> Bool {
    p.x >= r.0 && p.x <= r.2 && p.y >= r.1 && p.y <= r.3
  }

  /// Whether segment a-b meets rectangle r (minX, minY, maxX, maxY): Liang-Barsky clipping.
  private static func segment(
    _ a: (x: Double, y: Double), _ b: (x: Double, y: Double),
    crosses r: (Double, Double, Double, Double)
  ) -> Bool {
    var t0 = 0.0
    var t1 = 1.0
    let dx = b.x - a.x
    let dy = b.y - a.y
    for (p, q) in [(-dx, a.x - r.0), (dx, r.2 - a.x), (-dy, a.y - r.1), (dy, r.3 - a.y)] {
      if p == 0 {
        if q < 0 { return false }
      } else {
        let t = q / p
        if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
        if t0 > t1 { return false }
      }
    }
    return true
  }
}
