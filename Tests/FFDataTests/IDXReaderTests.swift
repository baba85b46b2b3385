import FFData
import Foundation
import Testing

/// The IDX reader on small hand-made files: every header field and length is checked.
@Suite struct IDXReaderTests {
  @Test func readsASmallImagesFile() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("images")
    let body: [UInt8] = Array(0..<12)
    try write(idxBytes(magic: 0x803, dimensions: [2, 2, 3], body: body), to: url)
    let images = try IDX.readImages(path: url.path)
    #expect(images.count == 2 && images.rows == 2 && images.cols == 3)
    #expect(images.pixels == body)
    #expect(try Array(images.image(1)) == [6, 7, 8, 9, 10, 11])
    #expect(throws: DataError.indexOutOfRange(index: 2, count: 2)) { try images.image(2) }
  }

  @Test func trailingBytesAreRefused() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("labels")
    try write(idxBytes(magic: 0x801, dimensions: [3], body: [1, 2, 3, 4]), to: url)
    #expect(throws: DataError.sizeMismatch(path: url.path, header: "3 labels", expected: 11, actual: 12)) {
      try IDX.readLabels(path: url.path)
    }
    #expect(DataError.sizeMismatch(path: "f", header: "3 labels", expected: 11, actual: 12).description
      == "f: trailing data: header says 3 labels (11 bytes), file has 12")
  }

  @Test func absurdDimensionsAreRefusedBeforeAllocating() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("images")
    try write(idxBytes(magic: 0x803, dimensions: [0xffff_ffff, 0xffff_ffff, 0xffff_ffff], body: []), to: url)
    #expect(throws: DataError.self) { try IDX.readImages(path: url.path) }
    try write(idxBytes(magic: 0x803, dimensions: [1, 0, 28], body: []), to: url)
    #expect(throws: DataError.badDimensions(path: url.path, reason: "images of 0x28")) {
      try IDX.readImages(path: url.path)
    }
  }

  @Test func wrongImageSizeForTheDatasetIsRefused() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let folder = tmp.appendingPathComponent("fashion-mnist")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let images = folder.appendingPathComponent(Split.test.imagesFileName)
    try write(idxBytes(magic: 0x803, dimensions: [1, 2, 2], body: [0, 1, 2, 3]), to: images)
    try write(idxBytes(magic: 0x801, dimensions: [1], body: [0]), to: folder.appendingPathComponent(Split.test.labelsFileName))
    #expect(throws: DataError.badDimensions(
      path: images.path, reason: "fashion-mnist images are 28x28, header says 2x2")) {
      try RawDataset.load(.fashionMNIST, split: .test, directory: tmp)
    }
  }

  @Test func aDirectoryIsNotAFile() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    #expect(throws: DataError.unreadable(path: tmp.path, reason: "it is a directory")) {
      try IDX.readLabels(path: tmp.path)
    }
    let missing = tmp.appendingPathComponent("nothing").path
    #expect(throws: DataError.unreadable(path: missing, reason: "no such file")) {
      try IDX.readLabels(path: missing)
    }
  }
}
