import Foundation
import Testing

@testable import FFPlots

/// A hand-drawn 28 x 28 "7" with the FF label overlay (pixel `label` of the first ten set to the
/// image maximum, the rest of them cleared, as the seed notebook's `Generate_data` does),
/// normalised like the seed's `Normalize((0.1307,), (0.3081,))`.
func handDrawnSeven(label: Int = 7) -> [Float] {
  var ink = [Double](repeating: 0, count: 28 * 28)
  func stroke(from a: (Double, Double), to b: (Double, Double)) {
    for r in 0..<28 {
      for c in 0..<28 {
        let (px, py) = (Double(c), Double(r))
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let t = max(0, min(1, ((px - a.0) * dx + (py - a.1) * dy) / (dx * dx + dy * dy)))
        let d = hypot(px - (a.0 + t * dx), py - (a.1 + t * dy))
        ink[r * 28 + c] = max(ink[r * 28 + c], max(0, min(1, 1.8 - d)))
      }
    }
  }
  stroke(from: (7, 7), to: (20, 7))
  stroke(from: (20, 7), to: (12, 22))
  stroke(from: (11, 14), to: (18, 14))
  for i in 0..<10 { ink[i] = 0 }
  ink[label] = 1
  return ink.map { Float(($0 - 0.1307) / 0.3081) }
}

/// A black image with one white pixel at (row, col).
func onePixel(row: Int, col: Int, rows: Int = 28, cols: Int = 28) -> [Float] {
  var pixels = [Float](repeating: 0, count: rows * cols)
  pixels[row * cols + col] = 1
  return pixels
}

@Suite struct DigitImageSVGTests {
  @Test func brightPixelIsDrawnAtItsPlace() throws {
    let svg = DigitImage.svg(
      pixels: onePixel(row: 5, col: 20), label: 3, title: nil, highlightFirst: 0, scale: 8)
    let doc = try ParsedSVG(svg)
    let rects = doc.all("rect")
    let image = try #require(rects.first { $0.attributes["fill"] == "#000000" })
    let left = try #require(Double(image.attributes["x"] ?? ""))
    let top = try #require(Double(image.attributes["y"] ?? ""))
    #expect(image.attributes["width"] == "224" && image.attributes["height"] == "224")
    let white = rects.filter { $0.attributes["fill"] == "#ffffff" }.dropFirst()  // not the page
    #expect(white.count == 1)
    let pixel = try #require(white.first)
    #expect(Double(pixel.attributes["x"] ?? "") == left + 20 * 8)
    #expect(Double(pixel.attributes["y"] ?? "") == top + 5 * 8)
    #expect(pixel.attributes["width"] == "8")
    #expect(doc.texts == ["label 3"])
  }

  @Test func outlinesTheLabelOverlay() throws {
    let doc = try ParsedSVG(
      DigitImage.svg(pixels: handDrawnSeven(), label: 7, title: "sample 0", highlightFirst: 10))
    let outlines = doc.all("rect").filter { $0.attributes["stroke"] == "#ff7f0e" }
    #expect(outlines.count == 1)
    let outline = try #require(outlines.first)
    #expect(Double(outline.attributes["width"] ?? "") == 10 * 8 - 1.5)
    #expect(doc.texts.contains("sample 0") && doc.texts.contains("label 7"))
    // An overlay longer than a row is outlined row by row.
    let wide = try ParsedSVG(
      DigitImage.svg(
        pixels: handDrawnSeven(), rows: 28, cols: 28, label: nil, title: nil, highlightFirst: 30))
    #expect(wide.all("rect").filter { $0.attributes["stroke"] == "#ff7f0e" }.count == 2)
    #expect(wide.texts.isEmpty)
  }

  @Test func mapsMinimumToBlackAndMaximumToWhite() {
    #expect(DigitImage.greyLevels([-0.42, 1.2, 2.82], count: 3) == [0, 128, 255])
    #expect(DigitImage.greyLevels([5, 5, 5], count: 3) == [0, 0, 0])
    // NaN draws black; missing pixels draw black; extra pixels are ignored.
    #expect(DigitImage.greyLevels([0, .nan, 1], count: 4) == [0, 0, 255, 0])
    #expect(DigitImage.greyLevels([0, 1, 100], count: 2) == [0, 255])
  }

