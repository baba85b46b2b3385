import FFLanguage
import FFNotebook
import FFTestSupport
import Foundation
import Testing

@testable import FFREPL

/// The history file is read by readline by name: anything but a regular file (a FIFO would
/// block the REPL before its first prompt) or a file beyond the limit is left alone, with a
/// warning, and history is kept in memory only.
@Suite struct HistoryFileSafetyTests {
  @Test func onlyARegularFileWithinTheLimitIsUsed() throws {
    let folder = try makeFolder("history")
    defer { removeFolder(folder) }
    #expect(HistoryFile.problem(at: folder + "/not-yet") == nil, "a missing file is made")
    try Data("print 1\n".utf8).write(to: URL(fileURLWithPath: folder + "/history"))
    #expect(HistoryFile.problem(at: folder + "/history") == nil)
    try makeFIFO(folder + "/fifo")
    #expect(HistoryFile.problem(at: folder + "/fifo") == "\(folder)/fifo is a FIFO (named pipe), not a regular file")
    #expect(HistoryFile.problem(at: folder) == "cannot read \(folder): it is a directory")
    #expect(HistoryFile.problem(at: "/dev/zero") == "/dev/zero is a character device, not a regular file")
    let huge = folder + "/huge"
    #expect(FileManager.default.createFile(atPath: huge, contents: nil) && truncate(huge, off_t(HistoryFile.maximumBytes + 1)) == 0)
    #expect(HistoryFile.problem(at: huge) == "cannot read \(huge): it is 16777217 bytes, more than the 16 MiB limit for a history file")
  }

  @Test(
    "a FIFO as the history file: the REPL starts, says so, and keeps history in memory",
    .enabled(if: Binary.path != nil, .init(rawValue: Binary.missingReason)),
    .enabled(if: Binary.hasTmux, "needs tmux (make test installs it)"))
  func fifoHistoryDoesNotBlock() throws {
    let folder = try makeFolder("history")
    defer { removeFolder(folder) }
    let fifo = folder + "/history"
    try makeFIFO(fifo)
    let term = try TmuxTerminal(TmuxTerminal.shellQuoted(Binary.path ?? "ffnb"), environment: ["FFNB_HISTORY": fifo])
    defer { term.close() }
    try term.waitForPrompt("ffnb> ", timeout: .seconds(20))
    try term.waitFor("\(fifo) is a FIFO (named pipe), not a regular file; history is kept in memory only")
    try term.type("print \"still here\"")
    try term.keys("Enter")
    try term.waitFor("\nstill here\n")
    var info = stat()
    #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }
}

/// `:save` and `:write` go through the one atomic writer: devices are written through, FIFOs
/// without a reader refused, and errors say why in plain words.
@Suite struct SaveAndWriteFileTests {
  func run(_ lines: [String], notebook path: String? = nil) throws -> (output: String, status: Int32) {
    final class Output: @unchecked Sendable { var text = "" }
    let output = Output()
    let console = Console { output.text += $0 }
    let notebook = path.map { Notebook(path: $0, cells: [Cell(index: 1, kind: .code, source: "print 1", firstLine: 2, headerLine: 1)]) }
      ?? Notebook(path: "untitled.ffnb", cells: [])
    let runner = try NotebookRunner(notebook: notebook, session: Session(), console: console)
    let repl = InteractiveSession(runner: runner, stepping: path != nil, reader: PlainLineReader(lines: lines))
    let status = repl.run()
    return (output.text, status)
  }

  @Test func saveToTheNullDeviceAndToAFIFO() throws {
    let folder = try makeFolder("save")
    defer { removeFolder(folder) }
    let null = try #require(privateNullDevice(in: folder))
    let fifo = folder + "/record.ffnb"
    try makeFIFO(fifo)
    let (output, status) = try run(["print 1", ":save \(null)", ":save \(fifo)"])
    #expect(output.contains("saved the session record to \(null)"))
    #expect(output.contains("cannot write \(fifo): it is a FIFO (named pipe) that no process is reading"))
    #expect(status == 1)
    #expect(isCharacterDevice(null))
  }

  @Test func saveIntoAMissingFolderSaysWhichFolder() throws {
    let (output, _) = try run(["print 1", ":save /nonexistent-ffnb-dir/x.ffnb"])
    #expect(output.contains("error: cannot write /nonexistent-ffnb-dir/x.ffnb: the folder /nonexistent-ffnb-dir does not exist"))
    #expect(!output.contains("NSCocoaErrorDomain"))
  }

  @Test func writeKeepsTheNotebookFilesMode() throws {
    let folder = try makeFolder("write")
    defer { removeFolder(folder) }
    let path = folder + "/nb.ffnb"
    try Data("%% code\nprint 1\n".utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    let (output, _) = try run([":write"], notebook: path)
    #expect(output.contains("wrote 1 cell to \(path)"))
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
  }
}
