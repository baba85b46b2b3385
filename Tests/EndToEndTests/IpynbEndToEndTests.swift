import Foundation
import Testing

/// `ffnb run --output` and `ffnb export` as a user runs them, checked by the tools that will
/// read the files: the real nbformat validator, nbconvert, and an SVG rasteriser.
@Suite(.serialized) struct IpynbEndToEndTests {
  static let quickstart = "notebooks/quickstart.ffnb"

  /// The number of cells of a .ffnb file, counted naively (headers start with `%% `).
  static func cellCount(_ path: String) throws -> Int {
    let text = try String(contentsOf: FFNB.packageRoot.appendingPathComponent(path), encoding: .utf8)
    return text.split(separator: "\n").filter { $0.hasPrefix("%% ") }.count
  }

  @Test(.enabled(if: IpynbTools.hasNbformat, .init(rawValue: IpynbTools.skipNbformat)))
  func quickstartExecutedNotebookIsValidWithRenderablePlots() throws {
    let directory = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("quickstart.ipynb").path
    let r = try FFNB.run(["run", Self.quickstart, "--output", path])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("wrote executed notebook to \(path)"))

    let validation = try IpynbTools.validate(path)
    #expect(validation.status == 0, "\(validation.output)")

    let notebook = try IpynbTools.load(path)
    let cells = IpynbTools.cells(notebook)
    #expect(cells.count == (try Self.cellCount(Self.quickstart)))
    let code = cells.filter { $0["cell_type"] as? String == "code" }
    #expect(code.map { $0["execution_count"] as? Int } == Array(1...code.count).map(Optional.some))
    let metadata = notebook["metadata"] as? [String: Any] ?? [:]
    #expect((metadata["kernelspec"] as? [String: String])?["name"] == "ffnb")
    #expect(((metadata["papermill"] as? [String: Any])?["exception"] as? Bool) == false)
    for cell in cells {
      let papermill = (cell["metadata"] as? [String: Any])?["papermill"] as? [String: Any]
      #expect(papermill?["status"] as? String == "completed", "\(cell["id"] ?? "?")")
    }

    let streams = code.flatMap(IpynbTools.outputs).filter { $0["output_type"] as? String == "stream" }
    #expect(streams.contains { IpynbTools.text($0["text"]).contains("--- Loss: ") }, "the learn cell's epoch lines")
    #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("\u{1B}"), "no escape codes in the notebook")

