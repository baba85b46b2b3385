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
}
