import FFTestSupport
import Foundation
import Glibc
import Testing

@testable import FFFiles

/// Only regular files are read; everything else is refused by name, and nothing blocks.
@Suite struct ReadableFileTests {
  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let fifo = folder + "/x.ffnb"
    try makeFIFO(fifo)
    let (result, blocked) = withoutBlocking(on: fifo) { Result { try ReadableFile(path: fifo) } }
    #expect(!blocked, "opening a FIFO for reading must not wait for a writer")
    #expect(throws: FileError(path: fifo, .read, .notRegular(.fifo))) { try result.get() }
    #expect(FileError(path: "notebooks/x.ffnb", .read, .notRegular(.fifo)).description
      == "notebooks/x.ffnb is a FIFO (named pipe), not a regular file")
  }

  @Test func socketsDevicesAndDirectoriesAreRefusedByName() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let socketPath = folder + "/s"
    let fd = try makeSocket(socketPath)
    defer { close(fd) }
    #expect(throws: FileError(path: socketPath, .read, .notRegular(.socket))) { try ReadableFile(path: socketPath) }
    #expect(throws: FileError(path: "/dev/null", .read, .notRegular(.characterDevice))) { try ReadableFile(path: "/dev/null") }
    #expect(throws: FileError(path: "/dev/zero", .read, .notRegular(.characterDevice))) {
      try ReadableFile.readAll(path: "/dev/zero", limit: 1 << 20, what: "a notebook")
    }
    #expect(throws: FileError(path: folder, .read, .directory)) { try ReadableFile(path: folder) }
    #expect(FileError(path: socketPath, .read, .notRegular(.socket)).description == "\(socketPath) is a socket, not a regular file")
    #expect(FileError(path: "/dev/null", .read, .notRegular(.characterDevice)).problem == "it is a character device, not a regular file")
  }

  @Test func missingLoopsAndPermissionsSayWhich() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let missing = folder + "/none.ffnb"
    #expect(throws: FileError(path: missing, .read, .missing)) { try ReadableFile(path: missing) }
    #expect(FileError(path: missing, .read, .missing).description == "cannot read \(missing): no such file")
    let a = folder + "/a", b = folder + "/b"
    #expect(symlink(b, a) == 0 && symlink(a, b) == 0)
    #expect(throws: FileError(path: a, .read, .symlinkLoop)) { try ReadableFile(path: a) }
    #expect(FileError(path: a, .read, .symlinkLoop).problem == "too many levels of symbolic links")
    #expect(FileError(path: "f", .read, errno: EACCES).problem == "permission denied")
    let notFolder = folder + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: notFolder))
    #expect(throws: FileError.self) { try ReadableFile(path: notFolder + "/inside") }
  }

  @Test(.enabled(if: getuid() != 0, "root reads any file"))
  func anUnreadableFileSaysPermissionDenied() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let path = folder + "/secret.ffnb"
    try Data("x".utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0)
    #expect(throws: FileError(path: path, .read, .permissionDenied)) { try ReadableFile(path: path) }
  }

  @Test func aSymbolicLinkToARegularFileIsFollowed() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    try Data("hello".utf8).write(to: URL(fileURLWithPath: folder + "/real"))
    #expect(symlink(folder + "/real", folder + "/link") == 0)
    #expect(try ReadableFile.readAll(path: folder + "/link", limit: 100, what: "a test file") == Array("hello".utf8))
  }

  @Test func aFileLargerThanTheLimitIsRefusedBeforeReading() throws {
    let folder = try makeFolder()
    defer { removeFolder(folder) }
    let path = folder + "/big"
    try Data(repeating: 65, count: 3000).write(to: URL(fileURLWithPath: path))
    #expect(throws: FileError(path: path, .read, .tooLarge(size: 3000, limit: 2048, what: "a notebook"))) {
      try ReadableFile.readAll(path: path, limit: 2048, what: "a notebook")
    }
    #expect(FileError(path: path, .read, .tooLarge(size: 80 << 20, limit: 64 << 20, what: "a notebook")).problem
      == "it is 80 MiB, more than the 64 MiB limit for a notebook")
    #expect(try ReadableFile.readAll(path: path, limit: 3000, what: "a notebook").count == 3000)
  }

  @Test func aFileWhoseSizeSaysZeroIsStillReadToTheEnd() throws {
    // /proc files report size 0 and hold text.
    let bytes = try ReadableFile.readAll(path: "/proc/self/status", limit: 1 << 20, what: "a status file")
    #expect(String(decoding: bytes, as: UTF8.self).contains("VmSize"))
    #expect(throws: FileError.self) { try ReadableFile.readAll(path: "/proc/self/status", limit: 16, what: "a status file") }
  }
}
