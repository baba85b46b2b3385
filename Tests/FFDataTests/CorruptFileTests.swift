import FFData
import Foundation
import Testing

/// Damaged copies of the real MNIST test split are refused with a message naming the file.
@Suite struct CorruptFileTests {
  /// Copies the real MNIST test files into `tmp/mnist/`, applies `damage`, loads, and returns the error.
  private func loadDamagedCopy(_ damage: (URL) throws -> Void) throws -> DataError? {
    let source = try RealData.mnistTest.get()
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let folder = tmp.appendingPathComponent("mnist")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for path in [source.imagesPath, source.labelsPath] {
      try FileManager.default.copyItem(
        atPath: path, toPath: folder.appendingPathComponent((path as NSString).lastPathComponent).path)
    }
    try damage(folder)
    do {
      _ = try RawDataset.load(.mnist, split: .test, directory: tmp)
      return nil
    } catch {
      return error
    }
  }

  private let images = "t10k-images-idx3-ubyte"
  private let labels = "t10k-labels-idx1-ubyte"

  @Test func flippedMagicByte() throws {
    let error = try loadDamagedCopy { folder in
      let url = folder.appendingPathComponent(images)
      let handle = try FileHandle(forWritingTo: url)
      try handle.seek(toOffset: 3)
      try handle.write(contentsOf: Data([0x01]))
      try handle.close()
    }
    let e = try #require(error)
    guard case let .badMagic(path, expected, found) = e else { Issue.record("got \(e)"); return }
    #expect(path.hasSuffix("mnist/\(images)"))
    #expect(expected == 0x803 && found == 0x801)
    #expect(e.description.hasPrefix(path + ": not an IDX images file: magic 0x00000801, expected 0x00000803"))
  }

  @Test func truncatedImages() throws {
    let error = try loadDamagedCopy { folder in
      let url = folder.appendingPathComponent(images)
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: 7_840_016 - 1000)
      try handle.close()
    }
    let e = try #require(error)
    #expect(e.description.hasSuffix(
      "mnist/\(images): truncated: header says 10000 images of 28x28 (7840016 bytes), file has 7839016"))
  }

  @Test func fileShorterThanItsHeader() throws {
    let error = try loadDamagedCopy { folder in
      try write([0, 0, 8, 1, 0, 0], to: folder.appendingPathComponent(labels))
    }
    let e = try #require(error)
    guard case let .headerTooShort(path, bytes, needed) = e else { Issue.record("got \(e)"); return }
    #expect(path.hasSuffix("mnist/\(labels)") && bytes == 6 && needed == 8)
    #expect(e.description.contains("mnist/\(labels): truncated: 6 bytes"))
  }

  @Test func labelsAndImagesDisagreeInCount() throws {
    let error = try loadDamagedCopy { folder in
      let url = folder.appendingPathComponent(labels)
      let real = try [UInt8](Data(contentsOf: url))
      // A well-formed labels file that simply has one label fewer.
      try write(idxBytes(magic: 0x801, dimensions: [9999], body: Array(real[8..<(8 + 9999)])), to: url)
    }
    let e = try #require(error)
    guard case let .countMismatch(_, imageCount, labelsPath, labelCount) = e else { Issue.record("got \(e)"); return }
    #expect(imageCount == 10000 && labelCount == 9999)
    #expect(labelsPath.hasSuffix("mnist/\(labels)"))
    #expect(e.description.contains("holds 9999 labels but"))
  }

  @Test func labelThatIsNotAClass() throws {
    let error = try loadDamagedCopy { folder in
      let url = folder.appendingPathComponent(labels)
      let handle = try FileHandle(forWritingTo: url)
      try handle.seek(toOffset: 8 + 42)
      try handle.write(contentsOf: Data([10]))
      try handle.close()
    }
    let e = try #require(error)
    guard case let .labelOutOfRange(path, index, label, classes) = e else { Issue.record("got \(e)"); return }
    #expect(path.hasSuffix(labels) && index == 42 && label == 10 && classes == 10)
  }

  @Test func missingFileNamesEveryPlaceLookedAt() throws {
    let error = try loadDamagedCopy { folder in
      try FileManager.default.removeItem(at: folder.appendingPathComponent(labels))
    }
    let e = try #require(error)
    guard case let .missing(path, tried) = e else { Issue.record("got \(e)"); return }
    #expect(path.hasSuffix("mnist/\(labels)"))
    #expect(tried.contains { $0.hasSuffix("mnist/\(labels).gz") })
    #expect(tried.contains { $0.hasSuffix("MNIST/raw/\(labels)") })
    #expect(e.description.hasPrefix(path + ": missing"))
  }

  @Test func gzipVariantsLoadLikeTheRawFiles() throws {
    let raw = try RealData.mnistTest.get()
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    // torchvision's layout, compressed: root/MNIST/raw/*.gz.
    let folder = tmp.appendingPathComponent("MNIST/raw")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for path in [raw.imagesPath, raw.labelsPath] {
      let copy = folder.appendingPathComponent((path as NSString).lastPathComponent)
      try FileManager.default.copyItem(atPath: path, toPath: copy.path)
      try gzipFile(copy)
    }
    let loaded = try RawDataset.load(.mnist, split: .test, directory: tmp)
    #expect(loaded.imagesPath.hasSuffix("MNIST/raw/\(images).gz"))
    #expect(loaded.images == raw.images)
    #expect(loaded.labels == raw.labels)
  }

  @Test func truncatedGzipIsAnErrorNotShortData() throws {
    let tmp = try makeTemporaryDirectory()
    defer { removeTemporary(tmp) }
    let url = tmp.appendingPathComponent("labels")
    try write(idxBytes(magic: 0x801, dimensions: [5000], body: (0..<5000).map { UInt8($0 % 10) }), to: url)
    try gzipFile(url)
    let gz = tmp.appendingPathComponent("labels.gz")
    var bytes = try [UInt8](Data(contentsOf: gz))
    bytes.removeLast(20)
    try write(bytes, to: gz)
    #expect(throws: DataError.self) { try IDX.readLabels(path: gz.path, gzip: true) }
    do {
      _ = try IDX.readLabels(path: gz.path, gzip: true)
    } catch {
      guard case let .gzip(path, _) = error else { Issue.record("got \(error)"); return }
      #expect(path == gz.path)
      #expect(error.description.hasPrefix(gz.path + ": corrupt gzip data"))
    }
  }
}

