import FFData
import Foundation

/// The real dataset files, loaded at most once per test run (47 MB each for the training images).
///
/// The directory is resolved as the tool resolves it (`FFNB_DATA`, set by `make test`, or the
/// package's `data` folder); `scripts/fetch-data all` fills it.
enum RealData {
  static let directory = DataDirectory.resolve(explicit: nil)

  static let mnistTrain = load(.mnist, .train)
  static let mnistTest = load(.mnist, .test)
  static let fashionTrain = load(.fashionMNIST, .train)
  static let fashionTest = load(.fashionMNIST, .test)

  private static func load(_ name: DatasetName, _ split: Split) -> Result<RawDataset, DataError> {
    Result { () throws(DataError) in try RawDataset.load(name, split: split, directory: directory.url) }
  }
}

/// A fresh temporary directory, removed by the caller with `removeTemporary`.
func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("ffdata-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

func removeTemporary(_ url: URL) {
  try? FileManager.default.removeItem(at: url)
}

/// Bytes of an IDX file: magic, big-endian dimensions, then `body`.
func idxBytes(magic: UInt32, dimensions: [UInt32], body: [UInt8]) -> [UInt8] {
  var bytes: [UInt8] = []
  for word in [magic] + dimensions {
    bytes += [UInt8(word >> 24), UInt8((word >> 16) & 0xff), UInt8((word >> 8) & 0xff), UInt8(word & 0xff)]
  }
  return bytes + body
}

func write(_ bytes: [UInt8], to url: URL) throws {
  try Data(bytes).write(to: url)
}

/// Compresses `url` to `url.gz` with the system gzip, removing the original.
func gzipFile(_ url: URL) throws {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["gzip", "-f", url.path]
  try process.run()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
  }
}
