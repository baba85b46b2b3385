/// Reduces a long series to at most two points per bucket (the bucket's minimum and maximum, in
/// the order they occur), so a 100 000-step loss curve becomes a few hundred SVG points yet a
/// single-step spike still reaches its full height. This is the "min/max per pixel column"
/// decimation plotting libraries use for time series.
enum Downsampling {
  /// - Parameters:
  ///   - points: (x, y) in increasing x.
  ///   - buckets: how many equal-width x buckets to keep (usually half the plot width in pixels).
  ///   - xRange: the x extent the buckets divide.
  /// - Returns: `points` unchanged when they already fit, otherwise at most `2 * buckets` points.
  static func minMax(
    _ points: [(x: Double, y: Double)], buckets: Int, xRange: ClosedRange<Double>
  ) -> [(x: Double, y: Double)] {
    guard buckets > 0, points.count > 2 * buckets else { return points }
    let span = xRange.upperBound - xRange.lowerBound
    guard span > 0 else { return points }
    var out: [(x: Double, y: Double)] = []
    out.reserveCapacity(2 * buckets)
    var current = -1
    var lowest = points[0]
    var highest = points[0]
    func flush() {
      guard current >= 0 else { return }
      if lowest.x == highest.x {
        out.append(lowest)
      } else if lowest.x < highest.x {
        out.append(lowest)
        out.append(highest)
      } else {
        out.append(highest)
        out.append(lowest)
      }
    }
    for p in points {
      let b = min(buckets - 1, max(0, Int((p.x - xRange.lowerBound) / span * Double(buckets))))
      if b != current {
        flush()
        current = b
        lowest = p
        highest = p
      } else {
        if p.y < lowest.y { lowest = p }
        if p.y > highest.y { highest = p }
      }
    }
    flush()
    return out
  }
}
