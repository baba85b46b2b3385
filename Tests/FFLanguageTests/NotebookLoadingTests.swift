import FFTestSupport
import Foundation
import Testing

@testable import FFLanguage

/// Reading a notebook file: only a regular file, never blocking, within the size limit; and
/// the line scanner that splits it, checked against the `split`-based parser it replaced.
@Suite struct NotebookLoadingTests {
  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let folder = try makeFolder("nb")
    defer { removeFolder(folder) }
    let fifo = folder + "/x.ffnb"
    try makeFIFO(fifo)
    let (result, blocked) = withoutBlocking(on: fifo) { Result { try Notebook.load(path: fifo) } }
    #expect(!blocked, "a notebook that is a FIFO must not wait for a writer")
    do {
      _ = try result.get()
      Issue.record("a FIFO was read as a notebook")
    } catch let error as Diagnostic {
      #expect(error.description == "\(fifo): error: cannot read notebook: it is a FIFO (named pipe), not a regular file")
    }
  }

  @Test func devicesDirectoriesAndLoopsSayWhatTheyAre() throws {
    let folder = try makeFolder("nb")
    defer { removeFolder(folder) }
    #expect(symlink(folder + "/b", folder + "/a") == 0 && symlink(folder + "/a", folder + "/b") == 0)
    let cases = [
      ("/dev/zero", "it is a character device, not a regular file"),
      (folder, "it is a directory"),
      (folder + "/a", "too many levels of symbolic links"),
    ]
    for (path, reason) in cases {
      do {
        _ = try Notebook.load(path: path)
        Issue.record("\(path) was read as a notebook")
      } catch {
        #expect(error.message == "cannot read notebook: \(reason)")
      }
    }
  }

  @Test func aNotebookLargerThanTheLimitIsRefusedBeforeReading() throws {
    let folder = try makeFolder("nb")
    defer { removeFolder(folder) }
    let path = folder + "/huge.ffnb"
    // Sparse: 65 MiB on paper, nothing on disk.
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    #expect(truncate(path, off_t(Notebook.maximumFileBytes + (1 << 20))) == 0)
    do {
      _ = try Notebook.load(path: path)
      Issue.record("a 65 MiB notebook was read")
    } catch {
      #expect(error.message == "cannot read notebook: it is 65 MiB, more than the 64 MiB limit for a notebook")
    }
  }

  @Test func aLeadingByteOrderMarkIsDropped() {
    let (nb, _) = Notebook.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("%% code\nseed 1\n".utf8), path: "x.ffnb")
    #expect(nb.cells.map(\.source) == ["seed 1"])
  }

  /// Cells as the parser before the line scanner made them: `split` on `\n` / `\r\n`
  /// Characters, one trailing `\r` dropped per line, trailing blank lines trimmed.
  func referenceCells(_ text: String) -> [(source: String, firstLine: Int, headerLine: Int?)] {
    var cells: [(source: String, firstLine: Int, headerLine: Int?)] = []
    var pending: (lines: [Substring], firstLine: Int, headerLine: Int?)?
    func finish() {
      guard let cell = pending else { return }
      var lines = cell.lines[...]
      while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines = lines.dropLast() }
      if cell.headerLine == nil, lines.isEmpty { return }
      cells.append((lines.joined(separator: "\n"), cell.firstLine, cell.headerLine))
    }
    var number = 0
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      number += 1
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if line.hasPrefix("%%") {
        finish()
        pending = ([], number + 1, number)
      } else if pending == nil {
        if line.allSatisfy(\.isWhitespace) { continue }
        pending = ([line], number, nil)
      } else {
        pending?.lines.append(line)
      }
    }
    finish()
    return cells
  }

  @Test func theLineScannerSplitsAsTheCharacterBasedParserDid() {
    let pieces = [
      "%%", "%% code", "%% md x", " ", "\t", "\n", "\n", "\r\n", "\r", "x", "seed 1", "é", "\u{301}", "\u{2028}",
      "\u{85}", "\u{0B}", "\u{0C}", "\u{A0}", "\u{3000}", "# c", "[a]", "%", "\u{1F600}", "\u{200D}",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    var texts = ["", "\n", "\r\n", "%%", "x\r", "x\r\r\n", "a\r\r\r\nb", "%%\u{301} code\nx", "\u{85}%% code\nx",
                 "%% code\r\n\r\nseed 1\r\n\r\n", " \u{2028} \nx\n\u{A0}\n"]
    for _ in 0..<3000 {
      texts.append((0..<next(40)).map { _ in pieces[next(pieces.count)] }.joined())
    }
    for text in texts {
      let (nb, _) = Notebook.parse(text: text, path: "x.ffnb")
      let expected = referenceCells(text)
      let got = nb.cells.map { (source: $0.source, firstLine: $0.firstLine, headerLine: $0.headerLine) }
      let same = got.count == expected.count
        && zip(got, expected).allSatisfy { $0.source == $1.source && $0.firstLine == $1.firstLine && $0.headerLine == $1.headerLine }
      #expect(same, "\(text.debugDescription): got \(got), expected \(expected)")
      if !same { break }
    }
  }

  @Test func sourceLinesAreFoundWithoutSplittingTheWholeText() {
    let text = "one\r\ntwo\nthree\n"
    #expect(Notebook.sourceLines([1, 3, 9], of: text) == [1: "one", 3: "three"])
  }
}
