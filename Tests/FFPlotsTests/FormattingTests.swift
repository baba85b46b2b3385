import Foundation
import Testing

@testable import FFPlots

@Suite struct PlotNumberTests {
  @Test(arguments: [
    (0.5, "0.5"), (2, "2"), (0.123456, "0.1235"), (1_234_567, "1.235e+06"), (-0.0, "0"),
    (100, "100"), (0.00012345, "0.0001234"), (-3.14159, "-3.142"), (Double.nan, "nan"),
    (-Double.infinity, "-inf"),
  ])
  func compact(value: Double, expected: String) {
    #expect(PlotNumber.compact(value) == expected)
  }

  @Test func fixedNeverShowsNegativeZero() {
    #expect(PlotNumber.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(PlotNumber.fixed(-1.5, decimals: 1) == "-1.5")
    #expect(PlotNumber.svg(12.500) == "12.5")
    #expect(PlotNumber.svg(3.0) == "3")
  }
}

@Suite struct NiceScaleTests {
  @Test func unitRange() {
    let scale = NiceScale(covering: 0...1, maxIntervals: 6)
    #expect(scale.step == 0.2)
    #expect(scale.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(scale.ticks.map(scale.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
  }

  @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    for (lo, hi) in [(0.27, 0.73), (-3.0, 1234.0), (1e-5, 3e-5), (1.0, 350.0), (99.0, 101.0)] {
      for intervals in 2...10 {
        let s = NiceScale(covering: lo...hi, maxIntervals: intervals)
        let mantissa = s.step / pow(10, floor(log10(s.step)))
        #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(lo)...\(hi): step \(s.step)")
        #expect(s.lower <= lo && s.upper >= hi, "\(lo)...\(hi) in \(intervals): \(s)")
        #expect(s.ticks.count - 1 <= intervals)
      }
    }
  }

  @Test func epochsUseIntegerSteps() {
    let s = NiceScale(covering: 1...3, maxIntervals: 10, integerSteps: true)
    #expect(s.step == 1)
    #expect(s.ticks.map(s.label) == ["1", "2", "3"])
    #expect(NiceScale(covering: 1...350, maxIntervals: 8, integerSteps: true).step == 50)
  }

  @Test func constantAndReversedRanges() {
    let flat = NiceScale(covering: 2...2, maxIntervals: 5)
    #expect(flat.lower < 2 && flat.upper > 2)
    let zero = NiceScale(covering: 0...0, maxIntervals: 5)
    #expect(zero.lower <= -1 && zero.upper >= 1)
    let huge = NiceScale(
      covering: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, maxIntervals: 4)
    #expect(huge.step.isFinite && huge.lower.isFinite)
  }
}

@Suite struct PlotTextTests {
  @Test func escapesMarkupAndForbiddenControls() {
    #expect(PlotText.xmlEscaped("a<b>&\"c\" 'd'") == "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;")
    #expect(PlotText.xmlEscaped("bell\u{07}tab\t") == "bell\u{FFFD}tab\t")
  }

  @Test func displayWidthIgnoresEscapesAndCountsWideCharacters() {
    #expect(PlotText.displayWidth("\u{1B}[38;5;33m⣿\u{1B}[0m ab") == 4)
    #expect(PlotText.displayWidth("損失") == 4)
    #expect(PlotText.displayWidth("e\u{301}") == 1)
    #expect(PlotText.truncated("layer 1, layer 2", toWidth: 8) == "layer 1…")
    #expect(PlotText.truncated("abc", toWidth: 3) == "abc")
  }
}
