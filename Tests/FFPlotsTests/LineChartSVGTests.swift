import Foundation
import Testing

@testable import FFPlots

/// Loss-like curves for three FF layers of different epoch counts (the seed notebook trains
/// 350 epochs per layer; a tweaked notebook may train fewer on later layers).
func layerLosses() -> [Series] {
  let lengths = [350, 350, 200]
  return lengths.enumerated().map { layer, count in
    let values = (1...count).map { e -> Double in
      let t = Double(e)
      return 0.31 + 0.42 * exp(-t / Double(40 + 30 * layer)) + 0.01 * sin(t / 7) - 0.03
        * Double(layer)
    }
    return Series(name: "layer \(layer + 1)", values: values)
  }
}

@Suite struct LineChartSVGTests {
  @Test func isWellFormedStandaloneSVG() throws {
    let svg = LineChartSVG.render(
      series: layerLosses(), title: "FF loss", xLabel: "epoch", yLabel: "loss")
    let doc = try ParsedSVG(svg)
    let root = try #require(doc.root)
    #expect(root.name == "svg")
    #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(root.attributes["viewBox"] == "0 0 640 400")
    #expect(doc.rootNumber("width") == 640)
    #expect(doc.rootNumber("height") == 400)
    let background = try #require(doc.all("rect").first)
    #expect(background.attributes["fill"] == "#ffffff")
    #expect(background.attributes["width"] == "640")
    for expected in ["FF loss", "epoch", "loss", "layer 1", "layer 2", "layer 3"] {
      #expect(doc.texts.contains(expected), "missing text \(expected)")
    }
    #expect(doc.all("polyline").count == 3)
    // One colour per series, in tab10 order.
    #expect(
      doc.all("polyline").map { $0.attributes["stroke"] } == ["#1f77b4", "#ff7f0e", "#2ca02c"])
  }

  @Test func unitRangeGetsTicksInStepsOfOneFifth() throws {
    let values = (0...10).map { Double($0) / 10 }
    let svg = LineChartSVG.render(
      series: [Series(name: "acc", values: values)], title: "t", xLabel: "x", yLabel: "y")
    let texts = try ParsedSVG(svg).texts
    for tick in ["0", "0.2", "0.4", "0.6", "0.8", "1"] {
      #expect(texts.contains(tick), "missing y tick \(tick)")
    }
    #expect(!texts.contains("0.6000000000000001"))
    // x runs over epochs 1...11: integer ticks only.
    #expect(texts.contains("10"))
    #expect(!texts.contains("0.5"))
  }

  @Test func escapesMarkupInTitlesAndNames() throws {
    let title = "loss <lr=0.15> & \"threshold\" 'two'"
    let svg = LineChartSVG.render(
      series: [Series(name: "a<b>&c", values: [1, 2])], title: title, xLabel: "x&y", yLabel: "<y>")
    #expect(!svg.contains("<lr="))
    #expect(svg.contains("&lt;lr=0.15&gt; &amp; &quot;threshold&quot;"))
    let texts = try ParsedSVG(svg).texts
    #expect(texts.contains(title))
    #expect(texts.contains("a<b>&c"))
    #expect(texts.contains("x&y"))
  }

  @Test func shortSeriesKeepsEveryPoint() throws {
    let values = [0.9, 0.7, 0.6, 0.55, 0.5, 0.48, 0.47, 0.46, 0.455, 0.45]
    let doc = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "s", values: values)], title: "", xLabel: "", yLabel: ""))
    let line = try #require(doc.all("polyline").first)
    #expect(polylinePoints(line).count == values.count)
    // x increases, and the decreasing loss goes down the page (SVG y grows downward).
    let points = polylinePoints(line)
    #expect(zip(points, points.dropFirst()).allSatisfy { $0.x < $1.x && $0.y <= $1.y })
  }

  @Test func longSeriesIsDownsampledButKeepsItsSpike() throws {
    var values = (0..<20_000).map { 1.0 - Double($0) / 40_000 }
    values[12_345] = 5
    let doc = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "s", values: values)], title: "", xLabel: "", yLabel: "", width: 640))
    let points = polylinePoints(try #require(doc.all("polyline").first))
    #expect(points.count <= 640)
    #expect(points.count >= 200)
    // The spike is the highest point: it must survive decimation at the top of the plot, i.e.
    // at the pixel of the y tick "5".
    let topTick = try #require(doc.all("text").first { $0.text == "5" })
    let tickY = try #require(Double(topTick.attributes["y"] ?? ""))
    let highest = try #require(points.map(\.y).min())
    #expect(abs(highest - tickY) < 10)
  }

  @Test func skipsNonFiniteValues() throws {
    let values = [1, .nan, 0.5, .infinity, 0.25, -.infinity]
    let doc = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "s", values: values)], title: "", xLabel: "", yLabel: ""))
    let points = polylinePoints(try #require(doc.all("polyline").first))
    #expect(points.count == 3)
    #expect(!doc.texts.contains("nan") && !doc.texts.contains("inf"))
  }

  @Test func degenerateInputsStillRender() throws {
    // Empty: axes and a "no data" note, no curves.
    let empty = try ParsedSVG(
      LineChartSVG.render(series: [], title: "empty", xLabel: "", yLabel: ""))
    #expect(empty.texts.contains("no data"))
    #expect(empty.all("polyline").isEmpty)
    // One point: a marker, no polyline (a one-point polyline is invisible).
    let single = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "one", values: [0.42])], title: "", xLabel: "", yLabel: ""))
    #expect(single.all("circle").count == 1)
    #expect(single.all("polyline").isEmpty)
    // Constant: the range is padded so the y ticks are distinct and surround the value.
    let flat = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "flat", values: [2, 2, 2])], title: "", xLabel: "", yLabel: ""))
    let numbers = flat.texts.compactMap(Double.init)
    #expect(numbers.contains { $0 < 2 } && numbers.contains { $0 > 2 })
    // All NaN behaves like empty.
    let nan = try ParsedSVG(
      LineChartSVG.render(
        series: [Series(name: "n", values: [.nan])], title: "", xLabel: "", yLabel: ""))
    #expect(nan.texts.contains("no data"))
  }

  @Test func mixedLengthsShareTheLongestXAxis() throws {
    let doc = try ParsedSVG(
      LineChartSVG.render(series: layerLosses(), title: "", xLabel: "", yLabel: ""))
    let lines = doc.all("polyline").map(polylinePoints)
    let ends = lines.compactMap { $0.last?.x }
    #expect(ends.count == 3)
    // Layer 3 stops at epoch 200 of 350: its last point is well left of the others'.
    #expect(ends[2] < ends[0] - 100)
    #expect(abs(ends[0] - ends[1]) < 1)
  }

  @Test func legendAvoidsTheCurves() throws {
    // A falling curve leaves the top right empty: the legend box goes there, not above the plot.
    let falling = Series(name: "falling", values: (0..<50).map { 1 / (1 + Double($0)) })
    let layout = LineChartLayout(
      series: [falling], title: "t", xLabel: "", yLabel: "", width: 640, height: 400)
    #expect(layout.legend == .inside(.topRight))
    // Curves through all four corners push the legend above the plot.
    let zigzag = Series(name: "zigzag", values: (0..<41).map { $0 % 2 == 0 ? 0 : 1 })
    let crowded = LineChartLayout(
      series: [zigzag], title: "t", xLabel: "", yLabel: "", width: 640, height: 400)
    #expect(crowded.legend == .above)
  }

  @Test func rasterizesAtItsDeclaredSize() throws {
    let svg = LineChartSVG.render(
      series: layerLosses(), title: "Forward-Forward loss per layer", xLabel: "epoch",
      yLabel: "loss")
    try Rasterizer.checkRasterizes(svg, name: "line-chart")
    let small = LineChartSVG.render(
      series: [Series(name: "zigzag", values: (0..<41).map { $0 % 2 == 0 ? 0 : 1 })],
      title: "legend above <crowded>", xLabel: "epoch", yLabel: "accuracy", width: 480, height: 300)
    try Rasterizer.checkRasterizes(small, name: "line-chart-crowded")
  }
}
