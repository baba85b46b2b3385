/// A grid of Unicode braille cells (U+2800...U+28FF), each 2 dots wide and 4 dots tall, so a
/// text cell carries eight times the resolution of a character plot.
///
/// Dot coordinates: x from 0 (left) to `2 * columns - 1`, y from 0 (bottom) to `4 * rows - 1`.
/// Each cell remembers the last series that drew into it, for colouring.
struct BrailleCanvas {
  let columns: Int
  let rows: Int
  private(set) var bits: [UInt8]
  private(set) var owner: [Int]

  /// The bit of each dot within a cell, indexed [dx][dy from the top]: the braille dot numbering
  /// 1-2-3-7 runs down the left column, 4-5-6-8 down the right.
  private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  init(columns: Int, rows: Int) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    bits = Array(repeating: 0, count: self.columns * self.rows)
    owner = Array(repeating: -1, count: self.columns * self.rows)
  }

  var dotWidth: Int { columns * 2 }
  var dotHeight: Int { rows * 4 }

  /// Sets the dot at (x, y); dots outside the canvas are ignored.
  mutating func set(x: Int, y: Int, series: Int) {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let fromTop = dotHeight - 1 - y
    let cell = (fromTop / 4) * columns + x / 2
    bits[cell] |= Self.dotBits[x % 2][fromTop % 4]
    owner[cell] = series
  }

  /// Draws the straight line of dots from (x0, y0) to (x1, y1) (Bresenham), so consecutive
  /// points of a curve stay connected however steep it is.
  mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), series: Int) {
    var x = a.x
    var y = a.y
    let dx = abs(b.x - a.x)
    let dy = -abs(b.y - a.y)
    let sx = a.x < b.x ? 1 : -1
    let sy = a.y < b.y ? 1 : -1
    var error = dx + dy
    while true {
      set(x: x, y: y, series: series)
      if x == b.x && y == b.y { return }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x += sx
      }
      if e2 <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// The braille character of the cell at (column, row from the top).
  func character(column: Int, row: Int) -> Character {
    Character(Unicode.Scalar(0x2800 + UInt32(bits[row * columns + column]))!)
  }

  /// The series that last drew into the cell, or nil for an empty cell.
  func series(column: Int, row: Int) -> Int? {
    let i = row * columns + column
    return bits[i] == 0 ? nil : owner[i]
  }
}