    // Every plot is an SVG display with a text fallback; the last one (plot loss) rasterises
    // at the size the SVG declares.
    let displays = code.flatMap(IpynbTools.outputs).filter { $0["output_type"] as? String == "display_data" }
    let svgs = displays.compactMap { ($0["data"] as? [String: Any])?["image/svg+xml"] }.map(IpynbTools.text)
    #expect(svgs.count >= 3, "show sample, confusion matrix and loss plot")
    #expect(displays.allSatisfy { ($0["data"] as? [String: Any])?["text/plain"] != nil })
    let svg = try #require(svgs.last)
    let declared = try #require(IpynbTools.svgSize(svg))
    let rsvg = try #require(IpynbTools.which("rsvg-convert"), "rsvg-convert missing: run scripts/install-deps test")
    let svgFile = directory.appendingPathComponent("loss.svg"), pngFile = directory.appendingPathComponent("loss.png")
    try Data(svg.utf8).write(to: svgFile)
    let raster = try IpynbTools.run(rsvg, ["-o", pngFile.path, svgFile.path])
    #expect(raster.status == 0, "\(raster.output)")
    let size = try #require(IpynbTools.pngSize(try Data(contentsOf: pngFile)))
    #expect(size.width == declared.width && size.height == declared.height, "PNG \(size), SVG \(declared)")
    #expect(size.width >= 200 && size.height >= 150)
  }

  @Test(.enabled(if: IpynbTools.hasNbconvert, "python3 lacks nbconvert (pip install nbconvert)"))
  func executedNotebookRendersToHTML() throws {
    let directory = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("q.ipynb").path, html = directory.appendingPathComponent("q.html").path
    let r = try FFNB.run(["run", Self.quickstart, "-p", "num_epochs=2", "--output", path])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let validation = try IpynbTools.validate(path, html: html)
    #expect(validation.status == 0, "\(validation.output)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("Quick start"))
    #expect(page.contains("test accuracy"))
    #expect(page.contains("image/svg+xml") || page.contains("<svg"), "plots are in the page")
  }

  @Test(.enabled(if: IpynbTools.hasNbformat, .init(rawValue: IpynbTools.skipNbformat)))
  func failingCellIsAnErrorOutputAndTheRunFails() throws {
    let directory = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let notebook = directory.appendingPathComponent("bad.ffnb")
    try Data("""
      %% markdown
      # Fails in cell 4

      %% code params [parameters]
      set n = 3

      %% code first
      print "n is" n

      %% code boom
      print "before"
      load model "nowhere/m.ffm"

      %% code after
      print "never"

      """.utf8).write(to: notebook)
    let path = directory.appendingPathComponent("bad.ipynb").path
    let r = try FFNB.run(["run", notebook.path, "-p", "n=5", "--output", path])
    #expect(r.status == 1, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
    #expect(r.stderr.contains("boom failed"))
    let validation = try IpynbTools.validate(path)
    #expect(validation.status == 0, "\(validation.output)")

    let cells = IpynbTools.cells(try IpynbTools.load(path))
    #expect(cells.map { $0["id"] as? String } == ["cell-1", "cell-2-params", "injected-parameters-2", "cell-3-first", "cell-4-boom", "cell-5-after"])
    #expect(IpynbTools.text(cells[2]["source"]) == "set n = 5")
    #expect(IpynbTools.text(IpynbTools.outputs(cells[3]).first?["text"]) == "n is 5\n")
    let boom = IpynbTools.outputs(cells[4])
    #expect(boom.map { $0["output_type"] as? String } == ["stream", "error"])
    let error = boom.last ?? [:]
    #expect((error["evalue"] as? String)?.contains("nowhere/m.ffm: no such file") == true, "\(error)")
    #expect((error["traceback"] as? [String])?.contains { $0.contains("load model \"nowhere/m.ffm\"") } == true)
    #expect(cells[5]["execution_count"] is NSNull && IpynbTools.outputs(cells[5]).isEmpty)
  }

  @Test(.enabled(if: IpynbTools.hasNbformat, .init(rawValue: IpynbTools.skipNbformat)))
  func exportConvertsWithoutRunning() throws {
    let directory = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let copy = directory.appendingPathComponent("quickstart.ffnb")
    let source = try String(contentsOf: FFNB.packageRoot.appendingPathComponent(Self.quickstart), encoding: .utf8)
    try Data(source.utf8).write(to: copy)
    // No data directory: nothing runs, so nothing is read.
    let r = try FFNB.run(["export", copy.path, "--to", "ipynb"], environment: ["FFNB_DATA": "/nonexistent"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let path = directory.appendingPathComponent("quickstart.ipynb").path
    let validation = try IpynbTools.validate(path)
    #expect(validation.status == 0, "\(validation.output)")

    let cells = IpynbTools.cells(try IpynbTools.load(path))
    #expect(cells.count == (try Self.cellCount(Self.quickstart)))
    for cell in cells where cell["cell_type"] as? String == "code" {
      #expect(cell["execution_count"] is NSNull && IpynbTools.outputs(cell).isEmpty)
    }
    // Every source line of the notebook is in some cell, in order.
    let exported = cells.map { IpynbTools.text($0["source"]) }.joined(separator: "\n")
    let lines = source.split(separator: "\n").filter { !$0.hasPrefix("%%") }
    var rest = Substring(exported)
    for line in lines {
      guard let found = rest.range(of: line) else { Issue.record("'\(line)' missing from the export"); break }
      rest = rest[found.upperBound...]
    }

    let custom = directory.appendingPathComponent("other.ipynb").path
    #expect(try FFNB.run(["export", copy.path, "-o", custom]).status == 0)
    #expect(try String(contentsOfFile: custom, encoding: .utf8) == (try String(contentsOfFile: path, encoding: .utf8)))
  }

  @Test func unwritableOutputFailsBeforeRunning() throws {
    // The output's folder cannot be made: its parent is a regular file.
    let dir = try FFNB.temporaryDirectory()
    let file = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    let output = file.appendingPathComponent("x.ipynb").path
    let r = try FFNB.run(["run", Self.quickstart, "--output", output])
    #expect(r.status == 2)
    #expect(r.stderr.contains(output) && r.stderr.contains("is not a directory"), "\(r.stderr)")
    #expect(!r.stdout.contains("Layer 1"), "nothing ran")
  }
}
