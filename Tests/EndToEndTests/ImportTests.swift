import FFTestSupport
import Foundation
import Testing

/// `ffnb import`, the inverse of `ffnb export`: every shipped notebook comes back byte for
/// byte, another kernel's notebook is refused, and hostile `.ipynb` files end with a message
/// and status 1, never a crash or a hang, and leave no output behind.
@Suite(.enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)))
struct ImportTests {
  static let notebooks = ["fashion-mnist", "hinton", "hinton-fashion", "mnist", "quickstart"]

  @Test func exportThenImportGivesBackEveryShippedNotebook() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let shipped = try FileManager.default.contentsOfDirectory(atPath: FFNB.packageRoot.appendingPathComponent("notebooks").path)
      .filter { $0.hasSuffix(".ffnb") }.map { String($0.dropLast(5)) }.sorted()
    #expect(shipped == Self.notebooks, "a notebook was added or removed: list it here")
    for name in shipped {
      let original = FFNB.packageRoot.appendingPathComponent("notebooks/\(name).ffnb")
      let ipynb = dir.appendingPathComponent("\(name).ipynb").path
      #expect(try FFNB.run(["export", original.path, "-o", ipynb]).status == 0)
      let r = try FFNB.run(["import", ipynb])
      #expect(r.status == 0, "\(name): \(r.stderr)")
      let back = dir.appendingPathComponent("\(name).ffnb")
      #expect(r.stdout.contains("wrote \(back.path)"), "\(r.stdout)")
      #expect(try Data(contentsOf: back) == Data(contentsOf: original), "\(name) changed on the way back")
    }
  }

  @Test func anExecutedNotebookComesBackWithoutItsOutputs() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("small.ffnb")
    let text = "%% markdown\n# Small\n\n%% code parameters [parameters]\nset n = 2\n\n%% code show\nprint n * 3\n"
    try text.write(to: source, atomically: true, encoding: .utf8)
    let executed = dir.appendingPathComponent("run.ipynb").path
    #expect(try FFNB.run(["run", source.path, "-p", "n=5", "--output", executed]).status == 0)
    let r = try FFNB.run(["import", executed, "-o", dir.appendingPathComponent("back.ffnb").path])
    #expect(r.status == 0, "\(r.stderr)")
    // The -p value came in as papermill's injected cell, which is kept as the cell it is.
    let back = try String(contentsOf: dir.appendingPathComponent("back.ffnb"), encoding: .utf8)
    #expect(back == "%% markdown\n# Small\n\n%% code parameters [parameters]\nset n = 2\n\n%% code [injected-parameters]\nset n = 5\n\n%% code show\nprint n * 3\n", "\(back)")
  }

  /// Runs `ffnb import` on `json`; expects status 1, `message` on standard error and no output file.
  func refused(_ json: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try refused(bytes: Data(json.utf8), message, sourceLocation: sourceLocation)
  }

  func refused(bytes: Data, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("in.ipynb")
    try bytes.write(to: input)
    let r = try FFNB.run(["import", input.path], timeout: 60)
    #expect(r.status == 1, "status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains("cannot import \(input.path): \(message)"), "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("in.ffnb").path), sourceLocation: sourceLocation)
  }

  @Test func anotherKernelsNotebookIsRefused() throws {
    try refused(
      #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}, "cells": [{"cell_type": "code", "source": "print(1)", "metadata": {}, "outputs": []}]}"#,
      "its code cells are for kernel 'python3', language python, not ffnb; ffnb imports notebooks whose kernel is ffnb")
    try refused(
      #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": "x", "metadata": {}}]}"#,
      "it names no kernel or language; ffnb imports notebooks whose kernel is ffnb")
  }

  @Test func cellsThatDotFFNBCannotHoldAreRefusedByNumber() throws {
    let ffnb = #""metadata": {"kernelspec": {"name": "ffnb", "language": "ffnb"}}"#
    try refused(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "raw", "source": "x", "metadata": {}}]}"#,
                "cell 1 is a raw cell; .ffnb has markdown and code cells only")
    try refused(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "markdown", "source": "ok", "metadata": {}}, {"cell_type": "markdown", "source": "a\n%% code sneaky", "metadata": {}}]}"#,
                "cell 2 cannot be written as .ffnb: a line of it starts with %%, which .ffnb reads as a cell header")
    try refused(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "code", "source": "print 1", "metadata": {"name": "two words"}}]}"#,
                "cell 1 cannot be written as .ffnb: ")
    try refused(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "code", "source": "print 1", "metadata": {"tags": ["a]b"]}}]}"#,
                "cell 1 cannot be written as .ffnb: ")
  }

  @Test func hostileFilesEndWithAMessage() throws {
    try refused("", "it is not a Jupyter notebook: invalid JSON at line 1, column 1 (byte 0)")
    try refused("[1, 2]", "it is not a Jupyter notebook (the JSON is not an object)")
    try refused(#"{"nbformat": "4"}"#, "it is not a Jupyter notebook (no \"nbformat\" number)")
    try refused(#"{"nbformat": 3, "cells": []}"#, "it is nbformat 3; ffnb imports nbformat 4")
    try refused(#"{"nbformat": 4, "cells": {}}"#, "it has no \"cells\" list")
    try refused(#"{"nbformat": 4, "cells": [7]}"#, "cell 1 is not a JSON object")
    try refused(#"{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": 5}]}"#, "cell 1's source is not text")
    try refused(#"{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": ["a", null]}]}"#, "cell 1's source is not text")
    try refused(#"{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "", "metadata": {"tags": "x"}}]}"#,
                "cell 1's metadata.tags is not a list of strings")
    try refused(#"{"nbformat": 4, "cells": [{"source": ""}]}"#, "cell 1 has no \"cell_type\" string")
    // Nesting that would overflow a naive parser's stack.
    try refused(String(repeating: "[", count: 1_000_000), "it is not a Jupyter notebook: invalid JSON at line 1, column 201 (byte 200): nested deeper than 200 levels")
    // Bytes that are not UTF-8 inside a string.
    try refused(bytes: Data(#"{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "caf"#.utf8) + Data([0xE9]) + Data(#""}]}"#.utf8),
                "it is not a Jupyter notebook: invalid JSON at line 1, column 64 (byte 63): a string holds bytes that are not UTF-8")
    try refused(#"{"nbformat": 4, "cells": []} trailing"#, "it is not a Jupyter notebook: invalid JSON at line 1, column 30 (byte 29): unexpected text after the JSON value")
  }

  @Test func aFileLargerThanTheLimitIsRefusedBeforeReading() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("huge.ipynb").path
    // A sparse file: 300 MiB that take no disk space.
    #expect(FileManager.default.createFile(atPath: input, contents: nil))
    #expect(truncate(input, 300 << 20) == 0)
    let r = try FFNB.run(["import", input], timeout: 60)
    #expect(r.status == 1)
    #expect(r.stderr.contains("cannot import \(input): "), "\(r.stderr)")
    #expect(r.stderr.contains("256"), "names the limit: \(r.stderr)")
  }

  @Test func importNeverOverwritesItsInput() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("x.ipynb").path
    let text = #"{"nbformat": 4, "cells": []}"#
    try text.write(toFile: input, atomically: true, encoding: .utf8)
    let r = try FFNB.run(["import", input, "-o", input])
    #expect(r.status == 1)
    #expect(r.stderr.contains("it is the notebook being read"), "\(r.stderr)")
    #expect(try String(contentsOfFile: input, encoding: .utf8) == text)
  }

  /// Jupyter on Windows may save `\r\n` in a source: .ffnb reads it as `\n`, so it comes in
  /// as `\n`. A lone `\r` inside a line is kept; one ending a line, which .ffnb drops, is named.
  @Test func windowsLineBreaksComeInAndALineEndingInCarriageReturnIsNamed() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("crlf.ipynb")
    let ffnb = #""metadata": {"kernelspec": {"name": "ffnb", "language": "ffnb"}}"#
    try Data(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "code", "source": ["set n = 2\r\n", "print n\r\n"], "metadata": {"name": "a", "tags": ["t"]}}, {"cell_type": "markdown", "source": "x\ry\u2028z", "metadata": {}}]}"#.utf8)
      .write(to: input)
    let r = try FFNB.run(["import", input.path])
    #expect(r.status == 0, "\(r.stderr)")
    let back = try String(contentsOf: dir.appendingPathComponent("crlf.ffnb"), encoding: .utf8)
    #expect(back == "%% code a [t]\nset n = 2\nprint n\n\n%% markdown\nx\ry\u{2028}z\n", "\(back)")

    try refused(#"{"nbformat": 4, \#(ffnb), "cells": [{"cell_type": "markdown", "source": "a\r\r\nb", "metadata": {}}]}"#,
                "cell 1 cannot be written as .ffnb: a line of it ends with a carriage return (\\r) that is not part of a \\r\\n, which .ffnb drops")
  }

  /// `-o` that can name no file is refused in words, the same way by export and import.
  @Test func outputPathsThatNameNoFileAreRefusedAlikeByExportAndImport() throws {
    let dir = try FFNB.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ipynb = dir.appendingPathComponent("q.ipynb").path
    #expect(try FFNB.run(["export", "notebooks/quickstart.ffnb", "-o", ipynb]).status == 0)
    for (output, reason) in [("", "the path is empty"), (dir.path + "/new/", "it names a folder (the path ends with /)")] {
      for arguments in [["export", "notebooks/quickstart.ffnb", "-o", output], ["import", ipynb, "-o", output]] {
        let r = try FFNB.run(arguments)
        #expect(r.status == 1, "\(arguments): \(r.stderr)")
        #expect(r.stderr.contains("cannot write \(output): \(reason)"), "\(arguments): \(r.stderr)")
      }
    }
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/new"))
  }
}
