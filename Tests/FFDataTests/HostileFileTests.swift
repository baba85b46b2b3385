import FFKernels
import FFTestSupport
import Foundation
import Testing

@testable import FFData

/// Data files made to hurt: gzip bombs, absurd headers, FIFOs, devices. Each is refused with a
/// message naming the file, after reading no more than its header and the bytes it declares.
@Suite struct HostileFileTests {
  /// `header` followed by `zeros` zero bytes, gzip-compressed into `url` (a 256 MiB run of zeros
  /// compresses to about 250 KB).
  func gzipBomb(header: [UInt8], zeros: Int, to url: URL) throws {
    try write(header, to: url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "{ cat \"$1\"; head -c \(zeros) /dev/zero; } | gzip -1 > \"$1.gz\" && rm \"$1\"", "sh", url.path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestFailure("could not make \(url.path).gz") }
  }

  @Test func aGzipBombIsRefusedAfterTheHeaderAndTheDeclaredBytes() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("labels")
    // Declares 10 labels; decompresses to 256 MiB.
    try gzipBomb(header: idxBytes(magic: 0x801, dimensions: [10], body: []), zeros: 256 << 20, to: url)
    let path = url.path + ".gz"
    #expect(throws: DataError.trailingData(path: path, header: "10 labels", expected: 18)) {
      try IDX.readLabels(path: path, gzip: true)
    }
    #expect(DataError.trailingData(path: "f.gz", header: "10 labels", expected: 18).description
      == "f.gz: trailing data: header says 10 labels (18 bytes), the decompressed file holds more")
    // What was read: the header, the 10 labels and the one byte that shows there is more.
    let stream = try DataFileStream(path: path, gzip: true)
    _ = try IDX.header(of: stream, magic: IDX.labelsMagic, dimensions: 1)
    #expect(throws: DataError.self) {
      try IDX.readBody(of: stream, bytes: 10, headerBytes: 8, described: "10 labels", shouldStop: { false })
    }
    #expect(stream.position == 18)
  }

  @Test func aHeaderDeclaringAbsurdDimensionsIsRefusedBeforeAnyAllocation() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("images")
    // 4 billion images of 28x28 declared, a few KB of data.
    try gzipBomb(header: idxBytes(magic: 0x803, dimensions: [0xffff_ffff, 28, 28], body: []), zeros: 4096, to: url)
    let path = url.path + ".gz"
    #expect(throws: DataError.tooLarge(path: path, header: "4294967295 images of 28x28", bytes: 3_367_254_359_280, limit: "the 1 GiB limit for an IDX file")) {
      try IDX.readImages(path: path, gzip: true)
    }
    // The raw file: its length disagrees with the header, found from its size alone.
    try write(idxBytes(magic: 0x803, dimensions: [0xffff_ffff, 28, 28], body: [1, 2, 3]), to: url)
    #expect(throws: DataError.sizeMismatch(path: url.path, header: "4294967295 images of 28x28", expected: 3_367_254_359_296, actual: 19)) {
      try IDX.readImages(path: url.path)
    }
    #expect(DataError.tooLarge(path: "f", header: "2 images of 28x28", bytes: 1568, limit: "the 1 GiB limit for an IDX file").description
      == "f: header says 2 images of 28x28 (1568 bytes), more than the 1 GiB limit for an IDX file; refusing before reading it")
  }

  @Test func aGzipFileShorterThanItsHeaderSaysSo() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("labels")
    try write(idxBytes(magic: 0x801, dimensions: [1000], body: Array(repeating: 3, count: 10)), to: url)
    try gzipFile(url)
    #expect(throws: DataError.sizeMismatch(path: url.path + ".gz", header: "1000 labels", expected: 1008, actual: 18)) {
      try IDX.readLabels(path: url.path + ".gz", gzip: true)
    }
  }

  @Test func aFIFOInPlaceOfADataFileIsRefusedWithoutBlocking() throws {
    let folder = try makeFolder("data")
    defer { removeFolder(folder) }
    let fifo = folder + "/t10k-labels-idx1-ubyte"
    try makeFIFO(fifo)
    for gzip in [false, true] {
      let (result, blocked) = withoutBlocking(on: fifo) { Result { try IDX.readLabels(path: fifo, gzip: gzip) } }
      #expect(!blocked, "a data file that is a FIFO must not block the load")
      #expect(throws: DataError.unreadable(path: fifo, reason: "it is a FIFO (named pipe), not a regular file")) { try result.get() }
    }
    #expect(throws: DataError.unreadable(path: "/dev/zero", reason: "it is a character device, not a regular file")) {
      try IDX.readImages(path: "/dev/zero")
    }
  }

  @Test func aLoadStopsWhenAskedAndKeepsNothing() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let folder = tmp.appendingPathComponent("mnist")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // 5000 images: 3.9 MB, four chunks of the reader, two blocks of the transform.
    let count = 5000
    try write(idxBytes(magic: 0x803, dimensions: [UInt32(count), 28, 28], body: (0..<(count * 784)).map { UInt8($0 % 251) }),
              to: folder.appendingPathComponent(Split.test.imagesFileName))
    try write(idxBytes(magic: 0x801, dimensions: [UInt32(count)], body: (0..<count).map { UInt8($0 % 10) }),
              to: folder.appendingPathComponent(Split.test.labelsFileName))
    var polls = 0
    #expect(throws: DataError.interrupted("reading \(folder.appendingPathComponent(Split.test.imagesFileName).path)")) {
      try RawDataset.load(.mnist, split: .test, directory: tmp, shouldStop: { polls += 1; return polls >= 2 })
    }
    #expect(polls == 2, "asked between chunks, and stopped at once")
    #expect(DataError.interrupted("reading f").description == "interrupted while reading f")
    // Transforming polls every few thousand rows.
    let data = try RawDataset.load(.mnist, split: .test, directory: tmp)
    var transformPolls = 0
    #expect(throws: DataError.interrupted("transforming the images")) {
      var g = Generator(seed: 0, stream: "shuffle")
      _ = try Batching.first(of: data, batchSize: count, shuffle: true, pipeline: .seed, generator: &g,
                             shouldStop: { transformPolls += 1; return true })
    }
    #expect(transformPolls == 1)
  }
}
