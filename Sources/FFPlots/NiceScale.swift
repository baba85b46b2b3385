import Foundation

/// An axis range widened to "nice" round bounds with ticks at 1, 2 or 5 times a power of ten.
///
/// This is the classic choice of Heckbert ("Nice numbers for graph labels", Graphics Gems, 1990)
/// restricted to steps people read at a glance: the smallest such step that needs at most
/// `maxIntervals` intervals to cover the data wins, so 0...1 with 6 intervals gets 0, 0.2, ... 1.
public struct NiceScale: Sendable, Equatable {
  /// The lower bound of the axis, a multiple of `step`, at or below the data minimum.
  public let lower: Double
  /// The upper bound of the axis, a multiple of `step`, at or above the data maximum.
  public let upper: Double
  /// The distance between ticks: 1, 2 or 5 times a power of ten.
  public let step: Double

  /// - Parameters:
  ///   - range: the data range; a single value is padded so the axis still has extent.
  ///   - maxIntervals: the most tick intervals the axis may show (at least 1).
  ///   - integerSteps: when true the step is at least 1 (x axes that count epochs).
  public init(covering range: ClosedRange<Double>, maxIntervals: Int, integerSteps: Bool = false) {
    var lo = range.lowerBound.isFinite ? range.lowerBound : 0
    var hi = range.upperBound.isFinite ? range.upperBound : 1
    if hi < lo { swap(&lo, &hi) }
    // Keep the span finite so the step search below always ends.
    lo = max(lo, -1e300)
    hi = min(hi, 1e300)
    if hi - lo <= abs(hi) * 1e-12 {
      // A constant series: pad by 10% of its magnitude (or 1 around zero) so it sits mid-axis.
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    let intervals = Double(max(1, maxIntervals))
    var exponent = Int(floor(log10((hi - lo) / intervals)))
    var chosen = (mantissa: 1.0, exponent: 0)
    search: while true {
      for mantissa in [1.0, 2.0, 5.0] {
        let candidate = Self.multiple(1, mantissa, exponent)
        if integerSteps && candidate < 1 { continue }
        if (ceil(hi / candidate - 1e-9) - floor(lo / candidate + 1e-9)) <= intervals {
          chosen = (mantissa, exponent)
          break search
        }
      }
      exponent += 1
    }
    step = Self.multiple(1, chosen.mantissa, chosen.exponent)
    lowerIndex = Int(floor(lo / step + 1e-9))
    upperIndex = Int(ceil(hi / step - 1e-9))
    mantissa = chosen.mantissa
    exponent10 = chosen.exponent
    lower = Self.multiple(lowerIndex, mantissa, exponent10)
    upper = Self.multiple(upperIndex, mantissa, exponent10)
  }

  private let lowerIndex: Int
  private let upperIndex: Int
  private let mantissa: Double
  private let exponent10: Int

  /// `k * mantissa * 10^exponent`, dividing by 10^-exponent for negative exponents so that
  /// 3 * 5e-6 is the double nearest 1.5e-5 (multiplying by pow(10, -6) would be an ulp off and
  /// leave the axis a hair short of the data).
  private static func multiple(_ k: Int, _ mantissa: Double, _ exponent: Int) -> Double {
    let scaled = Double(k) * mantissa
    return exponent < 0 ? scaled / pow(10, Double(-exponent)) : scaled * pow(10, Double(exponent))
  }

  /// The tick values from `lower` to `upper`, computed by index so no rounding drift accumulates.
  public var ticks: [Double] {
    (lowerIndex...max(lowerIndex, upperIndex)).map { Self.multiple($0, mantissa, exponent10) }
  }

  /// Decimal places that show every tick exactly (0 for steps of 1 or more).
  public var decimals: Int {
    max(0, Int(-floor(log10(step) + 1e-9)))
  }

  /// `value` formatted as a tick label of this scale without trailing zeros: "0", "0.2", "350",
  /// "1e+06" (exponent form only for very large or very small magnitudes).
  public func label(_ value: Double) -> String {
    let magnitude = max(abs(lower), abs(upper))
    if magnitude >= 1e6 || decimals > 5 { return PlotNumber.compact(value) }
    return PlotNumber.compact(
      (value * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals)),
      significantDigits: 15)
  }
}
