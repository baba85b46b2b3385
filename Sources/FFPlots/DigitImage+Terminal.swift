extension DigitImage {
  /// The shade ramp for terminals without colour, darkest (a space) to brightest.
  public static let shadeRamp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

  /// Renders the image as text.
  ///
  /// With `color`, each character is an upper half block "▀" whose foreground is the upper
  /// pixel and background the lower one (ANSI 256-colour greys), so a 28 x 28 digit takes
  /// 14 lines of 28 columns. Without colour, each pixel is two characters of `shadeRamp`
  /// (terminal cells are about twice as tall as wide), one line per pixel row, and no escape
  /// byte is written. A caption line "label 7" follows when `label` is given.
  ///
  /// - Returns: the lines joined by "\n", without a trailing newline.
  public static func terminal(
    pixels: [Float], rows: Int = 28, cols: Int = 28, label: Int?, color: Bool
  ) -> String {
    let rows = max(0, rows)
    let cols = max(0, cols)
    let levels = greyLevels(pixels, count: rows * cols)
    var lines: [String] = []
    if color {
      for r in stride(from: 0, to: rows, by: 2) {
        var line = ""
        var current: (Int, Int)? = nil
        for c in 0..<cols {
          let upper = ansiGrey(levels[r * cols + c])
          let lower = r + 1 < rows ? ansiGrey(levels[(r + 1) * cols + c]) : 16
          if current?.0 != upper || current?.1 != lower {
            line += "\u{1B}[38;5;\(upper);48;5;\(lower)m"
            current = (upper, lower)
          }
          line += "▀"
        }
        lines.append(line + (cols > 0 ? Palette.ansiReset : ""))
      }
    } else {
      for r in 0..<rows {
        var line = ""
        for c in 0..<cols {
          let shade = shadeRamp[(levels[r * cols + c] * (shadeRamp.count - 1) + 127) / 255]
          line.append(shade)
          line.append(shade)
        }
        lines.append(line)
      }
    }
    if let label { lines.append("label \(label)") }
    return lines.joined(separator: "\n")
  }

  /// The ANSI 256-colour index nearest to grey `level` (0...255): black 16, white 231, or one
  /// of the 24 greys 232...255 (levels 8, 18, ... 238).
  static func ansiGrey(_ level: Int) -> Int {
    var best = (index: 16, distance: abs(level))
    if 255 - level < best.distance { best = (231, 255 - level) }
    for k in 0..<24 where abs(8 + 10 * k - level) < best.distance {
      best = (232 + k, abs(8 + 10 * k - level))
    }
    return best.index
  }
}
