import Testing

@testable import FFPlots

@Suite struct ProgressFormatTests {
  @Test(arguments: [
    (0.84, "0.84 s"), (0, "0.00 s"), (0.0034, "3.4 ms"), (9.994, "9.99 s"), (9.996, "10.0 s"),
    (12.34, "12.3 s"), (59.96, "1 m 00 s"), (65, "1 m 05 s"), (3599.4, "59 m 59 s"),
    (3599.6, "1 h 00 m"), (7380, "2 h 03 m"), (-2, "0.00 s"), (.nan, "?"), (.infinity, "?"),
  ])
  func durations(seconds: Double, expected: String) {
    #expect(ProgressFormat.duration(seconds: seconds) == expected)
  }

  @Test(arguments: [
    (0.0, 4, "    "), (1.0, 4, "████"), (0.5, 4, "██  "), (1.0 / 32, 4, "▏   "),
    (0.53, 10, "█████▎    "), (2.0, 3, "███"), (-1.0, 3, "   "), (.nan, 2, "  "), (0.5, 0, ""),
  ])
  func bars(fraction: Double, width: Int, expected: String) {
    #expect(ProgressFormat.bar(fraction: fraction, width: width) == expected)
  }

  @Test func barIsAlwaysItsWidth() {
    for step in 0...64 {
      #expect(ProgressFormat.bar(fraction: Double(step) / 64, width: 7).count == 7)
    }
  }

  let essential = "120/350 --- Loss: 0.6403"
  let optional = ["35.5 epochs/s", "3.38 s elapsed, 6.48 s left"]

  @Test("a wide line keeps the full bar and every piece")
  func wideLine() {
    let line = ProgressFormat.line(fraction: 0.5, essential: essential, optional: optional, width: 119)
    #expect(line == "[" + ProgressFormat.bar(fraction: 0.5, width: 20) + "] 120/350 --- Loss: 0.6403  35.5 epochs/s  3.38 s elapsed, 6.48 s left")
  }

  @Test("narrower: the bar shrinks, then goes; then the last pieces; then the text is cut")
  func narrowing() {
    let full = "120/350 --- Loss: 0.6403  35.5 epochs/s  3.38 s elapsed, 6.48 s left"  // 68 columns
    let shrunk = ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 79)
    #expect(shrunk == "[" + String(repeating: "█", count: 8) + "] " + full)
    #expect(ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 78) == full)
    #expect(ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 59) == "120/350 --- Loss: 0.6403  35.5 epochs/s")
    #expect(ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 30) == essential)
    #expect(ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 12) == "120/350 ---…")
    #expect(ProgressFormat.line(fraction: 1, essential: essential, optional: optional, width: 0) == "")
  }

  @Test("the line is never wider than asked", arguments: 0...130)
  func neverWider(width: Int) {
    let long = ["1234.5 epochs/s", "1 m 05 s elapsed, 2 h 03 m left"]
    let line = ProgressFormat.line(fraction: 0.3, essential: "123456/350000 --- Loss: 0.6403", optional: long, width: width)
    #expect(PlotText.displayWidth(line) <= width, "\(width): \(line)")
  }
}
