import Testing

@testable import FFPlots

/// 3 classes, 20 samples. By hand: row totals 6, 6, 8; column totals 6, 5, 9; 16 correct;
/// recall 5/6 = 83.3%, 4/6 = 66.7%, 7/8 = 87.5%; accuracy 16/20 = 80%.
let smallCounts = [[5, 1, 0], [0, 4, 2], [1, 0, 7]]

/// An MNIST-like 10-class test-set matrix (10 000 samples, class sizes as in MNIST's test set).
func mnistLikeCounts() -> [[Int]] {
  let sizes = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
  let confusions: [(Int, Int, Int)] = [
    (4, 9, 21), (9, 4, 17), (3, 5, 14), (5, 3, 19), (7, 2, 12), (2, 7, 9), (8, 3, 11),
    (7, 9, 15), (9, 7, 8), (6, 0, 7), (0, 6, 5), (1, 8, 6), (8, 5, 9), (5, 8, 10), (2, 8, 6),
  ]
  var counts = sizes.enumerated().map { row, size in
    (0..<10).map { $0 == row ? size : 0 }
  }
  for (t, p, k) in confusions {
    counts[t][p] += k
    counts[t][t] -= k
  }
  return counts
}

@Suite struct ConfusionMatrixTextTests {
  @Test func tableHasHandComputedTotalsAndRecall() {
    let text = ConfusionMatrixText.render(counts: smallCounts, labels: ["0", "1", "2"])
    let expected = """
      true\\pred  0  1  2  total  recall
              0  5  1  0      6   83.3%
              1  0  4  2      6   66.7%
              2  1  0  7      8   87.5%
          total  6  5  9     20
      accuracy 80.00% (16/20)
      """
    #expect(text == expected)
  }

  @Test func columnsAlignForWideCountsAndLabels() {
    let text = ConfusionMatrixText.render(
      counts: mnistLikeCounts(), labels: (0..<10).map(String.init))
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 13)
    // Header, class rows and the totals row share one width; recall closes each class row.
    let widths = Set(lines[1...10].map { PlotText.displayWidth($0) })
    #expect(widths.count == 1)
    #expect(lines[2].hasSuffix("99.5%"))  // class 1: 1129/1135
    // The confusions above add up to 169 errors.
    #expect(lines.last == "accuracy 98.31% (9831/10000)")
  }

  @Test func emptyClassesAndRaggedInput() {
    let text = ConfusionMatrixText.render(counts: [[3], [0, 0]], labels: ["cat"])
    let lines = text.split(separator: "\n").map(String.init)
    // Padded to 2 x 2; class 1 has no samples: recall "–"; missing label is the index.
    #expect(lines[0].contains("cat") && lines[0].contains("1"))
    #expect(lines[2].hasSuffix("–"))
    #expect(lines.last == "accuracy 100.00% (3/3)")
    #expect(ConfusionMatrixText.render(counts: [], labels: []).hasSuffix("accuracy – (no samples)"))
  }
}

@Suite struct ConfusionMatrixSVGTests {
  @Test func cellsCountsAndAxes() throws {
    let doc = try ParsedSVG(
      ConfusionMatrixSVG.render(counts: smallCounts, labels: ["0", "1", "2"], title: "test set"))
    let cells = doc.all("rect").filter { $0.attributes["stroke"] == "#ffffff" }
    #expect(cells.count == 9)
    for expected in ["test set", "predicted", "true", "accuracy 80.00% (16/20)", "0%", "100%"] {
      #expect(doc.texts.contains(expected), "missing \(expected)")
    }
    // Every count is written; the dark diagonal (7 of 8) has white text, empty cells dark text.
    let seven = try #require(doc.all("text").first { $0.text == "7" })
    #expect(seven.attributes["fill"] == "#ffffff")
    let zeros = doc.all("text").filter { $0.text == "0" && $0.attributes["font-weight"] == nil }
    #expect(zeros.count == 3 + 2)  // three zero cells and the row and column tick labels "0"
    #expect(zeros.filter { $0.attributes["fill"] == "#1a1a1a" }.count == 3)
    // Row-normalised: 1 of 6 and 2 of 6 are lighter than 7 of 8.
    let fills = cells.compactMap { $0.attributes["fill"] }
    #expect(Set(fills).count >= 6)
    #expect(fills[0] != fills[8])
  }

  @Test func longLabelsAreRotated() throws {
    let labels = ["airplane", "automobile", "bird"]
    let doc = try ParsedSVG(
      ConfusionMatrixSVG.render(counts: smallCounts, labels: labels, title: ""))
    let rotated = doc.all("text").filter {
      $0.attributes["transform"]?.hasPrefix("rotate(-45") ?? false
    }
    #expect(rotated.map(\.text) == labels)
  }

  @Test func escapesTitleAndLabels() throws {
    let doc = try ParsedSVG(
      ConfusionMatrixSVG.render(
        counts: smallCounts, labels: ["<a>", "b&c", "\"d\""], title: "x < y & z"))
    #expect(doc.texts.contains("x < y & z"))
    #expect(doc.texts.contains("b&c"))
  }

  @Test func rasterizesAtItsDeclaredSize() throws {
    try Rasterizer.checkRasterizes(
      ConfusionMatrixSVG.render(
        counts: mnistLikeCounts(), labels: (0..<10).map(String.init), title: "MNIST test set"),
      name: "confusion")
    try Rasterizer.checkRasterizes(
      ConfusionMatrixSVG.render(
        counts: smallCounts, labels: ["airplane", "automobile", "bird"], title: "small"),
      name: "confusion-small")
  }
}

@Suite struct BluesTests {
  @Test func endsAreTheAnchorsAndLuminanceFalls() {
    #expect(Blues.colour(0).hex == "#f7fbff")
    #expect(Blues.colour(1).hex == "#08306b")
    #expect(Blues.colour(.nan).hex == "#f7fbff")
    #expect(Blues.colour(0.2).luminance > Blues.colour(0.8).luminance)
  }
}