  @Test func escapesTitles() throws {
    let svg = DigitImage.svg(pixels: handDrawnSeven(), label: 7, title: "<x> & \"y\"")
    #expect(try ParsedSVG(svg).texts.contains("<x> & \"y\""))
  }

  @Test func degenerateShapesStillRender() throws {
    _ = try ParsedSVG(DigitImage.svg(pixels: [], rows: 0, cols: 0, label: nil, title: nil))
    _ = try ParsedSVG(DigitImage.svg(pixels: [1, 2], rows: -3, cols: 5, label: 1, title: ""))
    let short = try ParsedSVG(DigitImage.svg(pixels: [1, 2, 3], label: 2, title: nil))
    #expect(short.texts == ["label 2"])
  }

  @Test func rasterizesAtItsDeclaredSize() throws {
    try Rasterizer.checkRasterizes(
      DigitImage.svg(pixels: handDrawnSeven(), label: 7, title: "train sample 0"), name: "digit")
  }
}

/// The (foreground, background) 256-colour indices of each half-block cell of a line.
func halfBlockCells(_ line: String) -> [(fg: Int, bg: Int)] {
  var cells: [(fg: Int, bg: Int)] = []
  var fg = -1
  var bg = -1
  var scalars = Array(line.unicodeScalars)[...]
  while let s = scalars.popFirst() {
    if s == "\u{1B}" {
      var code = ""
      while let t = scalars.popFirst(), t != "m" { code.unicodeScalars.append(t) }
      let numbers = code.dropFirst().split(separator: ";").compactMap { Int($0) }
      if numbers.count == 6 {
        fg = numbers[2]
        bg = numbers[5]
      }
    } else if s == "▀" {
      cells.append((fg, bg))
    }
  }
  return cells
}

@Suite struct DigitImageTerminalTests {
  @Test func plainTextPutsTheBrightPixelAtItsPlace() {
    let text = DigitImage.terminal(pixels: onePixel(row: 5, col: 20), label: 3, color: false)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    #expect(lines.count == 29)
    #expect(lines.dropLast().allSatisfy { $0.count == 56 })
    #expect(String(lines[28]) == "label 3")
    for (r, line) in lines.dropLast().enumerated() {
      for (c, ch) in line.enumerated() {
        let bright = r == 5 && (c == 40 || c == 41)
        #expect(ch == (bright ? "@" : " "), "row \(r) column \(c)")
      }
    }
    #expect(!text.utf8.contains(0x1B))
  }

  @Test func shadeRampCoversTheRange() {
    let text = DigitImage.terminal(pixels: [0, 0.5, 1], rows: 1, cols: 3, label: nil, color: false)
    #expect(text == "  ++@@")
  }

  @Test func halfBlocksPairRows() {
    let text = DigitImage.terminal(pixels: onePixel(row: 5, col: 20), label: 9, color: true)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 15)
    #expect(lines.last == "label 9")
    for (i, line) in lines.dropLast().enumerated() {
      let cells = halfBlockCells(line)
      #expect(cells.count == 28)
      #expect(PlotText.displayWidth(line) == 28)
      for (c, cell) in cells.enumerated() {
        // Row 5 is the lower half of text line 2.
        let expected = (i == 2 && c == 20) ? (16, 231) : (16, 16)
        #expect(cell.fg == expected.0 && cell.bg == expected.1, "line \(i) column \(c)")
      }
    }
  }

  @Test func oddRowCountPadsTheLastLineWithBlack() {
    let text = DigitImage.terminal(pixels: [0, 1, 1], rows: 3, cols: 1, label: nil, color: true)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(halfBlockCells(lines[0]).map(\.fg) == [16])
    #expect(halfBlockCells(lines[0]).map(\.bg) == [231])
    #expect(halfBlockCells(lines[1]).map(\.fg) == [231])
    #expect(halfBlockCells(lines[1]).map(\.bg) == [16])
  }

  @Test func greysMapToTheNearestPaletteEntry() {
    #expect(DigitImage.ansiGrey(0) == 16)
    #expect(DigitImage.ansiGrey(255) == 231)
    #expect(DigitImage.ansiGrey(128) == 244)
    #expect(DigitImage.ansiGrey(9) == 232)
  }
}
