import FFTestSupport
import Foundation
import Glibc
import Testing

@testable import FFFiles

/// The one writer: atomic replacement of regular files, write-through to devices and FIFOs,
/// refusals that name what the path is, and no temporary file left behind.
@Suite struct AtomicFileTests {
  func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  func temporaries(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".ffnb-tmp-") }
  }

  @Test func makesAndReplacesARegularFileKeepingItsMode() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let path = folder + "/m.ffm"
    #expect(try AtomicFile.write("one", to: path) == .replaced)
    #expect(contents(path) == "one")
    chmod(path, 0o640)
    try AtomicFile.write("two", to: path)
    #expect(contents(path) == "two")
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & 0o7777 == 0o640, "the old file's mode is kept")
    #expect(temporaries(in: folder).isEmpty)
  }

  @Test func aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    try writeFile("old", folder + "/real.ffnb")
    #expect(symlink(folder + "/real.ffnb", folder + "/link.ffnb") == 0)
    try AtomicFile.write("new", to: folder + "/link.ffnb")
    var info = stat()
    #expect(lstat(folder + "/link.ffnb", &info) == 0 && FileKind(mode: info.st_mode) == .symbolicLink)
    #expect(contents(folder + "/real.ffnb") == "new")
  }

  @Test func theNullDeviceIsWrittenThroughNotReplaced() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let null = try #require(privateNullDevice(in: folder))
    #expect(try AtomicFile.write("discarded", to: null) == .wroteThrough(.characterDevice))
    #expect(isCharacterDevice(null))
  }

  @Test func aFIFOWithAReaderIsWrittenThroughAndOneWithoutIsRefused() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let fifo = folder + "/out.ipynb"
    try makeFIFO(fifo)
    // Nobody reads: refused at once, never waited on, and never replaced by a regular file.
    #expect(throws: FileError(path: fifo, .write, .fifoWithoutReader)) { try AtomicFile.write("x", to: fifo) }
    #expect(FileError(path: fifo, .write, .fifoWithoutReader).description
      == "cannot write \(fifo): it is a FIFO (named pipe) that no process is reading")
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    #expect(try AtomicFile.write("through the pipe", to: fifo) == .wroteThrough(.fifo))
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = read(reader, &buffer, buffer.count)
    #expect(n > 0 && String(decoding: buffer.prefix(n), as: UTF8.self) == "through the pipe")
    var info = stat()
    #expect(stat(fifo, &info) == 0 && FileKind(mode: info.st_mode) == .fifo)
  }

  @Test func directoriesSocketsAndMissingFoldersAreRefusedByName() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    #expect(throws: FileError(path: folder, .write, .directory)) { try AtomicFile.write("x", to: folder) }
    let socketPath = folder + "/s"
    let fd = try makeSocket(socketPath)
    defer { close(fd) }
    #expect(throws: FileError(path: socketPath, .write, .notRegular(.socket))) { try AtomicFile.write("x", to: socketPath) }
    let nowhere = folder + "/no/such/folder/x.ffnb"
    do {
      try AtomicFile.write("x", to: nowhere)
      Issue.record("wrote into a missing folder")
    } catch {
      #expect(error.description == "cannot write \(nowhere): the folder \(folder)/no/such/folder does not exist")
      #expect(!error.description.contains("NSCocoaErrorDomain"))
    }
    let a = folder + "/a", b = folder + "/b"
    #expect(symlink(b, a) == 0 && symlink(a, b) == 0)
    #expect(throws: FileError(path: a, .write, .symlinkLoop)) { try AtomicFile.write("x", to: a) }
    #expect(temporaries(in: folder).isEmpty)
  }

  @Test func staleTemporariesOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let dead = try deadProcessID()
    let stale = folder + "/.m.ffm.ffnb-tmp-\(dead)"
    let live = folder + "/.m.ffm.ffnb-tmp-1"  // init: always alive
    let other = folder + "/.other.ffm.ffnb-tmp-\(dead)"
    for path in [stale, live, other] { try writeFile("partial", path) }
    try AtomicFile.write("model", to: folder + "/m.ffm")
    #expect(!FileManager.default.fileExists(atPath: stale), "a dead process's temporary is removed")
    #expect(FileManager.default.fileExists(atPath: live), "a live process's temporary is kept")
    #expect(FileManager.default.fileExists(atPath: other), "only the target's own temporaries are touched")
  }

  @Test func aSignalDuringTheWriteRemovesTheTemporaryFile() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let path = folder + "/m.ffm"
    try writeFile("old", path)
    var seen: String?
    var handled: [Int32: Bool] = [:]
    #expect(throws: FileError.self) {
      try AtomicFile.write(Array("new".utf8), to: path) { temporary in
        seen = temporary
        #expect(FileManager.default.fileExists(atPath: temporary))
        for signal in InFlightTemporary.signals { handled[signal] = InFlightTemporary.isHandling(signal) }
        // What the handler does before re-raising the signal (a real one would end the tests).
        InFlightTemporary.removeRegisteredFile()
      }
    }
    let temporary = try #require(seen)
    #expect((temporary as NSString).lastPathComponent == ".m.ffm.ffnb-tmp-\(getpid())")
    #expect(handled[SIGTERM] == true && handled[SIGHUP] == true, "the clean-up handler is installed during the write")
    #expect(!FileManager.default.fileExists(atPath: temporary))
    #expect(contents(path) == "old", "the target is untouched")
    #expect(!InFlightTemporary.isHandlingBetweenWrites(SIGTERM), "the previous disposition is back after the write")
  }

  @Test func temporaryNamesFitNameMax() {
    let long = String(repeating: "é", count: 200)  // 400 bytes
    let name = StaleTemporaries.temporaryName(for: long, pid: 4_194_304)
    #expect(name.utf8.count <= 255)
    #expect(name.hasPrefix(".é") && name.hasSuffix(".ffnb-tmp-4194304"))
  }

  @Test func splitsPathsIntoFolderAndName() {
    #expect(AtomicFile.split("m.ffm") == (".", "m.ffm"))
    #expect(AtomicFile.split("/m.ffm") == ("/", "m.ffm"))
    #expect(AtomicFile.split("runs/a/m.ffm") == ("runs/a", "m.ffm"))
  }

  /// A process id that is not in use: a child that has exited and been reaped.
  func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  func writeFile(_ text: String, _ path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }
}
