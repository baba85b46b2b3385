/// One named curve of a chart: `values[i]` is the y value at x = i + 1 (epochs count from 1).
///
/// Values may contain NaN or infinities (a diverged run); renderers skip those points rather than
/// letting one bad value flatten or break the whole chart.
public struct Series: Sendable, Equatable, Codable {
  /// Shown in the legend; may be empty (then the series has no legend entry).
  public var name: String
  /// y per x step, x = 1...values.count.
  public var values: [Double]

  public init(name: String, values: [Double]) {
    self.name = name
    self.values = values
  }

  /// The finite points as (x, y) with x counted from 1, in order.
  var finitePoints: [(x: Double, y: Double)] {
    var points: [(x: Double, y: Double)] = []
    points.reserveCapacity(values.count)
    for (i, v) in values.enumerated() where v.isFinite {
      points.append((Double(i + 1), v))
    }
    return points
  }
}

/// The finite y range over all series, or nil when no series has a finite value.
func finiteRange(of series: [Series]) -> ClosedRange<Double>? {
  var lo = Double.infinity
  var hi = -Double.infinity
  for s in series {
    for v in s.values where v.isFinite {
      lo = min(lo, v)
      hi = max(hi, v)
    }
  }
  return lo <= hi ? lo...hi : nil
}
