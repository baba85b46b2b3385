import Foundation

/// One split of a dataset as stored: images as bytes and one label per image.
///
/// This is what torchvision's `MNIST(root, train=...)` holds before its transform runs; the
/// transform is applied per batch by `TransformPipeline` (see `Batch`).
public struct RawDataset: Sendable, Equatable {
  /// Which dataset.
  public let name: DatasetName
  /// Which split.
  public let split: Split
  /// The images, `images.count` of them.
  public let images: RawImages
  /// Labels, one per image, each below `name.classCount`.
  public let labels: [UInt8]
  /// Paths of the files the data came from, for messages.
  public let imagesPath: String
  public let labelsPath: String

  /// Number of examples.
  public var count: Int { labels.count }

  /// Loads `name`'s `split` from `directory` (the data directory, see `DataDirectory`).
  ///
  /// Files are looked for in `directory/<name>/` (the layout `scripts/fetch-data` writes) and then
  /// in torchvision's `directory/MNIST/raw/`; in each, the raw file is preferred over `<file>.gz`.
  /// Checks magic numbers, 28x28 images, exact file lengths, that images and labels agree in
  /// count and that every label is a class. `shouldStop` is asked between chunks of the files
  /// (Ctrl-C in the REPL); a stop throws `.interrupted` and nothing is kept.
  public static func load(
    _ name: DatasetName, split: Split, directory: URL, shouldStop: () -> Bool = { false }
  ) throws(DataError) -> RawDataset {
    let imagesFile = try locate(split.imagesFileName, of: name, in: directory)
    let labelsFile = try locate(split.labelsFileName, of: name, in: directory)
    let images = try IDX.readImages(path: imagesFile.path, gzip: imagesFile.gzip, shouldStop: shouldStop)
    guard images.rows == name.imageSide, images.cols == name.imageSide else {
      throw .badDimensions(
        path: imagesFile.path,
        reason: "\(name) images are \(name.imageSide)x\(name.imageSide), header says \(images.rows)x\(images.cols)")
    }
    if shouldStop() { throw .interrupted("reading \(labelsFile.path)") }
    let labels = try IDX.readLabels(path: labelsFile.path, gzip: labelsFile.gzip, shouldStop: shouldStop)
    guard labels.count == images.count else {
      throw .countMismatch(imagesPath: imagesFile.path, images: images.count, labelsPath: labelsFile.path, labels: labels.count)
    }
    let classes = name.classCount
    if let bad = labels.firstIndex(where: { Int($0) >= classes }) {
      throw .labelOutOfRange(path: labelsFile.path, index: bad, label: labels[bad], classes: classes)
    }
    return RawDataset(
      name: name, split: split, images: images, labels: labels,
      imagesPath: imagesFile.path, labelsPath: labelsFile.path)
  }

  /// The file holding `fileName` of `name` under `directory`: raw before gzip, ffnb's layout
  /// before torchvision's.
  static func locate(_ fileName: String, of name: DatasetName, in directory: URL) throws(DataError) -> (path: String, gzip: Bool) {
    var tried: [String] = []
    for folder in [name.directoryName, name.torchvisionDirectory] {
      let base = directory.appendingPathComponent(folder).appendingPathComponent(fileName).path
      for (path, gzip) in [(base, false), (base + ".gz", true)] {
        tried.append(path)
        if FileManager.default.fileExists(atPath: path) { return (path, gzip) }
      }
    }
    throw .missing(path: tried[0], tried: tried)
  }
}
